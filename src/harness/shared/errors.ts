// Harness error types: everything that reaches the CLI is a HarnessError with an exit code and a hint.
import { EXIT_CODES, type ExitCode } from "./exit-codes.ts";

/** An error meant for the user: a message, the exit code it maps to and an optional fix. */
export class HarnessError extends Error {
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;
  constructor(message: string, options: { exitCode?: ExitCode; hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "HarnessError";
    this.exitCode = options.exitCode ?? EXIT_CODES.INTERNAL;
    this.hint = options.hint;
  }
}

/** One problem in a scenario file: where, and what to do about it. */
export interface ScenarioIssue {
  path: string;
  message: string;
}

/** A scenario that failed validation, carrying every issue found (not just the first). */
export class ScenarioError extends HarnessError {
  readonly issues: readonly ScenarioIssue[];
  readonly file: string | undefined;
  constructor(issues: readonly ScenarioIssue[], file?: string) {
    const where = file === undefined ? "scenario" : `scenario ${file}`;
    const lines = issues.map((issue) => `  - ${issue.path === "" ? "(root)" : issue.path}: ${issue.message}`);
    super(`Invalid ${where} (${issues.length} issue${issues.length === 1 ? "" : "s"}):\n${lines.join("\n")}`, {
      exitCode: EXIT_CODES.INVALID_SCENARIO,
    });
    this.name = "ScenarioError";
    this.issues = issues;
    this.file = file;
  }
}

/** Normalises any thrown value into an Error (catch clauses receive unknown). */
export function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  return new Error(typeof value === "string" ? value : JSON.stringify(value));
}

/** A results file that cannot be used; the CLI exits with BAD_RESULTS (97). */
export class BadResultsError extends HarnessError {
  readonly file: string;
  constructor(file: string, message: string, options: { cause?: unknown } = {}) {
    super(`${file}: ${message}`, {
      exitCode: EXIT_CODES.BAD_RESULTS,
      hint: "pass the results.json written by `persistlab run` (schema in docs/results-schema.md)",
      cause: options.cause,
    });
    this.name = "BadResultsError";
    this.file = file;
  }
}
