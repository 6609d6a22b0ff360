import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

// The front-door flags are checked as the gateway checks its limits, before anything starts;
// the error names the flag a user typed, not the library option behind it.
describe('mcpmx serve: front-door limit flags', () => {
  const serve = (...flags: string[]) =>
    runCli(['serve', '--config', '/nonexistent/mcp.json', '--http', '0', ...flags]);

  it('names the flag and its range when a value is out of range', async () => {
    const { code, stderr } = await serve('--max-connections', '0');
    expect(code).toBe(1);
    expect(stderr).toMatch(/--max-connections must be an integer from 2 to \d+ \(got 0\)/);
    expect(stderr).not.toMatch(/maxConnections/);
  });

  it('names both flags when one must stay below the other', async () => {
    const { code, stderr } = await serve(
      '--max-connections',
      '40',
      '--max-connections-per-address',
      '41',
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /--max-connections-per-address must be an integer from 1 to 40 \(got 41\)/,
    );
    const relation = await serve('--max-connections', '20', '--max-concurrent-requests', '10');
    expect(relation.code).toBe(1);
    expect(relation.stderr).toMatch(
      /--max-concurrent-requests must be below --max-connections \(20\) less the dashboard's clients \(16\)/,
    );
  });
});
