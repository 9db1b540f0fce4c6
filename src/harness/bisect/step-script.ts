// Writes step.sh, the command `git bisect run` executes at each commit: it starts `persistlab bisect --step`
// with the runtime and entry point running now, then turns the verdict file into git's exit codes
// (good 0, bad 1, skip 125; anything else, an interrupt included, 128 which makes git abort the bisection).
// git runs in the C locale (its messages are parsed); step.sh gives the build and the engines the user's locale back.
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { getPackageRoot, getRuntimeName } from "../shared/runtime.ts";
import { GIT_LOCALE } from "./git.ts";
import { verdictFileFor } from "./step.ts";

/** The argv that re-enters this CLI in the current runtime and layout (dist/ or sources). */
export function cliCommand(): string[] {
  const root = getPackageRoot();
  if (getRuntimeName() === "deno") return [process.execPath, "run", "-A", join(root, "bin", "persistlab.ts")];
  const fromDist = fileURLToPath(import.meta.url).endsWith(".js");
  return fromDist
    ? [process.execPath, join(root, "dist", "bin", "persistlab.js")]
    : [process.execPath, "--import", "tsx", join(root, "bin", "persistlab.ts")];
}

// Single-quotes a word for sh.
function quote(word: string): string {
  return `'${word.replace(/'/g, "'\\''")}'`;
}

/** Writes <dir>/step.sh for the state file and returns its path. */
export function writeStepScript(dir: string, stateFile: string): string {
  const verdict = verdictFileFor(stateFile);
  const script = [
    "#!/bin/sh",
    "# Written by persistlab bisect: one git bisect run step.",
    ...Object.keys(GIT_LOCALE).map((name) => {
      const value = process.env[name];
      return value === undefined ? `unset ${name}` : `export ${name}=${quote(value)}`;
    }),
    `rm -f ${quote(verdict)}`,
    `${[...cliCommand(), "bisect", "--step", stateFile].map(quote).join(" ")} || exit 128`,
    `case "$(cat ${quote(verdict)} 2>/dev/null)" in`,
    "  good) exit 0 ;;",
    "  bad) exit 1 ;;",
    "  skip) exit 125 ;;",
    "  *) exit 128 ;;",
    "esac",
    "",
  ].join("\n");
  const file = join(dir, "step.sh");
  writeFileSync(file, script);
  chmodSync(file, 0o755);
  return file;
}
