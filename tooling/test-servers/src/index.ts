// The fault server and the process launcher are public, in @mcpmx/fault-server (the demo runs
// them); they are re-exported here so tests import every test server from one place.
export type {
  ChildServer,
  ChildServerOptions,
  FaultServerOptions,
  FaultState,
  MalformedKind,
} from '@mcpmx/fault-server';
export {
  createFaultServer,
  createFaultState,
  FaultGate,
  faultOptionsFromEnv,
  GatedTransport,
  getFreePort,
  MALFORMED_KINDS,
  malformedPayload,
  startChildServer,
} from '@mcpmx/fault-server';
export { allUp, inFlight } from './client-waits.js';
export type { HeaderCapture } from './header-capture.js';
export { startHeaderCapture } from './header-capture.js';
export { fetchListener, writeWebResponse } from './http-adapter.js';
export type { InputRequiredServer } from './input-required-server.js';
export { startInputRequiredServer } from './input-required-server.js';
export type { Interception } from './intercepting-transport.js';
export { InterceptingTransport } from './intercepting-transport.js';
export {
  startEverythingHttp,
  startFaultHttpServer,
  startHostileHttpServer,
  startWebSocketServer,
} from './launchers.js';
export { manyToolsEntry } from './many-tools-entry.js';
export { referenceServers, testServers } from './paths.js';
export { descendantPids } from './processes.js';
export { createPushRequestsServer } from './push-requests-server.js';
export type { RawRpc } from './raw-rpc.js';
export { postRawRpc } from './raw-rpc.js';
export type { SessionHttpServer, SessionHttpServerOptions } from './session-http-server.js';
export { startSessionHttpServer } from './session-http-server.js';
export { WebSocketServerTransport } from './ws-server-transport.js';
