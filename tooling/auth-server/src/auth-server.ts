// A real OAuth 2.1 authorization server for tests: node-oidc-provider on 127.0.0.1 with the
// authorization code flow (PKCE required), refresh tokens, client credentials (client secret
// basic and private_key_jwt), open dynamic registration, resource indicators (RFC 8707) issuing
// JWT access tokens whose `aud` is the resource, and revocation. devInteractions are off: the
// interaction handler below logs the test user in and grants what was asked, so a test can
// follow the authorization URL with fetch (carrying cookies) to the redirect URI.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportPKCS8, generateKeyPair, type JWK } from 'jose';
import Provider, {
  type AdapterPayload,
  type ClientMetadata,
  type Configuration,
  type KoaContextWithOIDC,
} from 'oidc-provider';
import { MemoryStorage } from './memory-adapter.js';

/** Scopes the server knows. `mcp:read` is the base scope, `mcp:admin` the step-up scope. */
export const AUTH_SCOPES = ['mcp:read', 'mcp:admin'] as const;

export interface AuthServerOptions {
  /** Access token lifetime in seconds. Default 3600. */
  accessTokenTtl?: number;
  /** Refresh token lifetime in seconds. Default 86400. */
  refreshTokenTtl?: number;
  /** The subject the interaction logs in, unless the request carries `login_hint`. Default 'test-user'. */
  accountId?: string;
  /** Extra pre-registered clients (oidc-provider client metadata). */
  clients?: ClientMetadata[];
  /** Resource used when a token request names none (client credentials). Default none. */
  defaultResource?: string;
}

/** Counts of what the authorization server did, for tests to assert on. */
export interface AuthServerCounts {
  /** Authorization requests (GET of the authorization endpoint, resumes not counted). */
  authorizations: number;
  /** Successful token requests, by grant type. */
  tokens: Record<string, number>;
  /** Failed token requests, by grant type. */
  tokenErrors: Record<string, number>;
  /** Dynamic client registrations. */
  registrations: number;
  /** Revocation requests. */
  revocations: number;
}

export interface PrivateKeyClient {
  clientId: string;
  /** The private key as a JWK (includes `alg` and `kid`). */
  privateKeyJwk: JWK;
  /** The same private key in PKCS#8 PEM form. */
  privateKeyPem: string;
  alg: 'RS256';
}

export interface AuthServer {
  /** The issuer, `http://127.0.0.1:<port>` (no trailing slash). */
  readonly issuer: string;
  readonly port: number;
  /** Live counters (mutated as requests arrive). */
  readonly counts: AuthServerCounts;
  /** A pre-registered public client (PKCE, loopback redirect on any port, refresh tokens). */
  readonly publicClient: { clientId: string };
  /** A confidential machine client: client_credentials with client_secret_basic. */
  readonly secretClient: { clientId: string; clientSecret: string };
  /** A machine client authenticating with private_key_jwt (RS256). */
  readonly privateKeyClient: PrivateKeyClient;
  /** Forgets every refresh token it issued (the next refresh fails with invalid_grant). */
  revokeRefreshTokens(): number;
  /** Zeroes the counters. */
  resetCounts(): void;
  close(): Promise<void>;
}

const SECRET_CLIENT = { clientId: 'm2m-secret', clientSecret: 'm2m-secret-value-0123456789' };
const PUBLIC_CLIENT_ID = 'mcpmx-public';
const PRIVATE_KEY_CLIENT_ID = 'm2m-jwt';

/** Starts the authorization server on 127.0.0.1 on a free port. */
export async function startAuthServer(options: AuthServerOptions = {}): Promise<AuthServer> {
  const accessTokenTtl = options.accessTokenTtl ?? 3600;
  const refreshTokenTtl = options.refreshTokenTtl ?? 86_400;
  const accountId = options.accountId ?? 'test-user';

  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}`;

  const signing = await generateKeyPair('RS256', { extractable: true });
  const signingJwk = {
    ...(await exportJWK(signing.privateKey)),
    alg: 'RS256',
    use: 'sig',
    kid: 'as-1',
  };
  const clientKeys = await generateKeyPair('RS256', { extractable: true });
  const clientPublic = {
    ...(await exportJWK(clientKeys.publicKey)),
    alg: 'RS256',
    kid: 'client-1',
  };
  const privateKeyJwk = {
    ...(await exportJWK(clientKeys.privateKey)),
    alg: 'RS256',
    kid: 'client-1',
  };
  const privateKeyPem = await exportPKCS8(clientKeys.privateKey);

  const counts = emptyCounts();
  const storage = new MemoryStorage();
  const scopes = ['openid', 'offline_access', ...AUTH_SCOPES];

  const configuration: Configuration = {
    // A registered client may ask for any scope the server knows (step-up widens a grant past
    // what the client registered with), so its registered `scope` is not kept.
    adapter: (model: string) =>
      storage.adapterFor(model, model === 'Client' ? withoutScope : undefined),
    clients: [
      {
        client_id: PUBLIC_CLIENT_ID,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        redirect_uris: ['http://127.0.0.1/callback'],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
      {
        client_id: SECRET_CLIENT.clientId,
        client_secret: SECRET_CLIENT.clientSecret,
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope: AUTH_SCOPES.join(' '),
      },
      {
        client_id: PRIVATE_KEY_CLIENT_ID,
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: 'RS256',
        jwks: { keys: [clientPublic as never] },
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope: AUTH_SCOPES.join(' '),
      },
      ...(options.clients ?? []),
    ],
    jwks: { keys: [signingJwk as never] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    scopes,
    claims: { openid: ['sub'] },
    pkce: { required: () => true },
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    ttl: {
      AccessToken: accessTokenTtl,
      ClientCredentials: accessTokenTtl,
      RefreshToken: refreshTokenTtl,
      Interaction: 600,
      Session: 600,
      Grant: refreshTokenTtl,
      AuthorizationCode: 60,
    },
    features: {
      devInteractions: { enabled: false },
      registration: { enabled: true },
      revocation: { enabled: true },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => options.defaultResource ?? undefined,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resourceIndicator) => ({
          scope: AUTH_SCOPES.join(' '),
          audience: resourceIndicator,
          accessTokenTTL: accessTokenTtl,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
  };

  const provider = new Provider(issuer, configuration);
  provider.on('grant.success', (ctx) => bump(counts.tokens, grantType(ctx)));
  provider.on('grant.error', (ctx) => bump(counts.tokenErrors, grantType(ctx)));
  provider.on('registration_create.success', () => {
    counts.registrations += 1;
  });

  const callback = provider.callback();
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', issuer).pathname;
    if (path === '/auth') counts.authorizations += 1;
    if (path === '/token/revocation' && request.method === 'POST') counts.revocations += 1;
    if (request.method === 'GET' && path.startsWith('/interaction/')) {
      completeInteraction(provider, accountId, request, response).catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
        response.end(`interaction failed: ${(error as Error).message}\n`);
      });
      return;
    }
    void callback(request, response);
  });

  let closed: Promise<void> | undefined;
  return {
    issuer,
    port,
    counts,
    publicClient: { clientId: PUBLIC_CLIENT_ID },
    secretClient: { ...SECRET_CLIENT },
    privateKeyClient: {
      clientId: PRIVATE_KEY_CLIENT_ID,
      privateKeyJwk,
      privateKeyPem,
      alg: 'RS256',
    },
    revokeRefreshTokens: () => storage.revokeAll('RefreshToken'),
    resetCounts: () => Object.assign(counts, emptyCounts()),
    close: () => {
      closed ??= closeServer(server);
      return closed;
    },
  };
}

function withoutScope(payload: AdapterPayload): AdapterPayload {
  const { scope: _scope, ...rest } = payload;
  return rest;
}

/** Logs the test user in (prompt `login`), then grants every scope and resource asked for (`consent`). */
async function completeInteraction(
  provider: Provider,
  accountId: string,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const details = await provider.interactionDetails(request, response);
  const hint = details.params.login_hint;
  const subject = typeof hint === 'string' && hint !== '' ? hint : accountId;
  if (details.prompt.name === 'login') {
    await provider.interactionFinished(
      request,
      response,
      { login: { accountId: subject } },
      { mergeWithLastSubmission: false },
    );
    return;
  }
  const clientId = String(details.params.client_id);
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: subject, clientId });
  if (!grant) throw new Error(`grant ${details.grantId} not found`);
  const missing = details.prompt.details as {
    missingOIDCScope?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  for (const [resource, resourceScopes] of Object.entries(missing.missingResourceScopes ?? {})) {
    grant.addResourceScope(resource, resourceScopes.join(' '));
  }
  const grantId = await grant.save();
  await provider.interactionFinished(
    request,
    response,
    { consent: { grantId } },
    { mergeWithLastSubmission: true },
  );
}

function grantType(ctx: KoaContextWithOIDC): string {
  const params = ctx.oidc?.params as { grant_type?: unknown } | undefined;
  return typeof params?.grant_type === 'string' ? params.grant_type : 'unknown';
}

function bump(record: Record<string, number>, key: string): void {
  record[key] = (record[key] ?? 0) + 1;
}

function emptyCounts(): AuthServerCounts {
  return { authorizations: 0, tokens: {}, tokenErrors: {}, registrations: 0, revocations: 0 };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
