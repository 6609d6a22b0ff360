export type { AuthConfig } from './config/auth-schema.js';
export type {
  ConfigDiscovery,
  ConfigDiscoveryOptions,
} from './config/config-discovery.js';
export { createConfigDiscovery } from './config/config-discovery.js';
export type { ConfigInput, InputResolver } from './config/config-inputs.js';
export { inputVariable } from './config/config-inputs.js';
export type {
  DiscoveryBlock,
  ParseConfigOptions,
  ServerSettings,
  ServersConfig,
} from './config/config-types.js';
export type {
  GatewayAuthConfig,
  GatewayConfig,
  PolicyRule,
} from './config/gateway-schema.js';
export { ANY_SERVER, STANDARD_CLAIMS } from './config/gateway-schema.js';
export type { LoadConfigOptions } from './config/load-config.js';
export { loadServersConfig } from './config/load-config.js';
export { parseServersConfig } from './config/parse-config.js';
export type {
  ApplyResult,
  Registry,
  RegistryEvents,
  RegistryOptions,
  RegistrySnapshot,
  ReplicaEntry,
} from './registry.js';
export { createRegistry } from './registry.js';
