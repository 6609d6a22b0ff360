import { ClientClosedError, NotStartedError } from '@mcpmx/core';

/** created → starting → started → closed; a closed client never starts again. */
export type ClientState = 'created' | 'starting' | 'started' | 'closed';

export function createLifecycle() {
  let state: ClientState = 'created';
  return {
    get state(): ClientState {
      return state;
    },
    /** The error for using the client now, or undefined when it may be used. */
    refusal(what: string): NotStartedError | ClientClosedError | undefined {
      if (state === 'created') return new NotStartedError(what);
      if (state === 'closed') return new ClientClosedError(what);
      return undefined;
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
