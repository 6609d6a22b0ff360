import { InvalidRequestError } from '@mcpmx/core';

/**
 * The default bound on how deeply a request's params may nest objects and arrays: 1000 levels.
 * JSON.stringify overflows the stack somewhere past a few thousand levels, at a depth that
 * varies with the caller's own stack, and servers reject far less (Python's json stops near
 * 1000, Rust's serde_json at 128 by default), so the bound makes the failure deterministic and
 * the caller's, before anything is sent.
 */
export const DEFAULT_MAX_REQUEST_DEPTH = 1000;

/** Where a request was going: built only when it fails. */
interface Where {
  server: string;
  id: string;
}

/**
 * Rejects params nested deeper than `maxDepth`, before sending. Cheap: it only descends into
 * objects and arrays and stops at the bound, so flat arguments cost a few property reads; a
 * cycle is reported as what it is, found on this failure path only.
 */
export function checkRequestDepth(
  params: unknown,
  maxDepth: number,
  where: Where,
  method: string,
): void {
  if (maxDepth === Number.POSITIVE_INFINITY || typeof params !== 'object' || params === null) {
    return;
  }
  let tooDeep: boolean;
  try {
    tooDeep = deeperThan(params, maxDepth);
  } catch (error) {
    // A getter that throws, a proxy that refuses, or a walk that ran out of stack.
    throw invalidRequest(where, method, params, error);
  }
  if (tooDeep) {
    // A cycle also walks past the bound: JSON.stringify, here on the failure path only, tells.
    const cyclic = unserializableRequest(params, where, method);
    if (cyclic && cyclic.cause instanceof TypeError) throw cyclic;
    throw invalidRequest(
      where,
      method,
      params,
      undefined,
      `it nests objects or arrays deeper than maxRequestDepth (${maxDepth} levels)`,
    );
  }
}

/** True when `value` nests objects or arrays more than `remaining` levels deep. */
function deeperThan(value: object, remaining: number): boolean {
  if (remaining === 0) return true;
  if (Array.isArray(value)) {
    for (const item of value) {
      if (typeof item === 'object' && item !== null && deeperThan(item, remaining - 1)) return true;
    }
    return false;
  }
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key];
    if (typeof item === 'object' && item !== null && deeperThan(item, remaining - 1)) return true;
  }
  return false;
}

/**
 * On the failure path only: when a send failed, says whether the request's params are what
 * cannot be serialized (a BigInt, a cycle, a getter or toJSON that throws, a stack overflow),
 * as an InvalidRequestError that blames the caller; otherwise undefined, and the failure is the
 * transport's or the server's.
 */
export function unserializableRequest(
  params: unknown,
  where: Where,
  method: string,
): InvalidRequestError | undefined {
  try {
    JSON.stringify(params);
    return undefined;
  } catch (error) {
    return invalidRequest(where, method, params, error);
  }
}

function invalidRequest(
  where: Where,
  method: string,
  params: unknown,
  cause: unknown,
  problem = cause instanceof Error ? cause.message : String(cause),
): InvalidRequestError {
  const what = hasArguments(params) ? 'arguments' : 'params';
  const reason = problem.split('\n')[0] ?? problem;
  return new InvalidRequestError(
    `${method} ${what} cannot be serialized: ${reason}. The request to ${where.server} (${where.id}) was not sent; pass JSON values only (no BigInt, cycles, throwing getters, or nesting deeper than maxRequestDepth)`,
    { server: where.server, replica: where.id, cause },
  );
}

function hasArguments(params: unknown): boolean {
  try {
    return typeof params === 'object' && params !== null && 'arguments' in params;
  } catch {
    return false;
  }
}
