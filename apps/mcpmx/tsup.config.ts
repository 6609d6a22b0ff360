import { definePackageBuild } from '@mcpmx/tooling-config/tsup';

export default definePackageBuild({
  entry: ['src/cli.ts'],
  dts: false,
  // The CLI's commands are loaded when run (cli.ts): each in its own chunk.
  splitting: true,
});
