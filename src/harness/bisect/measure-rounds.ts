// Measures several builds in rotation (good, candidate, bad, good, candidate, bad, ...) the way `compare
// --interleave` alternates A and B, one run of the narrowed scenario per side per round, until the caller's
// decision is final or the repetition limit is reached. Each side's runs are assembled into one Results.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Engine } from "../engines/types.ts";
import type { Results, RunResult } from "../results/schema.ts";
import { HARNESS_EXTENSIONS } from "../api/extensions.ts";
import { runScenario } from "../run/run-scenario.ts";
import type { ResolvedScenario } from "../scenario/resolved.ts";
import { HarnessError } from "../shared/errors.ts";
import { EXIT_CODES } from "../shared/exit-codes.ts";

/** One build taking part in the rotation. */
export interface MeasuredSide {
  name: string;
  engine: Engine;
}

/** A decision after a round: final stops the rotation. */
export interface RoundDecision<T> {
  final: boolean;
  value: T;
}

/** Options of measureUntilClear. */
export interface MeasureOptions<T> {
  /** Narrowed to one strategy and one repetition (metric-choice.ts). */
  scenario: ResolvedScenario;
  sides: readonly MeasuredSide[];
  outDir: string;
  signal: AbortSignal;
  minRepetitions: number;
  maxRepetitions: number;
  decide: (results: Readonly<Record<string, Results>>, repetitions: number) => RoundDecision<T>;
  onRun?: (side: string, repetition: number) => void;
}

// Renumbers a run so a side's file reads like one multi-repetition run.
function relabel(run: RunResult, repetition: number): RunResult {
  return { ...run, repetition, id: `${run.strategy}#${repetition}` };
}

/** Runs rounds until decide() is final or maxRepetitions rounds ran; returns every side's results. */
export async function measureUntilClear<T>(
  options: MeasureOptions<T>,
): Promise<{ results: Record<string, Results>; repetitions: number; decision: T }> {
  const results: Record<string, Results> = {};
  let decision: RoundDecision<T> | undefined;
  let repetition = 0;
  while (repetition < options.maxRepetitions) {
    repetition++;
    for (const side of options.sides) {
      if (options.signal.aborted)
        throw new HarnessError("interrupted while measuring", { exitCode: EXIT_CODES.INTERRUPTED });
      options.onRun?.(side.name, repetition);
      const outDir = join(options.outDir, `${side.name}-${repetition}`);
      mkdirSync(outDir, { recursive: true });
      const run = await runScenario({
        scenario: options.scenario,
        engine: side.engine,
        signal: options.signal,
        skipDiskProbe: true,
        outDir,
        extensions: HARNESS_EXTENSIONS,
      });
      if (options.signal.aborted)
        throw new HarnessError("interrupted while measuring", { exitCode: EXIT_CODES.INTERRUPTED });
      const previous = results[side.name];
      const runs = run.runs.map((r) => relabel(r, repetition));
      results[side.name] =
        previous === undefined
          ? { ...run, runs }
          : {
              ...previous,
              status: run.status === "failed" ? "failed" : previous.status,
              runs: [...previous.runs, ...runs],
            };
    }
    if (repetition >= options.minRepetitions || repetition === options.maxRepetitions) {
      decision = options.decide(results, repetition);
      if (decision.final) break;
    }
  }
  if (decision === undefined) throw new Error("measureUntilClear: no round ran");
  return { results, repetitions: repetition, decision: decision.value };
}
