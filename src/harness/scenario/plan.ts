// The pure execution plan of a scenario: which runs (strategy × repetition, interleaved so a slow drift of
// the machine does not favour one strategy), which phases in which order with their estimated times, and
// the open loop's intended send times. No I/O, no clock, no randomness beyond the scenario's seed.
import type { ResolvedPhase, ResolvedScenario, ResolvedStrategy } from "./resolved.ts";

/** Intended send time (ms from the phase start) of the i-th op of an open loop at `rate` ops/s. */
export function getIntendedSendMs(index: number, rate: number): number {
  return (index * 1000) / rate;
}

/** One planned phase with its estimated start and length (ms from run start; rewrite/recovery are estimates). */
export interface PlannedPhase {
  phase: ResolvedPhase;
  startMs: number;
  estimatedMs: number;
}

/** One planned run. */
export interface PlannedRun {
  /** Stable id: `<strategy>#<repetition>` (history.jsonl.gz lines carry it as `run`). */
  id: string;
  index: number;
  strategy: ResolvedStrategy;
  repetition: number;
  /** Seed of this run: the scenario seed mixed with the run index (same for every engine). */
  seed: number;
  phases: PlannedPhase[];
}

// Rough length of a phase when it has no fixed duration.
function estimatePhaseMs(phase: ResolvedPhase): number {
  if (phase.kind === "load") return phase.durationMs ?? 0;
  if (phase.kind === "rewrite") return phase.beforeMs + phase.afterMs + 1000;
  return phase.sizes.length * 2000;
}

/** Derives the seed of run `index` from the scenario seed. */
export function getRunSeed(scenarioSeed: number, index: number): number {
  return (Math.imul(scenarioSeed ^ 0x5bd1e995, 0x01000193) + index * 0x9e3779b1) >>> 0;
}

/** Plans every run of a scenario, repetition-major (r1: s1 s2 ..., r2: s1 s2 ...). */
export function createPlan(scenario: ResolvedScenario): PlannedRun[] {
  const runs: PlannedRun[] = [];
  for (let repetition = 1; repetition <= scenario.repetitions; repetition++) {
    for (const strategy of scenario.strategies) {
      let at = 0;
      const phases = scenario.phases.map((phase) => {
        const planned = { phase, startMs: at, estimatedMs: estimatePhaseMs(phase) };
        at += planned.estimatedMs;
        return planned;
      });
      const index = runs.length;
      runs.push({
        id: `${strategy.name}#${repetition}`,
        index,
        strategy,
        repetition,
        seed: getRunSeed(scenario.seed, repetition),
        phases,
      });
    }
  }
  return runs;
}
