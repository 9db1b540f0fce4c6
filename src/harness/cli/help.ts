// --help layout shared by every command: examples as whole lines (a command never wraps in the middle at
// 80 columns or more) and the epilogue line pointing to the one table of exit codes in docs/cli.md.
import type { Argv } from "yargs";

/** One example: a full command line ("$0" stands for persistlab) and what it does. */
export type Example = readonly [command: string, description: string];

/** Longest example command, so that "  <command>" fits an 80-column terminal. */
export const MAX_EXAMPLE_LENGTH = 76;

/** The line every command's --help ends with. */
export const EXIT_CODES_EPILOGUE = "Exit codes: docs/cli.md#exit-codes (0 ok, 2 usage, 99 thresholds failed, ...)";

/** The examples block: each command on its own line, its description indented below it. */
export function renderExamples(examples: readonly Example[]): string {
  const lines = ["Examples:"];
  for (const [command, description] of examples) lines.push(`  ${command}`, `      ${description}`);
  return lines.join("\n");
}

/** Adds the examples and the exit-code pointer as the command's epilogue. */
export function withHelpEpilogue<T>(yargs: Argv<T>, examples: readonly Example[]): Argv<T> {
  const parts = examples.length === 0 ? [EXIT_CODES_EPILOGUE] : [renderExamples(examples), "", EXIT_CODES_EPILOGUE];
  return yargs.epilogue(parts.join("\n"));
}

/** The help width: the terminal's columns (or $COLUMNS off a terminal), at most 110. */
export function getHelpWidth(): number {
  const fromEnv = Number(process.env["COLUMNS"]);
  const columns = process.stdout.columns ?? (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 100);
  return Math.max(40, Math.min(110, columns));
}
