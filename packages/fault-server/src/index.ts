export type { ChildServer, ChildServerOptions } from './child-server.js';
export { getFreePort, startChildServer, startEverythingHttp } from './child-server.js';
export { FaultGate, GatedTransport } from './fault-gate.js';
export type { FaultServerOptions, FaultState } from './fault-tools.js';
export { createFaultServer, createFaultState, faultOptionsFromEnv } from './fault-tools.js';
export { faultServerScript } from './paths.js';
export type { MalformedKind } from './protocol-faults.js';
export { MALFORMED_KINDS, malformedPayload } from './protocol-faults.js';
