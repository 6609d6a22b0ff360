import { describe, expect, it } from 'vitest';
import { issuesOf } from '../../test/issues-of.js';
import { parseServersConfig } from './parse-config.js';

const servers = { ops: { command: 'ops-server' }, docs: { url: 'https://docs.example/mcp' } };
const auth = {
  issuer: 'https://login.example.com',
  resource: 'https://mcp.example.com/mcp',
  claims: ['groups'],
};

describe('the gateway section', () => {
  it('is read as written: auth, policy, tool mode and pins', () => {
    const gateway = {
      auth,
      policy: [
        { allow: { '*': ['get_*'] } },
        { when: { scope: 'deploy', groups: ['sre', 'ops'] }, allow: { ops: ['deploy*'] } },
        { when: { sub: 'mallory' }, deny: { ops: ['*'] } },
      ],
      tools: 'lazy',
      pin: ['ops__deploy'],
    };
    const config = parseServersConfig({ mcpServers: servers, gateway });
    expect(config.gateway).toEqual(gateway);
    expect(config.settings).toEqual({});
  });

  it('is absent when the config has none', () => {
    expect(parseServersConfig({ mcpServers: servers }).gateway).toBeUndefined();
  });

  it('names the path of a policy rule that refers to a server the config does not have', () => {
    const issues = issuesOf(() =>
      parseServersConfig({
        mcpServers: servers,
        gateway: { auth, policy: [{ allow: { ops: ['*'] } }, { deny: { opz: ['x'] } }] },
      }),
    );
    expect(issues).toEqual([
      {
        path: 'gateway.policy[1].deny.opz',
        expected: 'a configured server (ops, docs) or "*"',
        found: 'opz',
      },
    ]);
  });

  it('names the path of a claim that gateway.auth.claims does not declare', () => {
    const issues = issuesOf(() =>
      parseServersConfig({
        mcpServers: servers,
        gateway: { auth, policy: [{ when: { team: 'a', scope: 'x' }, allow: { ops: ['*'] } }] },
      }),
    );
    expect(issues).toEqual([
      {
        path: 'gateway.policy[0].when.team',
        expected:
          'a declared claim (scope, sub, client_id, groups; declare others in gateway.auth.claims)',
        found: 'team',
      },
    ]);
  });

  it('refuses claim conditions without auth (a static token carries no claims)', () => {
    const issues = issuesOf(() =>
      parseServersConfig({
        mcpServers: servers,
        gateway: { policy: [{ when: { scope: 'x' }, allow: { ops: ['*'] } }] },
      }),
    );
    expect(issues.map((issue) => issue.path)).toEqual(['gateway.policy[0].when.scope']);
  });

  it('reports bad values at their paths, with what was expected', () => {
    const issues = issuesOf(() =>
      parseServersConfig({
        mcpServers: servers,
        gateway: {
          auth: { issuer: 'login.example.com', resource: 'https://mcp.example/mcp#x', claim: [] },
          policy: [{ when: { scope: [] }, allow: { ops: 'deploy' } }],
          tools: 'lazzy',
        },
      }),
    );
    const byPath = Object.fromEntries(issues.map((issue) => [issue.path, issue.expected]));
    expect(byPath).toEqual({
      'gateway.auth.issuer':
        'the authorization server: an absolute http(s) URL without a #fragment',
      'gateway.auth.resource':
        "the gateway's public MCP URL: an absolute http(s) URL without a #fragment",
      'gateway.auth.claim': 'one of the known keys (did you mean "claims"?)',
      'gateway.policy[0].when.scope': 'a string or a non-empty array of strings',
      'gateway.policy[0].allow.ops': 'an array of strings',
      'gateway.tools': '"eager" or "lazy"',
    });
  });

  it('needs auth.issuer and auth.resource', () => {
    const issues = issuesOf(() =>
      parseServersConfig({ mcpServers: servers, gateway: { auth: {} } }),
    );
    expect(issues.map((issue) => issue.path).sort()).toEqual([
      'gateway.auth.issuer',
      'gateway.auth.resource',
    ]);
  });
});
