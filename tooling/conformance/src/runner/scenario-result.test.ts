import { describe, expect, it } from 'vitest';
import { isAuthScenario, judgeScenario } from './scenario-result.js';

describe('judgeScenario', () => {
  it('passes a scenario whose checks succeeded, listing warnings apart', () => {
    const result = judgeScenario('server-sse-polling', [
      { id: 'a', status: 'INFO' },
      { id: 'b', name: 'Retry', status: 'WARNING', errorMessage: 'no retry field' },
    ]);
    expect(result).toEqual({
      scenario: 'server-sse-polling',
      passed: true,
      failures: [],
      warnings: ['Retry: no retry field'],
    });
  });

  it('fails a scenario with a failed check, naming it with its message or detail', () => {
    const result = judgeScenario('tools_call', [
      {
        id: 'x',
        name: 'ToolAddNumbers',
        status: 'FAILURE',
        details: { message: 'Tool was not called' },
      },
    ]);
    expect(result.passed).toBe(false);
    expect(result.failures).toEqual(['ToolAddNumbers: Tool was not called']);
  });

  it('fails a scenario that produced no checks', () => {
    expect(judgeScenario('ping', []).failures).toEqual(['ping: the scenario produced no checks']);
  });

  it('tells the auth scenarios apart', () => {
    expect(isAuthScenario('auth/metadata-default')).toBe(true);
    expect(isAuthScenario('elicitation-sep1034-client-defaults')).toBe(false);
  });
});
