// Measures the good and the bad end builds in rotation (good, bad, good, bad, ...) until compare says the
// chosen metric clearly regressed from good to bad, or the repetition limit is reached.
import { join } from "node:path";
import type { ResolvedScenario } from "../scenario/resolved.ts";
import { HarnessError } from "../shared/errors.ts";
import { EXIT_CODES } from "../shared/exit-codes.ts";
import { contrastMetric, type StatsOptions } from "./contrast.ts";
import { judgeEnds, toContrast } from "./judge.ts";
import { measureUntilClear } from "./measure-rounds.ts";
import type { MetricChoice } from "./metric-choice.ts";
import { figuresOf, type EndsRecord } from "./records.ts";
import { createBuiltEngine } from "./side-engine.ts";

/** Options of measureEnds. */
export interface MeasureEndsOptions {
  scenario: ResolvedScenario;
  choice: MetricChoice;
  stats: StatsOptions;
  engines: { good: string; bad: string };
  commits: { good: string; bad: string };
  outDir: string;
  signal: AbortSignal;
  minRepetitions: number;
  maxRepetitions: number;
  log: (line: string) => void;
}

/** The ends' record; throws a HarnessError when the metric is not measured by the scenario. */
export async function measureEnds(options: MeasureEndsOptions): Promise<EndsRecord> {
  const { choice } = options;
  const measured = await measureUntilClear({
    scenario: options.scenario,
    signal: options.signal,
    outDir: join(options.outDir, "runs", "ends"),
    sides: [
      { name: "good", engine: createBuiltEngine(options.engines.good) },
      { name: "bad", engine: createBuiltEngine(options.engines.bad) },
    ],
    minRepetitions: options.minRepetitions,
    maxRepetitions: options.maxRepetitions,
    onRun: (side, repetition) => options.log(`  ends: ${side} #${repetition}`),
    decide: (results) => {
      for (const [side, sideResults] of Object.entries(results)) {
        const failed = sideResults.runs.find((run) => run.status !== "ok");
        if (failed !== undefined) {
          throw new HarnessError(`a run of the ${side} end failed: ${failed.error ?? failed.status}`, {
            exitCode: EXIT_CODES.RUN_FAILED,
            hint: `its results are under ${join(options.outDir, "runs", "ends")}`,
          });
        }
      }
      const good = results["good"],
        bad = results["bad"];
      const row =
        good === undefined || bad === undefined ? undefined : contrastMetric(good, bad, choice, options.stats);
      if (row === undefined) return { final: true, value: undefined };
      const judged = judgeEnds(row);
      return { final: judged.status !== "undecided", value: { row, judged } };
    },
  });
  const decision = measured.decision;
  if (decision === undefined) {
    throw new HarnessError(
      `${choice.metric.id} was not measured for strategy ${choice.strategy} at the good or the bad end`,
      {
        exitCode: EXIT_CODES.RUN_FAILED,
        hint: `check the runs under ${join(options.outDir, "runs", "ends")}; durability metrics need a scenario with a nemesis section, fsync metrics a persistent strategy`,
      },
    );
  }
  const figures = figuresOf(decision.row);
  return {
    good: options.commits.good,
    bad: options.commits.bad,
    repetitions: measured.repetitions,
    figures: { good: figures.a, bad: figures.b },
    contrast: toContrast(decision.row),
    status: decision.judged.status,
    reason: decision.judged.reason,
  };
}
