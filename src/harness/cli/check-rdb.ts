// `persistlab check-rdb <file>`: validates an RDB file's structure and checksum with the bundled
// engine's checker (run as a child process: the harness never imports the engine). Prints what it
// found, or the first error with its byte offset; exit code 0 when valid, 1 otherwise (as redis-check-rdb).
import { execa } from "execa";
import type { Argv, CommandModule } from "yargs";
import { HarnessError } from "../shared/errors.ts";
import { EXIT_CODES } from "../shared/exit-codes.ts";
import { getBundledEngineCommand } from "../shared/runtime.ts";
import { requireExistingPath } from "./input-file.ts";
import { withHelpEpilogue, type Example } from "./help.ts";

/** Arguments of `check-rdb`. */
interface CheckRdbArgs {
  file: string;
}

/** Examples shown by `check-rdb --help`. */
export const CHECK_RDB_EXAMPLES: readonly Example[] = [
  ["persistlab check-rdb data/dump.rdb", "validate a dump; exit code 0 when valid, 1 otherwise"],
];

/** The `check-rdb` command module. */
export const checkRdbCommand: CommandModule<object, CheckRdbArgs> = {
  command: "check-rdb <file>",
  describe: "Check an RDB file (structure, checksum): keys by type and aux fields, or the first error with its offset",
  builder: (yargs: Argv) =>
    withHelpEpilogue(
      yargs.positional("file", {
        type: "string",
        demandOption: true,
        describe: "the RDB file (dump.rdb, or an AOF base *.base.rdb)",
      }),
      CHECK_RDB_EXAMPLES,
    ) as unknown as Argv<CheckRdbArgs>,
  handler: async (args) => {
    requireExistingPath(args.file, {
      kind: "file",
      command: "check-rdb",
      hint: "pass the RDB file itself, e.g. <dir>/dump.rdb (the server's dir and dbfilename)",
    });
    const engine = getBundledEngineCommand();
    const result = await execa(engine.file, [...engine.args, "--check-rdb", args.file], {
      reject: false,
      stdout: ["pipe", "inherit"],
      stderr: "inherit",
    });
    if (result.exitCode !== 0) {
      // Exit code 1, as redis-check-rdb, for an invalid or unreadable file.
      const checksumOnly = /wrong RDB checksum/i.test(String(result.stdout));
      throw new HarnessError(
        checksumOnly
          ? `check-rdb: ${args.file} fails its CRC64 checksum: every record parsed, but some bytes before the checksum (offset above) differ from what was saved`
          : `check-rdb: ${args.file} is not a valid RDB file (first error above)`,
        {
          exitCode: EXIT_CODES.INTERNAL,
          hint: checksumOnly
            ? "the damage can be anywhere in the file, so no offset locates it: restore a backup, or remove the file to start empty"
            : "restore a backup, or remove the file to start empty; the offset above is where the parser first met damaged data",
        },
      );
    }
  },
};
