// `persistlab recommend [--max-loss 1s] [--min-ops-per-sec N] [--max-p99 ms] <results.json>`: the strategy that
// meets the stated needs, with the evidence rows, or why none does (exit 96).
import type { Argv, CommandModule } from "yargs";
import { EXIT_CODES } from "../shared/exit-codes.ts";
import { recommend } from "../api/recommend.ts";
import { rankCandidates, type Needs, type Recommendation } from "../recommend/recommend-strategy.ts";
import { formatValue } from "../report/format.ts";
import { renderTextTable } from "../report/terminal.ts";
import { parseDurationMs } from "../shared/duration.ts";
import { HarnessError } from "../shared/errors.ts";
import { numberOption } from "./option-values.ts";
import { withHelpEpilogue, type Example } from "./help.ts";

/** Arguments of `recommend`. */
interface RecommendArgs {
  results: string;
  "max-loss"?: string | undefined;
  "min-ops-per-sec"?: number | undefined;
  "max-p99"?: number | undefined;
  json: boolean;
}

// Parses --max-loss: a duration ("1s", "500ms") or 0.
function parseMaxLoss(text: string): number {
  if (/^\s*0+\s*$/.test(text)) return 0;
  try {
    return parseDurationMs(text.trim());
  } catch {
    throw new HarnessError(`--max-loss expects a duration such as "1s", "500ms" or 0, got "${text}"`, {
      exitCode: EXIT_CODES.USAGE,
    });
  }
}

// The recommendation as JSON (--json): needs, pick, and every candidate's figures and unmet needs.
function renderRecommendationJson(recommendation: Recommendation, stated: boolean, ranking: string[]): string {
  const figure = (value: number | undefined): number | null => value ?? null;
  return JSON.stringify(
    {
      needsStated: stated,
      needs: {
        maxLossMs: recommendation.needs.maxLossMs ?? null,
        minOpsPerSec: recommendation.needs.minOpsPerSec ?? null,
        maxP99Ms: recommendation.needs.maxP99Ms ?? null,
      },
      pick: stated ? (recommendation.pick?.summary.strategy ?? null) : null,
      explanation: stated ? recommendation.explanation : "no needs stated: nothing to recommend",
      rankedBy: "throughput.opsPerSec (highest first), then latency.p99Ms (lowest first)",
      ranking,
      candidates: recommendation.candidates.map((c) => ({
        strategy: c.summary.strategy,
        runs: c.summary.runs,
        opsPerSec: figure(c.summary.values["throughput.opsPerSec"]),
        p99Ms: figure(c.summary.values["latency.p99Ms"]),
        ackedLost: figure(c.summary.values["durability.lost"]),
        lossWindowMs: figure(c.summary.values["durability.lossWindowMs"]),
        qualifies: stated ? c.qualifies : null,
        failures: c.failures,
      })),
    },
    null,
    2,
  );
}

/** Examples shown by `recommend --help`. */
export const RECOMMEND_EXAMPLES: readonly Example[] = [
  [
    "persistlab recommend --max-loss 1s --min-ops-per-sec 20000 results.json",
    "at most 1 s of writes lost, at least 20k ops/s",
  ],
  ["persistlab recommend --max-loss 0 results.json", "no acknowledged write may be lost"],
  ["persistlab recommend results.json --json", "candidates and the pick as JSON"],
];

/** The `recommend` command module. */
export const recommendCommand: CommandModule<object, RecommendArgs> = {
  command: "recommend <results>",
  describe:
    "Recommend the persistence strategy that meets stated loss, throughput and latency needs, with the evidence",
  builder: (yargs: Argv) =>
    withHelpEpilogue(
      yargs
        .positional("results", {
          type: "string",
          demandOption: true,
          describe: "results.json of a scenario that ran several strategies",
        })
        .option("max-loss", {
          type: "string",
          describe: 'largest acceptable loss window after a crash ("1s", "500ms", 0 = no acknowledged write lost)',
        })
        .option("min-ops-per-sec", {
          type: "string",
          coerce: numberOption("min-ops-per-sec", { min: 0, example: "--min-ops-per-sec 20000" }),
          describe: "least acceptable throughput (ops/s)",
        })
        .option("max-p99", {
          type: "string",
          coerce: numberOption("max-p99", { min: 0, example: "--max-p99 5" }),
          describe: "largest acceptable p99 latency (ms)",
        })
        .option("json", {
          type: "boolean",
          default: false,
          describe: "print the needs, the pick and every candidate as JSON on stdout (same exit code)",
        }),
      RECOMMEND_EXAMPLES,
    ) as unknown as Argv<RecommendArgs>,
  handler: (args) => {
    const needs: Needs = {
      maxLossMs: args["max-loss"] === undefined ? undefined : parseMaxLoss(args["max-loss"]),
      minOpsPerSec: args["min-ops-per-sec"],
      maxP99Ms: args["max-p99"],
    };
    const stated = needs.maxLossMs !== undefined || needs.minOpsPerSec !== undefined || needs.maxP99Ms !== undefined;
    const recommendation = recommend(args.results, needs);
    const ranking = [...recommendation.candidates]
      .filter((c) => c.summary.runs > 0)
      .sort(rankCandidates)
      .map((c) => c.summary.strategy);
    if (args.json) process.stdout.write(`${renderRecommendationJson(recommendation, stated, ranking)}\n`);
    else {
      const rows = [
        ["strategy", "ops/s", "p99", "acked lost", "loss window", ...(stated ? ["qualifies", "why not"] : [])],
      ];
      for (const c of recommendation.candidates) {
        const v = c.summary.values;
        rows.push([
          c.summary.strategy,
          formatValue(v["throughput.opsPerSec"], "count"),
          formatValue(v["latency.p99Ms"], "ms"),
          formatValue(v["durability.lost"], "count"),
          formatValue(v["durability.lossWindowMs"], "ms"),
          ...(stated ? [c.qualifies ? "yes" : "no", c.failures.join("; ")] : []),
        ]);
      }
      process.stdout.write(`${renderTextTable(rows)}\n\n`);
      if (!stated) {
        process.stdout.write(
          `no needs stated, so nothing to recommend: with needs, the fastest strategy that meets them wins (highest ops/s, then lowest p99); by that order: ${ranking.join(", ")}.\n` +
            "State needs with --max-loss (e.g. 1s, or 0 for no acknowledged write lost), --min-ops-per-sec N and --max-p99 MS, e.g. `persistlab recommend --max-loss 1s results.json`.\n",
        );
        return;
      }
    }
    if (recommendation.pick === undefined)
      throw new HarnessError(recommendation.explanation, {
        exitCode: EXIT_CODES.NO_STRATEGY,
        hint: "relax a need, or run more strategies",
      });
    if (!args.json) process.stdout.write(`recommendation: ${recommendation.explanation}\n`);
  },
};
