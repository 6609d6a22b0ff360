import { definePackageBuild } from '@mcpmx/tooling-config/tsup';

// The soak is a script: `node dist/soak.js --minutes N`; it runs dist/soak-child.js.
export default definePackageBuild({ entry: ['src/soak.ts', 'src/soak-child.ts'], dts: false });
