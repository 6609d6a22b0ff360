// An OAuth-protected MCP server for tests, built on @modelcontextprotocol/server (Streamable
// HTTP, 2026-07-28 and stateless 2025-11-25) on 127.0.0.1. It serves its protected-resource
// metadata (RFC 9728), answers a request without a valid token with 401 and
// `WWW-Authenticate: Bearer resource_metadata=...`, validates JWT access tokens with jose against
// the issuer's JWKS (signature, iss, aud = the resource, exp), and refuses `admin-echo` with
// 403 insufficient_scope unless the token carries `mcp:admin`.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchListener } from '@mcpmx/tooling-test-servers';
import {
  type AuthInfo,
  createMcpHandler,
  getOAuthProtectedResourceMetadataUrl,
  McpServer,
  OAuthError,
  OAuthErrorCode,
  type OAuthMetadata,
  oauthMetadataResponse,
  requireBearerAuth,
  requireScopes,
} from '@modelcontextprotocol/server';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { z } from 'zod';

export interface ProtectedMcpServerOptions {
  /** The authorization server's issuer (AuthServer.issuer). */
  issuer: string;
  /**
   * The resource identifier tokens must be issued for (their `aud`). Default the server's own
   * `http://127.0.0.1:<port>/mcp`. MCP is served at `/mcp` and at any path below it
   * (`/mcp/replica-2`), so several "replicas" can share one resource.
   */
  resource?: string;
  /** Scope every request needs. Default 'mcp:read'. */
  requiredScope?: string;
}

export interface ProtectedMcpServerCounts {
  /** MCP requests (POST/GET/DELETE under /mcp). */
  requests: number;
  /** Requests refused with 401. */
  unauthorized: number;
  /** Requests refused with 403. */
  forbidden: number;
}

export interface ProtectedMcpServer {
  /** `http://127.0.0.1:<port>/mcp`. */
  readonly url: string;
  /** The resource identifier (the `aud` it accepts). */
  readonly resource: string;
  /** The protected-resource metadata URL named in its challenges. */
  readonly resourceMetadataUrl: string;
  readonly counts: ProtectedMcpServerCounts;
  /** SHA-256 prefixes of the distinct access tokens accepted since resetCounts() (never the tokens). */
  readonly acceptedTokens: ReadonlySet<string>;
  /** From now on, refuses every token it has accepted so far (as if revoked), with 401. */
  invalidateTokens(): void;
  /** Closes every open connection (the MCP sessions' streams end; the server keeps listening). */
  dropConnections(): void;
  resetCounts(): void;
  close(): Promise<void>;
}

/** Starts the protected MCP server on 127.0.0.1 on a free port. */
export async function startProtectedMcpServer(
  options: ProtectedMcpServerOptions,
): Promise<ProtectedMcpServer> {
  const requiredScope = options.requiredScope ?? 'mcp:read';
  const discovery = await fetch(`${options.issuer}/.well-known/openid-configuration`);
  if (!discovery.ok) throw new Error(`issuer metadata: HTTP ${discovery.status}`);
  const oauthMetadata = (await discovery.json()) as OAuthMetadata & { jwks_uri: string };
  const jwks = createRemoteJWKSet(new URL(oauthMetadata.jwks_uri));

  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const url = `${origin}/mcp`;
  const resource = options.resource ?? url;
  const resourceMetadataUrl = getOAuthProtectedResourceMetadataUrl(new URL(resource));

  const counts: ProtectedMcpServerCounts = { requests: 0, unauthorized: 0, forbidden: 0 };
  // Distinct tokens accepted since the last resetCounts(); every one ever accepted (for invalidateTokens).
  const accepted = new Set<string>();
  const seen = new Set<string>();
  const refused = new Set<string>();

  const verifier = {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      const digest = fingerprint(token);
      if (refused.has(digest)) throw new OAuthError(OAuthErrorCode.InvalidToken, 'token revoked');
      let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
      try {
        ({ payload } = await jwtVerify(token, jwks, {
          issuer: options.issuer,
          audience: resource,
        }));
      } catch (error) {
        throw new OAuthError(OAuthErrorCode.InvalidToken, (error as Error).message);
      }
      accepted.add(digest);
      seen.add(digest);
      return {
        token,
        clientId: String(payload.client_id ?? payload.sub ?? ''),
        scopes: typeof payload.scope === 'string' ? payload.scope.split(' ') : [],
        expiresAt: payload.exp,
        resource: new URL(resource),
        extra: { sub: payload.sub },
      };
    },
  };
  const gate = requireBearerAuth({
    verifier,
    requiredScopes: [requiredScope],
    resourceMetadataUrl,
    expectedResource: new URL(resource),
  });
  const metadataOptions = {
    oauthMetadata,
    resourceServerUrl: new URL(resource),
    scopesSupported: [requiredScope],
    resourceName: 'mcpmx protected test server',
    dangerouslyAllowInsecureIssuerUrl: true,
  };
  const handler = createMcpHandler(({ authInfo }) => buildServer(authInfo, requiredScope));

  const serve = async (request: Request): Promise<Response> => {
    const metadata = oauthMetadataResponse(request, metadataOptions);
    if (metadata) return metadata;
    const path = new URL(request.url).pathname;
    if (path !== '/mcp' && !path.startsWith('/mcp/')) {
      return new Response('not found; MCP is at /mcp\n', { status: 404 });
    }
    counts.requests += 1;
    const auth = await gate(request);
    if (auth instanceof Response) {
      if (auth.status === 401) counts.unauthorized += 1;
      if (auth.status === 403) counts.forbidden += 1;
      return auth;
    }
    const answer = await handler.fetch(request, { authInfo: auth });
    if (answer.status === 403) counts.forbidden += 1;
    return answer;
  };

  server.on('request', fetchListener(serve));

  let closed: Promise<void> | undefined;
  return {
    url,
    resource,
    resourceMetadataUrl,
    counts,
    acceptedTokens: accepted,
    invalidateTokens: () => {
      for (const digest of seen) refused.add(digest);
    },
    dropConnections: () => server.closeAllConnections(),
    resetCounts: () => {
      Object.assign(counts, { requests: 0, unauthorized: 0, forbidden: 0 });
      accepted.clear();
    },
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

function buildServer(authInfo: AuthInfo | undefined, requiredScope: string): McpServer {
  const server = new McpServer({ name: 'protected-test-server', version: '1.0.0' });
  server.registerTool(
    'whoami',
    { description: 'The caller as the token says: subject, client and scopes.' },
    async () => ({
      content: [
        {
          type: 'text',
          text: JSON.stringify({
            sub: authInfo?.extra?.sub,
            clientId: authInfo?.clientId,
            scopes: authInfo?.scopes ?? [],
          }),
        },
      ],
    }),
  );
  server.registerTool(
    'echo',
    { description: 'Echoes text.', inputSchema: z.object({ text: z.string() }) },
    async ({ text }) => ({ content: [{ type: 'text', text }] }),
  );
  server.registerTool(
    'admin-echo',
    {
      description: 'Echoes text; needs the mcp:admin scope (403 insufficient_scope otherwise).',
      inputSchema: z.object({ text: z.string() }),
      scopeChallenge: requireScopes(requiredScope, 'mcp:admin'),
    },
    async ({ text }) => ({ content: [{ type: 'text', text: `admin: ${text}` }] }),
  );
  return server;
}

function fingerprint(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 16);
}
