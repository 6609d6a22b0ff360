export type { DnsDiscoveryOptions } from './dns-discovery.js';
export { createDnsDiscovery, DNS_DISCOVERY_DEFAULTS, effectiveRefreshMs } from './dns-discovery.js';
export type { SrvRecord } from './srv-order.js';
export { orderSrvRecords } from './srv-order.js';
export type { TxtMetadata } from './txt-metadata.js';
export { parseTxtMetadata } from './txt-metadata.js';
