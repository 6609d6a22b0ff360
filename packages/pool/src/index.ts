export type {
  PoolInteractions,
  ServerNotification,
  ServerNotificationContext,
  ServerRequest,
  ServerRequestContext,
} from './interactions.js';
export { createSessionPool } from './pool.js';
export type { SessionPoolOptions } from './pool-options.js';
export type { AttributionBasis } from './request-attribution.js';
export type { ProtocolMode } from './session.js';
export type { Closeable } from './signals.js';
export { closeOnSignals } from './signals.js';
export type { ProcessExit, StdioTransportOptions } from './transports/stdio-transport.js';
export { StdioTransport } from './transports/stdio-transport.js';
export { WebSocketTransport } from './transports/websocket-transport.js';
