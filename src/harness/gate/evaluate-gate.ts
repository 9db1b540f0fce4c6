// The gate: scenario thresholds plus the change against a baseline, folded into one exit code. Pure.
import type { Results, RunResult } from "../results/schema.ts";
import { compareResults, type CompareRow } from "../compare/compare-results.ts";
import { checkThresholds, formatNumber, type ThresholdCheck } from "./check-thresholds.ts";
import { EXIT_CODES, type ExitCode } from "../shared/exit-codes.ts";
import { describeNoisySides, highestRunSteal } from "../results/run-steal.ts";

/** Metrics the baseline comparison gates on (others are shown by `compare` but do not fail the gate). */
export const GATED_METRIC_IDS = [
  "throughput.opsPerSec",
  "latency.p99Ms",
  "fsync.p99Us",
  "durability.lost",
  "durability.lossWindowMs",
  "recovery.readyMs",
] as const;

/** Options of the gate. */
export interface GateOptions {
  baseline?: Results | undefined;
  /** Allowed worsening as a fraction (0.1 = 10 %); default 0.1. */
  maxRegression?: number;
}

/** A gated metric that got worse than allowed. */
export interface Regression {
  strategy: string;
  metricId: string;
  baseline: number;
  value: number;
  /** Worsening as a fraction (positive = worse). */
  worsening: number;
  message: string;
}

/** Everything the gate found. */
export interface GateResult {
  checks: ThresholdCheck[];
  regressions: Regression[];
  /** Comparison rows of the gated metrics (empty without a baseline). */
  compared: CompareRow[];
  /** Runs of the results that did not finish ok (failed or interrupted). */
  failedRuns: RunResult[];
  /** Set when there was nothing to judge: why (no thresholds and no baseline, or no figure compared). */
  nothingToJudge: string | undefined;
  exitCode: ExitCode;
}

// Worsening of a row as a fraction: positive when the candidate is worse.
function computeWorsening(row: CompareRow): number {
  if (row.meanA === 0)
    return row.meanB === 0 ? 0 : row.metric.better === "lower" ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  return row.metric.better === "higher" ? -row.change : row.change;
}

// Whether a compared row is a regression: beyond the allowed change and, with repeated trials, statistically so.
function isRegression(row: CompareRow, maxRegression: number): boolean {
  const worsening = computeWorsening(row);
  if (!(worsening > maxRegression)) return false;
  const repeated = row.samplesA.length >= 2 && row.samplesB.length >= 2;
  return repeated ? row.verdict === "regressed" : true;
}

// A regression measured while the hypervisor took CPU time may be the machine's: say so (the verdict stands).
function stealNote(results: Results, baseline: Results | undefined, strategy: string): string {
  const parts = describeNoisySides([
    ["the candidate", highestRunSteal(results, strategy)],
    ["the baseline", baseline === undefined ? null : highestRunSteal(baseline, strategy)],
  ]);
  return parts.length === 0
    ? ""
    : `; note: ${parts.join(" and ")}, so the machine may account for this: rerun on a quieter machine to confirm`;
}

/** Runs the gate over results (and an optional baseline). */
export function evaluateGate(results: Results, options: GateOptions = {}): GateResult {
  const maxRegression = options.maxRegression ?? 0.1;
  const checks = checkThresholds(results);
  const compared =
    options.baseline === undefined
      ? []
      : compareResults(options.baseline, results).rows.filter((row) =>
          (GATED_METRIC_IDS as readonly string[]).includes(row.metric.id),
        );
  const regressions = compared
    .filter((row) => isRegression(row, maxRegression))
    .map((row): Regression => {
      const worsening = computeWorsening(row);
      const pct = Number.isFinite(worsening) ? `${(worsening * 100).toFixed(1)} % worse` : "appeared (baseline 0)";
      const ci = Number.isFinite(row.changeLow)
        ? `, 95 % CI of change ${(row.changeLow * 100).toFixed(1)} %…${(row.changeHigh * 100).toFixed(1)} %`
        : "";
      return {
        strategy: row.strategy,
        metricId: row.metric.id,
        baseline: row.meanA,
        value: row.meanB,
        worsening,
        message: `${row.metric.id} [${row.strategy}]: REGRESSION, value ${formatNumber(row.meanB)} ${row.metric.unit} vs baseline ${formatNumber(row.meanA)} ${row.metric.unit} (${pct}; limit ${(maxRegression * 100).toFixed(0)} %${ci})${stealNote(results, options.baseline, row.strategy)}`,
      };
    });
  const failedRuns = results.runs.filter((run) => run.status !== "ok");
  const nothingToJudge = findNothingToJudge(results, options.baseline !== undefined, checks.length, compared.length);
  const exitCode =
    failedRuns.length > 0
      ? EXIT_CODES.RUN_FAILED
      : checks.some((c) => c.status === "invalid")
        ? EXIT_CODES.BAD_RESULTS
        : checks.some((c) => c.status === "fail")
          ? EXIT_CODES.THRESHOLDS_FAILED
          : regressions.length > 0
            ? EXIT_CODES.REGRESSION
            : nothingToJudge !== undefined
              ? EXIT_CODES.NOTHING_TO_JUDGE
              : EXIT_CODES.OK;
  return { checks, regressions, compared, failedRuns, nothingToJudge, exitCode };
}

// Why a PASS would mean nothing: no runs, no thresholds without a baseline, or a baseline with no figure in common.
function findNothingToJudge(
  results: Results,
  hasBaseline: boolean,
  checkCount: number,
  comparedCount: number,
): string | undefined {
  if (results.runs.length === 0) return "the results hold no runs";
  if (hasBaseline && comparedCount === 0)
    return "the baseline shares no gated figure with the results (0 compared figures: no strategy in common, or none measured)";
  if (!hasBaseline && checkCount === 0) return "the scenario has no thresholds and no --baseline was given";
  return undefined;
}

/** Parses "10%", "10" or "0.1" into a fraction; throws on anything else. */
export function parseRegressionLimit(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  if (match === null) throw new Error(`--max-regression expects a percentage such as "10%", got "${text}"`);
  const value = Number(match[1]);
  return match[2] === "%" || value > 1 ? value / 100 : value;
}
