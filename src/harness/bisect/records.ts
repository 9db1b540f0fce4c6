// What bisect records about each measured commit (steps.jsonl, one line per `git bisect run` step, written by
// the step processes and read back by the session for the report) and about the two ends.
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import type { CompareRow } from "../compare/compare-results.ts";
import type { CommitVerdict, Contrast } from "./judge.ts";

/** One side's values of the metric (one per repetition, ok runs only) and their mean. */
export interface SideFigures {
  samples: number[];
  mean: number;
}

/** One tested commit. */
export interface StepRecord {
  step: number;
  commit: string;
  subject: string;
  verdict: CommitVerdict;
  reason: string;
  build: { ok: boolean; seconds: number; reason: string };
  repetitions: number;
  /** Present when the commit was measured. */
  figures?: { good: SideFigures; candidate: SideFigures; bad: SideFigures };
  vsGood?: Contrast;
  vsBad?: Contrast;
}

/** The good→bad measurement made before bisecting. */
export interface EndsRecord {
  good: string;
  bad: string;
  repetitions: number;
  figures: { good: SideFigures; bad: SideFigures };
  contrast: Contrast;
  status: "regressed" | "reversed" | "undecided";
  reason: string;
}

/** Both sides' figures of a compare row (a = baseline, b = candidate). */
export function figuresOf(row: CompareRow): { a: SideFigures; b: SideFigures } {
  return { a: { samples: row.samplesA, mean: row.meanA }, b: { samples: row.samplesB, mean: row.meanB } };
}

/** Appends one step to the steps file. */
export function appendStep(file: string, record: StepRecord): void {
  appendFileSync(file, JSON.stringify(record) + "\n");
}

/** Every step recorded so far (none when the file does not exist yet). */
export function readSteps(file: string): StepRecord[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as StepRecord);
}
