export { formatReport, renderDocSection, writeDocSection } from './runner/report.js';
export type {
  ConformanceCounts,
  ConformanceReport,
  RunConformanceOptions,
} from './runner/run-conformance.js';
export { countReport, runConformance } from './runner/run-conformance.js';
export type { ConformanceCheck, ScenarioResult } from './runner/scenario-result.js';
export { isAuthScenario, judgeScenario } from './runner/scenario-result.js';
export { createConformanceServer } from './server/conformance-server.js';
