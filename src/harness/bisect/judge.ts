// Decides what a bisect step says about a commit from compare's verdicts (compare/compare-results.ts): the
// candidate against the good end and against the bad end, measured in the same step. Pure.
// Rules (docs/regressions.md): bad as soon as the candidate is clearly worse than good (compare says
// "regressed"); good once it is clearly better than bad ("improved") and its mean sits nearer the good end;
// otherwise undecided (measure again), and skip when still undecided at the repetition limit.
import type { CompareRow } from "../compare/compare-results.ts";

/** What git bisect is told about a commit. */
export type CommitVerdict = "good" | "bad" | "skip";

/** A decision, or the reason there is none yet. */
export interface Judgement {
  verdict: CommitVerdict | "undecided";
  reason: string;
}

/** A contrast between two sides as recorded in the bisect report (from one CompareRow). */
export interface Contrast {
  change: number;
  changeLow: number;
  changeHigh: number;
  p: number;
  verdict: CompareRow["verdict"];
  reason: string;
}

/** The part of a CompareRow the report keeps. */
export function toContrast(row: CompareRow): Contrast {
  return {
    change: row.change,
    changeLow: row.changeLow,
    changeHigh: row.changeHigh,
    p: row.p,
    verdict: row.verdict,
    reason: row.reason,
  };
}

// "-42.1 % [-45.0, -39.3]" or "from 0 to 812".
export function describeChange(
  row: Pick<CompareRow, "change" | "changeLow" | "changeHigh" | "meanA" | "meanB">,
): string {
  if (!Number.isFinite(row.change)) return `from ${formatNumber(row.meanA)} to ${formatNumber(row.meanB)}`;
  const pct = (v: number): string => (Number.isFinite(v) ? (v * 100).toFixed(1) : "?");
  return `${row.change >= 0 ? "+" : ""}${pct(row.change)} % [${pct(row.changeLow)}, ${pct(row.changeHigh)}]`;
}

/** A number with at most 4 significant digits, integers kept whole. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 1000 || Number.isInteger(value) ? String(Math.round(value)) : value.toPrecision(4);
}

/** Judges the good→bad contrast of the two ends: the regression must be clear before bisecting. */
export function judgeEnds(goodToBad: CompareRow): { status: "regressed" | "reversed" | "undecided"; reason: string } {
  const what = `${goodToBad.metric.label}: bad vs good ${describeChange(goodToBad)} (${goodToBad.reason})`;
  if (goodToBad.verdict === "regressed") return { status: "regressed", reason: what };
  if (goodToBad.verdict === "improved") return { status: "reversed", reason: what };
  return { status: "undecided", reason: what };
}

/** Judges a candidate from its contrasts with the good end (good→candidate) and the bad end (bad→candidate). */
export function judgeCandidate(vsGood: CompareRow, vsBad: CompareRow): Judgement {
  const figures = `vs good ${describeChange(vsGood)}, vs bad ${describeChange(vsBad)}`;
  if (vsGood.verdict === "regressed")
    return { verdict: "bad", reason: `worse than good (${vsGood.reason}); ${figures}` };
  const nearerGood = Math.abs(vsGood.meanB - vsGood.meanA) < Math.abs(vsBad.meanB - vsBad.meanA);
  if (vsBad.verdict === "improved" && nearerGood)
    return { verdict: "good", reason: `better than bad (${vsBad.reason}) and nearer good; ${figures}` };
  return {
    verdict: "undecided",
    reason: `not clear yet: vs good ${vsGood.reason}, vs bad ${vsBad.reason}; ${figures}`,
  };
}
