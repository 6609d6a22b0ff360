import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * Entry scripts of the npm reference servers the demo runs (runtime dependencies of this app),
 * to run with `process.execPath`.
 */
export const referenceServers = {
  everything: require.resolve('@modelcontextprotocol/server-everything/dist/index.js'),
  memory: require.resolve('@modelcontextprotocol/server-memory/dist/index.js'),
  filesystem: require.resolve('@modelcontextprotocol/server-filesystem/dist/index.js'),
} as const;
