import { obtainUserTokens, startAuthServer, startProtectedMcpServer } from '@mcpmx/tooling-auth-server';

const authServer = await startAuthServer({ accessTokenTtl: 3600 });
const mcp = await startProtectedMcpServer({ issuer: authServer.issuer });
// mcp.url is http://127.0.0.1:<port>/mcp; a request without a token gets 401 with
// WWW-Authenticate: Bearer resource_metadata="<mcp.resourceMetadataUrl>"
const tokens = await obtainUserTokens({
  issuer: authServer.issuer,
  clientId: authServer.publicClient.clientId,
  resource: mcp.resource,
  scope: 'mcp:read',
  accountId: 'alice',
});
// ... tokens.access_token is a JWT with sub 'alice' and aud mcp.resource
await mcp.close();
await authServer.close();
