import { CancelledError, ManualClock } from '@mcpmx/core';
import { describe, expect, it } from 'vitest';
import { ConcurrencyLimit } from './concurrency-limit.js';

const where = { server: 's', replica: 's#0' };
const cancelled = () => new CancelledError('aborted');

describe('ConcurrencyLimit', () => {
  it('admits up to maxInFlight at once, then queues FIFO and hands each freed slot on', async () => {
    const clock = new ManualClock();
    const limit = new ConcurrencyLimit({ maxInFlight: 2, maxQueued: 10 }, clock);
    expect(limit.tryAcquire()).toBe(true);
    expect(limit.tryAcquire()).toBe(true);
    expect(limit.tryAcquire()).toBe(false);
    const order: number[] = [];
    const waits = [1, 2, 3].map((n) =>
      limit.acquire(1000, undefined, where, cancelled).then(() => order.push(n)),
    );
    expect(limit.queued).toBe(3);
    limit.release();
    limit.release();
    await Promise.resolve();
    await Promise.resolve();
    expect(order).toEqual([1, 2]);
    expect(limit.inFlight).toBe(2); // the slots passed over, none was freed
    limit.release();
    await Promise.all(waits);
    expect(order).toEqual([1, 2, 3]);
    limit.release();
    limit.release();
    expect(limit.inFlight).toBe(0);
    expect(limit.tryAcquire()).toBe(true);
  });

  it('refuses at once when the queue is full, naming the limits', async () => {
    const limit = new ConcurrencyLimit({ maxInFlight: 1, maxQueued: 1 }, new ManualClock());
    limit.tryAcquire();
    void limit.acquire(1000, undefined, where, cancelled);
    await expect(limit.acquire(1000, undefined, where, cancelled)).rejects.toMatchObject({
      code: 'MCPMX_CONCURRENCY_LIMIT',
      reason: 'queue-full',
      message: expect.stringContaining('maxQueued 1'),
    });
  });

  it('a waiter leaves the queue when its wait runs out or its caller aborts', async () => {
    const clock = new ManualClock();
    const limit = new ConcurrencyLimit({ maxInFlight: 1, maxQueued: 5 }, clock);
    limit.tryAcquire();
    const timedOut = limit.acquire(500, undefined, where, cancelled);
    const controller = new AbortController();
    const aborted = limit.acquire(5000, controller.signal, where, cancelled);
    const served = limit.acquire(5000, undefined, where, cancelled);
    clock.advance(500);
    await expect(timedOut).rejects.toMatchObject({ reason: 'queue-timeout' });
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ code: 'MCPMX_CANCELLED' });
    expect(limit.queued).toBe(1);
    limit.release();
    await served; // the slot skipped the two that left
    expect(clock.pending()).toEqual([]); // no timer left behind
  });

  it('close rejects every waiter; options are checked', async () => {
    const limit = new ConcurrencyLimit({ maxInFlight: 1 }, new ManualClock());
    limit.tryAcquire();
    const waiting = limit.acquire(1000, undefined, where, cancelled);
    limit.close(new Error('replica removed'));
    await expect(waiting).rejects.toThrow('replica removed');
    expect(() => new ConcurrencyLimit({ maxInFlight: 0 }, new ManualClock())).toThrow(
      'concurrency.maxInFlight must be an integer >= 1 (got 0)',
    );
  });
});
