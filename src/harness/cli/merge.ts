// `persistlab merge a.json b.json ... -o merged.json`: join the results of `run --shard i/n` shards.
import type { Argv, CommandModule } from "yargs";
import { writeFileSync } from "node:fs";
import { mergeResults, MergeError } from "../compare/merge-results.ts";
import { EXIT_CODES } from "../shared/exit-codes.ts";
import { readResults } from "../report/read-results.ts";
import { HarnessError } from "../shared/errors.ts";
import { withHelpEpilogue, type Example } from "./help.ts";

/** Arguments of `merge`. */
interface MergeArgs {
  files: string[];
  out: string;
}

/** Examples shown by `merge --help`. */
export const MERGE_EXAMPLES: readonly Example[] = [
  ["persistlab merge shard-*/results.json -o merged/results.json", "join a CI matrix's shards"],
];

/** The `merge` command module. */
export const mergeCommand: CommandModule<object, MergeArgs> = {
  command: "merge <files..>",
  describe: "Merge the results.json files of shards (run --shard i/n) into one",
  builder: (yargs: Argv) =>
    withHelpEpilogue(
      yargs
        .positional("files", {
          type: "string",
          array: true,
          demandOption: true,
          describe: "results.json of each shard",
        })
        .option("out", { alias: "o", type: "string", demandOption: true, describe: "merged results.json to write" }),
      MERGE_EXAMPLES,
    ) as unknown as Argv<MergeArgs>,
  handler: (args) => {
    const shards = args.files.map((file) => readResults(file));
    try {
      const merged = mergeResults(shards);
      writeFileSync(args.out, JSON.stringify(merged, null, 2) + "\n");
      process.stdout.write(`merged ${shards.length} file(s), ${merged.runs.length} run(s) → ${args.out}\n`);
    } catch (error) {
      if (error instanceof MergeError)
        throw new HarnessError(`cannot merge: ${error.message}`, { exitCode: EXIT_CODES.BAD_RESULTS });
      throw error;
    }
  },
};
