// Reads and sanity-checks a results.json for the decision commands; problems become BadResultsError.
import { readFileSync } from "node:fs";
import { BadResultsError } from "../shared/errors.ts";
import { RESULTS_SCHEMA_VERSION, type Results } from "../results/schema.ts";

// Whether a value is a plain object.
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Checks the shape that every consumer relies on; returns the problems found (empty when usable). */
export function checkResultsShape(value: unknown): string[] {
  if (!isObject(value)) return ["expected a JSON object"];
  const problems: string[] = [];
  if (value["tool"] !== "persistlab")
    problems.push(`expected "tool": "persistlab", got ${JSON.stringify(value["tool"])}`);
  if (value["schemaVersion"] !== RESULTS_SCHEMA_VERSION) {
    problems.push(
      `unsupported schemaVersion ${JSON.stringify(value["schemaVersion"])} (this persistlab reads ${RESULTS_SCHEMA_VERSION})`,
    );
  }
  if (!isObject(value["scenario"])) problems.push("missing `scenario`");
  if (!isObject(value["environment"])) problems.push("missing `environment`");
  const runs = value["runs"];
  if (!Array.isArray(runs)) problems.push("missing `runs` array");
  else {
    runs.forEach((run: unknown, index) => {
      if (!isObject(run) || typeof run["strategy"] !== "string" || !isObject(run["metrics"])) {
        problems.push(`runs[${index}] lacks \`strategy\` or \`metrics\``);
      }
    });
  }
  return problems;
}

/** Parses results from text; throws BadResultsError naming the file. */
export function parseResults(text: string, file: string): Results {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BadResultsError(file, `not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const problems = checkResultsShape(value);
  if (problems.length > 0)
    throw new BadResultsError(file, `not a usable persistlab results file: ${problems.join("; ")}`);
  return value as Results;
}

/** Reads results.json from disk; throws BadResultsError when missing or malformed. */
export function readResults(file: string): Results {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new BadResultsError(
      file,
      `cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      { cause: error },
    );
  }
  return parseResults(text, file);
}
