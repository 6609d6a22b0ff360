import type { OAuthMetadata } from '@modelcontextprotocol/server';

/**
 * The authorization server's metadata: RFC 8414 (`/.well-known/oauth-authorization-server`),
 * else OpenID discovery, each bounded by `timeoutMs`. Fails with an Error naming the issuer and
 * what each URL answered, so a gateway with a wrong or unreachable issuer does not start.
 */
export async function readIssuerMetadata(
  issuer: string,
  options: { fetch?: typeof fetch; timeoutMs?: number } = {},
): Promise<OAuthMetadata & { jwks_uri?: string }> {
  const fetchFn = options.fetch ?? fetch;
  const base = issuer.replace(/\/$/, '');
  const answers: string[] = [];
  for (const path of [
    '/.well-known/oauth-authorization-server',
    '/.well-known/openid-configuration',
  ]) {
    try {
      const response = await fetchFn(`${base}${path}`, {
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      if (!response.ok) {
        await response.body?.cancel();
        answers.push(`${path}: HTTP ${response.status}`);
        continue;
      }
      return (await response.json()) as OAuthMetadata & { jwks_uri?: string };
    } catch (error) {
      answers.push(`${path}: ${(error as Error).message}`);
    }
  }
  throw new Error(
    `gateway.auth.issuer ${issuer}: its metadata could not be read (${answers.join('; ')})`,
  );
}
