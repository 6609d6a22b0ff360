import { describe, expect, it, vi } from 'vitest';
import { createSingleflight } from './singleflight.js';

describe('createSingleflight', () => {
  it('shares by key only, and forgets a key once it settles', async () => {
    const group = createSingleflight<string>();
    const call = vi.fn(async (_signal: AbortSignal) => 'v');
    const all = [group.run('a', call), group.run('a', call), group.run('b', call)];
    expect(group.inFlight).toBe(2);
    expect(await Promise.all(all)).toEqual(['v', 'v', 'v']);
    expect(call).toHaveBeenCalledTimes(2);
    expect(group.inFlight).toBe(0);
    await group.run('a', call);
    expect(call).toHaveBeenCalledTimes(3);
  });

  it('forgets a failed key and a key every caller left', async () => {
    const group = createSingleflight<string>();
    await expect(group.run('a', () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(group.inFlight).toBe(0);
    const controller = new AbortController();
    const pending = group.run('b', () => new Promise<string>(() => {}), controller.signal);
    controller.abort(new Error('left'));
    await expect(pending).rejects.toThrow('left');
    expect(group.inFlight).toBe(0);
  });

  it('rejects at once for an already aborted signal without calling', async () => {
    const group = createSingleflight<string>();
    const call = vi.fn(async () => 'v');
    await expect(group.run('a', call, AbortSignal.abort(new Error('early')))).rejects.toThrow(
      'early',
    );
    expect(call).not.toHaveBeenCalled();
  });
});
