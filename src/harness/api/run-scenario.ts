// API runScenario(): runs a scenario on an engine and writes results.json, history and report.html into a
// folder, as `persistlab run` does (the CLI adds the progress bar, signal handling and exit codes).
import { existsSync, readdirSync, rmdirSync } from "node:fs";
import { join } from "node:path";
import { resolveScenarioPath } from "../cli/scenario-path.ts";
import { checkAttachReachable } from "../engines/attach-engine.ts";
import { createEngine } from "../engines/create-engine.ts";
import type { EngineKind } from "../engines/types.ts";
import { writeReport } from "../report/html.ts";
import type { Results } from "../results/schema.ts";
import { createOutputDir } from "../results/writer.ts";
import type { RunProgress } from "../run/run-one.ts";
import { runScenario as runPlannedScenario } from "../run/run-scenario.ts";
import { checkStrategyDirectives } from "../scenario/check-directives.ts";
import type { ResolvedScenario } from "../scenario/resolved.ts";
import { parseShard, type Shard } from "../scenario/shard.ts";
import { HarnessError, ScenarioError } from "../shared/errors.ts";
import { EXIT_CODES } from "../shared/exit-codes.ts";
import { HARNESS_EXTENSIONS } from "./extensions.ts";
import { loadScenario } from "./load-scenario.ts";

/** Which engine to drive (`run --engine`, `--engine-bin`, `--host`, `--port`); default: the bundled engine. */
export interface EngineSelection {
  kind?: EngineKind | undefined;
  /** redis-server-compatible binary for kind "redis-server" (default `redis-server` on PATH). */
  bin?: string | undefined;
  /** Host and port of the running server for kind "attach". */
  host?: string | undefined;
  port?: number | undefined;
}

/** Options of runScenario(). */
export interface RunScenarioOptions {
  /** A loaded scenario (loadScenario), or a scenario file / ready-made name to load. */
  scenario: ResolvedScenario | string;
  /** With a file or name: scale it down (`--quick`). */
  quick?: boolean | undefined;
  /** The scenario file, recorded in results.json (set automatically when `scenario` is a file or name). */
  scenarioFile?: string | undefined;
  engine?: EngineSelection | undefined;
  /** Output folder (default reports/<scenario>/<timestamp> under the working directory). */
  out?: string | undefined;
  /** Run only slice i of n of the strategies × repetitions ("2/3"; join slices with `persistlab merge`). */
  shard?: Shard | string | undefined;
  keepData?: boolean | undefined;
  /** Keep a copy of the data directory at every kill under <out>/crash-states (nemesis scenarios). */
  keepCrashStates?: boolean | undefined;
  /** Write report.html next to results.json (default true). */
  report?: boolean | undefined;
  /** Abort to stop after the current phase: engines are stopped and partial results kept (status "interrupted"). */
  signal?: AbortSignal | undefined;
  onRunStart?: ((index: number, total: number, id: string) => void) | undefined;
  onProgress?: ((progress: RunProgress) => void) | undefined;
  /** A strategy directive the engine may not know (default: printed to stderr as `warning: ...`). */
  onWarning?: ((warning: string) => void) | undefined;
}

/** What runScenario() produced. `results.status` is "complete", "failed" (a run failed) or "interrupted". */
export interface ScenarioRun {
  results: Results;
  outDir: string;
  resultsFile: string;
  /** report.html, unless `report: false`. */
  reportFile: string | undefined;
}

/** Options that only make sense together: a usage error (exit 2) before anything starts. */
export function checkEngineSelection(selection: EngineSelection): void {
  const kind = selection.kind ?? "bundled";
  if (kind !== "redis-server" && selection.bin !== undefined)
    throw new HarnessError(`--engine-bin applies to --engine redis-server, not --engine ${kind}`, {
      exitCode: EXIT_CODES.USAGE,
      hint: "add --engine redis-server",
    });
  if (kind !== "attach" && (selection.port !== undefined || selection.host !== undefined)) {
    throw new HarnessError(
      `--${selection.port !== undefined ? "port" : "host"} applies to --engine attach only: with --engine ${kind} every run starts its own server on a free 127.0.0.1 port`,
      {
        exitCode: EXIT_CODES.USAGE,
        hint: "drop --port/--host, or start the server yourself and measure it with --engine attach --port P",
      },
    );
  }
}

// Removes a folder this run created when nothing was written into it (a failure before the first run).
function removeIfEmpty(dir: string): void {
  try {
    if (readdirSync(dir).length === 0) rmdirSync(dir);
  } catch {
    // Leaving an empty folder is harmless; never mask the original error.
  }
}

/** Runs every strategy × repetition of a scenario; never throws for a failed run (see `results.status`). */
export async function runScenario(options: RunScenarioOptions): Promise<ScenarioRun> {
  // Everything a user can get wrong is checked before anything is created on disk or started.
  const selection = options.engine ?? {};
  checkEngineSelection(selection);
  const kind = selection.kind ?? "bundled";
  const scenarioFile =
    typeof options.scenario === "string" ? resolveScenarioPath(options.scenario) : options.scenarioFile;
  const scenario =
    typeof options.scenario === "string" ? loadScenario(options.scenario, { quick: options.quick }) : options.scenario;
  const directives = checkStrategyDirectives(scenario, kind);
  for (const warning of directives.warnings)
    (options.onWarning ?? ((text: string) => process.stderr.write(`warning: ${text}\n`)))(warning);
  if (directives.issues.length > 0) throw new ScenarioError(directives.issues, scenarioFile);
  const shard = typeof options.shard === "string" ? parseShard(options.shard) : options.shard;
  const host = selection.host ?? "127.0.0.1";
  const engine = createEngine({ kind, bin: selection.bin, host, port: selection.port });
  if (kind === "attach" && selection.port !== undefined) await checkAttachReachable({ host, port: selection.port });
  await engine.describe();
  const createdOut = options.out === undefined || !existsSync(options.out);
  const outDir = createOutputDir({ out: options.out, scenarioName: scenario.name });
  let results: Results;
  try {
    results = await runPlannedScenario({
      scenario,
      scenarioFile,
      engine,
      outDir,
      signal: options.signal ?? new AbortController().signal,
      keepData: options.keepData === true,
      shard,
      extensions: HARNESS_EXTENSIONS,
      keepCrashStates: options.keepCrashStates === true,
      ...(options.onRunStart === undefined ? {} : { onRunStart: options.onRunStart }),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    });
  } catch (error) {
    if (createdOut) removeIfEmpty(outDir);
    throw error;
  }
  const resultsFile = join(outDir, "results.json");
  return { results, outDir, resultsFile, reportFile: options.report === false ? undefined : writeReport(resultsFile) };
}
