// Exit codes of the decision commands (gate, compare, recommend, merge, report); documented in docs/ci.md.
// THRESHOLDS_FAILED equals the run-wide code in shared/exit-codes.ts (k6 uses 99 for the same outcome).
import { EXIT_CODES } from "../shared/exit-codes.ts";

/** Every exit code gate/compare/recommend/merge/report can end with. */
export const GATE_EXIT_CODES = {
  /** Everything checked passed (gate), no regression (compare), a strategy qualifies (recommend). */
  PASS: 0,
  /** A results file is missing, not JSON, not a persistlab results file, or has an unsupported schema version. */
  BAD_INPUT: 97,
  /** Compared with the baseline, a metric regressed beyond --max-regression (gate; compare with --fail-on-regression). */
  REGRESSION: 98,
  /** A scenario threshold failed (gate). Takes precedence over REGRESSION when both happen. */
  THRESHOLDS_FAILED: EXIT_CODES.THRESHOLDS_FAILED,
  /** recommend: no strategy meets the stated needs. */
  NO_STRATEGY: 96,
} as const;

/** One of the decision commands' exit codes. */
export type GateExitCode = (typeof GATE_EXIT_CODES)[keyof typeof GATE_EXIT_CODES];

/** A results file that cannot be used; the CLI exits with BAD_INPUT. */
export class BadResultsError extends Error {
  readonly exitCode = GATE_EXIT_CODES.BAD_INPUT;
  readonly file: string;
  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super(`${file}: ${message}`, options);
    this.name = "BadResultsError";
    this.file = file;
  }
}
