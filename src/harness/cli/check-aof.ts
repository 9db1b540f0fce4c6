// `persistlab check-aof [--fix] [--truncate-to-timestamp <t>] <file|manifest>`: redis-check-aof's
// semantics through the bundled engine's checker (a child process: the harness never imports the
// engine). A manifest is checked file by file; --fix asks before truncating the last file (--yes answers).
import { execa } from "execa";
import type { Argv, CommandModule } from "yargs";
import { HarnessError } from "../shared/errors.ts";
import { EXIT_CODES } from "../shared/exit-codes.ts";
import { getBundledEngineCommand } from "../shared/runtime.ts";
import { requireExistingPath } from "./input-file.ts";
import { integerOption } from "./option-values.ts";
import { withHelpEpilogue, type Example } from "./help.ts";

/** Arguments of `check-aof`. */
interface CheckAofArgs {
  file: string;
  fix: boolean;
  yes: boolean;
  "truncate-to-timestamp": number | undefined;
}

/** Examples shown by `check-aof --help`. */
export const CHECK_AOF_EXAMPLES: readonly Example[] = [
  [
    "persistlab check-aof data/appendonlydir/appendonly.aof.manifest",
    "check every file the manifest names; exit code 0 when valid",
  ],
  [
    "persistlab check-aof --fix --yes data/appendonlydir/appendonly.aof.manifest",
    "repair a truncated tail without a prompt",
  ],
  [
    "persistlab check-aof --truncate-to-timestamp 1700000000 appendonly.aof",
    "point-in-time cut (needs aof-timestamp-enabled)",
  ],
];

/** The `check-aof` command module. */
export const checkAofCommand: CommandModule<object, CheckAofArgs> = {
  command: "check-aof <file>",
  describe:
    "Check an AOF (a manifest, or a single old-style file) as redis-check-aof does; --fix truncates a torn tail",
  builder: (yargs: Argv) =>
    withHelpEpilogue(
      yargs
        .positional("file", {
          type: "string",
          demandOption: true,
          describe: "appendonlydir/appendonly.aof.manifest, or a single AOF file",
        })
        .option("fix", {
          type: "boolean",
          default: false,
          describe: "truncate the last file to its last valid command (asks first)",
        })
        .option("yes", {
          type: "boolean",
          default: false,
          describe: "answer the --fix confirmation with yes (non-interactive use)",
        })
        .option("truncate-to-timestamp", {
          type: "string",
          coerce: integerOption("truncate-to-timestamp", { min: 0, example: "--truncate-to-timestamp 1700000000" }),
          describe: "cut the AOF at the first #TS annotation later than this unix time",
        }),
      CHECK_AOF_EXAMPLES,
    ) as unknown as Argv<CheckAofArgs>,
  handler: async (args) => {
    requireExistingPath(args.file, {
      kind: "file",
      command: "check-aof",
      hint: "pass appendonlydir/appendonly.aof.manifest (in the server's dir), or a single AOF file",
    });
    const engine = getBundledEngineCommand();
    const toolArgs = [
      "--check-aof",
      ...(args.fix ? ["--fix"] : []),
      ...(args["truncate-to-timestamp"] === undefined
        ? []
        : ["--truncate-to-timestamp", String(Math.trunc(args["truncate-to-timestamp"]))]),
      args.file,
    ];
    const result = await execa(engine.file, [...engine.args, ...toolArgs], {
      reject: false,
      stdout: "inherit",
      stderr: "inherit",
      ...(args.yes ? { input: "y\n" } : { stdin: "inherit" as const }),
    });
    if (result.exitCode !== 0) {
      // Exit code 1, as redis-check-aof, for an AOF that is not valid (or a --fix that was declined).
      throw new HarnessError(`check-aof: ${args.file} is not a valid AOF (see the report above)`, {
        exitCode: EXIT_CODES.INTERNAL,
        hint: "back up the AOF directory, then run `persistlab check-aof --fix <manifest>` to truncate a torn tail; damage in the middle of a file needs a backup",
      });
    }
  },
};
