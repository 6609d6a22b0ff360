export type { DnsDiscoveryOptions } from './dns-discovery.js';
export { createDnsDiscovery, DNS_DISCOVERY_DEFAULTS } from './dns-discovery.js';
