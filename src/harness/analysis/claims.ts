// The usual advice checked against the run's own figures: cache → no persistence, session store → RDB
// snapshots, primary database → AOF everysec with an RDB preamble (hybrid), financial data → AOF always.
// Each claim is supported, partly supported, contradicted or not measured, and every verdict cites its figures. Pure.
import type { Claim, ClaimVerdict } from "../results/analysis-schema.ts";
import type { Results } from "../results/schema.ts";
import { findMetric } from "../report/metric-catalog.ts";
import { formatChange, formatValue } from "../report/format.ts";
import { findBoundFigures, findSaturatedPhases } from "./bottlenecks.ts";
import { summarizeStrategy } from "../report/strategy-summary.ts";
import { readBucketSamples, selectStrategyRuns } from "./intervals.ts";
import { rankStrategies } from "./ties.ts";

// A part of a claim: its verdict and the sentence that shows it.
interface Part {
  verdict: ClaimVerdict;
  evidence: string;
}

/** The advice the report checks (the seed's strategy table). */
export const USUAL_ADVICE = [
  {
    use: "Cache",
    strategy: "none",
    advice: "no persistence",
    claim: "persistence only costs: no persistence is the fastest, and a crash loses the data set (a cache can refill)",
  },
  {
    use: "Session store",
    strategy: "rdb",
    advice: "RDB snapshots",
    claim: "snapshots cost little throughput; a crash loses the writes since the last snapshot",
  },
  {
    use: "Primary database",
    strategy: "hybrid",
    advice: "AOF everysec + RDB preamble",
    claim: "at most about a second of acknowledged writes lost, even on a power cut, for a modest throughput cost",
  },
  {
    use: "Financial data",
    strategy: "aof-always",
    advice: "AOF always",
    claim: "no acknowledged write lost, even on a power cut; the price is throughput",
  },
] as const;

// Throughput of x against y: the change with its CI, whether the statistics call it, and the sentence.
function contrast(results: Results, x: string, y: string): Contrast | undefined {
  const metric = findMetric("throughput.opsPerSec");
  if (metric === undefined) return undefined;
  const samples = [x, y].map((strategy) => {
    const runs = selectStrategyRuns(results, strategy);
    const values = runs.map((run) => metric.read(run)).filter((value): value is number => value !== undefined);
    return {
      strategy,
      runs: values,
      buckets: runs.length === 1 && runs[0] !== undefined ? readBucketSamples(runs[0], metric.id) : [],
    };
  });
  if (samples.some((entry) => entry.runs.length === 0)) return undefined;
  // y is the reference: rank with y first so the change reads x against y.
  const decided = rankStrategies(metric, [samples[1]!, samples[0]!]);
  const mean = (values: number[]): number => values.reduce((sum, v) => sum + v, 0) / values.length;
  const change = mean(samples[0]!.runs) / mean(samples[1]!.runs) - 1;
  const versus = decided.versusBest[0];
  // versusBest compares the worse of the two against the better: turn its CI into x against y.
  const xIsBest = decided.order[0] === x;
  const low =
    versus === undefined || !Number.isFinite(versus.changeLow)
      ? Number.NaN
      : xIsBest
        ? 1 / (1 + versus.changeHigh) - 1
        : versus.changeLow;
  const high =
    versus === undefined || !Number.isFinite(versus.changeHigh)
      ? Number.NaN
      : xIsBest
        ? 1 / (1 + versus.changeLow) - 1
        : versus.changeHigh;
  const tied = !decided.clear;
  const bound = findBoundFigures(results, findSaturatedPhases(results)).some(
    (entry) => (entry.strategy === x || entry.strategy === y) && entry.metrics.includes(metric.id),
  );
  const ci = Number.isFinite(low)
    ? `, 95 % CI ${formatChange(low)} to ${formatChange(high)}`
    : decided.basis === "single"
      ? ", one run each"
      : "";
  const figures = `${x} ${formatValue(mean(samples[0]!.runs), "ops/s")} vs ${y} ${formatValue(mean(samples[1]!.runs), "ops/s")} (${formatChange(change)}${ci})`;
  return {
    change,
    low,
    high,
    tied,
    bound,
    text: `${figures}: ${tied ? "within noise" : "a clear difference"}${bound ? "; machine-bound throughput" : ""}`,
  };
}

/** A throughput contrast of two strategies. */
interface Contrast {
  change: number;
  low: number;
  high: number;
  tied: boolean;
  /** A saturated phase produced either figure: it measures the machine, not the strategies' cost. */
  bound: boolean;
  text: string;
}

// A cost judged on machine-bound throughput says nothing about the strategy's cost.
const MACHINE_BOUND = "the machine was saturated, so these figures are not the strategies' cost";

// A cost claim "x costs at most `limit` (fraction) against y": supported when the whole CI is within it,
// contradicted when the difference is clear and beyond it, inconclusive otherwise.
function judgeCost(c: Contrast, limit: number): Part {
  if (c.bound) return { verdict: "inconclusive", evidence: `${c.text}: ${MACHINE_BOUND}` };
  if (Number.isFinite(c.low) && c.low >= -limit)
    return { verdict: "supported", evidence: `${c.text} (within ${Math.round(limit * 100)} %)` };
  if (!c.tied && c.change < -limit)
    return { verdict: "contradicted", evidence: `${c.text}: more than ${Math.round(limit * 100)} % slower` };
  return {
    verdict: "inconclusive",
    evidence: `${c.text}: cannot tell whether the cost is under ${Math.round(limit * 100)} %`,
  };
}

// The durability figures of a strategy: faults, power cuts among them, writes lost, worst window.
function readLoss(
  results: Results,
  strategy: string,
): { faults: number; powerCuts: number; lost: number; windowMs: number; verdict: string } | undefined {
  const runs = selectStrategyRuns(results, strategy).filter((run) => run.metrics.durability !== undefined);
  if (runs.length === 0) return undefined;
  const summary = summarizeStrategy(results, strategy);
  const powerCuts = runs.reduce((sum, run) => {
    const byCrash = run.metrics.durability?.["byCrash"] as Record<string, { rounds: number }> | undefined;
    const rounds =
      byCrash?.["power-loss"]?.rounds ??
      (run.metrics.durability?.crash === "power-loss" ? run.metrics.durability.kills : 0);
    return sum + rounds;
  }, 0);
  return {
    faults: summary.kills ?? 0,
    powerCuts,
    lost: summary.values["durability.lost"] ?? 0,
    windowMs: summary.values["durability.lossWindowMs"] ?? 0,
    verdict: summary.durabilityVerdict,
  };
}

const describeFaults = (loss: { faults: number; powerCuts: number }): string =>
  `${loss.faults} fault(s), ${loss.powerCuts} of them power cuts`;
const notMeasured = (what: string): Part => ({
  verdict: "not measured",
  evidence: `${what}: not measured (no faults in this scenario)`,
});

// Combines the parts of a claim: contradicted wins, then all-supported, all-unmeasured, all-undecided, else partly.
function combine(parts: readonly Part[]): ClaimVerdict {
  if (parts.some((part) => part.verdict === "contradicted")) return "contradicted";
  if (parts.every((part) => part.verdict === "supported")) return "supported";
  if (parts.every((part) => part.verdict === "not measured")) return "not measured";
  if (parts.every((part) => part.verdict === "inconclusive" || part.verdict === "not measured")) return "inconclusive";
  return "partly supported";
}

// Cache: none against every persisting strategy, and its loss.
function judgeCache(results: Results, strategies: readonly string[]): Part[] {
  const others = strategies
    .filter((s) => s !== "none")
    .map((s) => ({ s, c: contrast(results, "none", s) }))
    .filter((entry) => entry.c !== undefined);
  const slower = others.filter((entry) => !entry.c!.tied && entry.c!.change < 0);
  const ties = others.filter((entry) => entry.c!.tied);
  const cost: Part =
    others.length === 0
      ? { verdict: "not measured", evidence: "no persisting strategy to compare with" }
      : others.some((entry) => entry.c!.bound)
        ? { verdict: "inconclusive", evidence: `${others.map((e) => e.c!.text).join("; ")}: ${MACHINE_BOUND}` }
        : slower.length > 0
          ? {
              verdict: "contradicted",
              evidence: `no persistence was clearly slower than ${slower.map((e) => e.s).join(", ")}: ${slower[0]!.c!.text}`,
            }
          : ties.length > 0
            ? {
                verdict: "inconclusive",
                evidence: `no persistence cannot be told from ${ties.map((e) => e.s).join(", ")} on throughput: ${ties.map((e) => e.c!.text).join("; ")}`,
              }
            : {
                verdict: "supported",
                evidence: `no persistence was clearly the fastest: ${others.map((e) => e.c!.text).join("; ")}`,
              };
  const loss = readLoss(results, "none");
  const lossPart: Part =
    loss === undefined || loss.faults === 0
      ? notMeasured("loss")
      : loss.lost > 0
        ? {
            verdict: "supported",
            evidence: `${describeFaults(loss)}: ${formatValue(loss.lost, "count")} acknowledged writes lost`,
          }
        : {
            verdict: "contradicted",
            evidence: `${describeFaults(loss)}: no acknowledged write lost although nothing was persisted`,
          };
  return [cost, lossPart];
}

// Session store: rdb's cost against none, and whether its losses stayed within the last snapshot.
function judgeSessionStore(results: Results): Part[] {
  const c = contrast(results, "rdb", "none");
  const cost: Part =
    c === undefined ? { verdict: "not measured", evidence: "rdb or none missing from the run" } : judgeCost(c, 0.1);
  const loss = readLoss(results, "rdb");
  const lossPart: Part =
    loss === undefined || loss.faults === 0
      ? notMeasured("loss")
      : loss.verdict === "fail"
        ? {
            verdict: "contradicted",
            evidence: `${describeFaults(loss)}: ${formatValue(loss.lost, "count")} writes lost, some acknowledged before the last completed snapshot`,
          }
        : {
            verdict: "supported",
            evidence: `${describeFaults(loss)}: ${formatValue(loss.lost, "count")} acknowledged writes lost, all after the last completed snapshot (worst window ${formatValue(loss.windowMs, "ms")})`,
          };
  return [cost, lossPart];
}

// Primary database: hybrid's loss window under power cuts, and its cost against none.
function judgePrimary(results: Results, strategy: string): Part[] {
  const loss = readLoss(results, strategy);
  // everysec may postpone a write up to 2 s behind a slow fsync (Redis's documented worst case).
  const lossPart: Part =
    loss === undefined || loss.faults === 0
      ? notMeasured("loss")
      : loss.windowMs > 2050
        ? {
            verdict: "contradicted",
            evidence: `${describeFaults(loss)}: worst loss window ${formatValue(loss.windowMs, "ms")} (more than the 2 s everysec allows)`,
          }
        : loss.powerCuts === 0
          ? {
              verdict: "partly supported",
              evidence: `${describeFaults(loss)}: worst loss window ${formatValue(loss.windowMs, "ms")}, but kills keep the page cache: only a power cut tests the claim`,
            }
          : {
              verdict: "supported",
              evidence: `${describeFaults(loss)}: ${formatValue(loss.lost, "count")} acknowledged writes lost, worst loss window ${formatValue(loss.windowMs, "ms")}`,
            };
  const c = contrast(results, strategy, "none");
  const cost: Part =
    c === undefined
      ? { verdict: "not measured", evidence: `${strategy} or none missing from the run` }
      : judgeCost(c, 0.25);
  return [lossPart, cost];
}

// Financial data: aof-always loses nothing under power cuts, and costs throughput against everysec.
function judgeFinancial(results: Results): Part[] {
  const loss = readLoss(results, "aof-always");
  const lossPart: Part =
    loss === undefined || loss.faults === 0
      ? notMeasured("loss")
      : loss.lost > 0
        ? {
            verdict: "contradicted",
            evidence: `${describeFaults(loss)}: ${formatValue(loss.lost, "count")} acknowledged writes lost`,
          }
        : loss.powerCuts === 0
          ? {
              verdict: "partly supported",
              evidence: `${describeFaults(loss)}: no acknowledged write lost, but no power cut was among them`,
            }
          : { verdict: "supported", evidence: `${describeFaults(loss)}: no acknowledged write lost` };
  const c = contrast(results, "aof-always", "aof-everysec");
  const cost: Part =
    c === undefined
      ? { verdict: "not measured", evidence: "aof-always or aof-everysec missing from the run" }
      : c.bound
        ? { verdict: "inconclusive", evidence: `${c.text}: ${MACHINE_BOUND}` }
        : !c.tied && c.change < 0
          ? { verdict: "supported", evidence: c.text }
          : Number.isFinite(c.low) && c.low >= -0.02 && c.high <= 0.02
            ? { verdict: "contradicted", evidence: `${c.text}: no price within ±2 % at this load` }
            : { verdict: "inconclusive", evidence: `${c.text}: cannot tell the price at this noise` };
  return [lossPart, cost];
}

/** Judges the usual advice for the strategies the results contain (rows whose strategy did not run are left out). */
export function judgeUsualAdvice(results: Results): Claim[] {
  const strategies = [...new Set(results.runs.map((run) => run.strategy))];
  return USUAL_ADVICE.filter((row) => strategies.includes(row.strategy)).map((row) => {
    const parts =
      row.use === "Cache"
        ? judgeCache(results, strategies)
        : row.use === "Session store"
          ? judgeSessionStore(results)
          : row.use === "Primary database"
            ? judgePrimary(results, row.strategy)
            : judgeFinancial(results);
    return {
      use: row.use,
      strategy: row.strategy,
      advice: row.advice,
      claim: row.claim,
      verdict: combine(parts),
      evidence: parts.map((part) => part.evidence),
    };
  });
}
