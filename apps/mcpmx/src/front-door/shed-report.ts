import type { Clock } from '@mcpmx/core';
import { createOneShotTimer } from '@mcpmx/core';
import { Counter, type Registry } from 'prom-client';
import type { Shed } from './connection-limits.js';

/** How long the log stays quiet after a line about shed connections; what follows is summed. */
export const SHED_LOG_WINDOW_MS = 10_000;

export interface ShedReport {
  /** A connection closed to keep within a limit. */
  connection(shed: Shed): void;
  /** A request answered 503 past maxConcurrentRequests. */
  busy(): void;
  /** Logs what is pending and stops the timer. Idempotent. */
  close(): void;
}

/**
 * Makes the front door's shedding visible without letting a flood flood the log: every shed
 * connection and 503 is counted in `/metrics` (`mcpmx_gateway_connections_shed_total{action,
 * limit}`, `mcpmx_gateway_requests_refused_total`); the first of a burst is logged at once,
 * the rest are summed into one line at the end of a 10 s window.
 */
export function createShedReport(options: {
  registry: Registry;
  log: (line: string) => void;
  clock: Clock;
  /** The limits as a user set them, for the log line: `--max-connections 40, ...`. */
  describeLimits: string;
}): ShedReport {
  const connections = new Counter({
    name: 'mcpmx_gateway_connections_shed_total',
    help: 'HTTP connections the gateway closed to stay within its connection limits: the longest-idle one (action="closed-idle"), or the new one when every competing connection was busy (action="refused")',
    labelNames: ['action', 'limit'],
    registers: [options.registry],
  });
  const refused = new Counter({
    name: 'mcpmx_gateway_requests_refused_total',
    help: 'Requests the gateway answered 503 because maxConcurrentRequests were being served',
    registers: [options.registry],
  });
  const window = createOneShotTimer(options.clock);
  /** What the window has summed, by kind: its count and how to say it. */
  const pending = new Map<string, { count: number; describe: (count: number) => string }>();
  let closed = false;

  const flush = () => {
    if (pending.size === 0) return;
    const parts = [...pending.values()].map(({ count, describe }) => describe(count));
    pending.clear();
    options.log(
      `front door, last ${SHED_LOG_WINDOW_MS / 1000} s: ${parts.join(', ')} (${options.describeLimits})`,
    );
  };
  const note = (key: string, first: string, describe: (count: number) => string) => {
    if (closed) return;
    if (window.pending) {
      const summed = pending.get(key);
      if (summed) summed.count++;
      else pending.set(key, { count: 1, describe });
      return;
    }
    options.log(
      `front door: ${first} (${options.describeLimits}); further ones are summed every ${SHED_LOG_WINDOW_MS / 1000} s`,
    );
    const tick = () => {
      const had = pending.size > 0;
      flush();
      if (had) window.schedule(SHED_LOG_WINDOW_MS, tick);
    };
    window.schedule(SHED_LOG_WINDOW_MS, tick);
  };

  return {
    connection(shed) {
      connections.inc({ action: shed.action, limit: shed.limit });
      const closedIdle = shed.action === 'closed-idle';
      note(
        `${shed.action} ${shed.limit}`,
        closedIdle
          ? `closed an idle connection to admit a new one at the ${shed.limit} connection limit`
          : `refused a new connection: every connection at the ${shed.limit} limit is busy`,
        (count) =>
          `${count} ${closedIdle ? 'idle' : 'new'} ${count === 1 ? 'connection' : 'connections'} ${
            closedIdle ? 'closed' : 'refused'
          } at the ${shed.limit} limit`,
      );
    },
    busy() {
      refused.inc();
      note(
        'busy',
        'answered a request 503: maxConcurrentRequests are being served',
        (count) => `${count} ${count === 1 ? 'request' : 'requests'} answered 503 (busy)`,
      );
    },
    close() {
      if (closed) return;
      closed = true;
      window.cancel();
      flush();
      options.registry.removeSingleMetric('mcpmx_gateway_connections_shed_total');
      options.registry.removeSingleMetric('mcpmx_gateway_requests_refused_total');
    },
  };
}
