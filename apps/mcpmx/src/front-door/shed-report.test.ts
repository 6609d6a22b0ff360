import { ManualClock } from '@mcpmx/core';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createShedReport, SHED_LOG_WINDOW_MS } from './shed-report.js';

const setup = () => {
  const clock = new ManualClock();
  const registry = new Registry();
  const lines: string[] = [];
  const report = createShedReport({
    registry,
    clock,
    log: (line) => lines.push(line),
    describeLimits: 'limits: 40 connections, 10 per address, 8 requests at once',
  });
  return { clock, registry, lines, report };
};

describe('createShedReport', () => {
  it('logs the first of a burst at once and sums the rest at the end of the window', () => {
    const { clock, lines, report } = setup();
    report.connection({ action: 'closed-idle', limit: 'total' });
    expect(lines).toEqual([
      'front door: closed an idle connection to admit a new one at the total connection limit (limits: 40 connections, 10 per address, 8 requests at once); further ones are summed every 10 s',
    ]);
    for (let i = 0; i < 1000; i++) report.connection({ action: 'closed-idle', limit: 'total' });
    report.connection({ action: 'refused', limit: 'per-address' });
    report.busy();
    expect(lines).toHaveLength(1);
    clock.advance(SHED_LOG_WINDOW_MS);
    expect(lines[1]).toBe(
      'front door, last 10 s: 1000 idle connections closed at the total limit, 1 new connection refused at the per-address limit, 1 request answered 503 (busy) (limits: 40 connections, 10 per address, 8 requests at once)',
    );
    // A quiet window ends the burst: the next one is logged at once again, and no timer is left.
    clock.advance(SHED_LOG_WINDOW_MS);
    expect(lines).toHaveLength(2);
    expect(clock.pending()).toEqual([]);
    report.busy();
    expect(lines[2]).toMatch(/^front door: answered a request 503/);
    report.close();
  });

  it('counts every one in /metrics, and close() flushes, stops the timer and unregisters', async () => {
    const { clock, registry, lines, report } = setup();
    report.connection({ action: 'refused', limit: 'total' });
    report.connection({ action: 'refused', limit: 'total' });
    report.busy();
    const text = await registry.metrics();
    expect(text).toMatch(
      /^mcpmx_gateway_connections_shed_total\{action="refused",limit="total"\} 2$/m,
    );
    expect(text).toMatch(/^mcpmx_gateway_requests_refused_total 1$/m);
    report.close();
    expect(lines.at(-1)).toMatch(
      /^front door, last 10 s: 1 new connection refused at the total limit, 1 request/,
    );
    expect(clock.pending()).toEqual([]);
    expect(await registry.metrics()).toBe('\n');
    report.close();
    report.busy(); // after close: counted nowhere, logged nowhere
    expect(lines).toHaveLength(2);
  });
});
