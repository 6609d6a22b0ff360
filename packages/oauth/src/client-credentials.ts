import { AuthError, type Clock, systemClock } from '@mcpmx/core';
import {
  auth,
  ClientCredentialsProvider,
  extractWWWAuthenticateParams,
  type FetchLike,
  type OAuthClientProvider,
  PrivateKeyJwtProvider,
} from '@modelcontextprotocol/client';
import { createUpstreamAuth, type SharedUpstreamAuth } from './endpoint-auth.js';

export type ClientCredentialsOptions = {
  /** The logical server's name, for messages. */
  server: string;
  clientId: string;
  /** Scopes to ask for. */
  scopes?: string[];
  /** The authorization server these credentials belong to; they are sent to no other. */
  issuer?: string;
  /** A token this close to expiry is renewed before it is sent. Default 60000 ms. */
  refreshSkewMs?: number;
  clock?: Clock;
} & (
  | { clientSecret: string; privateKey?: undefined }
  | {
      /** PEM (PKCS#8) or a JWK object, for private_key_jwt. */
      privateKey: string | Record<string, unknown>;
      /** Its signing algorithm. Default 'RS256'. */
      algorithm?: string;
      clientSecret?: undefined;
    }
);

/**
 * Machine-to-machine auth: the client_credentials grant, with client_secret_basic (the SDK's
 * ClientCredentialsProvider) or private_key_jwt (its PrivateKeyJwtProvider), shared by every
 * session of the server like an OAuthSession: a 401 or an expiring token gets one new token.
 * Tokens are kept in memory; a restart asks for a new one.
 */
export function createClientCredentialsAuth(options: ClientCredentialsOptions): SharedUpstreamAuth {
  const clock = options.clock ?? systemClock;
  const skew = options.refreshSkewMs ?? 60_000;
  const scope = options.scopes?.length ? options.scopes.join(' ') : undefined;
  const common = {
    clientId: options.clientId,
    ...(scope ? { scope } : {}),
    ...(options.issuer ? { expectedIssuer: options.issuer } : {}),
  };
  const provider: OAuthClientProvider =
    options.privateKey !== undefined
      ? new PrivateKeyJwtProvider({
          ...common,
          privateKey: options.privateKey,
          algorithm: options.algorithm ?? 'RS256',
        })
      : new ClientCredentialsProvider({ ...common, clientSecret: options.clientSecret });
  let expiresAt: number | undefined;

  const obtain = async (serverUrl: URL, fetchFn: FetchLike, resourceMetadataUrl?: URL) => {
    try {
      const result = await auth(provider, { serverUrl, fetchFn, resourceMetadataUrl, scope });
      if (result !== 'AUTHORIZED') throw new Error(`auth() answered ${result}`);
    } catch (error) {
      throw new AuthError(
        `${options.server}: the client_credentials grant failed: ${(error as Error).message}; check the server's auth clientId and credentials`,
        { server: options.server, status: 401, cause: error },
      );
    }
    const tokens = await provider.tokens();
    expiresAt =
      typeof tokens?.expires_in === 'number' ? clock.now() + tokens.expires_in * 1000 : undefined;
  };

  return createUpstreamAuth({
    current: () => {
      const tokens = provider.tokens() as { access_token?: string } | undefined;
      return tokens?.access_token;
    },
    prepare: async (url, renew) => {
      if (expiresAt !== undefined && clock.now() >= expiresAt - skew) {
        await renew(() => obtain(url, fetch)).catch(() => undefined);
      }
    },
    renew: ({ response, serverUrl, fetchFn }) =>
      obtain(serverUrl, fetchFn, extractWWWAuthenticateParams(response).resourceMetadataUrl),
  });
}
