/**
 * The path of a request target in origin form (`/path?query`), or undefined for anything else
 * (absolute form, `*`, garbage): this server is no proxy.
 */
export function requestPath(target: string | undefined): string | undefined {
  if (target === undefined || !target.startsWith('/')) return undefined;
  try {
    return new URL(`http://localhost${target}`).pathname;
  } catch {
    return undefined;
  }
}
