import type {
  OAuthDiscoveryState,
  StoredOAuthClientInformation,
  StoredOAuthTokens,
} from '@modelcontextprotocol/client';

/**
 * What one set of credentials is for: the authorization server (`issuer`), the protected
 * resource (RFC 8707 `resource`) and the client (`client`: a configured client id, a client ID
 * metadata document URL, or `dynamic` for a dynamically registered one).
 */
export interface CredentialKey {
  issuer: string;
  resource: string;
  client: string;
}

/** One entry of a token store. Every field is optional: an entry fills in as a login runs. */
export interface StoredCredentials {
  /** The tokens, as the SDK saved them. */
  tokens?: StoredOAuthTokens;
  /** When the access token expires, in ms of the session's clock (epoch ms for systemClock). */
  expiresAt?: number;
  /** The client registration (dynamic or metadata-document client id). */
  client?: StoredOAuthClientInformation;
  /** Discovery results (protected-resource and authorization-server metadata). */
  discovery?: OAuthDiscoveryState;
  /** MCP server URLs these credentials were used with, to find them before discovery. */
  serverUrls?: string[];
}

/**
 * Where tokens and client registrations are kept. The default is the file store
 * (createFileTokenStore); an OS keychain or a secrets manager can implement the same four
 * methods. Values hold secrets: an implementation never logs them.
 */
export interface TokenStore {
  get(key: CredentialKey): Promise<StoredCredentials | undefined>;
  set(key: CredentialKey, value: StoredCredentials): Promise<void>;
  delete(key: CredentialKey): Promise<void>;
  /** Every entry, for finding credentials by server URL before discovery has run. */
  list(): Promise<Array<{ key: CredentialKey; value: StoredCredentials }>>;
}

/** The string a key is stored under: issuer, resource and client, space-separated. */
export function credentialKeyId(key: CredentialKey): string {
  return `${key.issuer} ${key.resource} ${key.client}`;
}

/** An in-memory store: credentials last as long as the process. */
export function createMemoryTokenStore(): TokenStore {
  const entries = new Map<string, { key: CredentialKey; value: StoredCredentials }>();
  return {
    get: async (key) => structuredClone(entries.get(credentialKeyId(key))?.value),
    set: async (key, value) => {
      entries.set(credentialKeyId(key), { key: { ...key }, value: structuredClone(value) });
    },
    delete: async (key) => {
      entries.delete(credentialKeyId(key));
    },
    list: async () => structuredClone([...entries.values()]),
  };
}
