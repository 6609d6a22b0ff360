import { ConfigError, type ConfigIssue } from '@mcpmx/core';
import { describe, expect, it } from 'vitest';
import { readAppConfig } from './load-client.js';

const read = (config: unknown, env: Record<string, string> = {}) =>
  readAppConfig(JSON.stringify(config), { env }, 'mcp.json');

const issuesOf = async (config: unknown): Promise<readonly ConfigIssue[]> => {
  try {
    await read(config);
  } catch (error) {
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('Invalid config in mcp.json:');
    return (error as ConfigError).issues;
  }
  throw new Error('expected a ConfigError');
};

const server = { command: 'node', args: ['server.js'] };

describe('readAppConfig', () => {
  it('turns settings into client options and blocks into discovery sources', async () => {
    const { options, discovery } = await read(
      {
        mcpServers: { solo: server },
        naming: { policy: '${POLICY}', separator: '-' },
        balancer: 'round-robin',
        retry: { retries: 2, initialMs: 10 },
        cache: { enabled: true },
        timeoutMs: 500,
        discovery: [{ type: 'dns', name: '_mcp._tcp.svc.test', server: 'solo' }],
      },
      { POLICY: 'prefix' },
    );
    expect(options.naming).toEqual({ policy: 'prefix', separator: '-' });
    expect(options.retry).toEqual({ retries: 2, backoff: { initialMs: 10 } });
    expect(options.cache).toEqual({ enabled: true });
    expect(options.timeoutMs).toBe(500);
    expect(typeof options.createBalancer?.('solo').pick).toBe('function');
    expect(discovery.map((source) => source.id)).toEqual(['dns:_mcp._tcp.svc.test']);
  });

  it('reports unknown keys at the top, in settings and in blocks, with a did-you-mean', async () => {
    const issues = await issuesOf({
      mcpServers: { solo: server },
      retyr: { retries: 1 },
      extras: [],
      naming: { polcy: 'prefix' },
      cache: { ttl: 5 },
      discovery: [{ type: 'dns', nmae: '_mcp._tcp.svc.test', server: 'solo' }],
    });
    const top = issues.find((issue) => issue.path === 'retyr');
    expect(top?.expected).toMatch(
      /^a top-level key among mcpServers, servers, inputs, discovery, gateway, naming, /,
    );
    expect(top?.expected).toMatch(/\(did you mean "retry"\?\)$/);
    expect(issues.find((issue) => issue.path === 'extras')?.expected).not.toContain('did you');
    expect(issues).toEqual(
      expect.arrayContaining([
        {
          path: 'naming.polcy',
          expected: 'one of the known keys (did you mean "policy"?)',
          found: 'polcy',
        },
        {
          path: 'cache.ttl',
          expected: 'one of the known keys (enabled, ttlMs, maxEntries)',
          found: 'ttl',
        },
        {
          path: 'discovery[0].nmae',
          expected: 'one of the known keys (did you mean "name"?)',
          found: 'nmae',
        },
      ]),
    );
  });

  it('names every bad setting, block and server in one error, values as written', async () => {
    const issues = await issuesOf({
      mcpServers: { solo: { comand: 'node' } },
      naming: { policy: 'sometimes', maxLength: 4 },
      balancer: 'fastest',
      breaker: { halfOpenAfterMs: 1000, maxHalfOpenAfterMs: 10 },
      cache: { enabled: 'yes' },
      timeoutMs: '${TIMEOUT}',
      discovery: [{ type: 'zookeeper' }, { type: 'dns' }, { type: 'etcd', client: {} }],
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        {
          path: 'mcpServers.solo.comand',
          expected: 'one of the known keys (did you mean "command"?)',
          found: 'comand',
        },
        {
          path: 'naming.policy',
          expected: 'one of "prefix", "prefix-on-conflict", "none"',
          found: 'sometimes',
        },
        { path: 'naming.maxLength', expected: 'an integer >= 8', found: 4 },
        expect.objectContaining({ path: 'balancer', found: 'fastest' }),
        {
          path: 'breaker.maxHalfOpenAfterMs',
          expected: 'a value >= breaker.halfOpenAfterMs (1000)',
          found: 10,
        },
        { path: 'cache.enabled', expected: 'true or false', found: 'yes' },
        { path: 'timeoutMs', expected: 'an integer >= 1', found: '${TIMEOUT}' },
        {
          path: 'discovery[0].type',
          expected: 'one of "dns", "consul", "etcd"',
          found: 'zookeeper',
        },
        expect.objectContaining({
          path: 'discovery[1]',
          expected: expect.stringMatching(/^valid dns discovery options \(name must be /),
        }),
        // An etcd client comes from code, never from a config file.
        expect.objectContaining({ path: 'discovery[2].client', found: 'client' }),
      ]),
    );
  });
});
