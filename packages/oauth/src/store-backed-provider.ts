import { randomUUID } from 'node:crypto';
import type { Clock } from '@mcpmx/core';
import {
  checkResourceAllowed,
  type OAuthClientMetadata,
  type OAuthClientProvider,
  type OAuthDiscoveryState,
  resourceUrlFromServerUrl,
  type StoredOAuthClientInformation,
  type StoredOAuthTokens,
} from '@modelcontextprotocol/client';
import {
  type CredentialKey,
  credentialKeyId,
  type StoredCredentials,
  type TokenStore,
} from './token-store.js';

export interface StoreBackedProviderOptions {
  store: TokenStore;
  clock: Clock;
  clientId?: string;
  clientSecret?: string;
  clientMetadataUrl?: string;
  clientName: string;
  scope?: string;
  /** The redirect URI now (the loopback listener's, while a login runs). */
  redirectUrl: () => string;
  /** Called before the SDK sends the user to the authorization page; throws if none can go. */
  onAuthorizationUrl: () => void;
  /** Called when tokens were saved. */
  onTokens: () => void;
}

/**
 * The OAuthClientProvider the SDK's auth() drives: it keeps tokens, the client registration and
 * discovery results in a TokenStore under issuer + resource + client, and holds the PKCE
 * verifier and `state` of a login in memory. One per OAuthSession.
 */
export class StoreBackedProvider implements OAuthClientProvider {
  readonly clientMetadataUrl: string | undefined;
  readonly #options: StoreBackedProviderOptions;
  readonly #clientKey: string;
  #key: CredentialKey | undefined;
  #entry: StoredCredentials = {};
  #serverUrl: URL | undefined;
  #lookedUp = false;
  #verifier: string | undefined;
  #state: string | undefined;
  #pending: { url: URL; state: string } | undefined;

  constructor(options: StoreBackedProviderOptions) {
    this.#options = options;
    this.clientMetadataUrl = options.clientMetadataUrl;
    this.#clientKey = options.clientId ?? options.clientMetadataUrl ?? 'dynamic';
  }

  get accessToken(): string | undefined {
    return this.#entry.tokens?.access_token;
  }

  get expiresAt(): number | undefined {
    return this.#entry.expiresAt;
  }

  get canRefresh(): boolean {
    return this.#entry.tokens?.refresh_token !== undefined;
  }

  get grantedScope(): string | undefined {
    return this.#entry.tokens?.scope;
  }

  /**
   * Finds the stored credentials for this server URL (once; again with `fresh`, which also
   * re-reads them, since another process may have logged in or refreshed).
   */
  async load(url: URL, options: { fresh?: boolean } = {}): Promise<void> {
    this.#serverUrl = url;
    if (this.#key) {
      if (options.fresh) this.#entry = (await this.#options.store.get(this.#key)) ?? this.#entry;
      return;
    }
    if (this.#lookedUp && !options.fresh) return;
    this.#lookedUp = true;
    const found = (await this.#options.store.list()).find(
      ({ key, value }) =>
        key.client === this.#clientKey &&
        (value.serverUrls?.includes(url.href) ||
          checkResourceAllowed({ requestedResource: url, configuredResource: key.resource })),
    );
    if (found) {
      this.#key = found.key;
      this.#entry = found.value;
    }
  }

  /** The authorization URL auth() asked to send the user to, once. */
  takePendingAuthorization(): { url: URL; state: string } | undefined {
    const pending = this.#pending;
    this.#pending = undefined;
    return pending;
  }

  /** Deletes the stored credentials for this server URL; true if there were any. */
  async forget(url: URL): Promise<boolean> {
    await this.load(url, { fresh: true });
    const key = this.#key;
    this.#key = undefined;
    this.#entry = {};
    this.#lookedUp = false;
    if (!key) return false;
    await this.#options.store.delete(key);
    return true;
  }

  get redirectUrl(): string {
    return this.#options.redirectUrl();
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: this.#options.clientName,
      redirect_uris: [this.#options.redirectUrl()],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: this.#options.clientSecret ? 'client_secret_basic' : 'none',
      ...(this.#options.scope ? { scope: this.#options.scope } : {}),
    };
  }

  state(): string {
    this.#state = randomUUID();
    return this.#state;
  }

  clientInformation(): StoredOAuthClientInformation | undefined {
    const { clientId, clientSecret } = this.#options;
    if (clientId === undefined) return this.#entry.client;
    if (this.#entry.client?.client_id === clientId) return this.#entry.client;
    return clientSecret === undefined
      ? { client_id: clientId }
      : { client_id: clientId, client_secret: clientSecret };
  }

  async saveClientInformation(information: StoredOAuthClientInformation): Promise<void> {
    this.#entry.client = information;
    await this.#persist();
  }

  tokens(): StoredOAuthTokens | undefined {
    return this.#entry.tokens;
  }

  async saveTokens(tokens: StoredOAuthTokens): Promise<void> {
    this.#entry.tokens = tokens;
    this.#entry.expiresAt =
      typeof tokens.expires_in === 'number'
        ? this.#options.clock.now() + tokens.expires_in * 1000
        : undefined;
    const url = this.#serverUrl?.href;
    if (url && !this.#entry.serverUrls?.includes(url)) {
      this.#entry.serverUrls = [...(this.#entry.serverUrls ?? []), url];
    }
    await this.#persist();
    this.#options.onTokens();
  }

  redirectToAuthorization(authorizationUrl: URL): void {
    this.#options.onAuthorizationUrl();
    this.#pending = { url: authorizationUrl, state: this.#state ?? '' };
  }

  saveCodeVerifier(codeVerifier: string): void {
    this.#verifier = codeVerifier;
  }

  codeVerifier(): string {
    if (this.#verifier === undefined) throw new Error('no login is in progress (no PKCE verifier)');
    return this.#verifier;
  }

  async invalidateCredentials(
    scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery',
  ): Promise<void> {
    if (scope === 'verifier') {
      this.#verifier = undefined;
      return;
    }
    if (scope === 'all' || scope === 'tokens') {
      this.#entry.tokens = undefined;
      this.#entry.expiresAt = undefined;
    }
    if (scope === 'all' || scope === 'client') this.#entry.client = undefined;
    if (scope === 'all' || scope === 'discovery') this.#entry.discovery = undefined;
    await this.#persist();
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    return this.#entry.discovery;
  }

  /** Discovery names the issuer and the resource: the key the credentials live under. */
  async saveDiscoveryState(state: OAuthDiscoveryState): Promise<void> {
    const issuer =
      state.authorizationServerMetadata?.issuer ?? String(state.authorizationServerUrl);
    const resource =
      state.resourceMetadata?.resource ??
      (this.#serverUrl ? resourceUrlFromServerUrl(this.#serverUrl).href : issuer);
    const key = { issuer, resource, client: this.#clientKey };
    if (!this.#key || credentialKeyId(this.#key) !== credentialKeyId(key)) {
      this.#key = key;
      this.#entry = (await this.#options.store.get(key)) ?? {};
    }
    this.#entry.discovery = state;
    await this.#persist();
  }

  async #persist(): Promise<void> {
    if (this.#key) await this.#options.store.set(this.#key, this.#entry);
  }
}
