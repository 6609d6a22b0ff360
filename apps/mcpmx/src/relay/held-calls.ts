import { randomBytes } from 'node:crypto';
import type { InteractionContext } from '@mcpmx/client';
import type { StateSigner } from './signed-state.js';

/** One request an upstream made during a held call, for the downstream client to answer. */
export interface InputRequest {
  method: 'elicitation/create' | 'sampling/createMessage' | 'roots/list';
  params?: Record<string, unknown>;
}

/** Sends one request to the downstream client of a call and resolves with its answer. */
export type AskDownstream = (
  request: InputRequest,
  context: InteractionContext,
) => Promise<Record<string, unknown>>;

/** What a downstream round ends with: the call's result, or the input it still needs. */
export type Round<T> =
  | { kind: 'done'; result: T }
  | { kind: 'input'; inputRequests: Record<string, InputRequest>; requestState: string };

interface Asked {
  request: InputRequest;
  context: InteractionContext;
  resolve: (answer: Record<string, unknown>) => void;
}

interface HeldCall {
  readonly id: string;
  readonly asked: Map<string, Asked>;
  readonly controller: AbortController;
  settled: { ok: true; value: unknown } | { ok: false; error: unknown } | undefined;
  wake: (() => void) | undefined;
}

/** Why a retry could not continue a held call. */
export type ResumeRefusal = 'forged' | 'ended';

/**
 * 2026-07-28 downstream clients and upstream input (MRTR through the gateway). A downstream
 * `tools/call` starts a client call and holds it: when an upstream asks for input during it
 * (the client's per-call handlers), the downstream request ends with `input_required`, listing
 * those requests, and a `requestState` signed by the gateway that names the held call and the
 * upstream server and replica that asked. The downstream retry brings the answers and that
 * state back; the held call, still waiting on the same upstream replica, gets its answers and
 * goes on, to its result or to the next round. A state the gateway did not sign is refused.
 * At most `maxHeld` calls are held at once; one whose input never comes ends with the client's
 * interactionTimeoutMs, which aborts its handlers.
 */
export interface HeldCalls {
  /** Starts a call; undefined when `maxHeld` calls are held already. */
  begin<T>(run: (ask: AskDownstream, signal: AbortSignal) => Promise<T>): string | undefined;
  /** Gives a held call the answers a retry brought; a refusal when its state is not valid. */
  resume(
    requestState: unknown,
    responses: Record<string, unknown> | undefined,
  ): string | ResumeRefusal;
  /**
   * Waits for the held call's next step: its result (it is then released), or the input it
   * needs. `signal` (the downstream request's) aborting ends the call.
   */
  next<T>(id: string, signal: AbortSignal): Promise<Round<T>>;
  /** Calls held now. */
  readonly size: number;
  /** Ends every held call. Idempotent. */
  close(): void;
}

export function createHeldCalls(options: { maxHeld: number; signer: StateSigner }): HeldCalls {
  const held = new Map<string, HeldCall>();
  let keys = 0;

  const release = (call: HeldCall) => {
    if (held.get(call.id) === call) held.delete(call.id);
  };

  return {
    get size() {
      return held.size;
    },
    begin(run) {
      if (held.size >= options.maxHeld) return undefined;
      const call: HeldCall = {
        id: randomBytes(12).toString('base64url'),
        asked: new Map(),
        controller: new AbortController(),
        settled: undefined,
        wake: undefined,
      };
      held.set(call.id, call);
      const ask: AskDownstream = (request, context) =>
        new Promise((resolve, reject) => {
          const key = `input-${++keys}`;
          call.asked.set(key, { request, context, resolve });
          context.signal.addEventListener(
            'abort',
            () => {
              call.asked.delete(key);
              reject(context.signal.reason);
            },
            { once: true },
          );
          call.wake?.();
        });
      run(ask, call.controller.signal).then(
        (value) => {
          call.settled = { ok: true, value };
          if (call.wake) call.wake();
          else release(call);
        },
        (error: unknown) => {
          call.settled = { ok: false, error };
          if (call.wake) call.wake();
          else release(call);
        },
      );
      return call.id;
    },
    resume(requestState, responses) {
      const state = options.signer.verify(requestState);
      if (!state) return 'forged';
      const call = held.get(state.call);
      if (!call) return 'ended';
      for (const [key, answer] of Object.entries(responses ?? {})) {
        const asked = call.asked.get(key);
        if (!asked || typeof answer !== 'object' || answer === null) continue;
        call.asked.delete(key);
        asked.resolve(answer as Record<string, unknown>);
      }
      return call.id;
    },
    next<T>(id: string, signal: AbortSignal) {
      const call = held.get(id);
      if (!call) return Promise.reject(new Error('no such held call'));
      return new Promise<Round<T>>((resolve, reject) => {
        const onAbort = () => {
          call.wake = undefined;
          release(call);
          call.controller.abort(signal.reason);
          reject(signal.reason);
        };
        const step = () => {
          if (call.settled) {
            call.wake = undefined;
            signal.removeEventListener('abort', onAbort);
            release(call);
            if (call.settled.ok) resolve({ kind: 'done', result: call.settled.value as T });
            else reject(call.settled.error);
            return;
          }
          if (call.asked.size === 0) return;
          call.wake = undefined;
          signal.removeEventListener('abort', onAbort);
          const [first] = call.asked.values();
          resolve({
            kind: 'input',
            inputRequests: Object.fromEntries(
              [...call.asked].map(([key, asked]) => [key, asked.request]),
            ),
            requestState: options.signer.sign({
              call: call.id,
              server: first?.context.server ?? '',
              replica: first?.context.replica ?? '',
            }),
          });
        };
        // Requests asked in the same turn go down together, in one round.
        call.wake = () => queueMicrotask(step);
        signal.addEventListener('abort', onAbort, { once: true });
        step();
      });
    },
    close() {
      for (const call of [...held.values()]) {
        release(call);
        call.controller.abort(new Error('the gateway closed'));
      }
    },
  };
}
