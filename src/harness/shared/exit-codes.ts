// Exit codes of the persistlab CLI: one constant per outcome, each documented; only cli/main.ts uses them to exit.
export const EXIT_CODES = {
  /** The command did what it was asked (a run finished and wrote results.json). */
  OK: 0,
  /** An unexpected internal error (a bug): the message and stack are printed. */
  INTERNAL: 1,
  /** Bad command-line usage: unknown command or option, missing argument. */
  USAGE: 2,
  /** The scenario file is missing, not JSON, or fails validation (every issue is listed). */
  INVALID_SCENARIO: 3,
  /** The engine could not be started, did not become ready, or the binary is missing. */
  ENGINE_FAILED: 4,
  /** A run failed part-way (results of finished runs are still written). */
  RUN_FAILED: 5,
  /** bisect: no single first bad commit was named (the ends do not differ clearly, or only skipped commits are left). */
  BISECT_INCONCLUSIVE: 95,
  /** recommend: no strategy meets the stated needs (gate/exit-codes.ts, docs/ci.md). */
  NO_STRATEGY: 96,
  /** gate/compare/recommend/merge/report: a results file is missing, malformed or of another schema version. */
  BAD_RESULTS: 97,
  /** gate: a metric regressed against the baseline beyond --max-regression (compare: with --fail-on-regression). */
  REGRESSION: 98,
  /** Thresholds of the scenario failed (reserved for `gate`; `run` reports but does not fail on them). */
  THRESHOLDS_FAILED: 99,
  /** Interrupted by SIGINT/SIGTERM: engines were stopped, partial results kept. */
  INTERRUPTED: 130,
} as const;

/** One of the documented exit codes. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];
