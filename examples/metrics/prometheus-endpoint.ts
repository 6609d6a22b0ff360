import http from 'node:http';
import { createMultiServerClient } from '@mcpmx/client';

const client = createMultiServerClient({ config: './mcp.json', env: process.env });

// #region readme
import { createMetrics } from '@mcpmx/metrics';

// The client is the telemetry EventSource; telemetry() is the snapshot read at scrape time.
const metrics = createMetrics({ events: client, snapshot: () => client.telemetry() });
http.createServer(async (request, response) => {
  response.setHeader('content-type', metrics.registry.contentType);
  response.end(await metrics.metrics());
}).listen(9464);
// later
metrics.close(); // detaches every listener and unregisters the metrics
// #endregion readme
