import { definePackageBuild } from '@mcpmx/tooling-config/tsup';

// The library, plus the simulator script run by `pnpm --filter @mcpmx/balancer bench`.
export default definePackageBuild({
  entry: ['src/index.ts', 'src/simulate-beyond-round-robin.ts'],
});
