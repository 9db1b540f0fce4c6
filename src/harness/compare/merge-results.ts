// Joins the results of shards (`run --shard i/n`) into one results file: same scenario, runs concatenated. Pure.
import { analyzeResults } from "../analysis/analysis.ts";
import type { Results } from "../results/schema.ts";

/** Problems that make shards impossible to merge. */
export class MergeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MergeError";
  }
}

// Shards written by `run --shard i/n` must be one complete set: same n, each i once, none missing.
function checkShardSet(shards: readonly Results[]): void {
  const sliced = shards.filter((shard) => shard.shard !== undefined);
  if (sliced.length === 0) return;
  const count = sliced[0]?.shard?.count ?? 0;
  const present = new Set<number>();
  for (const shard of sliced) {
    const slice = shard.shard;
    if (slice === undefined) continue;
    if (slice.count !== count)
      throw new MergeError(`shards of different splits: ${slice.index}/${slice.count} and one of /${count}`);
    if (present.has(slice.index)) throw new MergeError(`shard ${slice.index}/${count} is given twice`);
    present.add(slice.index);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((index) => !present.has(index));
  if (missing.length > 0)
    throw new MergeError(
      `shard${missing.length === 1 ? "" : "s"} ${missing.map((i) => `${i}/${count}`).join(", ")} missing: give every slice's results.json`,
    );
}

/** Merges shards; throws MergeError if scenarios differ, a run id appears twice or a shard is missing. */
export function mergeResults(shards: readonly Results[]): Results {
  const first = shards[0];
  if (first === undefined) throw new MergeError("nothing to merge: give at least one results file");
  checkShardSet(shards);
  const seen = new Set<string>();
  for (const [index, shard] of shards.entries()) {
    if (shard.scenario.name !== first.scenario.name) {
      throw new MergeError(
        `shard ${index + 1} is scenario "${shard.scenario.name}", the first is "${first.scenario.name}"`,
      );
    }
    if (JSON.stringify(shard.scenario) !== JSON.stringify(first.scenario)) {
      throw new MergeError(
        `shard ${index + 1} ran a different version of scenario "${first.scenario.name}" (settings differ)`,
      );
    }
    for (const run of shard.runs) {
      if (seen.has(run.id)) throw new MergeError(`run "${run.id}" appears in more than one shard`);
      seen.add(run.id);
    }
  }
  const order = new Map(first.scenario.strategies.map((s, i) => [s.name, i]));
  const runs = shards
    .flatMap((s) => s.runs)
    .sort((x, y) => (order.get(x.strategy) ?? 1e9) - (order.get(y.strategy) ?? 1e9) || x.repetition - y.repetition);
  const statuses = shards.map((s) => s.status);
  const status = statuses.includes("failed")
    ? "failed"
    : statuses.includes("interrupted")
      ? "interrupted"
      : statuses.includes("running")
        ? "running"
        : "complete";
  const floors = shards.map((s) => s.diskFloor).filter((f) => f.measured);
  // A shard's analysis covers its slice only: the merged file gets one of its own.
  const { shard: _slice, analysis: _sliceAnalysis, ...whole } = first;
  const merged: Results = {
    ...whole,
    createdAt: shards.map((s) => s.createdAt).sort()[0] ?? first.createdAt,
    status,
    diskFloor: floors[0] ?? first.diskFloor,
    runs,
  };
  if (runs.length > 0) merged.analysis = analyzeResults(merged);
  return merged;
}
