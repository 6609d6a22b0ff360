import { definePackageBuild } from '@mcpmx/tooling-config/tsup';

export default definePackageBuild();
