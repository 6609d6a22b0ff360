import { definePackageBuild } from '@mcpmx/tooling-config/tsup';

// Every program is its own entry so the runner can spawn it with `node dist/<name>.js`; only the
// library entry needs declarations.
export default definePackageBuild({
  entry: ['src/index.ts', 'src/bin/*.ts'],
  dts: { entry: 'src/index.ts' },
});
