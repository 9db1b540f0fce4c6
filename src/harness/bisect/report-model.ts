// The bisect report (bisect.json; bisect.html renders the same object): the session's inputs, the two ends'
// measurement, every tested commit with its figures and confidence intervals, and the outcome.
import type { MetricDefinition } from "../report/metric-catalog.ts";
import type { EndsRecord, StepRecord } from "./records.ts";

/** A commit named in an outcome. */
export interface NamedCommit {
  commit: string;
  subject: string;
}

/** How the session ended. */
export type BisectOutcome =
  | ({ status: "found" } & NamedCommit)
  | { status: "ambiguous"; candidates: NamedCommit[]; reason: string }
  | { status: "inconclusive"; reason: string }
  | { status: "interrupted"; reason: string }
  | { status: "failed"; reason: string };

/** The whole report. */
export interface BisectReport {
  tool: "persistlab";
  kind: "bisect";
  createdAt: string;
  repo: string;
  good: NamedCommit;
  bad: NamedCommit;
  build: string;
  engineBin: string;
  scenario: string;
  metric: Pick<MetricDefinition, "id" | "label" | "unit" | "better">;
  strategy: string;
  stats: { minEffect: number; alpha: number; minRepetitions: number; maxRepetitions: number; confidence: number };
  ends: EndsRecord | undefined;
  steps: StepRecord[];
  outcome: BisectOutcome;
}
