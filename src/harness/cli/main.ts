// The persistlab CLI root: registers each command explicitly, parses argv, and is the only place that prints
// errors and decides the exit code (shared/exit-codes.ts documents each code).
import yargs from "yargs";
import { HarnessError } from "../shared/errors.ts";
import { EXIT_CODES, type ExitCode } from "../shared/exit-codes.ts";
import { listCommand } from "./list.ts";
import { microCommand } from "./micro.ts";
import { probeDiskCommand } from "./probe-disk.ts";
import { runCommand } from "./run.ts";
import { validateCommand } from "./validate.ts";
import { compareCommand } from "./compare.ts";
import { gateCommand } from "./gate.ts";
import { mergeCommand } from "./merge.ts";
import { recommendCommand } from "./recommend.ts";
import { reportCommand } from "./report.ts";
import { checkAofCommand } from "./check-aof.ts";
import { checkRdbCommand } from "./check-rdb.ts";
import { schemaCommand } from "./schema.ts";
import { EXIT_CODES_EPILOGUE, getHelpWidth } from "./help.ts";
import { readPackageVersion } from "../shared/runtime.ts";
import { bisectCommand } from "./bisect.ts";

// A usage error raised by yargs (unknown command/option, missing argument).
class UsageError extends Error {}

/** Runs the CLI with argv (without node and script); resolves with the exit code, never throws. */
export async function main(argv: readonly string[]): Promise<ExitCode> {
  const cli = yargs([...argv])
    .scriptName("persistlab")
    .usage("$0 <command> [options]\n\nBenchmark and chaos-test Redis-style persistence.")
    .command(runCommand)
    .command(validateCommand)
    .command(listCommand)
    .command(probeDiskCommand)
    .command(microCommand)
    .command(reportCommand)
    .command(gateCommand)
    .command(compareCommand)
    .command(recommendCommand)
    .command(mergeCommand)
    .command(checkRdbCommand)
    .command(checkAofCommand)
    .command(schemaCommand)
    .command(bisectCommand)
    .demandCommand(1, "Name a command (see --help).")
    .strict()
    .recommendCommands()
    .help()
    .alias("h", "help")
    .version("version", "Show persistlab's version", `persistlab ${readPackageVersion()}`)
    .epilogue(EXIT_CODES_EPILOGUE)
    .wrap(getHelpWidth())
    .exitProcess(false)
    .fail((message, error) => {
      // yargs's own errors (a coerce function's rejection included, rethrown as YError) are usage errors.
      if (error !== undefined && error !== null && error.name === "YError") throw new UsageError(error.message);
      if (error !== undefined && error !== null) throw error;
      throw new UsageError(message ?? "usage error");
    });
  try {
    await cli.parseAsync();
    return EXIT_CODES.OK;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(
        `${error.message}\nRun \`persistlab --help\` (or \`persistlab <command> --help\`) for usage.\n`,
      );
      return EXIT_CODES.USAGE;
    }
    if (error instanceof HarnessError) {
      process.stderr.write(`Error: ${error.message}\n${error.hint === undefined ? "" : `Hint: ${error.hint}\n`}`);
      return error.exitCode;
    }
    process.stderr.write(
      `Internal error (a bug): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return EXIT_CODES.INTERNAL;
  }
}
