// The types of results.json's `analysis` block (docs/results-schema.md): intervals, rankings, bottlenecks and
// claims as analysis/ computes them. Types only, so the results schema does not depend on the analysis code.

/** Where an interval comes from: repetitions, one run's time buckets, or nothing (one measurement). */
export type IntervalBasis = "repetitions" | "time-buckets" | "single";

/** A figure with its interval (low/high absent when the basis is "single"). */
export interface FigureInterval {
  mean: number;
  low?: number;
  high?: number;
  basis: IntervalBasis;
  /** Samples behind the figure: runs, or buckets for "time-buckets". */
  n: number;
}

/** How one strategy compares with the best. */
export interface VersusBest {
  strategy: string;
  tied: boolean;
  /** mean(this)/mean(best) - 1, with its CI (NaN where there is none). */
  change: number;
  changeLow: number;
  changeHigh: number;
  p: number;
  reason: string;
}

/** The ranking of one metric. */
export interface Ranking {
  metric: string;
  better: "higher" | "lower";
  basis: IntervalBasis;
  /** Strategies with a figure, best mean first. */
  order: string[];
  /** The best strategy and those indistinguishable from it, best first. */
  leaders: string[];
  /** True when exactly one strategy leads and another was measured. */
  clear: boolean;
  /** Why the leaders tie ("" when clear). */
  reason: string;
  /** What would separate the tied strategies ("" when clear). */
  separate: string;
  versusBest: VersusBest[];
}

/** One saturated phase of one run. */
export interface SaturatedPhase {
  run: string;
  strategy: string;
  phase: string;
  executor: "closed" | "open";
  cpuBusyPct: number;
  harnessLoopBusyPct?: number;
  /** What was saturated: "machine CPU", "load generator" (the harness's event loop), or both. */
  by: string[];
}

/** A strategy's figures that a saturated phase bounded. */
export interface BoundFigures {
  strategy: string;
  /** Metric ids marked as bounded by the machine. */
  metrics: string[];
  /** Worst CPU busy share (%) over the phases behind them. */
  cpuBusyPct: number;
  by: string[];
  /** "2 of 3 runs" style count of the runs whose phases were saturated. */
  runs: string;
}

/** How the run's figures bear on a claim. */
export type ClaimVerdict = "supported" | "partly supported" | "inconclusive" | "contradicted" | "not measured";

/** One row of the usual advice, judged. */
export interface Claim {
  use: string;
  strategy: string;
  advice: string;
  claim: string;
  verdict: ClaimVerdict;
  /** The figures behind the verdict, one sentence each. */
  evidence: string[];
}

/** A strategy's figure for a metric, with its interval and, when a saturated phase produced it, what bound it. */
export interface AnalyzedFigure extends FigureInterval {
  boundedBy?: string[];
}

/** The `analysis` block of results.json. */
export interface Analysis {
  /** Confidence of every interval. */
  confidence: number;
  /** strategy → metric id → figure. */
  figures: Record<string, Record<string, AnalyzedFigure>>;
  /** metric id → ranking of the strategies (leaders tie when the statistics cannot separate them). */
  rankings: Record<string, Ranking>;
  bottlenecks: { saturated: SaturatedPhase[]; bound: BoundFigures[] };
  claims: Claim[];
}
