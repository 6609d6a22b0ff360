import { definePackageBuild } from '@mcpmx/tooling-config/tsup';

export default definePackageBuild({ entry: ['src/index.ts'] });
