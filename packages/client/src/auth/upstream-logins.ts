import type { EndpointDescriptor } from '@mcpmx/core';
import {
  type AuthorizationHandler,
  createClientCredentialsAuth,
  createCrossAppAccessAuth,
  createFileTokenStore,
  createOAuthSession,
  type OAuthSession,
  type TokenStore,
  type UpstreamAuth,
} from '@mcpmx/oauth';
import type { AuthConfig } from '@mcpmx/registry';

/** The client's `oauth` option: how it logs in to OAuth-protected HTTP servers. */
export interface OAuthClientOptions {
  /**
   * Where tokens and client registrations live. Default: createFileTokenStore() from
   * @mcpmx/oauth (a 0600 file under `$XDG_CONFIG_HOME/mcpmx/`), made when first needed.
   */
  store?: TokenStore;
  /**
   * Shows the user where to log in (open a browser, print the URL) when a server needs a login
   * and no stored token can be used. Without it such a server is down with an
   * AuthRequiredError ("run `mcpmx login <server>`") until one is stored.
   */
  onAuthorizationUrl?: AuthorizationHandler;
  /** How long a login waits for the browser to come back. Default 300000 ms. */
  loginTimeoutMs?: number;
}

export interface UpstreamLogins {
  /** The auth of an HTTP endpoint's server (shared by its replicas), or undefined for none. */
  authFor(endpoint: EndpointDescriptor): UpstreamAuth | undefined;
  /** Gives up logins in progress and closes their redirect listeners. */
  close(): Promise<void>;
}

/**
 * One login per server, shared by its replicas and reconnects (see @mcpmx/oauth):
 * - a server with `auth` in its settings: that (an OAuthSession, client credentials, or
 *   cross-app access);
 * - an HTTP server without: an OAuthSession that acts only on a 401 with a Bearer challenge
 *   (`WWW-Authenticate: Bearer ...`, with or without `resource_metadata`: RFC 9728 discovery
 *   then falls back to the well-known URLs), so a server that wants some other credentials
 *   still fails with its "HTTP 401 …" as before;
 * - none with `oauth: false`, for stdio and WebSocket endpoints, or when the pool options
 *   bring their own (`auth`, `authProvider`).
 */
export function createUpstreamLogins(options: {
  oauth: OAuthClientOptions | false | undefined;
  authOf: (server: string) => AuthConfig | undefined;
  /** The pool options bring their own auth: leave every endpoint to them. */
  ownAuth: boolean;
}): UpstreamLogins {
  const byServer = new Map<string, UpstreamAuth>();
  const sessions: OAuthSession[] = [];
  const oauth = options.oauth === false ? undefined : (options.oauth ?? {});
  let store: TokenStore | undefined;
  const storeOf = () => {
    store ??= oauth?.store ?? createFileTokenStore();
    return store;
  };

  const build = (server: string): UpstreamAuth | undefined => {
    const config = options.authOf(server);
    if (config?.type === 'client_credentials') {
      const { clientId, scopes, issuer } = config;
      const common = { server, clientId, scopes, issuer };
      return config.privateKey !== undefined
        ? createClientCredentialsAuth({
            ...common,
            privateKey: config.privateKey,
            algorithm: config.algorithm,
          })
        : createClientCredentialsAuth({ ...common, clientSecret: config.clientSecret ?? '' });
    }
    if (config?.type === 'cross_app_access') {
      return createCrossAppAccessAuth({
        server,
        clientId: config.clientId,
        clientSecret: config.clientSecret,
        scopes: config.scopes,
        idp: config.idp,
      });
    }
    if (!config && !oauth) return undefined;
    const session = createOAuthSession({
      server,
      store: storeOf(),
      onAuthorizationUrl: oauth?.onAuthorizationUrl,
      loginTimeoutMs: oauth?.loginTimeoutMs,
      ...(config
        ? {
            clientId: config.clientId,
            clientSecret: config.clientSecret,
            scopes: config.scopes,
            clientMetadataUrl: config.clientMetadataUrl,
            redirectPort: config.redirectPort,
          }
        : {}),
    });
    sessions.push(session);
    return config ? session : onlyOnBearerChallenge(session);
  };

  return {
    authFor(endpoint) {
      const { type } = endpoint.transport;
      if (options.ownAuth || (type !== 'streamable-http' && type !== 'sse')) return undefined;
      if (!byServer.has(endpoint.server)) {
        const auth = build(endpoint.server);
        if (!auth) return undefined;
        byServer.set(endpoint.server, auth);
      }
      return byServer.get(endpoint.server);
    },
    async close() {
      await Promise.all(sessions.splice(0).map((session) => session.close()));
      byServer.clear();
    },
  };
}

/** A WWW-Authenticate value that offers the Bearer scheme (RFC 6750), among its challenges. */
const BEARER_CHALLENGE = /(^|,)\s*bearer(\s|,|$)/i;

/**
 * The session for a server that did not ask for OAuth: it renews only after a 401 with a Bearer
 * challenge. Any other 401 is left as it is (the transport sends the request once more and then
 * fails with the 401).
 */
function onlyOnBearerChallenge(session: OAuthSession): UpstreamAuth {
  return {
    forEndpoint(url) {
      const endpoint = session.forEndpoint(url);
      const { onUnauthorized } = endpoint.authProvider;
      if (!onUnauthorized) return endpoint;
      return {
        wrapFetch: (fetch) => endpoint.wrapFetch(fetch),
        authProvider: {
          token: () => endpoint.authProvider.token(),
          onUnauthorized: async (context) => {
            const challenge = context.response.headers.get('www-authenticate') ?? '';
            if (!BEARER_CHALLENGE.test(challenge)) return;
            await onUnauthorized.call(endpoint.authProvider, context);
          },
        },
      };
    },
  };
}
