/**
 * Shares one in-flight call among identical callers. Each caller may abort on its own
 * signal without affecting the others; the shared call is aborted only when every caller
 * has gone. A failure reaches every caller and is not remembered.
 */
export interface Singleflight<T> {
  run(key: string, call: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Keys with a call in flight. */
  readonly inFlight: number;
}

interface Flight<T> {
  promise: Promise<T>;
  controller: AbortController;
  waiters: number;
}

/** Creates a {@link Singleflight} group. */
export function createSingleflight<T>(): Singleflight<T> {
  const flights = new Map<string, Flight<T>>();

  return {
    get inFlight() {
      return flights.size;
    },
    run(key, call, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      let flight = flights.get(key);
      if (!flight) {
        const controller = new AbortController();
        let promise: Promise<T>;
        try {
          promise = Promise.resolve(call(controller.signal));
        } catch (error) {
          promise = Promise.reject(error);
        }
        const created: Flight<T> = { promise, controller, waiters: 0 };
        flight = created;
        flights.set(key, created);
        const forget = () => {
          if (flights.get(key) === created) flights.delete(key);
        };
        promise.then(forget, forget);
      }
      const current = flight;
      current.waiters++;
      return new Promise<T>((resolve, reject) => {
        let left = false;
        const leave = () => {
          if (left) return;
          left = true;
          signal?.removeEventListener('abort', onAbort);
          current.waiters--;
        };
        function onAbort() {
          leave();
          if (current.waiters === 0) {
            if (flights.get(key) === current) flights.delete(key);
            current.controller.abort(signal?.reason);
          }
          reject(signal?.reason);
        }
        signal?.addEventListener('abort', onAbort, { once: true });
        current.promise.then(
          (value) => {
            if (left) return;
            leave();
            resolve(value);
          },
          (error: unknown) => {
            if (left) return;
            leave();
            reject(error);
          },
        );
      });
    },
  };
}
