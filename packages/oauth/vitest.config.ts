import { definePackageTests } from '@mcpmx/tooling-config/vitest';

export default definePackageTests();
