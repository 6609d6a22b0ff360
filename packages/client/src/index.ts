export type { OAuthClientOptions } from './auth/upstream-logins.js';
export type { Catalog, CatalogEntry, ServerCatalog } from './catalog/catalog.js';
export { buildCatalog } from './catalog/catalog.js';
export type { CatalogChange, NameChange } from './catalog/catalog-change.js';
export type {
  SearchToolsOptions,
  ToolSearchResult,
  ToolSearchSettings,
} from './catalog/catalog-search.js';
export type { ListSnapshot, ListStatus } from './catalog/catalog-state.js';
export type { NamingOptions, NamingPolicy } from './catalog/federated-names.js';
export { globMatches } from './catalog/glob.js';
export type { ListHint } from './catalog/list-hints.js';
export type {
  CallEndEvent,
  ClientEvents,
  FanOutCallOptions,
  MultiServerClient,
  StartFailure,
  StartResult,
} from './client-api.js';
export { ANSWERED_BY } from './client-calls.js';
export type { ClientState } from './client-lifecycle.js';
export type { MultiServerClientOptions } from './client-options.js';
export { DEFAULT_CLIENT_OPTIONS } from './client-options.js';
export type { ClientSnapshot, ReplicaSnapshot, ServerSnapshot } from './client-snapshot.js';
export type { ClientSettings } from './config/file-settings.js';
export { clientOptionsFromSettings, clientSettingsSchema } from './config/file-settings.js';
export type {
  Advertised,
  AdvertisedElicitation,
  AdvertiseOption,
} from './interaction/advertise.js';
export { LOGGING_LEVELS } from './interaction/interaction-options.js';
export type {
  CreateMessageRequestParams,
  CreateMessageResult,
  ElicitRequestParams,
  ElicitResult,
  InteractionCall,
  InteractionContext,
  InteractionHandlers,
  InteractionOptions,
  LogContext,
  LoggingLevel,
  LoggingMessageNotificationParams,
  LogListener,
  Root,
  ServerInteractionOptions,
} from './interaction/interaction-types.js';
export { createMultiServerClient } from './multi-server-client.js';
export type { CallOptions } from './requests.js';
export type { BackoffStrategy } from './routing/policies/backoff.js';
export { constantBackoff, exponentialBackoff } from './routing/policies/backoff.js';
export type { ConcurrencyLimitOptions } from './routing/policies/concurrency-limit.js';
export type { ReplicaStats } from './routing/replica-stats.js';
