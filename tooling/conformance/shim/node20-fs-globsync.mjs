// Usage: node --import ./node20-fs-globsync.mjs node_modules/@modelcontextprotocol/conformance/dist/index.js ...
// Node 20 lacks fs.globSync (Node >=22). Redirect bare "fs" imports made by the conformance
// package to a shim that re-exports node:fs plus a minimal globSync.
import { register } from 'node:module';

register(new URL('./node20-fs-globsync-hooks.mjs', import.meta.url));
