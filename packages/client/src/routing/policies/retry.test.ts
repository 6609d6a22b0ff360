import { InvalidRequestError, SessionClosedError, systemClock, TransportError } from '@mcpmx/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { routeKit } from '../../../test/route-kit.js';

const READ_ONLY = { annotations: { readOnlyHint: true } };

describe('the retry policy (p-retry, on fake timers)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
  });
  afterEach(() => vi.useRealTimers());

  it("retries a read-only call on another replica after the strategy's delay, reporting retry and failover", async () => {
    const kit = routeKit({ clock: systemClock, replicas: ['s#0', 's#1'], backoffMs: 25 });
    const sent: string[] = [];
    const result = kit.call(
      async (replica) => {
        sent.push(replica.id);
        if (sent.length === 1) throw new SessionClosedError('socket closed');
        return `answered by ${replica.id}`;
      },
      { facts: READ_ONLY },
    );
    await vi.advanceTimersByTimeAsync(24);
    expect(sent).toHaveLength(1); // still waiting out the backoff
    await vi.advanceTimersByTimeAsync(1);
    await expect(result).resolves.toBe(`answered by ${sent[1]}`);
    expect(sent[1]).not.toBe(sent[0]);
    expect(kit.events('retry')).toEqual([expect.objectContaining({ attempt: 1, server: 's' })]);
    expect(kit.events('failover')).toEqual([
      expect.objectContaining({ from: sent[0], to: sent[1] }),
    ]);
    kit.close();
  });

  it('never repeats a call that may have run on a tool that is not idempotent', async () => {
    const kit = routeKit({ clock: systemClock, replicas: ['s#0', 's#1'] });
    let sends = 0;
    const result = kit.call(async () => {
      sends++;
      throw new SessionClosedError('socket closed'); // reachedServer: 'unknown'
    });
    await expect(result).rejects.toMatchObject({ code: 'MCPMX_SESSION_CLOSED' });
    expect(sends).toBe(1);
    kit.close();
  });

  it('repeats any call that provably never reached the server, up to `retries` more times', async () => {
    const kit = routeKit({ clock: systemClock, replicas: ['s#0'], retries: 2, backoffMs: 10 });
    let sends = 0;
    const result = kit.call(async () => {
      sends++;
      throw new TransportError('connect ECONNREFUSED', { reachedServer: false });
    });
    const settled = expect(result).rejects.toMatchObject({ code: 'MCPMX_TRANSPORT_ERROR' });
    await vi.advanceTimersByTimeAsync(100);
    await settled;
    expect(sends).toBe(3);
    kit.close();
  });

  it("a caller's invalid request is tried once and leaves the breaker closed", async () => {
    const kit = routeKit({ clock: systemClock, replicas: ['s#0'], openAfter: 1 });
    let sends = 0;
    for (let i = 0; i < 3; i++) {
      await expect(
        kit.call(
          async () => {
            sends++;
            throw new InvalidRequestError('cannot serialize a BigInt');
          },
          { facts: READ_ONLY },
        ),
      ).rejects.toMatchObject({ code: 'MCPMX_INVALID_REQUEST' });
    }
    expect(sends).toBe(3);
    expect(kit.replica('s#0').breaker.state).toBe('closed');
    kit.close();
  });

  it('stops at the budget, and an abort during the backoff rejects with CancelledError', async () => {
    const kit = routeKit({
      clock: systemClock,
      replicas: ['s#0'],
      retries: 5,
      backoffMs: 400,
      budgetMs: 500,
    });
    let sends = 0;
    const result = kit.call(
      async () => {
        sends++;
        throw new SessionClosedError('gone');
      },
      { facts: READ_ONLY },
    );
    const settled = expect(result).rejects.toMatchObject({ code: 'MCPMX_SESSION_CLOSED' });
    await vi.advanceTimersByTimeAsync(2000);
    await settled;
    expect(sends).toBe(2); // the second attempt ends past nothing; a third would start past 500 ms

    const controller = new AbortController();
    const aborted = kit.call(
      async () => {
        throw new SessionClosedError('gone');
      },
      { facts: READ_ONLY, signal: controller.signal },
    );
    const cancelled = expect(aborted).rejects.toMatchObject({ code: 'MCPMX_CANCELLED' });
    await vi.advanceTimersByTimeAsync(100);
    controller.abort();
    await cancelled;
    kit.close();
  });
});
