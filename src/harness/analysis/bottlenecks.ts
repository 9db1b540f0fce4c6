// Bottlenecks said out loud: the load phases during which the machine's CPU or the harness's own event loop
// was saturated, and which figures of which strategies they bound (a saturated closed loop measures the
// machine, not the strategy's persistence cost). Pure.
import type { BoundFigures, SaturatedPhase } from "../results/analysis-schema.ts";
import type { PhaseRecord, Results, RunResult } from "../results/schema.ts";
import { SATURATED_LOOP_PCT } from "../stats/loop-busy.ts";
import { readFixedRatePhase } from "../report/metric-catalog.ts";
import { maxOf } from "../shared/bulk-arrays.ts";

/**
 * All CPUs this busy (% of CPU time, the harness, the engine and any neighbour included) or more over a phase:
 * the machine was the limit. On 2 CPUs, 85 % leaves under a third of one CPU idle.
 */
export const SATURATED_CPU_PCT = 85;

/** Metrics a saturated closed-loop phase bounds (throughput and latency are what the loop measured). */
export const CLOSED_LOOP_METRICS = [
  "throughput.opsPerSec",
  "latency.p50Ms",
  "latency.p99Ms",
  "latency.p999Ms",
] as const;
/** Metrics a saturated fixed-rate phase bounds. */
export const FIXED_RATE_METRICS = ["fixedRate.p50Ms", "fixedRate.p99Ms"] as const;

// The machine figures of a phase, or the run's recorded-load figures when the phase has none (older files).
function readPhaseMachine(
  run: RunResult,
  phase: PhaseRecord,
): { cpuBusyPct: number; harnessLoopBusyPct?: number } | undefined {
  const machine = phase.machine ?? (phase.record ? run.metrics.machine : undefined);
  if (machine === undefined || machine.measured !== true) return undefined;
  return machine.harnessLoopBusyPct === undefined
    ? { cpuBusyPct: machine.cpuBusyPct }
    : { cpuBusyPct: machine.cpuBusyPct, harnessLoopBusyPct: machine.harnessLoopBusyPct };
}

/** Whether a phase saturated the machine or the load generator, and which. */
export function describeSaturation(machine: { cpuBusyPct: number; harnessLoopBusyPct?: number }): string[] {
  const by: string[] = [];
  if (machine.cpuBusyPct >= SATURATED_CPU_PCT) by.push("machine CPU");
  if ((machine.harnessLoopBusyPct ?? 0) >= SATURATED_LOOP_PCT) by.push("load generator");
  return by;
}

/** Every saturated load phase of the results (phases without a machine figure are skipped). */
export function findSaturatedPhases(results: Results): SaturatedPhase[] {
  return results.runs.flatMap((run) =>
    run.phases.flatMap((phase) => {
      if (phase.kind === "recovery") return [];
      const machine = readPhaseMachine(run, phase);
      if (machine === undefined) return [];
      const by = describeSaturation(machine);
      if (by.length === 0) return [];
      const executor =
        phase.executor ??
        (
          results.scenario.phases.find((p) => p.name === phase.name && p.kind !== "recovery") as
            | { executor?: "closed" | "open" }
            | undefined
        )?.executor ??
        "closed";
      return [{ run: run.id, strategy: run.strategy, phase: phase.name, executor, ...machine, by }];
    }),
  );
}

/** Per strategy, the headline figures its saturated phases bound. */
export function findBoundFigures(results: Results, saturated: readonly SaturatedPhase[]): BoundFigures[] {
  const strategies = [...new Set(results.runs.map((run) => run.strategy))];
  return strategies.flatMap((strategy) => {
    const runs = results.runs.filter((run) => run.strategy === strategy);
    const mine = saturated.filter((entry) => entry.strategy === strategy);
    // Closed-loop headline figures come from recorded closed-loop phases; fixed-rate ones from the open loop.
    const closed = mine.filter(
      (entry) =>
        entry.executor === "closed" &&
        runs.some(
          (run) => run.id === entry.run && run.phases.some((phase) => phase.name === entry.phase && phase.record),
        ),
    );
    const open = mine.filter(
      (entry) =>
        entry.executor === "open" &&
        runs.some((run) => run.id === entry.run && readFixedRatePhase(run)?.name === entry.phase),
    );
    const metrics = [...(closed.length > 0 ? CLOSED_LOOP_METRICS : []), ...(open.length > 0 ? FIXED_RATE_METRICS : [])];
    if (metrics.length === 0) return [];
    const behind = [...closed, ...open];
    const boundRuns = new Set(behind.map((entry) => entry.run)).size;
    return [
      {
        strategy,
        metrics,
        cpuBusyPct: maxOf(behind.map((entry) => entry.cpuBusyPct)),
        by: [...new Set(behind.flatMap((entry) => entry.by))],
        runs: `${boundRuns} of ${runs.length} run(s)`,
      },
    ];
  });
}
