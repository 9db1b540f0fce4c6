// Picks the strategy that meets stated needs (loss window, throughput, p99) from measured results, with the
// evidence for each strategy and, when none qualifies, why. Among qualifying strategies the fastest wins
// (highest ops/s; ties go to the lower p99). Pure.
import type { Results } from "../results/schema.ts";
import { summarizeStrategies, type StrategySummary } from "../report/strategy-summary.ts";
import { findMetric } from "../report/metric-catalog.ts";
import { readBucketSamples, selectStrategyRuns } from "../analysis/intervals.ts";
import { rankStrategies } from "../analysis/ties.ts";
import { findBoundFigures, findSaturatedPhases } from "../analysis/bottlenecks.ts";

/** What the user needs; every field optional. */
export interface Needs {
  /** Largest acceptable loss window (ms of acknowledged writes lost in a crash); 0 means no acked write may be lost. */
  maxLossMs?: number | undefined;
  minOpsPerSec?: number | undefined;
  maxP99Ms?: number | undefined;
}

/** One strategy checked against the needs. */
export interface Candidate {
  summary: StrategySummary;
  qualifies: boolean;
  /** Unmet needs, one sentence each (empty when it qualifies). */
  failures: string[];
}

/** The recommendation. */
export interface Recommendation {
  needs: Needs;
  pick: Candidate | undefined;
  candidates: Candidate[];
  /** Why: the choice and its deciding figures, or why none qualifies. */
  explanation: string;
  /** Qualifying strategies whose throughput the statistics cannot tell from the pick's (ties, not a winner). */
  tiedWith?: string[];
}

// Ties on throughput among the qualifying strategies (compare's statistics) and a machine-bound throughput figure.
function describeCaveats(
  results: Results,
  pick: Candidate,
  qualifying: readonly Candidate[],
): { tiedWith: string[]; text: string } {
  const metric = findMetric("throughput.opsPerSec");
  if (metric === undefined) return { tiedWith: [], text: "" };
  const samples = qualifying.map((c) => {
    const runs = selectStrategyRuns(results, c.summary.strategy);
    return {
      strategy: c.summary.strategy,
      runs: c.summary.samples["throughput.opsPerSec"] ?? [],
      buckets: runs.length === 1 && runs[0] !== undefined ? readBucketSamples(runs[0], metric.id) : [],
    };
  });
  const ranking = rankStrategies(metric, samples);
  const tiedWith = ranking.leaders[0] === pick.summary.strategy ? ranking.leaders.slice(1) : [];
  let text =
    tiedWith.length === 0
      ? ""
      : `; but its throughput is indistinguishable from ${tiedWith.join(", ")} (${ranking.basis === "single" ? "one run each" : (ranking.versusBest.find((v) => v.tied)?.reason ?? "within noise")}): treat them as tied, and pick among them on loss or latency; ${ranking.separate} would separate them`;
  const bound = findBoundFigures(results, findSaturatedPhases(results)).find(
    (entry) => entry.strategy === pick.summary.strategy && entry.metrics.includes("throughput.opsPerSec"),
  );
  if (bound !== undefined)
    text += `; the throughput figures were bounded by the machine (${bound.by.join(" and ")} saturated, CPU up to ${bound.cpuBusyPct.toFixed(1)} % busy in ${bound.runs}), so they measure the shared CPU more than the strategy's cost`;
  return { tiedWith, text };
}

// Checks one strategy; undefined figures fail a stated need (not measured ≠ good).
function checkCandidate(summary: StrategySummary, needs: Needs): Candidate {
  const failures: string[] = [];
  const ops = summary.values["throughput.opsPerSec"];
  const p99 = summary.values["latency.p99Ms"];
  const lossWindow = summary.values["durability.lossWindowMs"];
  const lost = summary.values["durability.lost"];
  if (needs.maxLossMs !== undefined) {
    if (lossWindow === undefined || lost === undefined)
      failures.push("loss not measured (run a scenario with kill or power-loss faults)");
    else if (needs.maxLossMs === 0 && lost > 0) failures.push(`lost ${lost} acknowledged writes (need 0)`);
    else if (lossWindow > needs.maxLossMs) failures.push(`loss window ${lossWindow} ms > ${needs.maxLossMs} ms`);
  }
  if (needs.minOpsPerSec !== undefined) {
    if (ops === undefined) failures.push("throughput not measured");
    else if (ops < needs.minOpsPerSec) failures.push(`${Math.round(ops)} ops/s < ${needs.minOpsPerSec} ops/s`);
  }
  if (needs.maxP99Ms !== undefined) {
    if (p99 === undefined) failures.push("p99 not measured");
    else if (p99 > needs.maxP99Ms) failures.push(`p99 ${p99.toFixed(2)} ms > ${needs.maxP99Ms} ms`);
  }
  if (summary.runs === 0) failures.push("no successful run");
  return { summary, qualifies: failures.length === 0, failures };
}

/** Orders candidates: highest throughput first, then lowest p99. */
export function rankCandidates(x: Candidate, y: Candidate): number {
  const opsX = x.summary.values["throughput.opsPerSec"] ?? 0,
    opsY = y.summary.values["throughput.opsPerSec"] ?? 0;
  if (opsX !== opsY) return opsY - opsX;
  return (x.summary.values["latency.p99Ms"] ?? Infinity) - (y.summary.values["latency.p99Ms"] ?? Infinity);
}

/** Recommends a strategy for the needs from the results. */
export function recommendStrategy(results: Results, needs: Needs): Recommendation {
  const candidates = summarizeStrategies(results).map((summary) => checkCandidate(summary, needs));
  const pick = candidates.filter((c) => c.qualifies).sort(rankCandidates)[0];
  if (pick !== undefined) {
    const others = candidates.filter((c) => c.qualifies && c !== pick).map((c) => c.summary.strategy);
    const ops = Math.round(pick.summary.values["throughput.opsPerSec"] ?? 0);
    const caveats = describeCaveats(
      results,
      pick,
      candidates.filter((c) => c.qualifies),
    );
    return {
      needs,
      pick,
      candidates,
      tiedWith: caveats.tiedWith,
      explanation:
        `${pick.summary.strategy} meets every stated need with the highest throughput (${ops} ops/s)` +
        (others.length > 0 ? `; also qualifying: ${others.join(", ")}` : "; no other strategy qualifies") +
        caveats.text,
    };
  }
  const reasons = candidates.map((c) => `${c.summary.strategy}: ${c.failures.join("; ")}`);
  return {
    needs,
    pick: undefined,
    candidates,
    explanation: `No strategy meets the stated needs. ${reasons.join(". ")}.`,
  };
}
