// `persistlab run <scenario>`: run a scenario on an engine and write results.json, history.jsonl and a summary.
import type { Argv, CommandModule } from "yargs";
import type { EngineKind } from "../engines/types.ts";
import { renderSummary } from "./summary.ts";
import { renderMarkdown, writeStepSummary } from "../report/markdown.ts";
import { createProgressDisplay } from "./progress.ts";
import { installInterruptHandlers } from "./signals.ts";
import { resolveScenarioPath } from "./scenario-path.ts";
import { loadScenario } from "../api/load-scenario.ts";
import { runScenario } from "../api/run-scenario.ts";
import { createPlan } from "../scenario/plan.ts";
import { parseShard, selectShard } from "../scenario/shard.ts";
import { HarnessError } from "../shared/errors.ts";
import { EXIT_CODES } from "../shared/exit-codes.ts";

/** Arguments of `run`. */
interface RunArgs {
  scenario: string;
  engine: EngineKind;
  "engine-bin"?: string | undefined;
  host: string;
  port?: number | undefined;
  out?: string | undefined;
  seed?: number | undefined;
  quick: boolean;
  "keep-data": boolean;
  "keep-crash-states": boolean;
  progress: boolean;
  shard?: string | undefined;
}

/** The `run` command module. */
export const runCommand: CommandModule<object, RunArgs> = {
  command: "run <scenario>",
  describe: "Run a scenario (a file, or the name of a ready-made one) and write results.json",
  builder: (yargs: Argv) => yargs
    .positional("scenario", { type: "string", demandOption: true, describe: "scenario JSON file, or a ready-made name (see `persistlab list`)" })
    .option("engine", { choices: ["bundled", "redis-server", "attach"] as const, default: "bundled" as EngineKind, describe: "which engine to drive" })
    .option("engine-bin", { type: "string", describe: "redis-server-compatible binary (redis-server, valkey-server) for --engine redis-server" })
    .option("host", { type: "string", default: "127.0.0.1", describe: "host for --engine attach" })
    .option("port", { type: "number", describe: "port for --engine attach" })
    .option("out", { type: "string", describe: "output folder (default reports/<scenario>/<timestamp>)" })
    .option("seed", { type: "number", describe: "override the scenario's seed" })
    .option("quick", { type: "boolean", default: false, describe: "scale durations and data sizes down (CI)" })
    .option("keep-data", { type: "boolean", default: false, describe: "keep each run's engine data directory" })
    .option("shard", { type: "string", describe: "run only slice i of n of the strategies × repetitions (join slices with `merge`)" })
    .option("keep-crash-states", { type: "boolean", default: false, describe: "keep a copy of the data directory at every kill under <out>/crash-states (nemesis scenarios)" })
    .option("progress", { type: "boolean", default: true, describe: "show a progress bar on a terminal (--no-progress to hide)" })
    .example("$0 run scenarios/strategy-matrix.json --engine redis-server", "the six strategies on real Redis")
    .example("$0 run smoke --quick", "the CI smoke scenario on the bundled engine")
    .example("$0 run strategy-matrix --engine redis-server --engine-bin /usr/bin/valkey-server", "any compatible binary")
    .example("$0 run strategy-matrix --shard 2/3 --out shard2", "the second of three CI runners' slices")
    .example("$0 run smoke --engine attach --port 6380", "measure a server that is already running") as unknown as Argv<RunArgs>,
  handler: async (args) => {
    const file = resolveScenarioPath(args.scenario);
    const scenario = loadScenario(file, { quick: args.quick, seed: args.seed });
    const shard = args.shard === undefined ? undefined : parseShard(args.shard);
    const plan = shard === undefined ? createPlan(scenario) : selectShard(createPlan(scenario), shard);
    const estimatedRunMs = (plan[0]?.phases.reduce((sum, p) => sum + p.estimatedMs, 0) ?? 0) + 1000;
    const progress = createProgressDisplay({ estimatedRunMs, runs: args.engine === "attach" ? 1 : plan.length, enabled: args.progress });
    const interrupt = installInterruptHandlers((sig) => {
      progress.stop();
      process.stderr.write(`\n${sig}: stopping the engine and writing partial results (again to force)...\n`);
    });
    try {
      const { results, resultsFile, reportFile } = await runScenario({
        scenario, scenarioFile: file, engine: { kind: args.engine, bin: args["engine-bin"], host: args.host, port: args.port }, out: args.out,
        signal: interrupt.signal, keepData: args["keep-data"], keepCrashStates: args["keep-crash-states"], shard,
        onRunStart: (index, total, id) => progress.onRunStart(index, total, id), onProgress: (p) => progress.onProgress(p),
      });
      progress.stop();
      process.stdout.write(renderSummary(results) + "\n");
      process.stdout.write(`results: ${resultsFile}\n`);
      process.stdout.write(`report: ${reportFile}\n`);
      writeStepSummary(renderMarkdown(results));
      if (results.status === "interrupted") throw new HarnessError("Interrupted: partial results were written", { exitCode: EXIT_CODES.INTERRUPTED });
      if (results.status === "failed") throw new HarnessError(`${results.runs.filter((r) => r.status !== "ok").length} run(s) failed (see the summary above)`, { exitCode: EXIT_CODES.RUN_FAILED });
    } finally {
      progress.stop();
      interrupt.dispose();
    }
  },
};
