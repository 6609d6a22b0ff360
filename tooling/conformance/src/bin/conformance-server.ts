// The conformance test server as a process: serves Streamable HTTP on 127.0.0.1 (PORT, default
// a free port) and prints "conformance server listening at <url>" once it serves.

import { startSessionHttpServer } from '@mcpmx/tooling-test-servers';
import { createConformanceServer } from '../server/conformance-server.js';

const server = await startSessionHttpServer({
  factory: createConformanceServer,
  port: Number(process.env.PORT ?? 0),
});
process.stdout.write(`conformance server listening at ${server.url}\n`);
const stop = () => {
  void server.close().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
