// Exit codes of the persistlab CLI: one constant per outcome, each documented; only cli/main.ts uses them to exit.
// docs/cli.md holds the one table of these codes for users: keep the two in step (test/harness/cli/docs.test.ts checks).
export const EXIT_CODES = {
  /** The command did what it was asked (a run finished, every threshold held; the gate passed). */
  OK: 0,
  /** An unexpected internal error (a bug): the message and stack are printed. Also: check-aof/check-rdb found a damaged file (as redis-check-aof/rdb). */
  INTERNAL: 1,
  /** Bad command-line usage: unknown command or option, missing or malformed argument, options that do not go together. */
  USAGE: 2,
  /** The scenario file is missing, not JSON, or fails validation (every issue is listed). */
  INVALID_SCENARIO: 3,
  /** The engine could not be started, did not become ready, refused the connection (attach), or the binary is missing. */
  ENGINE_FAILED: 4,
  /** A run failed part-way (results of finished runs are still written); gate: the results hold failed runs. */
  RUN_FAILED: 5,
  /** An input file (a directory to probe, an AOF or RDB to check) does not exist or cannot be read. */
  FILE_NOT_FOUND: 6,
  /** gate --baseline / compare: the two results come from different scenarios (compare: unless --force) or engines (gate). */
  NOT_COMPARABLE: 94,
  /** gate: nothing to judge (no thresholds and no --baseline, or a baseline with 0 compared figures). */
  NOTHING_TO_JUDGE: 95,
  /** bisect: no single first bad commit was named (the ends do not differ clearly, or only skipped commits are left). */
  BISECT_INCONCLUSIVE: 93,
  /** recommend: no strategy meets the stated needs. */
  NO_STRATEGY: 96,
  /** gate/compare/recommend/merge/report: a results file is missing, malformed or of another schema version. */
  BAD_RESULTS: 97,
  /** gate: a metric regressed against the baseline beyond --max-regression (compare: with --fail-on-regression). */
  REGRESSION: 98,
  /** A threshold of the scenario failed, durability thresholds included: `run` (unless --no-thresholds) and `gate`. As in k6. */
  THRESHOLDS_FAILED: 99,
  /** Interrupted by SIGINT/SIGTERM: engines were stopped, partial results kept. */
  INTERRUPTED: 130,
} as const;

/** One of the documented exit codes. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];
