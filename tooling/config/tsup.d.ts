import type { Options } from 'tsup';
export declare function definePackageBuild(overrides?: Options): Options | Options[];
