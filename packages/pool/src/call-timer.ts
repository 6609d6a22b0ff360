import type { Clock, TimerHandle } from '@mcpmx/core';

/**
 * The timeout of one attributed request, run by the session instead of the SDK so that it can
 * stop while the server waits on the client: each `pause()` (a handler answering a server
 * request that belongs to this request) holds the clock until its release, and the time left
 * runs on after the last release. `restart()` starts the full timeout again (progress with
 * `resetTimeoutOnProgress`).
 */
export class CallTimer {
  private handle: TimerHandle | undefined;
  private remaining: number;
  private startedAt = 0;
  private paused = 0;
  private done = false;

  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs: number,
    private readonly onTimeout: () => void,
  ) {
    this.remaining = timeoutMs;
    this.run();
  }

  /** Stops the clock until the returned release is called (once). */
  pause(): () => void {
    if (this.done) return () => undefined;
    if (this.paused++ === 0) {
      this.clock.clearTimeout(this.handle);
      this.handle = undefined;
      this.remaining -= this.clock.now() - this.startedAt;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.paused === 0 && !this.done) this.run();
    };
  }

  restart(): void {
    if (this.done) return;
    this.remaining = this.timeoutMs;
    if (this.paused === 0) {
      this.clock.clearTimeout(this.handle);
      this.run();
    }
  }

  stop(): void {
    this.done = true;
    this.clock.clearTimeout(this.handle);
    this.handle = undefined;
  }

  private run(): void {
    this.startedAt = this.clock.now();
    this.handle = this.clock.setTimeout(
      () => {
        this.done = true;
        this.handle = undefined;
        this.onTimeout();
      },
      Math.max(0, this.remaining),
    );
  }
}
