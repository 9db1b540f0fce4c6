// A whole bisect session: checks the inputs, builds the good and bad ends in their own worktrees, confirms the
// regression between them, then lets `git bisect run` drive step.sh through the commits in between (a third
// worktree), and assembles the report. The user's repository is only read from; the workspace is cleaned up
// however the session ends (workspace.ts).
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { HARNESS_EXTENSIONS } from "../api/extensions.ts";
import { loadScenarioFile } from "../scenario/load.ts";
import { HarnessError } from "../shared/errors.ts";
import { EXIT_CODES } from "../shared/exit-codes.ts";
import { buildCheckout } from "./build.ts";
import { commitSubject, findRepoTop, isAncestor, resolveCommit } from "./git.ts";
import { parseGitBisectOutcome } from "./git-outcome.ts";
import { runGitBisect } from "./git-bisect-run.ts";
import { measureEnds } from "./measure-ends.ts";
import { chooseMetric, narrowToStrategy } from "./metric-choice.ts";
import { readSteps, type EndsRecord } from "./records.ts";
import type { BisectOutcome, BisectReport, NamedCommit } from "./report-model.ts";
import { writeSessionState } from "./session-state.ts";
import { writeStepScript } from "./step-script.ts";
import { createWorkspace, type Workspace } from "./workspace.ts";

/** What the CLI passes in. */
export interface BisectOptions {
  repo: string;
  good: string;
  bad: string;
  build: string;
  engineBin: string;
  scenarioFile: string;
  quick: boolean;
  metric: string;
  minEffect: number;
  alpha: number;
  minRepetitions: number;
  maxRepetitions: number;
  buildTimeoutMs: number;
  outDir: string;
  signal: AbortSignal;
  log: (line: string) => void;
}

// Builds one end; a HarnessError when it does not build (nothing can be judged against it).
async function buildEnd(
  workspace: Workspace,
  name: "good" | "bad",
  commit: string,
  options: BisectOptions,
): Promise<string> {
  const checkout = workspace.addCheckout(name, commit);
  options.log(`building the ${name} end ${commit.slice(0, 12)}...`);
  const build = await buildCheckout({
    checkout,
    build: options.build,
    engineBin: options.engineBin,
    logFile: join(options.outDir, "builds", `${name}-${commit.slice(0, 12)}.log`),
    signal: options.signal,
    timeoutMs: options.buildTimeoutMs,
  });
  if (options.signal.aborted)
    throw new HarnessError("interrupted while building", { exitCode: EXIT_CODES.INTERRUPTED });
  if (!build.ok)
    throw new HarnessError(`the ${name} end ${commit.slice(0, 12)} does not build: ${build.reason}`, {
      exitCode: EXIT_CODES.ENGINE_FAILED,
      hint: "pick --good/--bad commits that build with --build, and check --engine-bin (relative to the repository)",
    });
  return build.engineBin;
}

// Names a commit with its subject.
const named = (repo: string, commit: string): NamedCommit => ({ commit, subject: commitSubject(repo, commit) });

// Runs git bisect between the ends; returns the outcome.
async function bisectBetween(
  workspace: Workspace,
  repo: string,
  commits: { good: string; bad: string },
  engines: { good: string; bad: string },
  options: BisectOptions,
  stepsFile: string,
): Promise<BisectOutcome> {
  const checkout = workspace.addCheckout("bisect", commits.bad);
  const stateFile = join(workspace.dir, "state.json");
  writeSessionState(stateFile, {
    version: 1,
    repo,
    good: commits.good,
    bad: commits.bad,
    build: options.build,
    engineBin: options.engineBin,
    buildTimeoutMs: options.buildTimeoutMs,
    scenarioFile: options.scenarioFile,
    quick: options.quick,
    metric: options.metric,
    minEffect: options.minEffect,
    alpha: options.alpha,
    minRepetitions: options.minRepetitions,
    maxRepetitions: options.maxRepetitions,
    outDir: options.outDir,
    stepsFile,
    checkouts: { good: workspace.checkout("good"), bad: workspace.checkout("bad"), bisect: checkout },
    engines,
  });
  const stepScript = writeStepScript(workspace.dir, stateFile);
  const run = await runGitBisect({
    checkout,
    good: commits.good,
    bad: commits.bad,
    stepScript,
    signal: options.signal,
    onLine: (line) => options.log(`git: ${line}`),
    onStart: () => workspace.markBisecting(),
  });
  if (options.signal.aborted)
    return { status: "interrupted", reason: "interrupted: the bisection was stopped and reset" };
  const parsed = parseGitBisectOutcome(run.stdout);
  if (parsed.status === "found") return { status: "found", ...named(repo, parsed.commit) };
  if (parsed.status === "ambiguous")
    return {
      status: "ambiguous",
      candidates: parsed.candidates.map((c) => named(repo, c)),
      reason: "skipped commits (not buildable or inconclusive) hide which of these is the first bad one",
    };
  return {
    status: "failed",
    reason: `git bisect run ended (exit ${run.exitCode ?? "?"}) without naming a commit; see the steps above and ${stepsFile}`,
  };
}

/** Runs the session; returns the report (the CLI writes and prints it). */
export async function runBisect(given: BisectOptions): Promise<BisectReport> {
  // Steps run in another directory (the bisect checkout): every path they get is absolute.
  const options = { ...given, outDir: resolve(given.outDir), scenarioFile: resolve(given.scenarioFile) };
  const repo = findRepoTop(resolve(options.repo));
  const good = resolveCommit(repo, options.good, "--good"),
    bad = resolveCommit(repo, options.bad, "--bad");
  if (good === bad) throw new HarnessError("--good and --bad name the same commit", { exitCode: EXIT_CODES.USAGE });
  if (!isAncestor(repo, good, bad))
    throw new HarnessError(`--good ${options.good} is not an ancestor of --bad ${options.bad}`, {
      exitCode: EXIT_CODES.USAGE,
      hint: "bisect looks for the first bad commit after a good one: swap them or pick an older good commit",
    });
  const scenario = loadScenarioFile(options.scenarioFile, { quick: options.quick, extensions: HARNESS_EXTENSIONS });
  const choice = chooseMetric(options.metric, scenario);
  if (typeof choice === "string") throw new HarnessError(choice, { exitCode: EXIT_CODES.USAGE });
  mkdirSync(join(options.outDir, "builds"), { recursive: true });
  const stepsFile = join(options.outDir, "steps.jsonl");
  const report: BisectReport = {
    tool: "persistlab",
    kind: "bisect",
    createdAt: new Date().toISOString(),
    repo,
    good: named(repo, good),
    bad: named(repo, bad),
    build: options.build,
    engineBin: options.engineBin,
    scenario: scenario.name,
    metric: {
      id: choice.metric.id,
      label: choice.metric.label,
      unit: choice.metric.unit,
      better: choice.metric.better,
    },
    strategy: choice.strategy,
    stats: {
      minEffect: options.minEffect,
      alpha: options.alpha,
      minRepetitions: options.minRepetitions,
      maxRepetitions: options.maxRepetitions,
      confidence: 0.95,
    },
    ends: undefined,
    steps: [],
    outcome: { status: "failed", reason: "not finished" },
  };
  const workspace = createWorkspace(repo);
  options.log(`workspace: ${workspace.dir} (worktrees of ${repo}, removed at the end)`);
  try {
    const engines = {
      good: await buildEnd(workspace, "good", good, options),
      bad: await buildEnd(workspace, "bad", bad, options),
    };
    options.log(`measuring the ends (${choice.metric.id} of ${choice.strategy})...`);
    const ends: EndsRecord = await measureEnds({
      scenario: narrowToStrategy(scenario, choice.strategy),
      choice,
      stats: options,
      engines,
      commits: { good, bad },
      outDir: options.outDir,
      signal: options.signal,
      minRepetitions: options.minRepetitions,
      maxRepetitions: options.maxRepetitions,
      log: options.log,
    });
    report.ends = ends;
    if (ends.status === "reversed")
      throw new HarnessError(`the bad end is better than the good end: ${ends.reason}`, {
        exitCode: EXIT_CODES.USAGE,
        hint: "swap --good and --bad to find an improvement's commit, or choose another --metric",
      });
    if (ends.status === "undecided") {
      report.outcome = {
        status: "inconclusive",
        reason: `the ends do not differ clearly after ${ends.repetitions} repetitions: ${ends.reason}`,
      };
      return report;
    }
    options.log(`ends: ${ends.reason}`);
    report.outcome = await bisectBetween(workspace, repo, { good, bad }, engines, options, stepsFile);
    return report;
  } catch (error) {
    if (options.signal.aborted) {
      report.outcome = { status: "interrupted", reason: "interrupted: the bisection was stopped and reset" };
      return report;
    }
    throw error;
  } finally {
    report.steps = readSteps(stepsFile);
    workspace.cleanup();
  }
}
