export type { ServerCapabilitySet } from './capability-index.js';
export type {
  ConfigDiscovery,
  ConfigDiscoveryOptions,
} from './config/config-discovery.js';
export { createConfigDiscovery } from './config/config-discovery.js';
export type {
  DiscoveryBlock,
  ParseConfigOptions,
  ServerSettings,
  ServersConfig,
} from './config/config-types.js';
export { parseServersConfig } from './config/parse-config.js';
export type {
  CapabilityDiff,
  CapabilityItems,
} from './registry/capability-index.js';
export { UnknownServerError } from './registry/errors.js';
export type { Registry } from './registry/registry.js';
export { createRegistry } from './registry/registry.js';
export type {
  ApplyResult,
  CapabilitiesChangedEvent,
  RegisteredEvent,
  RegistryEvents,
  RegistryOptions,
  RegistrySnapshot,
  ReplicaChangedEvent,
  ReplicaSnapshot,
  ServerSnapshot,
  SourceConflict,
  UnregisteredEvent,
} from './registry/registry-types.js';
export type { ReplicaStatsSnapshot, RequestEnd } from './registry/replica-stats.js';
export type {
  ApplyResult,
  Registry,
  RegistryEvents,
  RegistryOptions,
  RegistrySnapshot,
  ReplicaEntry,
} from './registry.js';
export { createRegistry } from './registry.js';
export type { ReplicaStats } from './replica-stats.js';
