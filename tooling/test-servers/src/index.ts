export type { ChildServer, ChildServerOptions } from './child-server.js';
export {
  getFreePort,
  startChildServer,
  startEverythingHttp,
  startWebSocketServer,
} from './child-server.js';
export type { FaultServerOptions } from './fault-tools.js';
export { createFaultServer, faultOptionsFromEnv } from './fault-tools.js';
export { referenceServers, testServers } from './paths.js';
export { descendantPids } from './processes.js';
export { WebSocketServerTransport } from './ws-server-transport.js';
