export type { ChildServer, ChildServerOptions } from './child-server.js';
export {
  getFreePort,
  startChildServer,
  startEverythingHttp,
  startFaultHttpServer,
  startHostileHttpServer,
  startWebSocketServer,
} from './child-server.js';
export { allUp, inFlight } from './client-waits.js';
export { FaultGate, GatedTransport } from './fault-gate.js';
export type { FaultServerOptions, FaultState } from './fault-tools.js';
export { createFaultServer, createFaultState, faultOptionsFromEnv } from './fault-tools.js';
export type { HeaderCapture } from './header-capture.js';
export { startHeaderCapture } from './header-capture.js';
export type { Interception } from './intercepting-transport.js';
export { InterceptingTransport } from './intercepting-transport.js';
export { manyToolsEntry } from './many-tools-entry.js';
export { referenceServers, testServers } from './paths.js';
export { descendantPids } from './processes.js';
export type { MalformedKind } from './protocol-faults.js';
export { MALFORMED_KINDS, malformedPayload } from './protocol-faults.js';
export type { RawRpc } from './raw-rpc.js';
export { postRawRpc } from './raw-rpc.js';
export { WebSocketServerTransport } from './ws-server-transport.js';
