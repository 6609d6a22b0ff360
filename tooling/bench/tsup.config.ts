import { definePackageBuild } from '@mcpmx/tooling-config/tsup';

// Each benchmark is a script of its own: `node dist/<name>.js`.
export default definePackageBuild({ entry: ['src/*.ts'], dts: false });
