import { definePackageBuild } from '@mcpmx/tooling-config/tsup';

// The stdio server is its own entry: the bin, and the script `faultServerScript` names.
export default definePackageBuild({ entry: ['src/index.ts', 'src/stdio-server.ts'] });
