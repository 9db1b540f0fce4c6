// Exit codes of the decision commands (gate, compare, recommend, merge, report); documented in docs/cli.md.
// The values live in shared/exit-codes.ts (the CLI's single list); THRESHOLDS_FAILED is 99 as in k6.
import { HarnessError } from "../shared/errors.ts";
import { EXIT_CODES } from "../shared/exit-codes.ts";

/** Every exit code gate/compare/recommend/merge/report can end with. */
export const GATE_EXIT_CODES = {
  /** Everything checked passed (gate), no regression (compare), a strategy qualifies (recommend). */
  PASS: 0,
  /** A results file is missing, not JSON, not a persistlab results file, or has an unsupported schema version. */
  BAD_INPUT: EXIT_CODES.BAD_RESULTS,
  /** Compared with the baseline, a metric regressed beyond --max-regression (gate; compare with --fail-on-regression). */
  REGRESSION: EXIT_CODES.REGRESSION,
  /** A scenario threshold failed (gate). Takes precedence over REGRESSION when both happen. */
  THRESHOLDS_FAILED: EXIT_CODES.THRESHOLDS_FAILED,
  /** gate: a run in the results failed (its figures are missing, so nothing about it can pass). */
  RUN_FAILED: EXIT_CODES.RUN_FAILED,
  /** gate: the baseline is of another scenario or engine; compare: A and B are of different scenarios (without --force). */
  NOT_COMPARABLE: EXIT_CODES.NOT_COMPARABLE,
  /** gate: no thresholds and no baseline, or a baseline with 0 compared figures: a PASS would mean nothing. */
  NOTHING_TO_JUDGE: EXIT_CODES.NOTHING_TO_JUDGE,
  /** recommend: no strategy meets the stated needs. */
  NO_STRATEGY: EXIT_CODES.NO_STRATEGY,
} as const;

/** One of the decision commands' exit codes. */
export type GateExitCode = (typeof GATE_EXIT_CODES)[keyof typeof GATE_EXIT_CODES];

/** A results file that cannot be used; the CLI exits with BAD_INPUT (97). */
export class BadResultsError extends HarnessError {
  readonly file: string;
  constructor(file: string, message: string, options: { cause?: unknown } = {}) {
    super(`${file}: ${message}`, { exitCode: GATE_EXIT_CODES.BAD_INPUT, hint: "pass the results.json written by `persistlab run` (schema in docs/results-schema.md)", cause: options.cause });
    this.name = "BadResultsError";
    this.file = file;
  }
}
