export type { ConsulDiscoveryOptions } from './consul-discovery.js';
export { createConsulDiscovery } from './consul-discovery.js';
export { ConsulDiscoveryError } from './errors.js';
export type { MapResult } from './mapping.js';
export { META_PATH, META_SCHEME, META_TRANSPORT, mapHealthEntries } from './mapping.js';
