export type { Catalog, CatalogEntry, ServerCatalog } from './catalog/catalog.js';
export { buildCatalog } from './catalog/catalog.js';
export type { NameOwner, NamingOptions, NamingPolicy } from './catalog/federated-names.js';
export { assignFederatedNames, DEFAULT_NAMING, resolveNaming } from './catalog/federated-names.js';
export { fetchServerCatalog, listAll } from './catalog/list-all.js';
export type { ListHint, ListHints } from './catalog/list-hints.js';
export { combineHints, hintOfPage } from './catalog/list-hints.js';
export type { MultiServerClientOptions } from './client-options.js';
export { DEFAULT_CLIENT_OPTIONS } from './client-options.js';
export type {
  CallOptions,
  ClientEvents,
  ClientSnapshot,
  FanOutCallOptions,
  MultiServerClient,
} from './multi-server-client.js';
export { createMultiServerClient } from './multi-server-client.js';
export type { Replica } from './routing/replica.js';
export type { RetryFacts } from './routing/retry-safety.js';
export { isRepeatable, mayRetry, neverReachedServer } from './routing/retry-safety.js';
