import type { ServerResponse } from 'node:http';
import { RETRY_AFTER_SECONDS } from './front-door-limits.js';

/** At most `max` requests served at once; the rest are answered 503 with `Retry-After`. */
export interface RequestLimit {
  /** Requests being served now. */
  readonly inFlight: number;
  /**
   * Admits the request whose response this is, until that response closes, and returns true;
   * or answers it 503 (with `Retry-After`) and returns false.
   */
  admit(response: ServerResponse): boolean;
}

/** `onBusy` is told of every request answered 503. */
export function createRequestLimit(max: number, onBusy?: () => void): RequestLimit {
  let inFlight = 0;
  return {
    get inFlight() {
      return inFlight;
    },
    admit(response) {
      if (inFlight >= max) {
        onBusy?.();
        response.writeHead(503, {
          'content-type': 'application/json',
          'retry-after': String(RETRY_AFTER_SECONDS),
        });
        response.end(
          JSON.stringify({
            jsonrpc: '2.0',
            error: {
              code: -32000,
              message: `the gateway is serving ${max} requests already (maxConcurrentRequests); retry after ${RETRY_AFTER_SECONDS} s`,
            },
            id: null,
          }),
        );
        return false;
      }
      inFlight++;
      response.once('close', () => inFlight--);
      return true;
    },
  };
}
