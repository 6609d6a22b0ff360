import { ConfigError, type ConfigIssue } from '@mcpmx/core';
import { expect } from 'vitest';

/** The issues of the ConfigError `run` throws; fails the test when it throws none. */
export function issuesOf(run: () => unknown): readonly ConfigIssue[] {
  try {
    run();
  } catch (error) {
    expect(ConfigError.isInstance(error)).toBe(true);
    return (error as ConfigError).issues;
  }
  throw new Error('expected a ConfigError');
}
