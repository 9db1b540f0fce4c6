// `persistlab run <scenario>`: run a scenario on an engine and write results.json, history.jsonl.gz and a summary.
import type { Argv, CommandModule } from "yargs";
import { createEngine } from "../engines/create-engine.ts";
import type { EngineKind } from "../engines/types.ts";
import { renderSummary } from "./summary.ts";
import { renderVerdictSummary } from "./verdict-summary.ts";
import { writeReport } from "../report/html.ts";
import { renderMarkdown, writeStepSummary } from "../report/markdown.ts";
import { createProgressDisplay } from "./progress.ts";
import { estimateScenarioDuration, formatEstimate } from "../run/estimate-duration.ts";
import { installInterruptHandlers } from "./signals.ts";
import { resolveScenarioPath } from "./scenario-path.ts";
import { loadScenarioFile } from "../scenario/load.ts";
import { createPlan } from "../scenario/plan.ts";
import { parseShard, selectShard } from "../scenario/shard.ts";
import { createOutputDir } from "../results/writer.ts";
import { runScenario } from "../run/run-scenario.ts";
import { HarnessError, ScenarioError } from "../shared/errors.ts";
import { EXIT_CODES } from "../shared/exit-codes.ts";
import { existsSync, readdirSync, rmdirSync } from "node:fs";
import { join } from "node:path";
import { checkAttachReachable } from "../engines/attach-engine.ts";
import { checkThresholds } from "../gate/check-thresholds.ts";
import type { Results } from "../results/schema.ts";
import { checkStrategyDirectives } from "../scenario/check-directives.ts";
import { integerOption } from "./option-values.ts";
import { setKeepCrashStates } from "../nemesis/index.ts";
import { withHelpEpilogue, type Example } from "./help.ts";

/** Arguments of `run`. */
interface RunArgs {
  scenario: string;
  engine: EngineKind;
  "engine-bin"?: string | undefined;
  host?: string | undefined;
  port?: number | undefined;
  out?: string | undefined;
  seed?: number | undefined;
  quick: boolean;
  "keep-data": boolean;
  "keep-crash-states": boolean;
  progress: boolean;
  thresholds: boolean;
  shard?: string | undefined;
}

// Options that only make sense together: a usage error (exit 2) before anything starts.
function checkEngineOptions(args: RunArgs): void {
  if (args.engine !== "redis-server" && args["engine-bin"] !== undefined) throw new HarnessError(`--engine-bin applies to --engine redis-server, not --engine ${args.engine}`, { exitCode: EXIT_CODES.USAGE, hint: "add --engine redis-server" });
  if (args.engine !== "attach" && (args.port !== undefined || args.host !== undefined)) {
    throw new HarnessError(`--${args.port !== undefined ? "port" : "host"} applies to --engine attach only: with --engine ${args.engine} every run starts its own server on a free 127.0.0.1 port`, {
      exitCode: EXIT_CODES.USAGE, hint: "drop --port/--host, or start the server yourself and measure it with --engine attach --port P",
    });
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

// Exit 99 (k6's convention) when a threshold of the scenario failed, durability thresholds included.
function reportThresholds(results: Results): void {
  const checks = checkThresholds(results);
  const failed = checks.filter((check) => check.status !== "pass");
  if (failed.length === 0) return;
  process.stderr.write(failed.map((check) => `FAIL ${check.message}\n`).join(""));
  throw new HarnessError(`${failed.length} of ${checks.length} threshold check(s) of the scenario failed (listed above); results were written`, {
    exitCode: EXIT_CODES.THRESHOLDS_FAILED, hint: "`persistlab gate <results.json>` shows every check; --no-thresholds exits 0 on failed thresholds",
  });
}

/** Examples shown by `run --help`. */
export const RUN_EXAMPLES: readonly Example[] = [
  ["persistlab run smoke", "the CI smoke scenario on the bundled engine (under a minute)"],
  ["persistlab run smoke --quick", "the same, scaled down for CI"],
  ["persistlab run strategy-matrix --engine redis-server", "the six strategies on real Redis"],
  ["persistlab run smoke --engine redis-server --engine-bin valkey-server", "any redis-server-compatible binary"],
  ["persistlab run strategy-matrix --shard 2/3 --out shard2", "the second of three CI runners' slices"],
  ["persistlab run smoke --engine attach --port 6380", "measure a server that is already running"],
  ["persistlab run crash-loss --no-thresholds", "report failed thresholds but exit 0"],
];

/** The `run` command module. */
export const runCommand: CommandModule<object, RunArgs> = {
  command: "run <scenario>",
  describe: "Run a scenario (a file, or the name of a ready-made one) and write results.json",
  builder: (yargs: Argv) => withHelpEpilogue(yargs
    .positional("scenario", { type: "string", demandOption: true, describe: "scenario JSON file, or a ready-made name (see `persistlab list`)" })
    .option("engine", { choices: ["bundled", "redis-server", "attach"] as const, default: "bundled" as EngineKind, describe: "which engine to drive" })
    .option("engine-bin", { type: "string", describe: "redis-server-compatible binary (redis-server, valkey-server) for --engine redis-server" })
    .option("host", { type: "string", describe: "host for --engine attach (default 127.0.0.1)" })
    .option("port", { type: "string", coerce: integerOption("port", { min: 1, max: 65535, example: "--engine attach --port 6380" }), describe: "port for --engine attach (other engines pick a free port per run)" })
    .option("out", { type: "string", describe: "output folder (default reports/<scenario>/<timestamp>)" })
    .option("seed", { type: "string", coerce: integerOption("seed", { min: 0, example: "--seed 42" }), describe: "override the scenario's seed (a whole number)" })
    .option("quick", { type: "boolean", default: false, describe: "scale durations and data sizes down (CI)" })
    .option("keep-data", { type: "boolean", default: false, describe: "keep each run's engine data directory" })
    .option("shard", { type: "string", describe: "run only slice i of n of the strategies × repetitions (join slices with `merge`)" })
    .option("keep-crash-states", { type: "boolean", default: false, describe: "keep a copy of the data directory at every kill under <out>/crash-states (nemesis scenarios)" })
    .option("progress", { type: "boolean", default: true, describe: "show progress: a bar on a terminal, else a line on stderr every 10 s (PERSISTLAB_PROGRESS_INTERVAL); --no-progress hides it" })
    .option("thresholds", { type: "boolean", default: true, describe: "exit 99 when a threshold of the scenario fails (--no-thresholds: report only)" }), RUN_EXAMPLES) as unknown as Argv<RunArgs>,
  handler: async (args) => {
    // Everything a user can get wrong is checked before anything is created on disk or started.
    checkEngineOptions(args);
    const file = resolveScenarioPath(args.scenario);
    const scenario = loadScenarioFile(file, { quick: args.quick });
    const directives = checkStrategyDirectives(scenario, args.engine);
    for (const warning of directives.warnings) process.stderr.write(`warning: ${warning}\n`);
    if (directives.issues.length > 0) throw new ScenarioError(directives.issues, file);
    if (args.seed !== undefined) scenario.seed = args.seed;
    if (args["keep-crash-states"]) setKeepCrashStates(scenario);
    const shard = args.shard === undefined ? undefined : parseShard(args.shard);
    const plan = shard === undefined ? createPlan(scenario) : selectShard(createPlan(scenario), shard);
    const engine = createEngine({ kind: args.engine, bin: args["engine-bin"], host: args.host ?? "127.0.0.1", port: args.port });
    if (args.engine === "attach" && args.port !== undefined) await checkAttachReachable({ host: args.host ?? "127.0.0.1", port: args.port });
    await engine.describe();
    const createdOut = args.out === undefined || !existsSync(args.out);
    const outDir = createOutputDir({ out: args.out, scenarioName: scenario.name });
    const estimate = estimateScenarioDuration(scenario, args.engine, plan);
    const runCount = args.engine === "attach" ? 1 : plan.length;
    process.stderr.write(`persistlab: ${scenario.name}${scenario.quick ? " (--quick)" : ""}: ${runCount} run(s) on ${args.engine === "bundled" ? "the bundled engine" : args.engine}, expected ${formatEstimate(estimate.totalMs)} (an estimate from the scenario's phases, fault schedule and restarts)\n`);
    const progress = createProgressDisplay({ estimate, enabled: args.progress });
    const interrupt = installInterruptHandlers((sig) => {
      progress.stop();
      process.stderr.write(`\n${sig}: stopping the engine and writing partial results (again to force)...\n`);
    });
    let results: Results;
    try {
      results = await runScenario({
        scenario, scenarioFile: file, engine, outDir, signal: interrupt.signal, keepData: args["keep-data"], shard,
        onRunStart: (index, total, id) => progress.onRunStart(index, total, id), onProgress: (p) => progress.onProgress(p),
      });
    } catch (error) {
      if (createdOut) removeIfEmpty(outDir);
      throw error;
    } finally {
      progress.stop();
      interrupt.dispose();
    }
    process.stdout.write(renderSummary(results) + "\n");
    process.stdout.write(renderVerdictSummary(results) + "\n");
    process.stdout.write(`results: ${join(outDir, "results.json")}\n`);
    process.stdout.write(`report: ${writeReport(join(outDir, "results.json"))}\n`);
    writeStepSummary(renderMarkdown(results));
    if (results.status === "interrupted") throw new HarnessError("Interrupted: partial results were written", { exitCode: EXIT_CODES.INTERRUPTED });
    if (results.status === "failed") throw new HarnessError(`${results.runs.filter((r) => r.status !== "ok").length} run(s) failed (see the summary above)`, { exitCode: EXIT_CODES.RUN_FAILED });
    if (args.thresholds) reportThresholds(results);
  },
};
