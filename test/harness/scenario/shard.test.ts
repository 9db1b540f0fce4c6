// run --shard i/n: option parsing, the slices of a plan, and merge's check that the slices form one whole.
import { describe, expect, it } from "vitest";
import { createPlan } from "../../../src/harness/scenario/plan.ts";
import { parseScenario } from "../../../src/harness/scenario/load.ts";
import { parseShard, selectShard } from "../../../src/harness/scenario/shard.ts";
import { mergeResults } from "../../../src/harness/compare/merge-results.ts";
import { readResults } from "../../../src/harness/report/read-results.ts";
import type { Results } from "../../../src/harness/results/schema.ts";

const scenario = parseScenario({
  name: "shards",
  seed: 7,
  repetitions: 3,
  strategies: ["none", "rdb", "aof-always", "hybrid"],
  workload: { keys: { count: 100, distribution: "uniform" }, mix: { SET: 1 } },
  phases: [{ name: "steady", duration: "1s" }],
});

describe("parseShard", () => {
  it("reads i/n", () => {
    expect(parseShard("2/3")).toEqual({ index: 2, count: 3 });
    expect(parseShard(" 1/1 ")).toEqual({ index: 1, count: 1 });
  });

  it.each(["0/3", "4/3", "3", "a/b", "1/0", "-1/2", "1.5/2"])("refuses %s with the expected form", (text) => {
    expect(() => parseShard(text)).toThrow(new RegExp(`--shard "${text.replace(/[.]/g, "\\.")}"`));
  });
});

describe("selectShard", () => {
  const plan = createPlan(scenario);

  it("splits the plan into disjoint slices that together run every run once", () => {
    const slices = [1, 2, 3, 4, 5].map((index) => selectShard(plan, { index, count: 5 }));
    const ids = slices.flatMap((slice) => slice.map((run) => run.id));
    expect(ids.sort()).toEqual(plan.map((run) => run.id).sort());
    expect(new Set(ids).size).toBe(plan.length);
    for (const slice of slices) expect(slice.length === 2 || slice.length === 3).toBe(true);
  });

  it("keeps each run's seed and id (a slice measures exactly what the whole would)", () => {
    const slice = selectShard(plan, { index: 2, count: 3 });
    for (const run of slice) expect(plan[run.index]).toBe(run);
  });
});

describe("merge of sliced results", () => {
  const whole = readResults("test/fixtures/results/strategy-matrix.json");
  const slice = (index: number, count: number): Results => ({
    ...whole,
    shard: { index, count },
    runs: whole.runs.filter((_, i) => i % count === index - 1),
  });

  it("joins every slice and drops the shard marker", () => {
    const merged = mergeResults([slice(2, 2), slice(1, 2)]);
    expect(merged.shard).toBeUndefined();
    expect(merged.runs.map((r) => r.id).sort()).toEqual(whole.runs.map((r) => r.id).sort());
  });

  it("names a missing slice, a slice given twice and mixed splits", () => {
    expect(() => mergeResults([slice(1, 3), slice(3, 3)])).toThrow(/shard 2\/3 missing/);
    expect(() => mergeResults([slice(1, 2), slice(1, 2)])).toThrow(/given twice|more than one shard/);
    expect(() => mergeResults([slice(1, 2), slice(2, 3)])).toThrow(/different splits/);
  });
});
