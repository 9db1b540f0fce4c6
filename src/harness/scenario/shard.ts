// `run --shard i/n`: parsing the shard option and choosing this shard's slice of a plan. Pure.
import { HarnessError } from "../shared/errors.ts";
import { EXIT_CODES } from "../shared/exit-codes.ts";
import type { PlannedRun } from "./plan.ts";

/** Shard `index` (1-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** Parses "i/n" (1 ≤ i ≤ n); throws a usage error naming the value and the expected form. */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = match === null ? NaN : Number(match[1]);
  const count = match === null ? NaN : Number(match[2]);
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) {
    throw new HarnessError(`--shard "${text}" is not a shard of a matrix`, {
      exitCode: EXIT_CODES.USAGE,
      hint: "write --shard i/n with 1 ≤ i ≤ n, e.g. --shard 2/3 for the second of three runners",
    });
  }
  return { index, count };
}

/**
 * The runs of the plan that shard `index` of `count` executes: every count-th run, starting at
 * index - 1. Round-robin over the repetition-major plan spreads strategies and repetitions evenly,
 * and the n shards together run every planned run exactly once.
 */
export function selectShard(plan: readonly PlannedRun[], shard: Shard): PlannedRun[] {
  return plan.filter((run) => run.index % shard.count === shard.index - 1);
}
