import { AuthError, type Clock, systemClock } from '@mcpmx/core';
import {
  auth,
  extractWWWAuthenticateParams,
  type FetchLike,
  type OAuthClientProvider,
} from '@modelcontextprotocol/client';
import { createUpstreamAuth, type SharedUpstreamAuth } from './endpoint-auth.js';

/**
 * The shared auth of a non-interactive grant (client credentials, private_key_jwt, cross-app
 * access): one of the SDK's providers, run through `auth()` on a 401 and shortly before the
 * token expires, one renewal at a time for every session. Tokens are kept in memory. A grant
 * that fails is an AuthError naming the server and `hint`, never a credential.
 */
export function createProviderGrant(options: {
  server: string;
  provider: OAuthClientProvider;
  /** The grant's name in messages: "the client_credentials grant". */
  grant: string;
  /** What to check when it fails: "the server's auth clientId and credentials". */
  hint: string;
  scope: string | undefined;
  refreshSkewMs?: number;
  clock?: Clock;
}): SharedUpstreamAuth {
  const { provider, scope } = options;
  const clock = options.clock ?? systemClock;
  const skew = options.refreshSkewMs ?? 60_000;
  let expiresAt: number | undefined;

  const obtain = async (serverUrl: URL, fetchFn: FetchLike, resourceMetadataUrl?: URL) => {
    try {
      const result = await auth(provider, { serverUrl, fetchFn, resourceMetadataUrl, scope });
      if (result !== 'AUTHORIZED') throw new Error(`auth() answered ${result}`);
    } catch (error) {
      throw new AuthError(
        `${options.server}: ${options.grant} failed: ${(error as Error).message}; check ${options.hint}`,
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
