// `persistlab bisect --repo PATH --good REV --bad REV --build CMD --engine-bin PATH --scenario S --metric M`:
// finds the commit that made an engine slower or lose data, driving `git bisect run` (bisect/run-bisect.ts).
// `--step STATE` (hidden) is what git bisect runs at each commit (bisect/step.ts).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Argv, CommandModule } from "yargs";
import { renderBisectHtml } from "../bisect/render-html.ts";
import { renderBisectText } from "../bisect/render-text.ts";
import { runBisect } from "../bisect/run-bisect.ts";
import { runBisectStep } from "../bisect/step.ts";
import { parseRegressionLimit } from "../gate/evaluate-gate.ts";
import { HarnessError } from "../shared/errors.ts";
import { EXIT_CODES } from "../shared/exit-codes.ts";
import { resolveScenarioPath } from "./scenario-path.ts";
import { installInterruptHandlers } from "./signals.ts";
import { integerOption, numberOption } from "./option-values.ts";
import { withHelpEpilogue } from "./help.ts";

/** Arguments of `bisect`. */
interface BisectArgs {
  repo: string;
  good?: string | undefined;
  bad: string;
  build?: string | undefined;
  "engine-bin"?: string | undefined;
  scenario?: string | undefined;
  metric?: string | undefined;
  "min-effect": string;
  alpha: number;
  "min-repetitions": number;
  "max-repetitions": number;
  "build-timeout": number;
  quick: boolean;
  out?: string | undefined;
  step?: string | undefined;
}

const REQUIRED = ["good", "build", "engine-bin", "scenario", "metric"] as const;

// The usage line and examples (full command lines are longer than --help's one-line examples allow).
const USAGE = `$0 bisect --good REV [--bad REV] [--repo PATH] --build CMD --engine-bin PATH --scenario S --metric M

Finds the first commit between --good and --bad that regressed metric M (docs/regressions.md).

Examples:
  $0 bisect --repo ~/redis --good 7.0.0 --bad 7.2.0 --build "make -j2"
      --engine-bin src/redis-server --scenario smoke --metric "p99{strategy:aof-always}"
  $0 bisect --good v0.1.0 --build "npm ci && npm run build"
      --engine-bin dist/bin/persistlab-server.js --scenario crash-loss
      --metric "durability.lost{strategy:aof-everysec}"`;

// Timestamped default output folder.
const defaultOut = (): string => join("reports", "bisect", new Date().toISOString().replace(/[:.]/g, "-"));

// Runs one step for git bisect run; the verdict goes to the file step.sh reads.
async function runStep(stateFile: string): Promise<void> {
  const interrupt = installInterruptHandlers(() => process.stderr.write("\nbisect step: stopping the engines...\n"));
  try {
    await runBisectStep(stateFile, interrupt.signal, (line) => process.stderr.write(`${line}\n`));
  } catch (error) {
    if (interrupt.signal.aborted)
      throw new HarnessError("bisect step interrupted", { exitCode: EXIT_CODES.INTERRUPTED });
    throw error;
  } finally {
    interrupt.dispose();
  }
}

/** The `bisect` command module. */
export const bisectCommand: CommandModule<object, BisectArgs> = {
  command: "bisect",
  describe:
    "Find the commit that regressed a metric: builds and measures commits between --good and --bad with git bisect run",
  builder: (yargs: Argv) =>
    withHelpEpilogue(
      yargs
        .usage(USAGE)
        .option("repo", {
          type: "string",
          default: ".",
          describe: "the engine's git checkout (only read: the work happens in temporary worktrees)",
        })
        .option("good", { type: "string", describe: "a commit without the regression" })
        .option("bad", { type: "string", default: "HEAD", describe: "a later commit with it" })
        .option("build", { type: "string", describe: 'shell command that builds a checkout, e.g. "make -j2"' })
        .option("engine-bin", {
          type: "string",
          describe: "the built engine, relative to the repository (src/redis-server, dist/bin/persistlab-server.js)",
        })
        .option("scenario", { type: "string", describe: "scenario file or ready-made name" })
        .option("metric", {
          type: "string",
          describe:
            "metric id or label, optionally {strategy:NAME}: throughput.opsPerSec, latency.p99Ms, fsync.p99Us, durability.lost, ...",
        })
        .option("min-effect", {
          type: "string",
          default: "2%",
          describe: "changes smaller than this are never called a difference (as compare)",
        })
        .option("alpha", {
          type: "string",
          default: "0.05",
          coerce: numberOption("alpha", { min: 0, example: "--alpha 0.01" }),
          describe: "significance level of the Mann-Whitney test (as compare)",
        })
        .option("min-repetitions", {
          type: "string",
          default: "3",
          coerce: integerOption("min-repetitions", { min: 2, example: "--min-repetitions 4" }),
          describe: "interleaved repetitions per build before judging",
        })
        .option("max-repetitions", {
          type: "string",
          default: "8",
          coerce: integerOption("max-repetitions", { min: 2, example: "--max-repetitions 12" }),
          describe: "skip a commit still unclear after this many",
        })
        .option("build-timeout", {
          type: "string",
          default: "1800",
          coerce: numberOption("build-timeout", { min: 1, example: "--build-timeout 600" }),
          describe: "seconds a build may take",
        })
        .option("quick", { type: "boolean", default: false, describe: "scale the scenario down" })
        .option("out", {
          type: "string",
          describe:
            "folder for bisect.json, bisect.html, steps.jsonl, build logs and runs (default reports/bisect/<timestamp>)",
        })
        .option("step", { type: "string", hidden: true, describe: "internal: one git bisect run step" }),
      [],
    ) as unknown as Argv<BisectArgs>,
  handler: async (args) => {
    if (args.step !== undefined) return runStep(args.step);
    const missing = REQUIRED.filter((name) => args[name] === undefined);
    if (missing.length > 0)
      throw new HarnessError(`bisect needs ${missing.map((m) => `--${m}`).join(", ")}`, {
        exitCode: EXIT_CODES.USAGE,
        hint: "see `persistlab bisect --help` and docs/regressions.md",
      });
    let minEffect: number;
    try {
      minEffect = parseRegressionLimit(args["min-effect"]);
    } catch (error) {
      throw new HarnessError((error as Error).message.replace("--max-regression", "--min-effect"), {
        exitCode: EXIT_CODES.USAGE,
      });
    }
    const minRepetitions = args["min-repetitions"],
      maxRepetitions = args["max-repetitions"];
    if (maxRepetitions < minRepetitions) {
      throw new HarnessError(`--max-repetitions ${maxRepetitions} is below --min-repetitions ${minRepetitions}`, {
        exitCode: EXIT_CODES.USAGE,
        hint: "compare needs ≥ 2 trials a side: e.g. --min-repetitions 3 --max-repetitions 8",
      });
    }
    const outDir = args.out ?? defaultOut();
    const interrupt = installInterruptHandlers(() =>
      process.stderr.write("\nstopping the bisection and restoring the repository (again to force)...\n"),
    );
    let report;
    try {
      report = await runBisect({
        repo: args.repo,
        good: args.good!,
        bad: args.bad,
        build: args.build!,
        engineBin: args["engine-bin"]!,
        scenarioFile: resolveScenarioPath(args.scenario!),
        quick: args.quick,
        metric: args.metric!,
        minEffect,
        alpha: args.alpha,
        minRepetitions,
        maxRepetitions,
        buildTimeoutMs: args["build-timeout"] * 1000,
        outDir,
        signal: interrupt.signal,
        log: (line) => process.stderr.write(`${line}\n`),
      });
    } finally {
      interrupt.dispose();
    }
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, "bisect.json"), JSON.stringify(report, null, 2) + "\n");
    writeFileSync(join(outDir, "bisect.html"), renderBisectHtml(report));
    process.stdout.write(
      `${renderBisectText(report)}report: ${join(outDir, "bisect.html")} (data: ${join(outDir, "bisect.json")})\n`,
    );
    const outcome = report.outcome;
    if (outcome.status === "interrupted") throw new HarnessError(outcome.reason, { exitCode: EXIT_CODES.INTERRUPTED });
    if (outcome.status === "failed")
      throw new HarnessError(`bisect failed: ${outcome.reason}`, { exitCode: EXIT_CODES.RUN_FAILED });
    if (outcome.status !== "found")
      throw new HarnessError(`bisect could not name one first bad commit (${outcome.status})`, {
        exitCode: EXIT_CODES.BISECT_INCONCLUSIVE,
        hint: "raise --max-repetitions, lengthen the scenario's phases, or narrow --good/--bad",
      });
  },
};
