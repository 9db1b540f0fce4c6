// Interleaved A/B runs: baseline and candidate engines take turns (A B A B ...) on the same machine in the same
// job, so machine drift (noisy neighbours, thermal state, page cache) hits both sides alike. The slot runner is
// injected: the CLI passes one backed by the harness's runScenario (interleave-runner.ts), tests pass a fake.
import type { Results, RunResult } from "../results/schema.ts";
import { analyzeResults } from "../analysis/analysis.ts";
import type { ResolvedScenario } from "../scenario/resolved.ts";
import { appendAll } from "../shared/bulk-arrays.ts";

/** Which side a slot runs: A = baseline, B = candidate. */
export type Side = "A" | "B";

/** One scheduled run. */
export interface InterleaveSlot {
  side: Side;
  strategy: string;
  repetition: number;
  /** 0-based position in the schedule. */
  index: number;
}

/** Runs one slot: the scenario narrowed to one strategy and one repetition, on the side's engine. */
export type SlotRunner = (slot: InterleaveSlot, scenario: ResolvedScenario) => Promise<Results>;

/** The schedule: for each repetition and strategy, A then B (A B A B ...). Pure. */
export function planInterleave(scenario: ResolvedScenario): InterleaveSlot[] {
  const slots: InterleaveSlot[] = [];
  for (let repetition = 1; repetition <= scenario.repetitions; repetition++) {
    for (const strategy of scenario.strategies) {
      for (const side of ["A", "B"] as const)
        slots.push({ side, strategy: strategy.name, repetition, index: slots.length });
    }
  }
  return slots;
}

/** The scenario a slot runs: one strategy, one repetition, seed kept so both sides see the same workload. */
export function narrowScenario(scenario: ResolvedScenario, slot: InterleaveSlot): ResolvedScenario {
  return { ...scenario, strategies: scenario.strategies.filter((s) => s.name === slot.strategy), repetitions: 1 };
}

// Renumbers a slot's run so the assembled file reads like one multi-repetition run.
function relabelRun(run: RunResult, slot: InterleaveSlot): RunResult {
  return { ...run, repetition: slot.repetition, id: `${slot.strategy}#${slot.repetition}` };
}

/** Runs every slot in order and assembles one results file per side. */
export async function runInterleaved(options: {
  scenario: ResolvedScenario;
  runSlot: SlotRunner;
  signal?: AbortSignal;
  onSlot?: (slot: InterleaveSlot, total: number) => void;
}): Promise<{ a: Results; b: Results }> {
  const { scenario, runSlot } = options;
  const slots = planInterleave(scenario);
  const collected: Record<Side, { first: Results | undefined; runs: RunResult[]; failed: boolean }> = {
    A: { first: undefined, runs: [], failed: false },
    B: { first: undefined, runs: [], failed: false },
  };
  for (const slot of slots) {
    if (options.signal?.aborted === true) break;
    options.onSlot?.(slot, slots.length);
    const results = await runSlot(slot, narrowScenario(scenario, slot));
    const side = collected[slot.side];
    side.first ??= results;
    side.failed ||= results.status === "failed";
    appendAll(
      side.runs,
      results.runs.map((run) => relabelRun(run, slot)),
    );
  }
  const assemble = (side: Side): Results => {
    const { first, runs, failed } = collected[side];
    if (first === undefined) throw new Error(`interleaved run produced no results for side ${side}`);
    const complete = runs.length === slots.filter((s) => s.side === side).length;
    // The first slot's analysis covers one run: the assembled file gets one over all of its runs.
    const { analysis: _slotAnalysis, ...base } = first;
    const assembled: Results = {
      ...base,
      scenario,
      status: failed ? "failed" : complete ? "complete" : "interrupted",
      runs,
    };
    if (runs.length > 0) assembled.analysis = analyzeResults(assembled);
    return assembled;
  };
  return { a: assemble("A"), b: assemble("B") };
}
