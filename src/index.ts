// persistlab's programmatic API (package entry "persistlab"): the functions the CLI commands themselves call,
// and the types of results.json. Explicit export list; docs/api.md shows a complete example.
export { loadScenario, type LoadScenarioOptions } from "./harness/api/load-scenario.ts";
export {
  runScenario,
  type RunScenarioOptions,
  type ScenarioRun,
  type EngineSelection,
} from "./harness/api/run-scenario.ts";
export { gate, type GateInputOptions, type GateVerdict } from "./harness/api/gate.ts";
export { compare, type CompareInputOptions } from "./harness/api/compare.ts";
export { recommend } from "./harness/api/recommend.ts";
export { toResults as readResults, type ResultsInput } from "./harness/api/inputs.ts";
export { listReadyMadeScenarios as listScenarios } from "./harness/cli/scenario-path.ts";
export { getScenarioJsonSchema } from "./harness/api/scenario-json-schema.ts";
export { renderMarkdown } from "./harness/report/markdown.ts";
export { BadResultsError, HarnessError, ScenarioError, type ScenarioIssue } from "./harness/shared/errors.ts";
export { EXIT_CODES, type ExitCode } from "./harness/shared/exit-codes.ts";

export type { EngineKind } from "./harness/engines/types.ts";
export type {
  ResolvedScenario,
  ResolvedPhase,
  ResolvedStrategy,
  ResolvedThreshold,
} from "./harness/scenario/resolved.ts";
export type { GateResult, Regression } from "./harness/gate/evaluate-gate.ts";
export type { ThresholdCheck } from "./harness/gate/check-thresholds.ts";
export type { Comparison, CompareRow, CompareVerdict } from "./harness/compare/compare-results.ts";
export type { Needs, Recommendation, Candidate } from "./harness/recommend/recommend-strategy.ts";
export type { StrategySummary } from "./harness/report/strategy-summary.ts";
export type { RunProgress } from "./harness/run/run-one.ts";
export { RESULTS_SCHEMA_VERSION } from "./harness/results/schema.ts";
export type {
  Results,
  RunResult,
  RunMetrics,
  RunEvent,
  PhaseRecord,
  Environment,
  DiskFloor,
  NotMeasured,
  ThroughputMetrics,
  LatencyMetrics,
  FsyncMeasured,
  RewriteMeasured,
  RecoverySample,
  RecoveryMeasured,
  ErrorMetrics,
  AvailabilityMetrics,
  DurabilityMetrics,
} from "./harness/results/schema.ts";
