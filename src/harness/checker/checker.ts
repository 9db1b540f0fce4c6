// Checker contract shared by every checker (Jepsen style): a pure check over recorded data that answers
// valid true | false | "unknown", and compose() to merge several with priority false > unknown > true.

/** Three-valued validity: "unknown" when the data cannot decide (e.g. a needed input is missing). */
export type Validity = true | false | "unknown";

/** Every checker's result carries at least its validity; checkers add their own fields. */
export interface CheckResult {
  valid: Validity;
  /** Short human summary, one line. */
  summary?: string;
}

/** A named pure check over some input. */
export interface Checker<Input, Result extends CheckResult = CheckResult> {
  readonly name: string;
  check(input: Input): Result;
}

/** The result of compose(): the merged validity plus each checker's own result by name. */
export interface ComposedResult extends CheckResult {
  results: Record<string, CheckResult>;
}

/** Merges validities: any false wins, then any "unknown", else true (an empty list is true). */
export function mergeValidity(values: Iterable<Validity>): Validity {
  let merged: Validity = true;
  for (const value of values) {
    if (value === false) return false;
    if (value === "unknown") merged = "unknown";
  }
  return merged;
}

/** Runs every checker on the same input and merges their validities (false > unknown > true). */
export function compose<Input>(checkers: Readonly<Record<string, Checker<Input>>>): Checker<Input, ComposedResult> {
  return {
    name: "compose",
    check(input) {
      const results: Record<string, CheckResult> = {};
      for (const [name, checker] of Object.entries(checkers)) results[name] = checker.check(input);
      const valid = mergeValidity(Object.values(results).map((result) => result.valid));
      const failing = Object.entries(results)
        .filter(([, result]) => result.valid !== true)
        .map(([name, result]) => `${name}: ${String(result.valid)}`);
      return { valid, summary: failing.length === 0 ? "all checks valid" : failing.join(", "), results };
    },
  };
}
