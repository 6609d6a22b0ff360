import type { GatewayAuthConfig } from '@mcpmx/registry';
import {
  type AuthInfo,
  OAuthError,
  OAuthErrorCode,
  type OAuthTokenVerifier,
} from '@modelcontextprotocol/server';
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import { authInfoFor, type Caller } from './caller.js';

/** The shortest time between two fetches of the issuer's keys for unknown key ids. */
export const DEFAULT_KEY_REFETCH_COOLDOWN_MS = 30_000;

/** Claims a token always has a meaning for; the config may declare more. */
const BUILT_IN_CLAIMS = new Set(['scope', 'sub', 'client_id']);

/**
 * Verifies the gateway's access tokens: JWTs signed by the configured issuer, checked with jose
 * for signature, `iss`, `aud` (the gateway's RFC 8707 resource) and `exp`/`nbf` (with the
 * configured leeway), against the issuer's keys at `jwksUri`. jose caches the keys and fetches
 * them again when a token names a key id it does not have (a key rotation), at most once per
 * `keyRefetchCooldownMs` (default 30 s). A token that fails
 * is an `invalid_token` OAuthError naming why, never quoting the token.
 */
export function createJwtVerifier(
  auth: GatewayAuthConfig,
  jwksUri: URL,
  options: { keyRefetchCooldownMs?: number } = {},
): OAuthTokenVerifier {
  const resource = new URL(auth.resource);
  const declared = (auth.claims ?? []).filter((claim) => !BUILT_IN_CLAIMS.has(claim));
  // An unknown key id makes jose fetch the keys again, at most once per cooldown, so tokens
  // naming made-up key ids cannot make the gateway hammer the issuer.
  const keys = createRemoteJWKSet(jwksUri, {
    cooldownDuration: options.keyRefetchCooldownMs ?? DEFAULT_KEY_REFETCH_COOLDOWN_MS,
  });
  return {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          issuer: auth.issuer,
          audience: auth.resource,
          clockTolerance: auth.clockToleranceSeconds ?? 0,
          requiredClaims: ['exp'],
        }));
      } catch (error) {
        throw new OAuthError(
          OAuthErrorCode.InvalidToken,
          `the access token was refused: ${(error as Error).message}`,
        );
      }
      return authInfoFor(token, callerFrom(payload, declared), {
        expiresAt: payload.exp,
        resource,
      });
    },
  };
}

function callerFrom(payload: JWTPayload, declared: readonly string[]): Caller {
  const clientId = stringClaim(payload.client_id) ?? stringClaim(payload.azp) ?? '';
  const principal = stringClaim(payload.sub) ?? clientId;
  const scopes = (stringClaim(payload.scope) ?? '').split(' ').filter((scope) => scope !== '');
  const claims: Record<string, string[]> = {};
  for (const name of declared) claims[name] = stringsClaim(payload[name]);
  return { principal, clientId, scopes, claims };
}

const stringClaim = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** A claim as a list of strings: a string, or the strings of an array; anything else, none. */
function stringsClaim(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}
