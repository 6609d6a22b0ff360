export type { EtcdEndpointRecord } from './endpoint-record.js';
export type { EtcdDiscoveryOptions } from './etcd-discovery.js';
export { createEtcdDiscovery } from './etcd-discovery.js';
export type { RegisterOptions, Registration } from './register.js';
export { register } from './register.js';
