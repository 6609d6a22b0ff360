/**
 * The public surface of a package, for an export snapshot test: the runtime names of its entry
 * module, and the type-only names its `src/index.ts` lists in `export type { … }` blocks.
 */
export function publicSurface(indexUrl: string): Promise<{ values: string[]; types: string[] }>;
