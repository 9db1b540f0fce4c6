// `persistlab run <scenario>`: run a scenario on an engine and write results.json, history.jsonl.gz and a summary.
import type { Argv, CommandModule } from "yargs";
import type { EngineKind } from "../engines/types.ts";
import { renderSummary } from "./summary.ts";
import { renderVerdictSummary } from "./verdict-summary.ts";
import { renderMarkdown, writeStepSummary } from "../report/markdown.ts";
import { createProgressDisplay } from "./progress.ts";
import { estimateScenarioDuration, formatEstimate } from "../run/estimate-duration.ts";
import { installInterruptHandlers } from "./signals.ts";
import { resolveScenarioPath } from "./scenario-path.ts";
import { loadScenario } from "../api/load-scenario.ts";
import { checkEngineSelection, runScenario, type ScenarioRun } from "../api/run-scenario.ts";
import type { Results } from "../results/schema.ts";
import { createPlan } from "../scenario/plan.ts";
import { parseShard, selectShard } from "../scenario/shard.ts";
import { HarnessError } from "../shared/errors.ts";
import { EXIT_CODES } from "../shared/exit-codes.ts";
import { checkThresholds } from "../gate/check-thresholds.ts";
import { integerOption } from "./option-values.ts";
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

// Exit 99 (k6's convention) when a threshold of the scenario failed, durability thresholds included.
function reportThresholds(results: Results): void {
  const checks = checkThresholds(results);
  const failed = checks.filter((check) => check.status !== "pass");
  if (failed.length === 0) return;
  process.stderr.write(failed.map((check) => `FAIL ${check.message}\n`).join(""));
  throw new HarnessError(
    `${failed.length} of ${checks.length} threshold check(s) of the scenario failed (listed above); results were written`,
    {
      exitCode: EXIT_CODES.THRESHOLDS_FAILED,
      hint: "`persistlab gate <results.json>` shows every check; --no-thresholds exits 0 on failed thresholds",
    },
  );
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
  builder: (yargs: Argv) =>
    withHelpEpilogue(
      yargs
        .positional("scenario", {
          type: "string",
          demandOption: true,
          describe: "scenario JSON file, or a ready-made name (see `persistlab list`)",
        })
        .option("engine", {
          choices: ["bundled", "redis-server", "attach"] as const,
          default: "bundled" as EngineKind,
          describe: "which engine to drive",
        })
        .option("engine-bin", {
          type: "string",
          describe: "redis-server-compatible binary (redis-server, valkey-server) for --engine redis-server",
        })
        .option("host", { type: "string", describe: "host for --engine attach (default 127.0.0.1)" })
        .option("port", {
          type: "string",
          coerce: integerOption("port", { min: 1, max: 65535, example: "--engine attach --port 6380" }),
          describe: "port for --engine attach (other engines pick a free port per run)",
        })
        .option("out", { type: "string", describe: "output folder (default reports/<scenario>/<timestamp>)" })
        .option("seed", {
          type: "string",
          coerce: integerOption("seed", { min: 0, example: "--seed 42" }),
          describe: "override the scenario's seed (a whole number)",
        })
        .option("quick", { type: "boolean", default: false, describe: "scale durations and data sizes down (CI)" })
        .option("keep-data", { type: "boolean", default: false, describe: "keep each run's engine data directory" })
        .option("shard", {
          type: "string",
          describe: "run only slice i of n of the strategies × repetitions (join slices with `merge`)",
        })
        .option("keep-crash-states", {
          type: "boolean",
          default: false,
          describe: "keep a copy of the data directory at every kill under <out>/crash-states (nemesis scenarios)",
        })
        .option("progress", {
          type: "boolean",
          default: true,
          describe:
            "show progress: a bar on a terminal, else a line on stderr every 10 s (PERSISTLAB_PROGRESS_INTERVAL); --no-progress hides it",
        })
        .option("thresholds", {
          type: "boolean",
          default: true,
          describe: "exit 99 when a threshold of the scenario fails (--no-thresholds: report only)",
        }),
      RUN_EXAMPLES,
    ) as unknown as Argv<RunArgs>,
  handler: async (args) => {
    // Everything a user can get wrong is checked before anything is created on disk or started.
    const engine = { kind: args.engine, bin: args["engine-bin"], host: args.host, port: args.port };
    checkEngineSelection(engine);
    const file = resolveScenarioPath(args.scenario);
    const scenario = loadScenario(file, { quick: args.quick, seed: args.seed });
    const shard = args.shard === undefined ? undefined : parseShard(args.shard);
    const plan = shard === undefined ? createPlan(scenario) : selectShard(createPlan(scenario), shard);
    const estimate = estimateScenarioDuration(scenario, args.engine, plan);
    const runCount = args.engine === "attach" ? 1 : plan.length;
    process.stderr.write(
      `persistlab: ${scenario.name}${scenario.quick ? " (--quick)" : ""}: ${runCount} run(s) on ${args.engine === "bundled" ? "the bundled engine" : args.engine}, expected ${formatEstimate(estimate.totalMs)} (an estimate from the scenario's phases, fault schedule and restarts)\n`,
    );
    const progress = createProgressDisplay({ estimate, enabled: args.progress });
    const interrupt = installInterruptHandlers((sig) => {
      progress.stop();
      process.stderr.write(`\n${sig}: stopping the engine and writing partial results (again to force)...\n`);
    });
    let run: ScenarioRun;
    try {
      run = await runScenario({
        scenario,
        scenarioFile: file,
        engine,
        out: args.out,
        signal: interrupt.signal,
        keepData: args["keep-data"],
        keepCrashStates: args["keep-crash-states"],
        shard,
        onRunStart: (index, total, id) => progress.onRunStart(index, total, id),
        onProgress: (p) => progress.onProgress(p),
      });
    } finally {
      progress.stop();
      interrupt.dispose();
    }
    const results: Results = run.results;
    process.stdout.write(renderSummary(results) + "\n");
    process.stdout.write(renderVerdictSummary(results) + "\n");
    process.stdout.write(`results: ${run.resultsFile}\n`);
    process.stdout.write(`report: ${run.reportFile}\n`);
    writeStepSummary(renderMarkdown(results));
    if (results.status === "interrupted")
      throw new HarnessError("Interrupted: partial results were written", { exitCode: EXIT_CODES.INTERRUPTED });
    if (results.status === "failed")
      throw new HarnessError(
        `${results.runs.filter((r) => r.status !== "ok").length} run(s) failed (see the summary above)`,
        { exitCode: EXIT_CODES.RUN_FAILED },
      );
    if (args.thresholds) reportThresholds(results);
  },
};
