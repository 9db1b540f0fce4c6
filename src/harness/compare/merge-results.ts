// Joins the results of shards (`run --shard i/n`) into one results file: same scenario, runs concatenated. Pure.
import type { Results } from "../results/schema.ts";

/** Problems that make shards impossible to merge. */
export class MergeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MergeError";
  }
}

/** Merges shards; throws MergeError if scenarios differ or a run id appears twice. */
export function mergeResults(shards: readonly Results[]): Results {
  const first = shards[0];
  if (first === undefined) throw new MergeError("nothing to merge: give at least one results file");
  const seen = new Set<string>();
  for (const [index, shard] of shards.entries()) {
    if (shard.scenario.name !== first.scenario.name) {
      throw new MergeError(`shard ${index + 1} is scenario "${shard.scenario.name}", the first is "${first.scenario.name}"`);
    }
    if (JSON.stringify(shard.scenario) !== JSON.stringify(first.scenario)) {
      throw new MergeError(`shard ${index + 1} ran a different version of scenario "${first.scenario.name}" (settings differ)`);
    }
    for (const run of shard.runs) {
      if (seen.has(run.id)) throw new MergeError(`run "${run.id}" appears in more than one shard`);
      seen.add(run.id);
    }
  }
  const order = new Map(first.scenario.strategies.map((s, i) => [s.name, i]));
  const runs = shards.flatMap((s) => s.runs).sort((x, y) =>
    (order.get(x.strategy) ?? 1e9) - (order.get(y.strategy) ?? 1e9) || x.repetition - y.repetition);
  const statuses = shards.map((s) => s.status);
  const status = statuses.includes("failed") ? "failed" : statuses.includes("interrupted") ? "interrupted" : statuses.includes("running") ? "running" : "complete";
  const floors = shards.map((s) => s.diskFloor).filter((f) => f.measured);
  return {
    ...first,
    createdAt: shards.map((s) => s.createdAt).sort()[0] ?? first.createdAt,
    status,
    diskFloor: floors[0] ?? first.diskFloor,
    runs,
  };
}
