import type { AuthorizationHandler } from './oauth-session.js';

export interface HeadlessHandlerOptions {
  /** Most requests followed before giving up. Default 20. */
  maxRedirects?: number;
  /** The fetch to use. Default the global fetch. */
  fetch?: typeof fetch;
}

/**
 * An authorization handler with no browser and no user: it requests the authorization URL and
 * follows every redirect itself, carrying cookies per origin, through an authorization server
 * that logs in and consents without a person (a test server, or a conformance suite's), up to
 * the loopback redirect listener, which then receives the code. For tests and CI.
 */
export function createHeadlessHandler(options: HeadlessHandlerOptions = {}): AuthorizationHandler {
  const maxRedirects = options.maxRedirects ?? 20;
  const fetchFn = options.fetch ?? fetch;
  return async (authorizationUrl) => {
    const jars = new Map<string, Map<string, string>>();
    let next = new URL(authorizationUrl);
    for (let hop = 0; hop <= maxRedirects; hop += 1) {
      const jar = jars.get(next.origin) ?? new Map<string, string>();
      jars.set(next.origin, jar);
      const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
      const response = await fetchFn(next, {
        redirect: 'manual',
        headers: cookie ? { cookie } : {},
      });
      for (const line of response.headers.getSetCookie()) {
        const [pair = ''] = line.split(';');
        const index = pair.indexOf('=');
        if (index > 0) jar.set(pair.slice(0, index).trim(), pair.slice(index + 1).trim());
      }
      const location = response.headers.get('location');
      await response.body?.cancel();
      if (response.status >= 300 && response.status < 400 && location) {
        next = new URL(location, next);
        continue;
      }
      if (response.ok) return;
      throw new Error(
        `the headless login stopped at ${next.origin}${next.pathname} with HTTP ${response.status}`,
      );
    }
    throw new Error(`the headless login followed more than ${maxRedirects} redirects`);
  };
}
