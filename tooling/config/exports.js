import { readFileSync } from 'node:fs';

/**
 * The public surface of a package, for an export snapshot test: the runtime names of its entry
 * module, and the type-only names its `src/index.ts` lists in `export type { … }` blocks. A
 * package's test snapshots both, so any change to the surface shows up as a diff in review.
 */
export async function publicSurface(indexUrl) {
  const module = await import(indexUrl);
  const source = readFileSync(new URL(indexUrl), 'utf8');
  const types = [];
  for (const block of source.matchAll(/export\s+type\s*\{([^}]*)\}/g)) {
    for (const entry of block[1].split(',')) {
      const name = entry
        .trim()
        .split(/\s+as\s+/)
        .pop();
      if (name) types.push(name);
    }
  }
  return { values: Object.keys(module).sort(), types: types.sort() };
}
