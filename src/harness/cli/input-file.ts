// Checks that a path the user named exists (and is a file or a directory, as the command needs) before a
// command reads it: exit 6 with one line naming the path and what to pass instead.
import { statSync } from "node:fs";
import { HarnessError } from "../shared/errors.ts";
import { EXIT_CODES } from "../shared/exit-codes.ts";

/** Throws FILE_NOT_FOUND (6) unless `path` exists and is of the kind wanted. */
export function requireExistingPath(
  path: string,
  options: { kind: "file" | "directory"; command: string; hint: string },
): void {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem =
      code === "ENOENT" || code === "ENOTDIR"
        ? "does not exist"
        : `cannot be read (${code ?? (error as Error).message})`;
    throw new HarnessError(`${options.command}: ${path} ${problem}`, {
      exitCode: EXIT_CODES.FILE_NOT_FOUND,
      hint: options.hint,
    });
  }
  if (isDirectory !== (options.kind === "directory")) {
    throw new HarnessError(
      `${options.command}: ${path} is a ${isDirectory ? "directory" : "file"}, not a ${options.kind}`,
      { exitCode: EXIT_CODES.FILE_NOT_FOUND, hint: options.hint },
    );
  }
}
