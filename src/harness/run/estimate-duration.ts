// How long a scenario is expected to take, computed from the scenario itself: its runs (strategies ×
// repetitions), each run's phases, and for a nemesis scenario the run's own seeded fault schedule (the gaps
// between faults, the event each fault waits for, a restart and a verification after each), which ends the
// chaos phase early. An estimate: the constants below were measured on a 2-core VM (crash-loss and power-loss,
// December 2026) and a loaded or faster machine will differ.
import { resolveNemesis, type ParsedNemesis, type ResolvedNemesis } from "../nemesis/config.ts";
import { createFaultSchedule, type PlannedFault } from "../nemesis/schedule.ts";
import { createPlan, type PlannedRun } from "../scenario/plan.ts";
import type { ResolvedPhase, ResolvedScenario } from "../scenario/resolved.ts";
import { isDiskFault, planDiskFault } from "../nemesis/disk-fault.ts";

/** Engines as far as the estimate cares: a Node.js process (bundled) starts slower than redis-server. */
export type EstimateEngine = "bundled" | "redis-server" | "attach";

/** Per run: create the engine, start it, dispose of it, write results. */
const RUN_OVERHEAD_MS = 2000;
/** Per scenario: the disk-floor probe before the first run. */
const DISK_PROBE_MS = 3000;
/** A restart of the engine after a fault, and the crash-state verification on a scratch instance (ms). */
const RESTART_MS: Readonly<Record<EstimateEngine, number>> = { bundled: 700, "redis-server": 400, attach: 0 };
/** Extra per restart when the strategy replays an AOF that grows through the run (the bundled engine's load is slower). */
const AOF_REPLAY_MS: Readonly<Record<EstimateEngine, number>> = { bundled: 2500, "redis-server": 500, attach: 0 };
/** Faults that wait for an event the nemesis starts (a BGSAVE, an AOF rewrite, a save point): the wait, beyond the gap. */
const EVENT_WAIT_MS: Readonly<Record<string, number>> = {
  "during-bgsave": 600,
  "during-rewrite": 900,
  "after-save": 700,
  "fault-point": 500,
  "during-loading": 1200,
  drill: 1500,
};
/** Checking the durability of a run and writing its figures, per 100,000 recorded writes. */
const CHECK_MS_PER_100K_OPS = 1500;

/** The expected length of a scenario: in all, and per planned run. */
export interface DurationEstimate {
  totalMs: number;
  runs: Array<{ id: string; ms: number }>;
}

// A phase's expected length without a nemesis ending it.
function estimatePhaseMs(phase: ResolvedPhase): number {
  if (phase.kind === "load") {
    if (phase.durationMs !== undefined) return phase.durationMs;
    return phase.ops === undefined ? 0 : (phase.ops * 1000) / (phase.rate ?? 20_000);
  }
  if (phase.kind === "rewrite") return phase.beforeMs + phase.afterMs + 2000;
  // Fill, stop and restart per size: about 10 µs per key each way, plus a restart.
  return phase.sizes.reduce((sum, size) => sum + 2000 + size * 0.02, 0);
}

// Whether a strategy's config makes the engine replay an AOF at each restart.
function usesAof(config: Readonly<Record<string, string>>): boolean {
  return config["appendonly"] === "yes";
}

// The time one fault of the schedule takes: the gap before it, the event it waits for, the restart(s) after it.
function estimateFaultMs(fault: PlannedFault, engine: EstimateEngine, aof: boolean, nemesis: ResolvedNemesis): number {
  const restart = RESTART_MS[engine] + (aof ? AOF_REPLAY_MS[engine] : 0);
  const restarts = fault.kind === "during-loading" ? 2 : 1;
  const powerCut = nemesis.powerLoss === undefined ? 0 : 150;
  const disk = isDiskFault(fault) ? planDiskFault(fault, nemesis.disk).durationMs + nemesis.disk.settleMs : 0;
  return fault.gapMs + (EVENT_WAIT_MS[fault.kind] ?? 0) + restarts * restart + powerCut + disk;
}

/** The expected length of one planned run (ms). */
export function estimateRunMs(
  scenario: ResolvedScenario,
  run: PlannedRun,
  engine: EstimateEngine,
  nemesis: ResolvedNemesis | undefined,
): number {
  const chaosPhase =
    nemesis === undefined
      ? undefined
      : (nemesis.phase ?? scenario.phases.filter((phase) => phase.kind === "load").at(-1)?.name);
  let total = RUN_OVERHEAD_MS + scenario.workload.preload.keys * 0.01;
  let recordedOpsMs = 0;
  for (const phase of scenario.phases) {
    let ms = estimatePhaseMs(phase);
    if (nemesis !== undefined && phase.name === chaosPhase && engine !== "attach") {
      const aof = usesAof(run.strategy.config);
      const scheduleMs = createFaultSchedule(nemesis, run.seed).reduce(
        (sum, fault) => sum + estimateFaultMs(fault, engine, aof, nemesis),
        0,
      );
      ms = nemesis.endPhaseWhenDone ? Math.min(ms, scheduleMs + 500) : Math.max(ms, scheduleMs);
    }
    total += ms;
    if (phase.kind !== "recovery") recordedOpsMs += ms;
  }
  // The checker reads the writes back: an open loop's rate, or about 20,000 ops/s for a closed one.
  if (nemesis !== undefined) {
    const rate = scenario.phases.reduce(
      (max, phase) => (phase.kind === "recovery" ? max : Math.max(max, phase.rate ?? 2000)),
      2000,
    );
    total += ((recordedOpsMs / 1000) * rate * CHECK_MS_PER_100K_OPS) / 100_000;
  }
  if (scenario.recovery) total += 2000 + scenario.workload.keys.count * 0.01;
  return Math.round(total);
}

/** The expected length of a scenario on an engine (a subset of runs when given, e.g. a shard). */
export function estimateScenarioDuration(
  scenario: ResolvedScenario,
  engine: EstimateEngine,
  runs: readonly PlannedRun[] = createPlan(scenario),
): DurationEstimate {
  const parsed = scenario.extensions["nemesis"] as ParsedNemesis | undefined;
  const nemesis = parsed === undefined ? undefined : resolveNemesis(parsed, scenario.quick, scenario.baseDir);
  const planned = engine === "attach" ? runs.slice(0, 1) : runs;
  const perRun = planned.map((run) => ({ id: run.id, ms: estimateRunMs(scenario, run, engine, nemesis) }));
  return { totalMs: DISK_PROBE_MS + perRun.reduce((sum, run) => sum + run.ms, 0), runs: perRun };
}

/** "about 25 min", "about 40 s": an estimate, rounded to what it can promise. */
export function formatEstimate(ms: number): string {
  if (ms < 90_000) return `about ${Math.max(5, Math.round(ms / 5000) * 5)} s`;
  if (ms < 3_600_000) return `about ${Math.round(ms / 60_000)} min`;
  return `about ${(ms / 3_600_000).toFixed(1)} h`;
}
