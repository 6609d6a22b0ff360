import type { UserConfig } from 'vitest/config';
export declare function definePackageTests(overrides?: UserConfig['test']): UserConfig;
