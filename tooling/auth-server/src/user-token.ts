import { createHash, randomBytes } from 'node:crypto';
import { followAuthorization } from './follow-authorization.js';

export interface UserTokenOptions {
  /** The authorization server's issuer. */
  issuer: string;
  /** A client allowed the authorization code flow with a loopback redirect (AuthServer.publicClient). */
  clientId: string;
  /** The RFC 8707 resource the token is for (its `aud`). */
  resource: string;
  /** Space-separated scopes. Default 'mcp:read'. */
  scope?: string;
  /** The user to log in as (sent as login_hint). Default the server's accountId. */
  accountId?: string;
}

export interface UserTokens {
  access_token: string;
  refresh_token?: string;
  expires_in?: number;
  scope?: string;
  token_type: string;
}

/**
 * Gets tokens for a user through the real authorization code flow with PKCE (S256): the
 * authorization request, the login and consent interactions (followAuthorization), then the
 * code exchange at the token endpoint. For tests that need a user's access token, such as a
 * gateway's downstream callers.
 */
export async function obtainUserTokens(options: UserTokenOptions): Promise<UserTokens> {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const redirectUri = 'http://127.0.0.1/callback';
  const authorize = new URL(`${options.issuer}/auth`);
  authorize.search = new URLSearchParams({
    client_id: options.clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: options.scope ?? 'mcp:read',
    resource: options.resource,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: randomBytes(8).toString('hex'),
    ...(options.accountId ? { login_hint: options.accountId } : {}),
  }).toString();
  const callback = await followAuthorization(authorize);
  const code = callback.searchParams.get('code');
  if (!code)
    throw new Error(`no code in the redirect: ${callback.searchParams.get('error') ?? '?'}`);
  const response = await fetch(`${options.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: redirectUri,
      client_id: options.clientId,
      resource: options.resource,
    }),
  });
  const body = (await response.json()) as UserTokens & { error?: string };
  if (!response.ok) throw new Error(`token request failed: ${body.error ?? response.status}`);
  return body;
}
