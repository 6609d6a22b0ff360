import { CancelledError, InvalidOptionError, McpmxError } from '@mcpmx/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fanOut, type TargetCall } from './fan-out.js';
import { FanOutFailedError, TargetFailedError, TargetTimeoutError } from './fan-out-errors.js';

/** A call whose per-target behaviour is scripted: resolve/reject after a delay, honour abort. */
function scripted(script: Record<string, { ms: number; value?: string; error?: Error }>) {
  const signals = new Map<string, AbortSignal>();
  const started: string[] = [];
  const call: TargetCall<string> = (target, signal) => {
    started.push(target);
    signals.set(target, signal);
    const step = script[target];
    if (!step) throw new Error(`no script for ${target}`);
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (step.error) reject(step.error);
        else resolve(step.value ?? target);
      }, step.ms);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(signal.reason);
      });
    });
  };
  return { call, signals, started };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('fanOut all-settled', () => {
  it('returns every target result and error in target order', async () => {
    const { call } = scripted({
      a: { ms: 30, value: 'A' },
      b: { ms: 10, error: new Error('boom') },
      c: { ms: 20, value: 'C' },
    });
    const promise = fanOut(['a', 'b', 'c'], call);
    await vi.advanceTimersByTimeAsync(30);
    const result = await promise;
    expect(result.values).toEqual(['A', 'C']);
    expect(result.results.map((r) => [r.target, r.ok])).toEqual([
      ['a', true],
      ['b', false],
      ['c', true],
    ]);
    const failed = result.results[1];
    expect(failed?.ok === false && (failed.error as Error).message).toBe('boom');
    expect(result.results[0]?.durationMs).toBe(30);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('times out one slow target without stalling the others, aborting its signal', async () => {
    const { call, signals } = scripted({ fast: { ms: 5 }, slow: { ms: 10_000 } });
    const promise = fanOut(['fast', 'slow'], call, { perTargetTimeoutMs: 100 });
    await vi.advanceTimersByTimeAsync(100);
    const result = await promise;
    expect(result.values).toEqual(['fast']);
    const slow = result.results[1];
    expect(slow?.ok).toBe(false);
    expect(slow?.ok === false && slow.error).toBeInstanceOf(TargetTimeoutError);
    expect(signals.get('slow')?.aborted).toBe(true);
    expect(signals.get('fast')?.aborted).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('times out a target that ignores its signal', async () => {
    const call: TargetCall<string> = () => new Promise<string>(() => {});
    const promise = fanOut(['deaf'], call, { perTargetTimeoutMs: 50 });
    await vi.advanceTimersByTimeAsync(50);
    const result = await promise;
    expect(result.results[0]?.ok).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('treats a call that throws synchronously as a failed target', async () => {
    const result = await fanOut(['x'], () => {
      throw new Error('sync');
    });
    expect(result.results[0]?.ok).toBe(false);
  });

  it('resolves empty for no targets', async () => {
    await expect(fanOut([], vi.fn())).resolves.toEqual({ results: [], values: [] });
  });
});

describe('fanOut all', () => {
  it('resolves with every value when all succeed', async () => {
    const { call } = scripted({ a: { ms: 3 }, b: { ms: 1 } });
    const promise = fanOut(['a', 'b'], call, { strategy: 'all' });
    await vi.advanceTimersByTimeAsync(3);
    expect((await promise).values).toEqual(['a', 'b']);
  });

  it('rejects on the first failure naming the target and aborts the rest', async () => {
    const { call, signals } = scripted({
      a: { ms: 100 },
      b: { ms: 10, error: new Error('down') },
    });
    const promise = fanOut(['a', 'b'], call, { strategy: 'all', perTargetTimeoutMs: 1000 });
    const assertion = expect(promise).rejects.toThrow(/target "b" failed: down/);
    await vi.advanceTimersByTimeAsync(10);
    await assertion;
    const error = await promise.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetFailedError);
    expect((error as TargetFailedError).server).toBe('b');
    expect(signals.get('a')?.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('fanOut first-success', () => {
  it('resolves with the fastest success and aborts the losers', async () => {
    const { call, signals } = scripted({
      a: { ms: 50 },
      b: { ms: 20 },
      c: { ms: 5, error: new Error('x') },
    });
    const promise = fanOut(['a', 'b', 'c'], call, { strategy: 'first-success' });
    await vi.advanceTimersByTimeAsync(20);
    const result = await promise;
    expect(result.winner).toBe('b');
    expect(result.values).toEqual(['b']);
    expect(signals.get('a')?.aborted).toBe(true);
    expect(McpmxError.hasCode(signals.get('a')?.reason, 'MCPMX_CANCELLED')).toBe(true);
    // A loser is cancelled, so it must read as a cancellation to anyone classifying it.
    expect(CancelledError.isInstance(signals.get('a')?.reason)).toBe(true);
    expect(String(signals.get('a')?.reason)).toMatch(/target "a" was cancelled/);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('hedges: starts the next target only after hedgeDelayMs', async () => {
    const { call, started, signals } = scripted({ a: { ms: 100 }, b: { ms: 10 }, c: { ms: 1 } });
    const promise = fanOut(['a', 'b', 'c'], call, { strategy: 'first-success', hedgeDelayMs: 30 });
    await vi.advanceTimersByTimeAsync(29);
    expect(started).toEqual(['a']);
    await vi.advanceTimersByTimeAsync(1);
    expect(started).toEqual(['a', 'b']);
    await vi.advanceTimersByTimeAsync(10);
    const result = await promise;
    expect(result.winner).toBe('b');
    expect(started).toEqual(['a', 'b']);
    expect(signals.get('a')?.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('hedges: starts the next target at once when the previous failed', async () => {
    const { call, started } = scripted({ a: { ms: 5, error: new Error('no') }, b: { ms: 5 } });
    const promise = fanOut(['a', 'b'], call, { strategy: 'first-success', hedgeDelayMs: 1000 });
    await vi.advanceTimersByTimeAsync(5);
    expect(started).toEqual(['a', 'b']);
    await vi.advanceTimersByTimeAsync(5);
    expect((await promise).winner).toBe('b');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('hedges: a target that times out counts as failed and starts the next at once', async () => {
    const { call, started, signals } = scripted({ a: { ms: 10_000 }, b: { ms: 5 } });
    const promise = fanOut(['a', 'b'], call, {
      strategy: 'first-success',
      hedgeDelayMs: 1000,
      perTargetTimeoutMs: 50,
    });
    await vi.advanceTimersByTimeAsync(50);
    expect(started).toEqual(['a', 'b']);
    expect(signals.get('a')?.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(5);
    const result = await promise;
    expect(result.winner).toBe('b');
    expect(result.results[0]?.ok).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects with every error when all targets fail', async () => {
    const { call } = scripted({
      a: { ms: 1, error: new Error('e1') },
      b: { ms: 2, error: new Error('e2') },
    });
    const promise = fanOut(['a', 'b'], call, { strategy: 'first-success' });
    const caught = promise.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(2);
    const error = (await caught) as FanOutFailedError;
    expect(error).toBeInstanceOf(FanOutFailedError);
    expect([...error.errors.keys()]).toEqual(['a', 'b']);
    expect(error.message).toMatch(/a: e1; b: e2/);
  });
});

describe('fanOut quorum', () => {
  it('resolves once k targets succeed and aborts the rest', async () => {
    const { call, signals } = scripted({ a: { ms: 10 }, b: { ms: 20 }, c: { ms: 300 } });
    const promise = fanOut(['a', 'b', 'c'], call, { strategy: { quorum: 2 } });
    await vi.advanceTimersByTimeAsync(20);
    const result = await promise;
    expect(result.values).toEqual(['a', 'b']);
    expect(signals.get('c')?.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects as soon as k can no longer be reached, with every error', async () => {
    const { call, signals } = scripted({
      a: { ms: 10, error: new Error('ea') },
      b: { ms: 20, error: new Error('eb') },
      c: { ms: 300 },
    });
    const promise = fanOut(['a', 'b', 'c'], call, { strategy: { quorum: 2 } });
    const caught = promise.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(20);
    const error = (await caught) as FanOutFailedError;
    expect(error).toBeInstanceOf(FanOutFailedError);
    expect(error.message).toMatch(/quorum of 2 of 3/);
    expect([...error.errors.keys()]).toEqual(['a', 'b']);
    expect(signals.get('c')?.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects a quorum larger than the target count', () => {
    expect(() => fanOut(['a'], vi.fn(), { strategy: { quorum: 2 } })).toThrow(
      /strategy.quorum must be an integer from 1 to 1 \(got 2\)/,
    );
  });
});

describe('fanOut signal and validation', () => {
  it('aborts every running target when the caller aborts', async () => {
    const { call, signals } = scripted({ a: { ms: 100 }, b: { ms: 100 } });
    const controller = new AbortController();
    const promise = fanOut(['a', 'b'], call, {
      signal: controller.signal,
      perTargetTimeoutMs: 500,
    });
    const caught = promise.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10);
    controller.abort(new Error('user cancelled'));
    expect(((await caught) as Error).message).toBe('user cancelled');
    expect(signals.get('a')?.aborted).toBe(true);
    expect(signals.get('b')?.aborted).toBe(true);
    expect(signals.get('b')?.reason).toEqual(new Error('user cancelled'));
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects bad options by name', () => {
    expect(() => fanOut(['a'], vi.fn(), { perTargetTimeoutMs: 0 })).toThrow(/perTargetTimeoutMs/);
    expect(() => fanOut(['a'], vi.fn(), { hedgeDelayMs: 5 })).toThrow(/hedgeDelayMs/);
    expect(() => fanOut(['a', 'a'], vi.fn())).toThrow(/distinct/);
    expect(() => fanOut(['a'], vi.fn(), { strategy: 'some' as never })).toThrow(/strategy must be/);
  });

  it('rejects targets that are not a list of names, and a call that is not a function', () => {
    const thrown = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const notArray = thrown(() => fanOut('a' as never, vi.fn()));
    expect(InvalidOptionError.isInstance(notArray)).toBe(true);
    expect((notArray as Error).message).toMatch(/^targets must be an array of target names/);
    expect(InvalidOptionError.isInstance(thrown(() => fanOut([1] as never, vi.fn())))).toBe(true);
    const noCall = thrown(() => fanOut(['a'], undefined as never));
    expect(InvalidOptionError.isInstance(noCall)).toBe(true);
    expect((noCall as Error).message).toMatch(/^call must be a function/);
  });
});
