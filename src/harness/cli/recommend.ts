// `persistlab recommend [--max-loss 1s] [--min-ops-per-sec N] [--max-p99 ms] <results.json>`: the strategy that
// meets the stated needs, with the evidence rows, or why none does (exit 96).
import type { Argv, CommandModule } from "yargs";
import { GATE_EXIT_CODES } from "../gate/exit-codes.ts";
import { recommend } from "../api/recommend.ts";
import type { Needs } from "../recommend/recommend-strategy.ts";
import { formatValue } from "../report/format.ts";
import { renderTextTable } from "../report/terminal.ts";
import { parseDurationMs } from "../shared/duration.ts";
import { HarnessError } from "../shared/errors.ts";
import { EXIT_CODES } from "../shared/exit-codes.ts";

/** Arguments of `recommend`. */
interface RecommendArgs {
  results: string;
  "max-loss"?: string | undefined;
  "min-ops-per-sec"?: number | undefined;
  "max-p99"?: number | undefined;
}

// Parses --max-loss: a duration ("1s", "500ms") or 0.
function parseMaxLoss(text: string): number {
  if (/^\s*0+\s*$/.test(text)) return 0;
  try {
    return parseDurationMs(text.trim());
  } catch {
    throw new HarnessError(`--max-loss expects a duration such as "1s", "500ms" or 0, got "${text}"`, { exitCode: EXIT_CODES.USAGE });
  }
}

/** The `recommend` command module. */
export const recommendCommand: CommandModule<object, RecommendArgs> = {
  command: "recommend <results>",
  describe: "Recommend the persistence strategy that meets stated loss, throughput and latency needs, with the evidence",
  builder: (yargs: Argv) => yargs
    .positional("results", { type: "string", demandOption: true, describe: "results.json of a scenario that ran several strategies" })
    .option("max-loss", { type: "string", describe: "largest acceptable loss window after a crash (\"1s\", \"500ms\", 0 = no acknowledged write lost)" })
    .option("min-ops-per-sec", { type: "number", describe: "least acceptable throughput (ops/s)" })
    .option("max-p99", { type: "number", describe: "largest acceptable p99 latency (ms)" })
    .example("$0 recommend --max-loss 1s --min-ops-per-sec 20000 results.json", "at most a second of writes lost, at least 20k ops/s") as unknown as Argv<RecommendArgs>,
  handler: (args) => {
    const needs: Needs = {
      maxLossMs: args["max-loss"] === undefined ? undefined : parseMaxLoss(args["max-loss"]),
      minOpsPerSec: args["min-ops-per-sec"], maxP99Ms: args["max-p99"],
    };
    const recommendation = recommend(args.results, needs);
    const rows = [["strategy", "ops/s", "p99", "acked lost", "loss window", "qualifies", "why not"]];
    for (const c of recommendation.candidates) {
      const v = c.summary.values;
      rows.push([c.summary.strategy, formatValue(v["throughput.opsPerSec"], "count"), formatValue(v["latency.p99Ms"], "ms"), formatValue(v["durability.lost"], "count"),
        formatValue(v["durability.lossWindowMs"], "ms"), c.qualifies ? "yes" : "no", c.failures.join("; ")]);
    }
    process.stdout.write(`${renderTextTable(rows)}\n\n`);
    if (recommendation.pick === undefined) throw new HarnessError(recommendation.explanation, { exitCode: GATE_EXIT_CODES.NO_STRATEGY, hint: "relax a need, or run more strategies" });
    process.stdout.write(`recommendation: ${recommendation.explanation}\n`);
  },
};
