import type { Clock, TimerHandle } from '@mcpmx/core';

/**
 * The handshake's deadline: `onTimeout` runs `timeoutMs` after `start()`, unless `stop()`
 * comes first. It stops while a login runs (TransportOptions.onAuthorizing): `pause()` for
 * each login that begins, `resume()` for each that ends; once none runs, and `running()` says
 * the handshake still is, the full time starts again.
 */
export function createHandshakeClock(
  clock: Clock,
  timeoutMs: number,
  onTimeout: () => void,
  running: () => boolean,
) {
  let timer: TimerHandle | undefined;
  let authorizing = 0;
  const stop = () => {
    clock.clearTimeout(timer);
    timer = undefined;
  };
  const start = () => {
    timer = clock.setTimeout(onTimeout, timeoutMs);
  };
  return {
    start,
    stop,
    pause() {
      authorizing++;
      stop();
    },
    resume() {
      authorizing--;
      if (authorizing === 0 && running()) start();
    },
  };
}
