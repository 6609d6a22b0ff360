import {
  type CancelledError,
  type Clock,
  ConcurrencyLimitError,
  InvalidOptionError,
  type TimerHandle,
} from '@mcpmx/core';
import type { Policy } from '../call-context.js';
import { failed } from './retry.js';

export interface ConcurrencyLimitOptions {
  /** Requests in flight on one replica at once. Default 256. */
  maxInFlight?: number;
  /** Calls waiting for a slot on one replica; past it a call is refused at once. Default 10000. */
  maxQueued?: number;
}

export const DEFAULT_CONCURRENCY_LIMIT: Required<ConcurrencyLimitOptions> = {
  maxInFlight: 256,
  maxQueued: 10_000,
};

interface Waiter {
  resolve(): void;
  reject(error: Error): void;
  timer: TimerHandle | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  done: boolean;
}

/**
 * A bulkhead for one replica: at most `maxInFlight` requests at once; the calls beyond it wait
 * FIFO, at most `maxQueued` of them, each no longer than its own timeout. A slot is taken with
 * `tryAcquire` (no wait) or `acquire` (queued) and given back with `release`, which hands it
 * straight to the longest waiter.
 */
export class ConcurrencyLimit {
  private readonly maxInFlight: number;
  private readonly maxQueued: number;
  private active = 0;
  private waiting = 0;
  /** FIFO with a moving head, so a long queue is not shifted on every release. */
  private queue: Waiter[] = [];
  private head = 0;

  constructor(
    options: ConcurrencyLimitOptions,
    private readonly clock: Clock,
  ) {
    this.maxInFlight = options.maxInFlight ?? DEFAULT_CONCURRENCY_LIMIT.maxInFlight;
    this.maxQueued = options.maxQueued ?? DEFAULT_CONCURRENCY_LIMIT.maxQueued;
    if (!(Number.isInteger(this.maxInFlight) && this.maxInFlight >= 1)) {
      throw new InvalidOptionError('concurrency.maxInFlight', 'an integer >= 1', this.maxInFlight);
    }
    if (!(Number.isInteger(this.maxQueued) && this.maxQueued >= 0)) {
      throw new InvalidOptionError('concurrency.maxQueued', 'an integer >= 0', this.maxQueued);
    }
  }

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting;
  }

  /** Takes a slot when one is free and nobody is waiting for it. */
  tryAcquire(): boolean {
    if (this.active >= this.maxInFlight || this.waiting > 0) return false;
    this.active++;
    return true;
  }

  /**
   * Waits for a slot: rejects with ConcurrencyLimitError when the queue is full or `waitMs`
   * passes, and with `cancelled()` when `signal` aborts. `where` names the replica in errors.
   */
  acquire(
    waitMs: number,
    signal: AbortSignal | undefined,
    where: { server: string; replica: string },
    cancelled: () => CancelledError,
  ): Promise<void> {
    if (this.tryAcquire()) return Promise.resolve();
    if (this.waiting >= this.maxQueued) {
      return Promise.reject(
        new ConcurrencyLimitError(
          `Replica ${where.replica} of "${where.server}" has ${this.active} requests in flight (maxInFlight ${this.maxInFlight}) and ${this.waiting} waiting (maxQueued ${this.maxQueued}); the call was not sent. Raise concurrency.maxQueued or add replicas.`,
          { ...where, reason: 'queue-full' },
        ),
      );
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: undefined,
        signal,
        onAbort: undefined,
        done: false,
      };
      const leave = (error: Error) => {
        if (waiter.done) return;
        this.settle(waiter);
        this.waiting--;
        reject(error);
      };
      waiter.timer = this.clock.setTimeout(
        () =>
          leave(
            new ConcurrencyLimitError(
              `A call waited ${waitMs} ms for a free slot on replica ${where.replica} of "${where.server}" (maxInFlight ${this.maxInFlight}) and was not sent.`,
              { ...where, reason: 'queue-timeout' },
            ),
          ),
        Math.max(0, waitMs),
      );
      if (signal) {
        waiter.onAbort = () => leave(cancelled());
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.queue.push(waiter);
      this.waiting++;
    });
  }

  /** Gives a slot back: to the longest waiter, if any. */
  release(): void {
    if (this.waiting === 0 && this.head === this.queue.length) {
      this.compact();
      this.active = Math.max(0, this.active - 1);
      return;
    }
    while (this.head < this.queue.length) {
      const waiter = this.queue[this.head] as Waiter;
      this.queue[this.head++] = undefined as never;
      if (waiter.done) continue;
      this.settle(waiter);
      this.waiting--;
      this.compact();
      waiter.resolve(); // the slot passes over: `active` stays as it is
      return;
    }
    this.compact();
    this.active = Math.max(0, this.active - 1);
  }

  /** Rejects every waiter with `error` (the replica is going away). */
  close(error: Error): void {
    for (let index = this.head; index < this.queue.length; index++) {
      const waiter = this.queue[index] as Waiter;
      if (waiter.done) continue;
      this.settle(waiter);
      waiter.reject(error);
    }
    this.queue.length = 0;
    this.head = 0;
    this.waiting = 0;
  }

  private settle(waiter: Waiter): void {
    waiter.done = true;
    if (waiter.timer !== undefined) this.clock.clearTimeout(waiter.timer);
    if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
  }

  private compact(): void {
    if (this.head === 0) return;
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}

/**
 * The concurrency-limit policy: the picked replica's bulkhead admits the attempt at once, or
 * queues it within what is left of the call's timeout. A call it refuses was never sent; the
 * breaker's admission is given back. The slot is released where the attempt settles (send).
 */
export const concurrencyLimit: Policy = (context, next) => {
  const replica = context.replica;
  if (replica === undefined || replica.limit.tryAcquire()) return next(context);
  context.waited = true;
  const waitMs = context.request.options.timeoutMs ?? Number.POSITIVE_INFINITY;
  return replica.limit
    .acquire(
      Number.isFinite(waitMs) ? waitMs : 2 ** 31 - 1,
      context.request.signal,
      { server: replica.server, replica: replica.id },
      () => context.cancelled(),
    )
    .then(
      () => next(context),
      (error: unknown) => {
        replica.breaker.release?.();
        return failed(context, error);
      },
    );
};
