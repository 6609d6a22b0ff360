import type { SessionPool } from '@mcpmx/core';

// A pool from @mcpmx/pool; its type is core's SessionPool.
declare const pool: SessionPool;

// #region readme
import { createSeededRandom, fullJitterDelay, resolveBackoff, SessionClosedError } from '@mcpmx/core';

const backoff = resolveBackoff({ initialMs: 100, maxMs: 5_000 });
const random = createSeededRandom(1);
const wait = fullJitterDelay(3, backoff, random); // uniform in [0, 800]

try {
  await pool.callTool({ name: 'echo', arguments: { message: 'hi' } });
} catch (error) {
  if (SessionClosedError.isInstance(error)) console.log('replica died:', error.replica);
}
// #endregion readme
