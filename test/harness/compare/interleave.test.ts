// Interleaved A/B scheduling with a fake slot runner (the real one wraps the harness's runScenario).
import { describe, expect, it } from "vitest";
import { compareResults } from "../../../src/harness/compare/compare-results.ts";
import { planInterleave, runInterleaved, type InterleaveSlot } from "../../../src/harness/compare/interleave.ts";
import { readResults } from "../../../src/harness/report/read-results.ts";
import type { Results } from "../../../src/harness/results/schema.ts";

const template = readResults("test/fixtures/results/baseline.json");
const scenario = { ...template.scenario, repetitions: 3 };

// A fake runner: B is 20 % slower; a drift makes every later slot 1 % slower for both sides.
function createFakeRunner(order: string[]) {
  return async (slot: InterleaveSlot, narrowed: Results["scenario"]): Promise<Results> => {
    order.push(`${slot.side}:${slot.strategy}#${slot.repetition}`);
    expect(narrowed.strategies.map((s) => s.name)).toEqual([slot.strategy]);
    expect(narrowed.repetitions).toBe(1);
    const base = template.runs.find((r) => r.strategy === slot.strategy)!;
    const drift = 1 - slot.index * 0.01;
    const opsPerSec = base.metrics.throughput.opsPerSec * drift * (slot.side === "B" ? 0.8 : 1);
    const run = {
      ...base,
      repetition: 1,
      id: `${slot.strategy}#1`,
      metrics: { ...base.metrics, throughput: { ...base.metrics.throughput, opsPerSec } },
    };
    return { ...template, scenario: narrowed, runs: [run] };
  };
}

describe("interleaved A/B runs", () => {
  it("plans A B A B for each repetition and strategy", () => {
    expect(planInterleave(scenario).map((s) => `${s.side}${s.repetition}:${s.strategy}`)).toEqual([
      "A1:aof-everysec",
      "B1:aof-everysec",
      "A1:aof-always",
      "B1:aof-always",
      "A2:aof-everysec",
      "B2:aof-everysec",
      "A2:aof-always",
      "B2:aof-always",
      "A3:aof-everysec",
      "B3:aof-everysec",
      "A3:aof-always",
      "B3:aof-always",
    ]);
  });

  it("runs the slots in order and assembles one results file per side", async () => {
    const order: string[] = [];
    const { a, b } = await runInterleaved({ scenario, runSlot: createFakeRunner(order) });
    expect(order.slice(0, 4)).toEqual(["A:aof-everysec#1", "B:aof-everysec#1", "A:aof-always#1", "B:aof-always#1"]);
    expect(a.runs.map((r) => r.id)).toEqual([
      "aof-everysec#1",
      "aof-always#1",
      "aof-everysec#2",
      "aof-always#2",
      "aof-everysec#3",
      "aof-always#3",
    ]);
    expect(a.status).toBe("complete");
    expect(b.scenario.repetitions).toBe(3);
    const throughput = compareResults(a, b).rows.find(
      (r) => r.strategy === "aof-everysec" && r.metric.id === "throughput.opsPerSec",
    )!;
    expect(throughput.change).toBeCloseTo(-0.2, 1);
  });

  it("stops at an abort and marks the sides interrupted", async () => {
    const controller = new AbortController();
    const order: string[] = [];
    const runner = createFakeRunner(order);
    const { a } = await runInterleaved({
      scenario,
      signal: controller.signal,
      runSlot: async (slot, narrowed) => {
        if (slot.index === 3) controller.abort();
        return runner(slot, narrowed);
      },
    });
    expect(order).toHaveLength(4);
    expect(a.status).toBe("interrupted");
  });
});
