/** Removes a listener or releases a resource. Calling it twice is harmless. */
export type Disposer = () => void;

type Listener<T> = (payload: T) => void;

/**
 * A small typed event emitter. `on` returns a disposer. A listener that throws does not stop
 * the others and does not reach the emitter: it is reported to `onListenerError`.
 */
export interface TypedEmitter<Events extends object> {
  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): Disposer;
  once<K extends keyof Events>(event: K, listener: Listener<Events[K]>): Disposer;
  emit<K extends keyof Events>(event: K, payload: Events[K]): void;
  listenerCount(event?: keyof Events): number;
  removeAllListeners(): void;
}

/** The read-only half of an emitter, for a public `on`. */
export type EventSource<Events extends object> = Pick<TypedEmitter<Events>, 'on' | 'once'>;

export function createEmitter<Events extends object>(
  options: { onListenerError?: (error: unknown, event: keyof Events) => void } = {},
): TypedEmitter<Events> {
  const listeners = new Map<keyof Events, Set<Listener<never>>>();
  const report =
    options.onListenerError ??
    ((error: unknown) => {
      queueMicrotask(() => {
        throw error;
      });
    });

  const on = <K extends keyof Events>(event: K, listener: Listener<Events[K]>): Disposer => {
    let set = listeners.get(event);
    if (!set) {
      set = new Set();
      listeners.set(event, set);
    }
    // Wrap so the same function can be registered twice and each disposer removes its own.
    const entry = ((payload: Events[K]) => listener(payload)) as Listener<never>;
    set.add(entry);
    return () => {
      set.delete(entry);
      if (set.size === 0 && listeners.get(event) === set) listeners.delete(event);
    };
  };

  return {
    on,
    once(event, listener) {
      const dispose = on(event, (payload) => {
        dispose();
        listener(payload);
      });
      return dispose;
    },
    emit(event, payload) {
      const set = listeners.get(event);
      if (!set) return;
      for (const listener of [...set]) {
        try {
          (listener as Listener<typeof payload>)(payload);
        } catch (error) {
          report(error, event);
        }
      }
    },
    listenerCount(event) {
      if (event !== undefined) return listeners.get(event)?.size ?? 0;
      let total = 0;
      for (const set of listeners.values()) total += set.size;
      return total;
    },
    removeAllListeners() {
      listeners.clear();
    },
  };
}
