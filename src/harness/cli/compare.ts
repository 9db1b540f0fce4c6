// `persistlab compare A.json B.json`: per strategy and metric, the change with a confidence interval and a verdict;
// `--interleave --a-bin X --b-bin Y scenario.json` first runs both engines alternately (A B A B) in this job.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Argv, CommandModule } from "yargs";
import { compare } from "../api/compare.ts";
import { toFraction } from "../api/inputs.ts";
import type { Comparison } from "../compare/compare-results.ts";
import { runInterleaved } from "../compare/interleave.ts";
import { createHarnessSlotRunner } from "../compare/interleave-runner.ts";
import { renderComparisonHtml, renderComparisonMarkdown, renderComparisonText } from "../compare/render-comparison.ts";
import { findScenarioMismatch } from "../gate/comparable.ts";
import { EXIT_CODES } from "../shared/exit-codes.ts";
import { writeStepSummary } from "../report/markdown.ts";
import { readResults } from "../report/read-results.ts";
import type { Results } from "../results/schema.ts";
import { loadScenario } from "../api/load-scenario.ts";
import { HarnessError, ScenarioError } from "../shared/errors.ts";
import { checkStrategyDirectives } from "../scenario/check-directives.ts";
import { resolveScenarioPath } from "./scenario-path.ts";
import { installInterruptHandlers } from "./signals.ts";
import { numberOption } from "./option-values.ts";
import { withHelpEpilogue, type Example } from "./help.ts";
import { compareDiskBehaviour, renderDiskBehaviour, type DiskBehaviourRow } from "../compare/disk-behaviour.ts";

/** Arguments of `compare`. */
interface CompareArgs {
  inputs: string[];
  html?: string | undefined;
  markdown?: string | undefined;
  "min-effect": string;
  alpha: number;
  "fail-on-regression": boolean;
  interleave: boolean;
  "a-bin"?: string | undefined;
  "b-bin"?: string | undefined;
  out: string;
  quick: boolean;
  force: boolean;
  json: boolean;
}

// Runs the interleaved A/B job and returns both sides' results (also written under --out).
async function runInterleavedJob(
  args: CompareArgs,
): Promise<{ a: Results; b: Results; labels: { a: string; b: string } }> {
  const [scenarioInput] = args.inputs;
  if (
    args.inputs.length !== 1 ||
    scenarioInput === undefined ||
    args["a-bin"] === undefined ||
    args["b-bin"] === undefined
  ) {
    throw new HarnessError("--interleave takes one scenario and both --a-bin and --b-bin", {
      exitCode: EXIT_CODES.USAGE,
      hint: "persistlab compare --interleave --a-bin bundled --b-bin /usr/bin/redis-server scenarios/smoke.json",
    });
  }
  const file = resolveScenarioPath(scenarioInput);
  const scenario = loadScenario(file, { quick: args.quick });
  // Directives are checked for the stricter side: the bundled engine when either side is it.
  const directives = checkStrategyDirectives(
    scenario,
    args["a-bin"] === "bundled" || args["b-bin"] === "bundled" ? "bundled" : "redis-server",
  );
  for (const warning of directives.warnings) process.stderr.write(`warning: ${warning}\n`);
  if (directives.issues.length > 0) throw new ScenarioError(directives.issues, file);
  const interrupt = installInterruptHandlers(() => process.stderr.write("\nstopping after the current run...\n"));
  try {
    const runSlot = createHarnessSlotRunner({
      bins: { A: args["a-bin"], B: args["b-bin"] },
      outDir: args.out,
      signal: interrupt.signal,
    });
    const { a, b } = await runInterleaved({
      scenario,
      runSlot,
      signal: interrupt.signal,
      onSlot: (slot, total) =>
        process.stderr.write(`[${slot.index + 1}/${total}] ${slot.side} ${slot.strategy} #${slot.repetition}\n`),
    });
    mkdirSync(args.out, { recursive: true });
    writeFileSync(join(args.out, "a.json"), JSON.stringify(a, null, 2) + "\n");
    writeFileSync(join(args.out, "b.json"), JSON.stringify(b, null, 2) + "\n");
    return {
      a,
      b,
      labels: {
        a: `A = ${args["a-bin"]} (${join(args.out, "a.json")})`,
        b: `B = ${args["b-bin"]} (${join(args.out, "b.json")})`,
      },
    };
  } finally {
    interrupt.dispose();
  }
}

// The comparison as JSON (--json): both sides, the strategies and one row per strategy and metric (NaN → null).
function renderComparisonJson(
  comparison: Comparison,
  labels: { a: string; b: string },
  disk: readonly DiskBehaviourRow[],
): string {
  const finite = (value: number): number | null => (Number.isFinite(value) ? value : null);
  return JSON.stringify(
    {
      a: labels.a,
      b: labels.b,
      options: comparison.options,
      strategies: comparison.strategies,
      onlyInA: comparison.onlyInA,
      onlyInB: comparison.onlyInB,
      steal: comparison.steal,
      verdicts: Object.fromEntries(
        (["regressed", "improved", "inconclusive", "unchanged"] as const).map((v) => [
          v,
          comparison.rows.filter((r) => r.verdict === v).length,
        ]),
      ),
      rows: comparison.rows.map((r) => ({
        strategy: r.strategy,
        metric: r.metric.id,
        unit: r.metric.unit,
        better: r.metric.better,
        meanA: finite(r.meanA),
        meanB: finite(r.meanB),
        change: finite(r.change),
        changeLow: finite(r.changeLow),
        changeHigh: finite(r.changeHigh),
        p: finite(r.p),
        verdict: r.verdict,
        reason: r.reason,
        samplesA: r.samplesA,
        samplesB: r.samplesB,
      })),
      diskBehaviour: disk,
    },
    null,
    2,
  );
}

// Prints and writes the comparison views.
function emitComparison(
  comparison: Comparison,
  labels: { a: string; b: string },
  args: CompareArgs,
  disk: readonly DiskBehaviourRow[],
): void {
  if (args.json) process.stdout.write(`${renderComparisonJson(comparison, labels, disk)}\n`);
  else
    process.stdout.write(
      `A: ${labels.a}\nB: ${labels.b}\n${renderComparisonText(comparison)}\n${renderDiskBehaviour(disk)}`,
    );
  const markdown = renderComparisonMarkdown(comparison);
  if (args.markdown !== undefined) writeFileSync(args.markdown, markdown);
  writeStepSummary(markdown);
  if (args.html !== undefined) {
    writeFileSync(args.html, renderComparisonHtml(comparison, labels));
    if (!args.json) process.stdout.write(`html: ${args.html}\n`);
  }
}

/** Examples shown by `compare --help`. */
export const COMPARE_EXAMPLES: readonly Example[] = [
  ["persistlab compare main.json pr.json --html compare.html", "two results files of one scenario"],
  ["persistlab compare main.json pr.json --json", "the comparison rows as JSON"],
  ["persistlab compare --interleave --a-bin redis-server --b-bin bundled smoke", "A B A B in one job"],
];

/** The `compare` command module. */
export const compareCommand: CommandModule<object, CompareArgs> = {
  command: "compare <inputs..>",
  describe:
    "Compare baseline A with candidate B per strategy and metric (bootstrap CI + Mann-Whitney); or run them interleaved",
  builder: (yargs: Argv) =>
    withHelpEpilogue(
      yargs
        .positional("inputs", {
          type: "string",
          array: true,
          demandOption: true,
          describe: "A.json B.json, or one scenario with --interleave",
        })
        .option("html", { type: "string", describe: "write an HTML comparison view to this file" })
        .option("markdown", { type: "string", describe: "write the markdown table to this file" })
        .option("min-effect", {
          type: "string",
          default: "2%",
          describe: "changes smaller than this are never called regressed/improved",
        })
        .option("alpha", {
          type: "string",
          default: "0.05",
          coerce: numberOption("alpha", { min: 0, example: "--alpha 0.01" }),
          describe: "significance level of the Mann-Whitney test",
        })
        .option("fail-on-regression", {
          type: "boolean",
          default: false,
          describe: "exit 98 when any metric regressed",
        })
        .option("interleave", {
          type: "boolean",
          default: false,
          describe: "run the scenario on --a-bin and --b-bin alternately (A B A B) first",
        })
        .option("a-bin", {
          type: "string",
          describe: 'baseline engine for --interleave: "bundled" or a redis-server-compatible binary',
        })
        .option("b-bin", { type: "string", describe: "candidate engine for --interleave" })
        .option("out", {
          type: "string",
          default: join("reports", "compare"),
          describe: "folder for the interleaved runs' results (a.json, b.json)",
        })
        .option("quick", {
          type: "boolean",
          default: false,
          describe: "with --interleave: scale the scenario down (CI)",
        })
        .option("force", {
          type: "boolean",
          default: false,
          describe: "compare results of different scenarios anyway (by strategy name)",
        })
        .option("json", {
          type: "boolean",
          default: false,
          describe: "print the comparison rows as JSON on stdout (same exit code)",
        }),
      COMPARE_EXAMPLES,
    ) as unknown as Argv<CompareArgs>,
  handler: async (args) => {
    const minEffect = toFraction(args["min-effect"], "--min-effect");
    let a: Results, b: Results, labels: { a: string; b: string };
    if (args.interleave) ({ a, b, labels } = await runInterleavedJob(args));
    else {
      const [fileA, fileB] = args.inputs;
      if (args.inputs.length !== 2 || fileA === undefined || fileB === undefined)
        throw new HarnessError("compare takes two results files: A (baseline) and B (candidate)", {
          exitCode: EXIT_CODES.USAGE,
        });
      a = readResults(fileA);
      b = readResults(fileB);
      labels = { a: fileA, b: fileB };
      const mismatch = findScenarioMismatch(a, b, { a: `A (${fileA})`, b: `B (${fileB})` });
      if (mismatch !== undefined && !args.force) {
        throw new HarnessError(`compare: ${mismatch.message}: their figures measure different workloads`, {
          exitCode: EXIT_CODES.NOT_COMPARABLE,
          hint: "compare two results of the same scenario, or add --force to compare them by strategy name anyway",
        });
      }
      if (mismatch !== undefined) process.stderr.write(`warning: ${mismatch.message} (compared anyway: --force)\n`);
    }
    const comparison = compare(a, b, { minEffect, alpha: args.alpha });
    emitComparison(comparison, labels, args, compareDiskBehaviour(a, b));
    if (args["fail-on-regression"] && comparison.rows.some((r) => r.verdict === "regressed")) {
      throw new HarnessError("compare: at least one metric regressed", { exitCode: EXIT_CODES.REGRESSION });
    }
  },
};
