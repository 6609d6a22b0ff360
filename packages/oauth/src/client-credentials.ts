import type { Clock } from '@mcpmx/core';
import {
  ClientCredentialsProvider,
  type OAuthClientProvider,
  PrivateKeyJwtProvider,
} from '@modelcontextprotocol/client';
import type { SharedUpstreamAuth } from './endpoint-auth.js';
import { createProviderGrant } from './provider-grant.js';

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
  return createProviderGrant({
    server: options.server,
    provider,
    grant: 'the client_credentials grant',
    hint: "the server's auth clientId and credentials",
    scope,
    refreshSkewMs: options.refreshSkewMs,
    clock: options.clock,
  });
}
