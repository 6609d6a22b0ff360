import { fileURLToPath } from 'node:url';

/**
 * The stdio fault server's entry script (this package's `mcpmx-fault-server` bin), to run with
 * `process.execPath` or to name as a stdio server's `args[0]` in an `mcpServers` config.
 */
export const faultServerScript = fileURLToPath(new URL('./stdio-server.js', import.meta.url));
