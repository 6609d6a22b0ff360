import { definePackageTests } from '@mcpmx/tooling-config/vitest';

// The short soak runs for about 20 s plus setup and settling; files run one at a time so the
// soak's timing is not shared with another suite's servers.
export default definePackageTests({ testTimeout: 120_000, fileParallelism: false });
