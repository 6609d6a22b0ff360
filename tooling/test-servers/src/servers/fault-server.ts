// A fault-injecting MCP server over stdio. See createFaultServer for its tools.
// FAULT_IGNORE_EOF=1 keeps it running after its stdin closes, like a careless server that
// would be orphaned unless its client kills it.
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { createFaultServer, faultOptionsFromEnv } from '../fault-tools.js';

const options = faultOptionsFromEnv();
serveStdio(() => createFaultServer(options));
if (process.env.FAULT_IGNORE_EOF === '1') setInterval(() => undefined, 1 << 30);
