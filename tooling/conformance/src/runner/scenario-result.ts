/** One check of a scenario, as the suite writes it to `checks.json`. */
export interface ConformanceCheck {
  id: string;
  name?: string;
  description?: string;
  status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'INFO' | 'SKIPPED' | string;
  errorMessage?: string;
  details?: { message?: unknown };
}

/** The outcome of one scenario. */
export interface ScenarioResult {
  scenario: string;
  /** No check failed (the suite's own rule for a server scenario; warnings are listed apart). */
  passed: boolean;
  /** One line per failed check: its name and message. */
  failures: string[];
  /** One line per warning. */
  warnings: string[];
  /** The last line the client program wrote to stderr (client scenarios), if any. */
  clientError?: string;
}

/** Judges a scenario from its checks; a scenario that produced no checks did not run. */
export function judgeScenario(
  scenario: string,
  checks: readonly ConformanceCheck[],
): ScenarioResult {
  const line = (check: ConformanceCheck) => {
    const detail = typeof check.details?.message === 'string' ? check.details.message : undefined;
    return `${check.name ?? check.id}: ${check.errorMessage ?? detail ?? check.description ?? check.status}`;
  };
  const failures = checks.filter((check) => check.status === 'FAILURE').map(line);
  const warnings = checks.filter((check) => check.status === 'WARNING').map(line);
  if (checks.length === 0) failures.push(`${scenario}: the scenario produced no checks`);
  return { scenario, passed: failures.length === 0, failures, warnings };
}

/** Whether a client scenario belongs to the auth suite (out of this measurement's target). */
export const isAuthScenario = (scenario: string) => scenario.startsWith('auth/');
