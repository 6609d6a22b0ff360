import { describe, expect, it, vi } from 'vitest';
import { createEmitter } from './emitter.js';

describe('createEmitter', () => {
  it('delivers typed payloads and the disposer removes exactly that listener', () => {
    const emitter = createEmitter<{ tick: number }>();
    const a = vi.fn();
    const b = vi.fn();
    const disposeA = emitter.on('tick', a);
    emitter.on('tick', b);
    emitter.emit('tick', 1);
    disposeA();
    disposeA();
    emitter.emit('tick', 2);
    expect(a.mock.calls).toEqual([[1]]);
    expect(b.mock.calls).toEqual([[1], [2]]);
    expect(emitter.listenerCount('tick')).toBe(1);
  });

  it('once fires a single time', () => {
    const emitter = createEmitter<{ tick: number }>();
    const listener = vi.fn();
    emitter.once('tick', listener);
    emitter.emit('tick', 1);
    emitter.emit('tick', 2);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(emitter.listenerCount()).toBe(0);
  });

  it('a throwing listener neither stops the others nor reaches the emitter', () => {
    const errors: unknown[] = [];
    const emitter = createEmitter<{ tick: number }>({
      onListenerError: (error) => errors.push(error),
    });
    const after = vi.fn();
    emitter.on('tick', () => {
      throw new Error('boom');
    });
    emitter.on('tick', after);
    expect(() => emitter.emit('tick', 1)).not.toThrow();
    expect(after).toHaveBeenCalledWith(1);
    expect(errors).toHaveLength(1);
  });
});
