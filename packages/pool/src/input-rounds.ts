import { InteractionError, SessionClosedError, TransportError, wasNeverSent } from '@mcpmx/core';
import type { ServerRequest } from './interactions.js';

/** The requests a 2026-07-28 server may answer with `input_required`. */
export const MULTI_ROUND_METHODS: ReadonlySet<string> = new Set([
  'tools/call',
  'prompts/get',
  'resources/read',
]);

/** Rounds of one request before it fails with an InteractionError. */
export const MAX_INPUT_ROUNDS = 10;

const ANSWERABLE = new Set(['elicitation/create', 'sampling/createMessage', 'roots/list']);

interface InputRequired {
  resultType: 'input_required';
  inputRequests?: Record<string, { method?: unknown; params?: unknown }>;
  requestState?: string;
}

export function isInputRequired(value: unknown): value is InputRequired {
  return (value as { resultType?: unknown } | null)?.resultType === 'input_required';
}

export interface InputRoundsOptions<P, T> {
  method: string;
  /** Where, for errors: `server (replica)`. */
  where: string;
  fields: { server: string; replica: string };
  params: P;
  /** Sends the request again, with these params, on the same session. */
  retry: (params: P) => Promise<T>;
  /** The owner's answer to one embedded request (a throw fails the call). */
  answer: (request: ServerRequest) => Promise<Record<string, unknown>>;
}

/**
 * The manual multi-round-trip driver (2026-07-28): answers each `input_required` result's
 * embedded requests through the owner's handlers, in parallel, and sends the request again with
 * the responses and the `requestState` echoed byte for byte, on the same session (so the same
 * replica), until the server completes it or MAX_INPUT_ROUNDS rounds have passed. The SDK's own
 * driver is not used because it cannot tell the handlers which call a request belongs to.
 */
export async function fulfilInputRounds<P extends object, T>(
  first: InputRequired,
  options: InputRoundsOptions<P, T>,
): Promise<T> {
  let pending: InputRequired = first;
  for (let round = 1; round <= MAX_INPUT_ROUNDS; round++) {
    const entries = Object.entries(pending.inputRequests ?? {});
    const responses = await Promise.all(
      entries.map(async ([key, entry]) => [key, await answerOne(key, entry, options)] as const),
    );
    const params = {
      ...options.params,
      ...(responses.length > 0 ? { inputResponses: Object.fromEntries(responses) } : {}),
      ...(pending.requestState !== undefined ? { requestState: pending.requestState } : {}),
    };
    const result = await options.retry(params);
    if (!isInputRequired(result)) return result;
    pending = result;
  }
  throw new InteractionError(
    `${options.method} on ${options.where} still required input after ${MAX_INPUT_ROUNDS} rounds; the server may be looping`,
    { ...options.fields, method: options.method },
  );
}

async function answerOne<P, T>(
  key: string,
  entry: { method?: unknown; params?: unknown },
  options: InputRoundsOptions<P, T>,
): Promise<Record<string, unknown>> {
  const method = entry?.method;
  if (typeof method !== 'string' || !ANSWERABLE.has(method)) {
    throw new InteractionError(
      `${options.method} on ${options.where} asked for input "${key}" with ${JSON.stringify(method)}, which a client cannot answer (expected elicitation/create, sampling/createMessage or roots/list)`,
      { ...options.fields, method: String(method) },
    );
  }
  const params = (
    typeof entry.params === 'object' && entry.params !== null ? entry.params : {}
  ) as Record<string, unknown>;
  const request = { method, params } as ServerRequest;
  let result: Record<string, unknown>;
  try {
    result = await options.answer(request);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new InteractionError(
      `${options.method} on ${options.where} needed ${method} ("${key}") and the client's handler failed: ${message}`,
      { ...options.fields, method, cause: error },
    );
  }
  if (method === 'elicitation/create') applyFormDefaults(params, result);
  return result;
}

/**
 * SEP-1034: an accepted form answer gets the `default` of each requested property it left out,
 * as the SDK does for a 2025-11-25 elicitation/create.
 */
function applyFormDefaults(params: Record<string, unknown>, result: Record<string, unknown>): void {
  if (result.action !== 'accept' || (params.mode ?? 'form') !== 'form') return;
  const schema = params.requestedSchema as { properties?: Record<string, { default?: unknown }> };
  if (!schema?.properties) return;
  const content = (result.content ?? {}) as Record<string, unknown>;
  for (const [name, property] of Object.entries(schema.properties)) {
    if (content[name] === undefined && property?.default !== undefined) {
      content[name] = property.default;
    }
  }
  result.content = content;
}

/**
 * A later leg of a multi-round request that was never sent still follows one that reached the
 * server (it answered `input_required`): the request as a whole may have run there, so it is
 * `reachedServer: 'unknown'`, and the client retries it only if it is safe to repeat. The
 * user's input is never sent anywhere else.
 */
export function afterFirstLeg(error: Error): Error {
  if (!wasNeverSent(error)) return error;
  const fields = {
    server: error.server,
    replica: error.replica,
    cause: error,
    reachedServer: 'unknown' as const,
  };
  const message = `${error.message} (a later round of a request the server had already answered with input_required)`;
  return SessionClosedError.isInstance(error)
    ? new SessionClosedError(message, fields)
    : new TransportError(message, fields);
}
