// Inputs the API accepts in two forms: results as a parsed object or a results.json path, limits as a
// fraction or text ("10%"). Normalised here once, so the API functions and the CLI read them alike.
import { parseRegressionLimit } from "../gate/evaluate-gate.ts";
import { readResults } from "../report/read-results.ts";
import type { Results } from "../results/schema.ts";
import { HarnessError } from "../shared/errors.ts";
import { EXIT_CODES } from "../shared/exit-codes.ts";

/** A results.json path, or results already read. */
export type ResultsInput = Results | string;

/** Reads a results.json path (BadResultsError, exit 97, when it is unusable); passes objects through. */
export function toResults(input: ResultsInput): Results {
  return typeof input === "string" ? readResults(input) : input;
}

/** A fraction (0.1) or text ("10%", "10", "0.1"); `option` names the CLI option in the error. */
export function toFraction(value: number | string, option: string): number {
  if (typeof value === "number") return value;
  try {
    return parseRegressionLimit(value);
  } catch (error) {
    throw new HarnessError((error as Error).message.replace("--max-regression", option), {
      exitCode: EXIT_CODES.USAGE,
    });
  }
}
