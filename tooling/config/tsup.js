// Shared tsup settings for every published @mcpmx package: ESM only, .d.ts, sourcemaps.
import { defineConfig } from 'tsup';

/** @param {import('tsup').Options} [overrides] */
export function definePackageBuild(overrides = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    dts: true,
    sourcemap: true,
    clean: true,
    splitting: false,
    treeshake: true,
    ...overrides,
  });
}
