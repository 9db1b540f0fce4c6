// yargs `coerce` functions for numeric options: a value that is not the number asked for is a usage error
// (exit 2) naming the option, the value and the form expected, never NaN passed on. yargs rethrows a coerce
// error as its own YError (message kept, type lost), which cli/main.ts reports as a usage error.
import { HarnessError } from "../shared/errors.ts";
import { EXIT_CODES } from "../shared/exit-codes.ts";

/** Bounds and wording of an integer option. */
export interface IntegerOptionSpec {
  min?: number;
  max?: number;
  /** e.g. "--seed 42" */
  example: string;
}

/** A coerce function accepting only whole numbers within [min, max]. */
export function integerOption(option: string, spec: IntegerOptionSpec): (value: unknown) => number | undefined {
  return (value: unknown) => {
    if (value === undefined) return undefined;
    const text = Array.isArray(value) ? String(value[value.length - 1]) : String(value);
    const number = /^\s*[-+]?\d+\s*$/.test(text) ? Number(text) : Number.NaN;
    const min = spec.min ?? Number.MIN_SAFE_INTEGER;
    const max = spec.max ?? Number.MAX_SAFE_INTEGER;
    if (!Number.isSafeInteger(number) || number < min || number > max) {
      const range =
        spec.min === undefined && spec.max === undefined
          ? "a whole number"
          : spec.max === undefined
            ? `a whole number ≥ ${min}`
            : `a whole number from ${min} to ${max}`;
      throw new HarnessError(`--${option} expects ${range}, got ${JSON.stringify(text)} (e.g. ${spec.example})`, {
        exitCode: EXIT_CODES.USAGE,
      });
    }
    return number;
  };
}

/** A coerce function accepting a finite number (fractions allowed) ≥ min. */
export function numberOption(
  option: string,
  spec: { min?: number; example: string },
): (value: unknown) => number | undefined {
  return (value: unknown) => {
    if (value === undefined) return undefined;
    const text = Array.isArray(value) ? String(value[value.length - 1]) : String(value);
    const number = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isFinite(number) || (spec.min !== undefined && number < spec.min)) {
      throw new HarnessError(
        `--${option} expects a number${spec.min === undefined ? "" : ` ≥ ${spec.min}`}, got ${JSON.stringify(text)} (e.g. ${spec.example})`,
        { exitCode: EXIT_CODES.USAGE },
      );
    }
    return number;
  };
}
