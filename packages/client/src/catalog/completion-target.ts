import { quoteName, UnknownPromptError, UnknownResourceError } from '@mcpmx/core';
import type { Catalog } from './catalog.js';

/**
 * Which server a `completion/complete` request belongs to: the owner of the prompt it refers
 * to (its federated name translated to the server's own), or of the resource URI or template.
 */
export function completionTarget(
  catalog: Catalog,
  params: Record<string, unknown>,
): { server: string; forwarded: Record<string, unknown> } | { error: () => Error } {
  const ref = params.ref as { type?: string; name?: string; uri?: string } | undefined;
  if (ref?.type === 'ref/prompt' && ref.name) {
    const prompt = catalog.resolvePrompt(ref.name);
    if (prompt)
      return {
        server: prompt.server,
        forwarded: { ...params, ref: { ...ref, name: prompt.name } },
      };
    const name = ref.name;
    return { error: () => new UnknownPromptError(name, []) };
  }
  const server = ref?.uri ? catalog.resolveResource(ref.uri) : undefined;
  if (server) return { server, forwarded: params };
  const uri = ref?.uri ?? '(no ref)';
  // Only the ref's type and URI, each cut: the ref is the caller's and may be of any size.
  const type = typeof ref?.type === 'string' ? quoteName(ref.type) : 'none';
  const where = typeof ref?.uri === 'string' ? `, uri ${quoteName(ref.uri, 256)}` : '';
  return {
    error: () =>
      new UnknownResourceError(
        uri,
        `No server owns the completion reference (type ${type}${where}).`,
      ),
  };
}
