import type { Redactor, RequestEndEvent } from '@mcpmx/core';
import type { ClientEvents, MultiServerClient } from './client-api.js';

type Facade = Omit<MultiServerClient, 'redact'>;
type Listener<K extends keyof ClientEvents> = (payload: ClientEvents[K]) => void;

/**
 * The client's outward surface, through one redactor: every error a call rejects with, every
 * event payload (an 'error' event, a status reason, a request's error), `snapshot()` and
 * `telemetry()`. What the routes, pools and catalog keep inside stays as it is; what leaves the
 * client has no URL userinfo or query and no interpolated config value. `redact` is the same
 * redactor, for an app's own output (logs, terminal, dashboard).
 */
export function withRedaction(client: Facade, redactor: Redactor): MultiServerClient {
  // One handler for every call's rejection, and no rest parameters: a call that succeeds pays
  // for one derived promise, nothing else.
  const redactRejection = (error: unknown): never => {
    throw redactor.redactError(error);
  };
  const guard =
    <A extends unknown[], R>(run: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      try {
        return run(...args).then(undefined, redactRejection);
      } catch (error) {
        throw redactor.redactError(error);
      }
    };
  const redacting = <K extends keyof ClientEvents>(event: K, listener: Listener<K>): Listener<K> =>
    PER_CALL.has(event)
      ? (payload) =>
          listener(redactPerCall(redactor, payload as RequestEndEvent) as ClientEvents[K])
      : (payload) => listener(redactor.redactValue(payload));
  const fanOut = guard(client.fanOut);
  return {
    ...client,
    start: guard(client.start),
    callTool: (name, args, options) => {
      try {
        return client.callTool(name, args, options).then(undefined, redactRejection);
      } catch (error) {
        throw redactor.redactError(error);
      }
    },
    readResource: guard(client.readResource),
    getPrompt: guard(client.getPrompt),
    complete: guard(client.complete),
    refresh: guard(client.refresh),
    setRoots: guard(client.setRoots),
    setLogLevel: guard(client.setLogLevel),
    subscribeResource: guard(client.subscribeResource),
    // Failed targets carry errors; the values are the servers' answers, passed on as they are.
    fanOut: (name, args, options) =>
      fanOut(name, args, options).then((result) => ({
        ...result,
        results: result.results.map((entry) =>
          entry.ok ? entry : { ...entry, error: redactor.redactError(entry.error) },
        ),
      })),
    snapshot: () => redactor.redactValue(client.snapshot()),
    telemetry: () => redactor.redactValue(client.telemetry()),
    on: (event, listener) => client.on(event, redacting(event, listener)),
    once: (event, listener) => client.once(event, redacting(event, listener)),
    redact: redactor.redact,
  };
}

/** The events of every attempt: their payloads are built by the client, of names and numbers. */
const PER_CALL: ReadonlySet<keyof ClientEvents> = new Set([
  'request-start',
  'request-end',
  'call-end',
]);

/**
 * A per-call event redacted without a deep copy: only its target (a caller's name or URI) and
 * its error can hold foreign text. The same payload is passed on when neither changes, so the
 * hot path allocates nothing.
 */
function redactPerCall(redactor: Redactor, payload: RequestEndEvent): RequestEndEvent {
  const target = payload.target === undefined ? undefined : redactor.redact(payload.target);
  // An Error is redacted in place (the caller gets the same one); other values are copied.
  const error = payload.error === undefined ? undefined : redactor.redactError(payload.error);
  return target === payload.target && error === payload.error
    ? payload
    : { ...payload, target, error };
}
