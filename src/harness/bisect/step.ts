// One `git bisect run` step (persistlab bisect --step STATE, started by the session's step.sh): builds the
// commit checked out in the bisect checkout, measures it in rotation with the good and bad end builds until
// judge.ts decides, appends the evidence to steps.jsonl and writes the verdict (good / bad / skip) for step.sh.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { HARNESS_EXTENSIONS } from "../api/extensions.ts";
import { loadScenarioFile } from "../scenario/load.ts";
import { HarnessError } from "../shared/errors.ts";
import { EXIT_CODES } from "../shared/exit-codes.ts";
import { buildCheckout } from "./build.ts";
import type { CompareRow } from "../compare/compare-results.ts";
import type { Results } from "../results/schema.ts";
import { contrastMetric, type StatsOptions } from "./contrast.ts";
import { commitSubject, git } from "./git.ts";
import { judgeCandidate, toContrast, type CommitVerdict, type Judgement } from "./judge.ts";
import { measureUntilClear } from "./measure-rounds.ts";
import { chooseMetric, narrowToStrategy, type MetricChoice } from "./metric-choice.ts";
import { appendStep, figuresOf, readSteps, type StepRecord } from "./records.ts";
import { readSessionState, type SessionState } from "./session-state.ts";
import { createBuiltEngine } from "./side-engine.ts";

/** The file step.sh reads the verdict from, next to the state file. */
export function verdictFileFor(stateFile: string): string {
  return join(stateFile, "..", "verdict");
}

// Measures the built candidate against both ends; returns the record's measured part.
async function measureCandidate(
  state: SessionState,
  candidateBin: string,
  step: number,
  signal: AbortSignal,
  log: (line: string) => void,
): Promise<Pick<StepRecord, "verdict" | "reason" | "repetitions" | "figures" | "vsGood" | "vsBad">> {
  const scenario = loadScenarioFile(state.scenarioFile, { quick: state.quick, extensions: HARNESS_EXTENSIONS });
  const choice = chooseMetric(state.metric, scenario);
  if (typeof choice === "string") throw new HarnessError(choice, { exitCode: EXIT_CODES.USAGE });
  const stats = { minEffect: state.minEffect, alpha: state.alpha };
  const sides = [
    { name: "good", engine: createBuiltEngine(state.engines.good) },
    { name: "candidate", engine: createBuiltEngine(candidateBin) },
    { name: "bad", engine: createBuiltEngine(state.engines.bad) },
  ];
  const measured = await measureUntilClear<{ judgement: Judgement; rows?: ReturnType<typeof rowsOf> }>({
    scenario: narrowToStrategy(scenario, choice.strategy),
    sides,
    signal,
    outDir: join(state.outDir, "runs", `step-${step}`),
    minRepetitions: state.minRepetitions,
    maxRepetitions: state.maxRepetitions,
    onRun: (side, repetition) => log(`  step ${step}: ${side} #${repetition}`),
    decide: (results) => {
      const failed = findFailedRun(results);
      if (failed !== undefined) return { final: true, value: { judgement: { verdict: "skip", reason: failed } } };
      const rows = rowsOf(results, choice, stats);
      if (rows === undefined)
        return {
          final: true,
          value: {
            judgement: {
              verdict: "skip",
              reason: `${choice.metric.id} was not measured on every side (a failed run?)`,
            },
          },
        };
      const judgement = judgeCandidate(rows.vsGood, rows.vsBad);
      return { final: judgement.verdict !== "undecided", value: { judgement, rows } };
    },
  });
  const { judgement, rows } = measured.decision;
  const verdict: CommitVerdict = judgement.verdict === "undecided" ? "skip" : judgement.verdict;
  const reason =
    judgement.verdict === "undecided"
      ? `inconclusive after ${measured.repetitions} repetitions (${judgement.reason})`
      : judgement.reason;
  if (rows === undefined) return { verdict, reason, repetitions: measured.repetitions };
  const good = figuresOf(rows.vsGood),
    bad = figuresOf(rows.vsBad);
  return {
    verdict,
    reason,
    repetitions: measured.repetitions,
    figures: { good: good.a, candidate: good.b, bad: bad.a },
    vsGood: toContrast(rows.vsGood),
    vsBad: toContrast(rows.vsBad),
  };
}

// Why a side could not be measured (a run failed: the engine did not start, crashed, ...), undefined when all ran.
function findFailedRun(results: Readonly<Record<string, Results>>): string | undefined {
  for (const [side, sideResults] of Object.entries(results)) {
    const run = sideResults.runs.find((r) => r.status !== "ok");
    if (run !== undefined)
      return `a run of the ${side === "candidate" ? "commit" : `${side} end`} failed: ${run.error ?? run.status}`;
  }
  return undefined;
}

// compare's rows good→candidate and bad→candidate, undefined when a side lacks the metric.
function rowsOf(
  results: Readonly<Record<string, Results>>,
  choice: MetricChoice,
  stats: StatsOptions,
): { vsGood: CompareRow; vsBad: CompareRow } | undefined {
  const good = results["good"],
    candidate = results["candidate"],
    bad = results["bad"];
  if (good === undefined || candidate === undefined || bad === undefined) return undefined;
  const vsGood = contrastMetric(good, candidate, choice, stats),
    vsBad = contrastMetric(bad, candidate, choice, stats);
  return vsGood === undefined || vsBad === undefined ? undefined : { vsGood, vsBad };
}

/** Runs one step; writes the verdict file and returns the recorded step. */
export async function runBisectStep(
  stateFile: string,
  signal: AbortSignal,
  log: (line: string) => void,
): Promise<StepRecord> {
  const state = readSessionState(stateFile);
  const checkout = state.checkouts.bisect;
  const commit = git(checkout, ["rev-parse", "HEAD"]);
  const subject = commitSubject(checkout, commit);
  const step = readSteps(state.stepsFile).length + 1;
  log(`step ${step}: ${commit.slice(0, 12)} ${subject}: building`);
  const build = await buildCheckout({
    checkout,
    build: state.build,
    engineBin: state.engineBin,
    logFile: join(state.outDir, "builds", `${commit.slice(0, 12)}.log`),
    signal,
    timeoutMs: state.buildTimeoutMs,
  });
  if (signal.aborted) throw new HarnessError("interrupted while building", { exitCode: EXIT_CODES.INTERRUPTED });
  const buildSummary = { ok: build.ok, seconds: build.seconds, reason: build.reason };
  let record: StepRecord;
  if (!build.ok) {
    record = {
      step,
      commit,
      subject,
      verdict: "skip",
      reason: `does not build: ${build.reason}`,
      build: buildSummary,
      repetitions: 0,
    };
  } else {
    let measured: Awaited<ReturnType<typeof measureCandidate>>;
    try {
      measured = await measureCandidate(state, build.engineBin, step, signal, log);
    } catch (error) {
      if (signal.aborted) throw error;
      // The candidate itself may not start (an engine broken at this commit): that is a skip, not a verdict.
      measured = { verdict: "skip", reason: `could not be measured: ${(error as Error).message}`, repetitions: 0 };
    }
    record = { step, commit, subject, build: buildSummary, ...measured };
  }
  appendStep(state.stepsFile, record);
  writeFileSync(verdictFileFor(stateFile), record.verdict + "\n");
  log(`step ${step}: ${commit.slice(0, 12)} is ${record.verdict.toUpperCase()}: ${record.reason}`);
  return record;
}
