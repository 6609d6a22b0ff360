import { InvalidOptionError } from '@mcpmx/core';
import { describe, expect, it } from 'vitest';
import { issuesOf } from '../../test/issues-of.js';
import { createConfigDiscovery } from './config-discovery.js';
import { parseServersConfig } from './parse-config.js';

const env = {
  GITHUB_TOKEN: 'ghp-0123456789',
  API_KEY: 'api-key-value',
  AWS_SECRET_ACCESS_KEY: 'aws-secret-value',
  MCPMX_TOKEN: 'gateway-token-value',
};

describe('parseServersConfig: the values read from the environment', () => {
  it('are listed in secrets: every variable value, in every position, and no config text', () => {
    const config = parseServersConfig(
      {
        mcpServers: {
          a: {
            url: 'https://h/${GITHUB_TOKEN}/mcp?key=${API_KEY}',
            headers: { Authorization: 'Bearer ${AWS_SECRET_ACCESS_KEY}' },
          },
          b: {
            command: 'node',
            args: ['--token=${GITHUB_TOKEN}'],
            env: { X: '${UNSET:-fallback-text}' },
          },
        },
        naming: { prefix: '${EMPTY}' },
      },
      { env: { ...env, EMPTY: '' } },
    );
    expect(config.secrets.sort()).toEqual(
      ['aws-secret-value', 'api-key-value', 'ghp-0123456789'].sort(),
    );
  });
});

describe('parseServersConfig: envAllow and envDeny', () => {
  it('reads only allowed variables; any other reference is an issue naming it, not its value', () => {
    const issues = issuesOf(() =>
      parseServersConfig(
        {
          mcpServers: {
            a: {
              url: 'https://h/mcp',
              headers: { A: '${GITHUB_TOKEN}', B: '${API_KEY}', C: '${AWS_SECRET_ACCESS_KEY}' },
            },
          },
        },
        { env, envAllow: ['GITHUB_TOKEN', 'API_*'] },
      ),
    );
    expect(issues).toEqual([
      {
        path: 'mcpServers.a.headers.C',
        expected:
          'a variable allowed by envAllow (GITHUB_TOKEN, API_*); AWS_SECRET_ACCESS_KEY is not',
        found: '${AWS_SECRET_ACCESS_KEY}',
      },
    ]);
  });

  it('refuses a variable outside the allowlist even when it has a default', () => {
    const issues = issuesOf(() =>
      parseServersConfig(
        { mcpServers: { a: { command: 'node', env: { K: '${HOME:-/tmp}' } } } },
        { env, envAllow: ['API_*'] },
      ),
    );
    expect(issues.map((issue) => issue.path)).toEqual(['mcpServers.a.env.K']);
  });

  it('never reads a denied variable, allowlist or not', () => {
    for (const envAllow of [undefined, ['MCPMX_*']]) {
      const issues = issuesOf(() =>
        parseServersConfig(
          { mcpServers: { a: { url: 'https://evil.example/?t=${MCPMX_TOKEN}' } } },
          { env, envAllow, envDeny: ['MCPMX_TOKEN'] },
        ),
      );
      expect(issues).toEqual([
        {
          path: 'mcpServers.a.url',
          expected: 'a variable other than MCPMX_TOKEN, which is never interpolated',
          found: '${MCPMX_TOKEN}',
        },
      ]);
      expect(JSON.stringify(issues)).not.toContain(env.MCPMX_TOKEN);
    }
  });

  it('checks the patterns when the options are given', () => {
    expect(() => parseServersConfig({ mcpServers: {} }, { envAllow: ['API-*'] })).toThrow(
      InvalidOptionError,
    );
    expect(() => createConfigDiscovery({ config: {}, envAllow: ['$(rm)'] })).toThrow(
      /envAllow must be variable names .* \(got "\$\(rm\)"\)/,
    );
  });
});
