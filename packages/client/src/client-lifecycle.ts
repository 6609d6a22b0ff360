import { ClientClosedError, NotStartedError } from '@mcpmx/core';

/** created → starting → started → closed; a closed client never starts again. */
export type ClientState = 'created' | 'starting' | 'started' | 'closed';

export function createLifecycle() {
  let state: ClientState = 'created';
  return {
    get state(): ClientState {
      return state;
    },
    /**
     * The error for using the client now, or undefined when it may be used; `what` and
     * `target` name the call in the message (built only when there is one).
     */
    refusal(what: string, target?: string): NotStartedError | ClientClosedError | undefined {
      if (state === 'started' || state === 'starting') return undefined;
      const call = target === undefined ? what : `${what} ${target}`;
      return state === 'created' ? new NotStartedError(call) : new ClientClosedError(call);
    },
    /** Throws what `refusal` returns: for the synchronous methods. */
    check(what: string): void {
      const error = this.refusal(what);
      if (error) throw error;
    },
    set(next: ClientState): void {
      state = next;
    },
  };
}
