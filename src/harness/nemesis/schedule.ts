// The nemesis schedule: a pure function of the configuration and a seed (same seed, same schedule, on every
// engine). Each planned fault says what to do, how long to wait before it, where inside an event window to
// strike, and carries its own seed for the fault's random choices (power-cut tails, corrupted offsets).
import { createRng, type Rng } from "../shared/rng.ts";
import type { FaultKind, ResolvedDrill, ResolvedNemesis } from "./config.ts";

/** One fault of the schedule. */
export interface PlannedFault {
  /** Position in the schedule (0-based). */
  index: number;
  kind: FaultKind | "drill";
  /** Wait before the fault, from the phase start (first fault) or from the engine being ready again (ms). */
  gapMs: number;
  /** Where inside the event window to strike, 0..1 (delay = strikeFraction × eventWindowMs). */
  strikeFraction: number;
  /** fault-point: the point the engine kills itself at. */
  faultPoint?: string;
  /** drill: the corruption to apply. */
  drill?: ResolvedDrill;
  /** Seed of the fault's own random choices (power-cut tail, corrupted offsets). */
  seed: number;
}

/** What the schedule depends on. */
export type ScheduleConfig = Pick<ResolvedNemesis, "kills" | "intervalMs" | "faults" | "faultPoints" | "drills"> & {
  order?: ResolvedNemesis["order"];
};

// Picks an entry by weight.
function pickWeighted<T extends { weight: number }>(rng: Rng, entries: readonly T[]): T | undefined {
  const total = entries.reduce((sum, entry) => sum + entry.weight, 0);
  let u = rng.next() * total;
  for (const entry of entries) {
    if (u < entry.weight) return entry;
    u -= entry.weight;
  }
  return entries[entries.length - 1];
}

/** Builds the schedule for a run seed (pure: no clock, no I/O). */
export function createFaultSchedule(config: ScheduleConfig, seed: number): PlannedFault[] {
  const rng = createRng(seed).fork("nemesis-schedule");
  const { min, max } = config.intervalMs;
  const gap = (): number => Math.round(min + rng.next() * (max - min));
  const faults: PlannedFault[] = [];
  for (let index = 0; index < config.kills; index++) {
    const drawn = pickWeighted(rng, config.faults)?.kind ?? "kill";
    const kind = config.order === "cycle" ? (config.faults[index % config.faults.length]?.kind ?? drawn) : drawn;
    const fault: PlannedFault = {
      index,
      kind,
      gapMs: gap(),
      strikeFraction: Math.round(rng.next() * 1000) / 1000,
      seed: rng.int(0x7fffffff),
    };
    if (kind === "fault-point") fault.faultPoint = config.faultPoints[rng.int(config.faultPoints.length)] ?? "";
    faults.push(fault);
  }
  for (const drill of config.drills) {
    faults.push({
      index: faults.length,
      kind: "drill",
      gapMs: gap(),
      strikeFraction: Math.round(rng.next() * 1000) / 1000,
      drill,
      seed: rng.int(0x7fffffff),
    });
  }
  return faults;
}

/** Counts planned faults by kind (for the results and the progress line). */
export function countFaultKinds(schedule: readonly PlannedFault[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const fault of schedule) counts[fault.kind] = (counts[fault.kind] ?? 0) + 1;
  return counts;
}
