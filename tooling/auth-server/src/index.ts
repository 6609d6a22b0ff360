export type {
  AuthServer,
  AuthServerCounts,
  AuthServerOptions,
  PrivateKeyClient,
} from './auth-server.js';
export { AUTH_SCOPES, startAuthServer } from './auth-server.js';
export { followAuthorization } from './follow-authorization.js';
export type {
  ProtectedMcpServer,
  ProtectedMcpServerCounts,
  ProtectedMcpServerOptions,
} from './protected-mcp-server.js';
export { startProtectedMcpServer } from './protected-mcp-server.js';
export type { AuthServers, TestHooks } from './use-auth-servers.js';
export { useAuthServers } from './use-auth-servers.js';
export type { UserTokenOptions, UserTokens } from './user-token.js';
export { obtainUserTokens } from './user-token.js';
