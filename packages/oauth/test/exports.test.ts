import { publicSurface } from '@mcpmx/tooling-config/exports';
import { expect, it } from 'vitest';

it('exports exactly the public API (a change here is an API change: review it)', async () => {
  expect(await publicSurface(new URL('../src/index.ts', import.meta.url).href)).toMatchSnapshot();
});
