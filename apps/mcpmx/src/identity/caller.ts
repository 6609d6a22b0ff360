import type { AuthInfo } from '@modelcontextprotocol/server';

/**
 * Who is calling the gateway, from a validated access token: the principal (the token's `sub`,
 * else its client), its client, its scopes, and the claims the config declares
 * (`gateway.auth.claims`), each as a list of strings.
 */
export interface Caller {
  readonly principal: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly claims: Readonly<Record<string, readonly string[]>>;
}

/** Where the caller rides on the SDK's AuthInfo (`ctx.http.authInfo.extra`). */
const CALLER_KEY = 'mcpmxCaller';

/** The SDK AuthInfo for a verified token, carrying its caller. */
export function authInfoFor(
  token: string,
  caller: Caller,
  fields: { expiresAt: number | undefined; resource: URL },
): AuthInfo {
  return {
    token,
    clientId: caller.clientId,
    scopes: [...caller.scopes],
    expiresAt: fields.expiresAt,
    resource: fields.resource,
    extra: { [CALLER_KEY]: caller },
  };
}

/** The caller of a request, if the gateway authenticated one (JWT auth on). */
export function callerOf(authInfo: AuthInfo | undefined): Caller | undefined {
  const caller = authInfo?.extra?.[CALLER_KEY];
  return caller === undefined ? undefined : (caller as Caller);
}
