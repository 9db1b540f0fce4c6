// API runScenario(): runs a scenario on an engine and writes results.json, history and report.html into a
// folder, as `persistlab run` does (the CLI adds the progress bar, signal handling and exit codes).
import { join } from "node:path";
import { resolveScenarioPath } from "../cli/scenario-path.ts";
import { createEngine } from "../engines/create-engine.ts";
import type { Engine, EngineKind } from "../engines/types.ts";
import { setKeepCrashStates } from "../nemesis/index.ts";
import { writeReport } from "../report/html.ts";
import type { Results } from "../results/schema.ts";
import { createOutputDir } from "../results/writer.ts";
import type { RunProgress } from "../run/run-one.ts";
import { runScenario as runPlannedScenario } from "../run/run-scenario.ts";
import type { ResolvedScenario } from "../scenario/resolved.ts";
import { parseShard, type Shard } from "../scenario/shard.ts";
import { HarnessError } from "../shared/errors.ts";
import { EXIT_CODES } from "../shared/exit-codes.ts";
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
}

/** What runScenario() produced. `results.status` is "complete", "failed" (a run failed) or "interrupted". */
export interface ScenarioRun {
  results: Results;
  outDir: string;
  resultsFile: string;
  /** report.html, unless `report: false`. */
  reportFile: string | undefined;
}

// Builds the engine, refusing option combinations that would be silently ignored.
function selectEngine(selection: EngineSelection): Engine {
  const kind = selection.kind ?? "bundled";
  if (kind === "bundled" && selection.bin !== undefined) throw new HarnessError("--engine-bin applies to --engine redis-server", { exitCode: EXIT_CODES.USAGE, hint: "add --engine redis-server" });
  return createEngine({ kind, bin: selection.bin, host: selection.host, port: selection.port });
}

/** Runs every strategy × repetition of a scenario; never throws for a failed run (see `results.status`). */
export async function runScenario(options: RunScenarioOptions): Promise<ScenarioRun> {
  const scenarioFile = typeof options.scenario === "string" ? resolveScenarioPath(options.scenario) : options.scenarioFile;
  const scenario = typeof options.scenario === "string" ? loadScenario(options.scenario, { quick: options.quick }) : options.scenario;
  if (options.keepCrashStates === true) setKeepCrashStates(scenario);
  const engine = selectEngine(options.engine ?? {});
  const outDir = createOutputDir({ out: options.out, scenarioName: scenario.name });
  const shard = typeof options.shard === "string" ? parseShard(options.shard) : options.shard;
  const results = await runPlannedScenario({
    scenario, scenarioFile, engine, outDir, signal: options.signal ?? new AbortController().signal, keepData: options.keepData === true, shard,
    ...(options.onRunStart === undefined ? {} : { onRunStart: options.onRunStart }), ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
  const resultsFile = join(outDir, "results.json");
  return { results, outDir, resultsFile, reportFile: options.report === false ? undefined : writeReport(resultsFile) };
}
