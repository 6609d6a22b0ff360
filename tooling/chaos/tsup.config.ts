import { definePackageBuild } from '@mcpmx/tooling-config/tsup';

// The soak is a script: `node dist/soak.js --minutes N`.
export default definePackageBuild({ entry: ['src/soak.ts'], dts: false });
