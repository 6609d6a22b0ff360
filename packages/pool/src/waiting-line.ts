import {
  AcquireTimeoutError,
  CancelledError,
  type Clock,
  type ConnectError,
  type TimerHandle,
} from '@mcpmx/core';
import type { Session } from './session.js';

export interface Waiter {
  resolve: (session: Session) => void;
  reject: (error: Error) => void;
  cleanup: () => void;
}

export interface WaitingLine {
  waiters: Waiter[];
  clock: Clock;
  label: string;
  fields: { server: string; replica: string };
  acquireTimeoutMs: number;
  maxWaiters: number;
  /** The refusal to fail with at once (credentials refused, no endpoint), when no session lives. */
  refusal: () => ConnectError | undefined;
  /** The endpoint's status and last error, for messages. */
  why: () => string;
  ensureCapacity: () => void;
}

/**
 * Waits FIFO for a live session, up to the acquire timeout (or `timeoutMs`), failing at once
 * past `maxWaiters` or while the server refuses the connection for good reasons.
 */
export function waitInLine(
  acquireOptions: { signal?: AbortSignal; timeoutMs?: number },
  line: WaitingLine,
): Promise<Session> {
  return new Promise<Session>((resolve, reject) => {
    const timeoutMs = acquireOptions.timeoutMs ?? line.acquireTimeoutMs;
    const signal = acquireOptions.signal;
    if (signal?.aborted) {
      reject(new CancelledError(`acquiring a session to ${line.label} was cancelled`, line.fields));
      return;
    }
    const refusal = line.refusal();
    if (refusal !== undefined) {
      reject(refusal);
      return;
    }
    if (line.waiters.length >= line.maxWaiters) {
      reject(
        new AcquireTimeoutError(
          `no session to ${line.label} is live and ${line.waiters.length} calls already wait for one (maxWaiters ${line.maxWaiters}); refused at once instead of queueing (${line.why()})`,
          { ...line.fields, timeoutMs: 0 },
        ),
      );
      return;
    }
    let timer: TimerHandle | undefined;
    const onAbort = () => {
      remove();
      reject(new CancelledError(`acquiring a session to ${line.label} was cancelled`, line.fields));
    };
    const waiter: Waiter = {
      resolve,
      reject,
      cleanup: () => {
        if (timer !== undefined) line.clock.clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      },
    };
    const remove = () => {
      waiter.cleanup();
      const index = line.waiters.indexOf(waiter);
      if (index !== -1) line.waiters.splice(index, 1);
    };
    timer = line.clock.setTimeout(() => {
      remove();
      reject(
        new AcquireTimeoutError(
          `no session to ${line.label} became available within ${timeoutMs} ms (${line.why()})`,
          { ...line.fields, timeoutMs },
        ),
      );
    }, timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    line.waiters.push(waiter);
    line.ensureCapacity();
  });
}
