// The op generator: seeded op sequences, as the workload driver draws them for each client of a run.
import { describe, expect, it } from "vitest";
import { parseScenario } from "../../../src/harness/scenario/load.ts";
import type { ResolvedScenario } from "../../../src/harness/scenario/resolved.ts";
import { createRng } from "../../../src/harness/shared/rng.ts";
import { getOpValue, OpGenerator, type GeneratedOp } from "../../../src/harness/workload/ops.ts";
import { numberedKeyText } from "../../../src/harness/shared/generated-values.ts";

const scenario = parseScenario({
  name: "ops",
  seed: 42,
  workload: { keys: { count: 100, distribution: "uniform" }, mix: { SET: 1, GET: 1, INCR: 1 } },
});

// The first `count` ops client `client` sends in a run with `seed` (ids 1..count), drawn as run-one and the workload driver do.
function firstOps(resolved: ResolvedScenario, seed: number, client: number, count: number): GeneratedOp[] {
  const generator = new OpGenerator(
    resolved.workload,
    createRng(seed).fork("workload").fork(`client-${client}`),
    client,
  );
  return Array.from({ length: count }, (_, index) => generator.next(index + 1));
}

describe("OpGenerator", () => {
  it("is deterministic for a seed and client, and differs across seeds and clients", () => {
    const ops = firstOps(scenario, 42, 0, 20);
    expect(firstOps(scenario, 42, 0, 20)).toEqual(ops);
    expect(firstOps(scenario, 43, 0, 20)).not.toEqual(ops);
    expect(firstOps(scenario, 42, 1, 20)).not.toEqual(ops);
  });

  it("gives writes unique values that embed the op id, with each type in its own key namespace", () => {
    const ops = firstOps(scenario, 7, 0, 200);
    for (const [index, op] of ops.entries()) {
      if (op.f === "SET") expect(getOpValue(op)).toMatch(new RegExp(`^w${index + 1}\\|x+$`));
      expect(numberedKeyText(op.key).startsWith(op.f === "INCR" ? "ctr:" : "key:")).toBe(true);
    }
    expect(new Set(ops.map((op) => op.f))).toEqual(new Set(["SET", "GET", "INCR"]));
  });
});
