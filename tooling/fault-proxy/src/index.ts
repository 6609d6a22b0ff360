export type { FaultProxy, Faults } from './fault-proxy.js';
export { startFaultProxy } from './fault-proxy.js';
