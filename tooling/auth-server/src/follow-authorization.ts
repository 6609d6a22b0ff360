/**
 * Follows an authorization URL the way a browser would, with a cookie jar, through the
 * authorization server's login and consent interactions, and returns the first redirect that
 * leaves the server's origin (the client's redirect URI with `code`, `state` and `iss`),
 * without requesting it. At most `maxHops` requests.
 */
export async function followAuthorization(url: string | URL, maxHops = 20): Promise<URL> {
  const start = new URL(url);
  const jar = new Map<string, string>();
  let next = start;
  for (let hop = 0; hop < maxHops; hop += 1) {
    if (next.origin !== start.origin) return next;
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(next, {
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
    if (response.status < 300 || response.status >= 400 || !location) {
      throw new Error(`authorization stopped at ${next.pathname} with HTTP ${response.status}`);
    }
    next = new URL(location, next);
  }
  throw new Error(`authorization took more than ${maxHops} redirects`);
}
