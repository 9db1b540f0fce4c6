// Runs a whole scenario: plans the runs, probes the disk floor, runs each strategy × repetition in turn and
// rewrites results.json after every run (so a late failure or Ctrl-C keeps the earlier runs).
import { join } from "node:path";
import type { Engine } from "../engines/types.ts";
import { closeHistoryStream, HISTORY_FILE, openHistoryStream } from "../history/history-file.ts";
import { probeDisk } from "../probe/disk.ts";
import { collectEnvironment } from "../results/environment.ts";
import { RESULTS_SCHEMA_VERSION, type DiskFloor, type NotMeasured, type Results } from "../results/schema.ts";
import { writeResults } from "../results/writer.ts";
import { createPlan } from "../scenario/plan.ts";
import { selectShard, type Shard } from "../scenario/shard.ts";
import type { ResolvedScenario } from "../scenario/resolved.ts";
import { createTempDir } from "../engines/ports.ts";
import { rm } from "node:fs/promises";
import { enableShimFsyncTracing } from "../fsync/shim-tracing.ts";
import { createRunPlugins, type HarnessExtension, type RunPlugin } from "./plugin.ts";
import { runOne, type RunProgress } from "./run-one.ts";
import { analyzeResults } from "../analysis/analysis.ts";

/** Options of runScenario. */
export interface RunScenarioOptions {
  scenario: ResolvedScenario;
  scenarioFile?: string | undefined;
  engine: Engine;
  outDir: string;
  signal: AbortSignal;
  /** Scenario extensions whose plugins join every run (api/extensions.ts: the nemesis). Required: a caller
   *  that left it out ran nemesis scenarios without their faults or durability check. */
  extensions: readonly HarnessExtension[];
  /** Extra plugins (tests), after the extensions' own. */
  plugins?: RunPlugin[];
  keepData?: boolean;
  /** Keep a copy of the data directory at every kill (nemesis scenarios). */
  keepCrashStates?: boolean;
  /** Run only this slice of the plan (`run --shard i/n`); results record it for `merge`. */
  shard?: Shard | undefined;
  /** Skip the disk probe (tests). */
  skipDiskProbe?: boolean;
  onRunStart?: (index: number, total: number, id: string) => void;
  onProgress?: (progress: RunProgress) => void;
}

// Probes the disk under the OS temp dir (where engine data dirs live).
async function probeFloor(): Promise<DiskFloor | NotMeasured> {
  const dir = await createTempDir("probe");
  try {
    return probeDisk({ dir, samples: 200 });
  } catch (error) {
    return { measured: false, reason: `disk probe failed: ${(error as Error).message}` };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs every planned run; returns the final results (also written to outDir/results.json). */
export async function runScenario(options: RunScenarioOptions): Promise<Results> {
  const { scenario, engine, outDir, signal } = options;
  const description = await engine.describe();
  if (engine.kind === "redis-server") await enableShimFsyncTracing();
  const plan = options.shard === undefined ? createPlan(scenario) : selectShard(createPlan(scenario), options.shard);
  const plugins = [
    ...createRunPlugins(options.extensions, scenario, { keepCrashStates: options.keepCrashStates === true }),
    ...(options.plugins ?? []),
  ];
  const results: Results = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    tool: "persistlab",
    createdAt: new Date().toISOString(),
    status: "running",
    scenario,
    environment: collectEnvironment(description),
    diskFloor: options.skipDiskProbe === true ? { measured: false, reason: "skipped" } : await probeFloor(),
    runs: [],
  };
  if (options.scenarioFile !== undefined) results.scenarioFile = options.scenarioFile;
  if (options.shard !== undefined) results.shard = { ...options.shard };
  writeResults(outDir, results);
  const historyStream =
    scenario.workload.history === "none" ? undefined : openHistoryStream(join(outDir, HISTORY_FILE));
  try {
    // attach mode measures the server as it is: one run, whatever the strategies say.
    const runs = engine.kind === "attach" ? plan.slice(0, 1) : plan;
    for (const [index, run] of runs.entries()) {
      if (signal.aborted) break;
      options.onRunStart?.(index, runs.length, run.id);
      const runOptions = {
        scenario,
        run,
        engine,
        plugins,
        historyStream,
        outDir,
        signal,
        keepData: options.keepData === true,
        ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
      };
      const result = await runOne(runOptions);
      // Compresses the run's history now that nothing is measured (history-file.ts).
      await historyStream?.checkpoint();
      if (engine.kind === "attach") result.strategy = "attached";
      results.runs.push(result);
      writeResults(outDir, results);
    }
    results.status = signal.aborted
      ? "interrupted"
      : results.runs.some((r) => r.status === "failed")
        ? "failed"
        : "complete";
    if (results.runs.length > 0) results.analysis = analyzeResults(results);
  } finally {
    if (historyStream !== undefined) await closeHistoryStream(historyStream);
    if (results.status === "running") results.status = "failed";
    writeResults(outDir, results);
  }
  return results;
}
