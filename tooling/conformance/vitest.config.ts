import { definePackageTests } from '@mcpmx/tooling-config/vitest';

// The conformance case runs the whole suite once (client and server scenarios, direct and
// through the gateway) in its beforeAll: about a minute, more on a loaded machine.
export default definePackageTests({ testTimeout: 60_000, hookTimeout: 300_000 });
