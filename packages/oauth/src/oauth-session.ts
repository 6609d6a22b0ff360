import { AuthError, AuthRequiredError, type Clock, McpmxError, systemClock } from '@mcpmx/core';
import {
  auth,
  computeScopeUnion,
  extractWWWAuthenticateParams,
  type FetchLike,
  isStrictScopeSuperset,
} from '@modelcontextprotocol/client';
import { createUpstreamAuth, type EndpointAuth, type SharedUpstreamAuth } from './endpoint-auth.js';
import { createFileTokenStore } from './file-token-store.js';
import { type LoopbackListener, startLoopbackListener } from './loopback-listener.js';
import { StoreBackedProvider } from './store-backed-provider.js';
import type { TokenStore } from './token-store.js';

/** Told where to send the user: open a browser, print the URL, or follow it (headless). */
export type AuthorizationHandler = (
  authorizationUrl: URL,
  context: AuthorizationContext,
) => void | Promise<void>;

export interface AuthorizationContext {
  /** The logical server the login is for. */
  server: string;
  /** Where the authorization server will send the browser back (the loopback listener). */
  redirectUrl: string;
  /** Aborted when the login is given up (timeout, close). */
  signal: AbortSignal;
}

export interface OAuthSessionOptions {
  /** The logical server's name, for messages ("run `mcpmx login <server>`"). */
  server: string;
  /** Where tokens and client registrations live. Default createFileTokenStore(). */
  store?: TokenStore;
  /** A pre-registered client id. Default: a client ID metadata document, else dynamic registration. */
  clientId?: string;
  /** The pre-registered client's secret (client_secret_basic), if it has one. */
  clientSecret?: string;
  /** Scopes to ask for. Default: what the server's protected-resource metadata lists. */
  scopes?: string[];
  /** An HTTPS URL of this client's metadata document, used where the server supports it. */
  clientMetadataUrl?: string;
  /** The loopback redirect port. Default 0: a free port per login. */
  redirectPort?: number;
  /**
   * Runs an interactive login: gets the authorization URL. Without it, a login that is needed
   * fails at once with an AuthRequiredError ("run `mcpmx login <server>`").
   */
  onAuthorizationUrl?: AuthorizationHandler;
  /** How long a login waits for the browser to come back. Default 300000 ms. */
  loginTimeoutMs?: number;
  /** A token this close to expiry is refreshed before it is sent. Default 60000 ms. */
  refreshSkewMs?: number;
  /** The client name registered dynamically. Default 'mcpmx'. */
  clientName?: string;
  /** Time source; epoch ms (systemClock) when the store outlives the process. */
  clock?: Clock;
}

export type OAuthSessionState = 'unknown' | 'authorized' | 'needs-login';

export const DEFAULT_OAUTH_SESSION_OPTIONS = {
  loginTimeoutMs: 300_000,
  refreshSkewMs: 60_000,
  clientName: 'mcpmx',
} as const;

/**
 * Logs in to one OAuth-protected server and keeps it logged in, for every session, replica and
 * reconnect of that server: one token, one refresh at a time, one login. Built on the SDK's
 * `auth()` (discovery, client ID metadata documents, dynamic registration, PKCE, RFC 8707
 * resource indicators, refresh, step-up); this class adds the store, the loopback listener and
 * the sharing. Pass it to the pool as `auth`.
 */
export class OAuthSession {
  readonly server: string;
  readonly #provider: StoreBackedProvider;
  readonly #shared: SharedUpstreamAuth;
  readonly #handler: AuthorizationHandler | undefined;
  readonly #clock: Clock;
  readonly #loginTimeoutMs: number;
  readonly #refreshSkewMs: number;
  readonly #redirectPort: number | undefined;
  readonly #lifetime = new AbortController();
  #listener: LoopbackListener | undefined;
  #requestedScope: string | undefined;
  #state: OAuthSessionState = 'unknown';

  constructor(options: OAuthSessionOptions) {
    this.server = options.server;
    this.#handler = options.onAuthorizationUrl;
    this.#clock = options.clock ?? systemClock;
    this.#loginTimeoutMs = options.loginTimeoutMs ?? DEFAULT_OAUTH_SESSION_OPTIONS.loginTimeoutMs;
    this.#refreshSkewMs = options.refreshSkewMs ?? DEFAULT_OAUTH_SESSION_OPTIONS.refreshSkewMs;
    this.#redirectPort = options.redirectPort;
    this.#requestedScope = options.scopes?.length ? options.scopes.join(' ') : undefined;
    this.#provider = new StoreBackedProvider({
      store: options.store ?? createFileTokenStore(),
      clock: this.#clock,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      clientMetadataUrl: options.clientMetadataUrl,
      clientName: options.clientName ?? DEFAULT_OAUTH_SESSION_OPTIONS.clientName,
      scope: this.#requestedScope,
      redirectUrl: () => this.#redirectUrl(),
      onAuthorizationUrl: () => {
        if (!this.#handler) throw this.#loginNeeded('no stored token can be used');
      },
      onTokens: () => {
        this.#state = 'authorized';
      },
    });
    this.#shared = createUpstreamAuth({
      current: () => this.#provider.accessToken,
      prepare: (url, renew) => this.#prepare(url, renew),
      renew: ({ response, serverUrl, fetchFn }) => {
        const { resourceMetadataUrl, scope } = extractWWWAuthenticateParams(response);
        return this.#authorize(serverUrl, fetchFn, {
          resourceMetadataUrl,
          scope: computeScopeUnion(this.#requestedScope, scope),
        });
      },
      stepUp: ({ serverUrl, scope, resourceMetadataUrl, fetchFn }) => {
        const granted = this.#provider.grantedScope;
        const union = computeScopeUnion(this.#requestedScope, granted, scope);
        this.#requestedScope = union;
        return this.#authorize(serverUrl, fetchFn, {
          resourceMetadataUrl,
          scope: union,
          forceReauthorization: isStrictScopeSuperset(union, granted),
        });
      },
    });
  }

  /** 'authorized' once a token is held, 'needs-login' after a login was needed and could not run. */
  get state(): OAuthSessionState {
    return this.#state;
  }

  /** Renewals run so far (refreshes, logins, step-ups); concurrent 401s count once. */
  get renewals(): number {
    return this.#shared.renewals;
  }

  /** The transport's auth for one endpoint URL (see UpstreamAuth). */
  forEndpoint(url: URL): EndpointAuth {
    return this.#shared.forEndpoint(url);
  }

  /**
   * Runs a new authorization code login for `serverUrl` now (what `mcpmx login` does), even if
   * a token is stored; needs `onAuthorizationUrl`. Resolves once the tokens are stored.
   */
  async login(serverUrl: string | URL): Promise<void> {
    if (!this.#handler) {
      throw new AuthError(`cannot log in to ${this.server}: no onAuthorizationUrl handler`, {
        server: this.server,
        status: 401,
      });
    }
    const url = new URL(serverUrl);
    await this.#provider.load(url);
    await this.#authorize(url, fetch, {
      scope: this.#requestedScope,
      forceReauthorization: true,
    });
  }

  /** Forgets the stored credentials for `serverUrl` (tokens and registration). True if any were. */
  async logout(serverUrl: string | URL): Promise<boolean> {
    const forgot = await this.#provider.forget(new URL(serverUrl));
    this.#state = 'needs-login';
    return forgot;
  }

  /** Gives up a login in progress and closes the redirect listener. Idempotent. */
  async close(): Promise<void> {
    this.#lifetime.abort(new Error(`the OAuth session of ${this.server} closed`));
    await this.#listener?.close();
    this.#listener = undefined;
  }

  async #prepare(url: URL, renew: (task: () => Promise<void>) => Promise<void>): Promise<void> {
    await this.#provider.load(url);
    const expiresAt = this.#provider.expiresAt;
    if (
      this.#provider.canRefresh &&
      expiresAt !== undefined &&
      this.#clock.now() >= expiresAt - this.#refreshSkewMs
    ) {
      // Refresh before the token expires; a refresh that fails leaves it to the 401.
      await renew(() => this.#authorize(url, fetch, {})).catch(() => undefined);
    }
  }

  /** One auth() run, and the browser leg when it asks for one. */
  async #authorize(
    serverUrl: URL,
    fetchFn: FetchLike,
    options: { resourceMetadataUrl?: URL; scope?: string; forceReauthorization?: boolean },
  ): Promise<void> {
    await this.#provider.load(serverUrl, { fresh: true });
    if (this.#handler) await this.#ensureListener();
    try {
      const result = await auth(this.#provider, { serverUrl, fetchFn, ...options });
      if (result === 'REDIRECT') await this.#browserLeg(serverUrl, fetchFn);
    } catch (error) {
      if (AuthRequiredError.isInstance(error)) {
        this.#state = 'needs-login';
        throw error;
      }
      if (McpmxError.isInstance(error)) throw error;
      throw new AuthError(
        `${this.server}: the OAuth login failed: ${(error as Error).message}; run \`mcpmx login ${this.server}\` to log in again`,
        { server: this.server, status: 401, cause: error },
      );
    } finally {
      await this.#listener?.close();
      this.#listener = undefined;
    }
  }

  async #browserLeg(serverUrl: URL, fetchFn: FetchLike): Promise<void> {
    const pending = this.#provider.takePendingAuthorization();
    const listener = this.#listener;
    if (!pending || !listener || !this.#handler) throw this.#loginNeeded('no login can run here');
    const aborter = new AbortController();
    const timer = this.#clock.setTimeout(
      () =>
        aborter.abort(this.#loginNeeded(`no login came back within ${this.#loginTimeoutMs} ms`)),
      this.#loginTimeoutMs,
    );
    const onClose = () => aborter.abort(this.#lifetime.signal.reason);
    this.#lifetime.signal.addEventListener('abort', onClose, { once: true });
    try {
      const callback = listener.waitForCallback(pending.state, aborter.signal);
      callback.catch(() => undefined);
      try {
        await this.#handler(pending.url, {
          server: this.server,
          redirectUrl: listener.redirectUrl,
          signal: aborter.signal,
        });
      } catch (error) {
        aborter.abort(error);
      }
      const { code, iss } = await callback;
      const result = await auth(this.#provider, {
        serverUrl,
        fetchFn,
        authorizationCode: code,
        ...(iss ? { iss } : {}),
      });
      if (result !== 'AUTHORIZED') throw this.#loginNeeded('the code exchange did not authorize');
    } finally {
      this.#clock.clearTimeout(timer);
      this.#lifetime.signal.removeEventListener('abort', onClose);
    }
  }

  async #ensureListener(): Promise<void> {
    this.#listener ??= await startLoopbackListener({ port: this.#redirectPort ?? 0 });
  }

  #redirectUrl(): string {
    if (this.#listener) return this.#listener.redirectUrl;
    // No login runs now: a loopback URI, which authorization servers match on any port.
    return this.#redirectPort === undefined
      ? 'http://127.0.0.1/callback'
      : `http://127.0.0.1:${this.#redirectPort}/callback`;
  }

  #loginNeeded(reason: string): AuthRequiredError {
    const login = `mcpmx login ${this.server}`;
    return new AuthRequiredError(`${this.server} needs a login (${reason}): run \`${login}\``, {
      server: this.server,
      login,
    });
  }
}

/** A new OAuthSession (see its options). */
export function createOAuthSession(options: OAuthSessionOptions): OAuthSession {
  return new OAuthSession(options);
}
