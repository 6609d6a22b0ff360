import type { PolicyRule } from '@mcpmx/registry';
import { describe, expect, it } from 'vitest';
import type { Caller } from './caller.js';
import { createToolPolicy } from './tool-policy.js';

const caller = (fields: Partial<Caller> = {}): Caller => ({
  principal: 'alice',
  clientId: 'app',
  scopes: ['mcp:read'],
  claims: { groups: ['staff'] },
  ...fields,
});

const RULES: PolicyRule[] = [
  { allow: { '*': ['get_*', 'list_*'] } },
  { when: { scope: 'deploy' }, allow: { ops: ['deploy*'] } },
  { when: { groups: ['contractors', 'interns'] }, deny: { ops: ['*'] } },
  { when: { sub: 'root' }, allow: { '*': ['*'] } },
];

describe('createToolPolicy', () => {
  it('without a policy allows every tool to everyone', () => {
    expect(createToolPolicy(undefined)(undefined).allows('ops', 'deploy')).toBe(true);
  });

  it('is default deny: only what an applying rule allows', () => {
    const access = createToolPolicy(RULES)(caller());
    expect(access.allows('ops', 'get_status')).toBe(true);
    expect(access.allows('ops', 'deploy_app')).toBe(false);
    expect(access.allows('files', 'write_file')).toBe(false);
  });

  it('applies a rule when every claim matches one of its values', () => {
    const policy = createToolPolicy(RULES);
    expect(policy(caller({ scopes: ['mcp:read', 'deploy'] })).allows('ops', 'deploy_app')).toBe(
      true,
    );
    expect(policy(caller({ scopes: ['deploy'] })).allows('files', 'deploy_app')).toBe(false);
    expect(policy(caller({ principal: 'root' })).allows('files', 'write_file')).toBe(true);
  });

  it('a deny that applies wins over any allow', () => {
    const contractor = caller({ scopes: ['deploy'], claims: { groups: ['interns'] } });
    const access = createToolPolicy(RULES)(contractor);
    expect(access.allows('ops', 'deploy_app')).toBe(false);
    expect(access.allows('ops', 'get_status')).toBe(false);
    expect(access.allows('files', 'get_file')).toBe(true);
  });

  it('a caller without a token matches no claim condition', () => {
    const access = createToolPolicy(RULES)(undefined);
    expect(access.allows('ops', 'list_jobs')).toBe(true);
    expect(access.allows('ops', 'deploy_app')).toBe(false);
  });
});
