// Shared vitest settings. Tests sit beside the source (src/**/*.test.ts) or in test/.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** @param {import('vitest/config').UserConfig['test']} [overrides] */
export function definePackageTests(overrides = {}) {
  return defineConfig({
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      environment: 'node',
      testTimeout: 30_000,
      hookTimeout: 30_000,
      pool: 'forks',
      // fast-check on a fixed seed (FUZZ_SEED overrides it): see seed-fast-check.js.
      setupFiles: [fileURLToPath(new URL('./seed-fast-check.js', import.meta.url))],
      // A suite that needs a missing system binary skips; under CI that is a failure.
      allowOnly: !process.env.CI,
      ...overrides,
    },
  });
}
