import type { Redactor } from '@mcpmx/core';
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
  const guard =
    <A extends unknown[], R>(run: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      try {
        return run(...args).catch((error: unknown) => {
          throw redactor.redactError(error);
        });
      } catch (error) {
        throw redactor.redactError(error);
      }
    };
  const redacting =
    <K extends keyof ClientEvents>(listener: Listener<K>): Listener<K> =>
    (payload) =>
      listener(redactor.redactValue(payload));
  return {
    ...client,
    start: guard(client.start),
    callTool: guard(client.callTool),
    readResource: guard(client.readResource),
    getPrompt: guard(client.getPrompt),
    complete: guard(client.complete),
    refresh: guard(client.refresh),
    // Failed targets carry errors; the values are the servers' answers, passed on as they are.
    fanOut: (name, args, options) =>
      guard(client.fanOut)(name, args, options).then((result) => ({
        ...result,
        results: result.results.map((entry) =>
          entry.ok ? entry : { ...entry, error: redactor.redactError(entry.error) },
        ),
      })),
    snapshot: () => redactor.redactValue(client.snapshot()),
    telemetry: () => redactor.redactValue(client.telemetry()),
    on: (event, listener) => client.on(event, redacting(listener)),
    once: (event, listener) => client.once(event, redacting(listener)),
    redact: redactor.redact,
  };
}
