export type { ConsulDiscoveryOptions } from './consul-discovery.js';
export { createConsulDiscovery } from './consul-discovery.js';
