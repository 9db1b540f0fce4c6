// Per-strategy figures (repetitions combined) behind the verdict table, the summaries and `recommend`. Pure.
import type { Results, RunResult } from "../results/schema.ts";
import { aggregateValues, METRICS, type MetricDefinition } from "./metric-catalog.ts";

/** One strategy's combined figures: metric id → value (undefined when no run measured it). */
export interface StrategySummary {
  strategy: string;
  config: Record<string, string>;
  /** Runs counted (status ok) and runs that failed or were interrupted. */
  runs: number;
  failedRuns: number;
  values: Record<string, number | undefined>;
  /** Each metric's per-run values (ok runs, run order), for spreads and comparisons. */
  samples: Record<string, number[]>;
  /** fsync p50 / disk-floor p50 (and p99 / floor p99); undefined without both figures. */
  fsyncFloorRatioP50: number | undefined;
  fsyncFloorRatioP99: number | undefined;
  /** Durability verdicts of the runs ("pass" only when every run passed). */
  durabilityVerdict: "pass" | "fail" | "unknown" | "not measured";
  kills: number | undefined;
}

/** Strategies in the order they first appear in the results. */
export function listStrategies(results: Results): string[] {
  return [...new Set(results.runs.map((run) => run.strategy))];
}

// Combined durability verdict: fail beats unknown beats pass (Jepsen checker/compose order).
function combineVerdicts(runs: readonly RunResult[]): StrategySummary["durabilityVerdict"] {
  const verdicts = runs.map((run) => run.metrics.durability?.verdict).filter((v) => v !== undefined);
  if (verdicts.length === 0) return "not measured";
  if (verdicts.includes("fail")) return "fail";
  if (verdicts.includes("unknown")) return "unknown";
  return "pass";
}

// Values of one metric over runs, dropping unmeasured ones.
function collectSamples(metric: MetricDefinition, runs: readonly RunResult[]): number[] {
  return runs.map((run) => metric.read(run)).filter((v): v is number => v !== undefined);
}

/** Summarises one strategy's runs. */
export function summarizeStrategy(results: Results, strategy: string): StrategySummary {
  const all = results.runs.filter((run) => run.strategy === strategy);
  const ok = all.filter((run) => run.status === "ok");
  const counted = ok.length > 0 ? ok : all;
  const values: Record<string, number | undefined> = {};
  const samples: Record<string, number[]> = {};
  for (const metric of METRICS) {
    samples[metric.id] = collectSamples(metric, counted);
    values[metric.id] = aggregateValues(
      counted.map((run) => metric.read(run)),
      metric.aggregate,
    );
  }
  const floor = results.diskFloor.measured ? results.diskFloor : undefined;
  const ratio = (value: number | undefined, floorUs: number | undefined): number | undefined =>
    value === undefined || floorUs === undefined || floorUs <= 0 ? undefined : value / floorUs;
  const kills = aggregateValues(
    counted.map((run) => run.metrics.durability?.kills),
    "sum",
  );
  return {
    strategy,
    config: all[0]?.config ?? {},
    runs: ok.length,
    failedRuns: all.length - ok.length,
    values,
    samples,
    fsyncFloorRatioP50: ratio(values["fsync.p50Us"], floor?.p50Us),
    fsyncFloorRatioP99: ratio(values["fsync.p99Us"], floor?.p99Us),
    durabilityVerdict: combineVerdicts(counted),
    kills,
  };
}

/** Summaries of every strategy, in results order. */
export function summarizeStrategies(results: Results): StrategySummary[] {
  return listStrategies(results).map((strategy) => summarizeStrategy(results, strategy));
}
