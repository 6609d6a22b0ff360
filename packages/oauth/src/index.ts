export type { ClientCredentialsOptions } from './client-credentials.js';
export { createClientCredentialsAuth } from './client-credentials.js';
export type { CrossAppAccessOptions } from './cross-app-access.js';
export { createCrossAppAccessAuth } from './cross-app-access.js';
export type {
  CredentialSource,
  EndpointAuth,
  SharedUpstreamAuth,
  UpstreamAuth,
} from './endpoint-auth.js';
export { createUpstreamAuth } from './endpoint-auth.js';
export type { FileTokenStoreOptions } from './file-token-store.js';
export { createFileTokenStore, defaultTokenStorePath } from './file-token-store.js';
export type { HeadlessHandlerOptions } from './headless-handler.js';
export { createHeadlessHandler } from './headless-handler.js';
export type {
  AuthorizationCallback,
  LoopbackListener,
  LoopbackListenerOptions,
} from './loopback-listener.js';
export { startLoopbackListener } from './loopback-listener.js';
export type {
  AuthorizationContext,
  AuthorizationHandler,
  OAuthSessionOptions,
  OAuthSessionState,
} from './oauth-session.js';
export {
  createOAuthSession,
  DEFAULT_OAUTH_SESSION_OPTIONS,
  OAuthSession,
} from './oauth-session.js';
export type { CredentialKey, StoredCredentials, TokenStore } from './token-store.js';
export { createMemoryTokenStore, credentialKeyId } from './token-store.js';
