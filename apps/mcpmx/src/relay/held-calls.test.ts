import { describe, expect, it } from 'vitest';
import { createHeldCalls } from './held-calls.js';
import { createStateSigner } from './signed-state.js';

const context = (signal = new AbortController().signal) => ({
  server: 'mrtr',
  replica: 'mrtr#a',
  signal,
});

describe('createHeldCalls', () => {
  it('holds at most maxHeld calls; a finished one frees its place', async () => {
    const held = createHeldCalls({ maxHeld: 1, signer: createStateSigner() });
    let finish: (value: string) => void = () => undefined;
    const id = held.begin(() => new Promise<string>((resolve) => (finish = resolve)));
    expect(id).toBeDefined();
    expect(held.begin(async () => 'second')).toBeUndefined();
    const round = held.next<string>(id as string, new AbortController().signal);
    finish('done');
    expect(await round).toEqual({ kind: 'done', result: 'done' });
    expect(held.size).toBe(0);
    expect(held.begin(async () => 'third')).toBeDefined();
  });

  it('a downstream abort while waiting ends the held call; close ends the rest', async () => {
    const held = createHeldCalls({ maxHeld: 4, signer: createStateSigner() });
    const signals: AbortSignal[] = [];
    const never = (_: unknown, signal: AbortSignal) => {
      signals.push(signal);
      return new Promise<never>(() => undefined);
    };
    const first = held.begin(never) as string;
    held.begin(never);
    const downstream = new AbortController();
    const waiting = held.next(first, downstream.signal);
    downstream.abort(new Error('client went away'));
    await expect(waiting).rejects.toThrow('client went away');
    expect(signals[0]?.aborted).toBe(true);
    expect(signals[1]?.aborted).toBe(false);
    held.close();
    expect(signals[1]?.aborted).toBe(true);
    expect(held.size).toBe(0);
  });

  it('passes input down with a signed state; an answer for it continues the call', async () => {
    const signer = createStateSigner();
    const held = createHeldCalls({ maxHeld: 4, signer });
    const id = held.begin(async (ask) => {
      const answer = await ask({ method: 'roots/list' }, context());
      return answer.roots;
    }) as string;
    const round = await held.next(id, new AbortController().signal);
    if (round.kind !== 'input') throw new Error('expected an input round');
    expect(Object.values(round.inputRequests)).toEqual([{ method: 'roots/list' }]);
    expect(signer.verify(round.requestState)).toEqual({
      call: id,
      server: 'mrtr',
      replica: 'mrtr#a',
    });
    expect(held.resume(`${round.requestState}x`, {})).toBe('forged');
    expect(createStateSigner().verify(round.requestState)).toBeUndefined();
    const [key] = Object.keys(round.inputRequests);
    expect(
      held.resume(round.requestState, { [key as string]: { roots: [{ uri: 'file:///a' }] } }),
    ).toBe(id);
    expect(await held.next(id, new AbortController().signal)).toEqual({
      kind: 'done',
      result: [{ uri: 'file:///a' }],
    });
    expect(held.resume(round.requestState, {})).toBe('ended');
  });
});
