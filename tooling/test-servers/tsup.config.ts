import { definePackageBuild } from '@mcpmx/tooling-config/tsup';

// Each server is its own entry so tests can spawn it with `node dist/<name>.js`; only the
// library entry needs declarations.
export default definePackageBuild({
  entry: ['src/index.ts', 'src/servers/*.ts'],
  dts: { entry: 'src/index.ts' },
});
