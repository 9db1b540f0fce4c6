// `persistlab micro [suite..]`: tinybench micro-benchmarks of hot paths (src/harness/micro/suites).
import type { Argv, CommandModule } from "yargs";
import { MICRO_SUITES } from "../micro/suites/index.ts";
import { runMicroSuites } from "../micro/runner.ts";
import { HarnessError } from "../shared/errors.ts";
import { EXIT_CODES } from "../shared/exit-codes.ts";
import { maxOf } from "../shared/bulk-arrays.ts";
import { integerOption } from "./option-values.ts";
import { withHelpEpilogue, type Example } from "./help.ts";

/** Arguments of `micro`. */
interface MicroArgs {
  suites: string[];
  time: number;
  json: boolean;
  list: boolean;
}

/** Examples shown by `micro --help`. */
export const MICRO_EXAMPLES: readonly Example[] = [
  ["persistlab micro", "run every suite"],
  ["persistlab micro stats --time 1000 --json", "one suite, longer, JSON"],
];

/** The `micro` command module. */
export const microCommand: CommandModule<object, MicroArgs> = {
  command: "micro [suites..]",
  describe: "Run tinybench micro-benchmark suites",
  builder: (yargs: Argv) =>
    withHelpEpilogue(
      yargs
        .positional("suites", { type: "string", array: true, default: [], describe: "suite names (default: all)" })
        .option("time", {
          type: "string",
          default: "500",
          coerce: integerOption("time", { min: 10, example: "--time 1000" }),
          describe: "ms per task (at least 10)",
        })
        .option("json", { type: "boolean", default: false, describe: "print JSON rows" })
        .option("list", { type: "boolean", default: false, describe: "list suites and exit" }),
      MICRO_EXAMPLES,
    ) as unknown as Argv<MicroArgs>,
  handler: async (args) => {
    if (args.list) {
      for (const suite of MICRO_SUITES) process.stdout.write(`${suite.name}  ${suite.description}\n`);
      return;
    }
    const unknown = args.suites.filter((name) => !MICRO_SUITES.some((s) => s.name === name));
    if (unknown.length > 0)
      throw new HarnessError(`Unknown micro suite(s): ${unknown.join(", ")}`, {
        exitCode: EXIT_CODES.USAGE,
        hint: `known suites: ${MICRO_SUITES.map((s) => s.name).join(", ")}`,
      });
    const suites = args.suites.length === 0 ? MICRO_SUITES : MICRO_SUITES.filter((s) => args.suites.includes(s.name));
    const rows = await runMicroSuites(suites, { timeMs: Math.max(10, args.time) });
    if (args.json) {
      process.stdout.write(JSON.stringify(rows, null, 2) + "\n");
      return;
    }
    const width = maxOf(rows.map((r) => `${r.suite} / ${r.task}`.length));
    for (const r of rows)
      process.stdout.write(
        `${`${r.suite} / ${r.task}`.padEnd(width)}  ${String(r.opsPerSec).padStart(12)} ops/s  mean ${String(r.meanNs).padStart(8)} ns  p99 ${String(r.p99Ns).padStart(8)} ns  ±${r.rmePercent}%\n`,
      );
  },
};
