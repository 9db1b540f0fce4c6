// The pure plan: run order, ids and seeds, phase timeline, open-loop arrival times.
import { describe, expect, it } from "vitest";
import { createPlan, getIntendedSendMs } from "../../../src/harness/scenario/plan.ts";
import { parseScenario } from "../../../src/harness/scenario/load.ts";

const scenario = parseScenario({
  name: "plan",
  seed: 42,
  repetitions: 2,
  strategies: ["none", "aof-always"],
  workload: { keys: { count: 100, distribution: "uniform" }, mix: { SET: 1, GET: 1, INCR: 1 } },
  phases: [
    { name: "warmup", duration: "1s", record: false },
    { name: "steady", duration: "5s" },
    { name: "rw", kind: "rewrite", before: "2s", after: "1s" },
  ],
});

describe("createPlan", () => {
  it("interleaves strategies within each repetition, with stable ids and one seed per repetition", () => {
    const plan = createPlan(scenario);
    expect(plan.map((r) => r.id)).toEqual(["none#1", "aof-always#1", "none#2", "aof-always#2"]);
    expect(plan[0]?.seed).toBe(plan[1]?.seed);
    expect(plan[0]?.seed).not.toBe(plan[2]?.seed);
    expect(createPlan(scenario).map((r) => r.seed)).toEqual(plan.map((r) => r.seed));
  });

  it("lays phases out back to back", () => {
    const phases = createPlan(scenario)[0]?.phases ?? [];
    expect(phases.map((p) => [p.phase.name, p.startMs, p.estimatedMs])).toEqual([
      ["warmup", 0, 1000],
      ["steady", 1000, 5000],
      ["rw", 6000, 4000],
    ]);
  });
});

describe("open-loop arrival times", () => {
  it("spaces intended send times evenly at the target rate", () => {
    expect([0, 1, 2, 1000].map((i) => getIntendedSendMs(i, 2000))).toEqual([0, 0.5, 1, 500]);
  });
});
