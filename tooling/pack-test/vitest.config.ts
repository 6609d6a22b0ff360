import { definePackageTests } from '@mcpmx/tooling-config/vitest';

// Each case installs from the npm registry into a fresh project: minutes, not seconds.
export default definePackageTests({ testTimeout: 240_000, hookTimeout: 120_000 });
