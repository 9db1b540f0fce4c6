// Runs one of the user's runbook scripts (backup or restore) with the engine's coordinates in environment
// variables and a time limit, and records how it ended: exit code, duration, time-out, last lines of output.
import { existsSync } from "node:fs";
import { execa } from "execa";

/** How a script run ended. */
export interface ScriptRun {
  script: string;
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
  /** Last lines of stdout + stderr. */
  output: string;
}

/** The environment a runbook script sees (see docs/chaos.md, "Runbook drills"). */
export interface RunbookEnvironment {
  REDIS_HOST: string;
  REDIS_PORT: string;
  REDIS_CLI: string;
  DATA_DIR: string;
  DBFILENAME: string;
  BACKUP_DIR: string;
  APPENDONLY: string;
  APPENDDIRNAME: string;
  APPENDFILENAME: string;
}

/** The redis-cli to hand to scripts: Debian's, else the first on PATH (it speaks to the bundled engine too). */
export function findRedisCli(): string {
  if (existsSync("/usr/bin/redis-cli")) return "/usr/bin/redis-cli";
  for (const dir of (process.env["PATH"] ?? "").split(":"))
    if (dir !== "" && existsSync(`${dir}/redis-cli`)) return `${dir}/redis-cli`;
  return "redis-cli";
}

/** Runs a script to its end or its time limit (the whole process group is killed then). */
export async function runScript(
  script: string,
  env: RunbookEnvironment,
  timeoutMs: number,
  cwd: string,
): Promise<ScriptRun> {
  const began = performance.now();
  const result = await execa(script, [], {
    cwd,
    env: { ...env },
    extendEnv: true,
    reject: false,
    all: true,
    timeout: timeoutMs,
    killSignal: "SIGKILL",
    stdin: "ignore",
    detached: false,
  });
  const lines = String(result.all ?? "")
    .split("\n")
    .filter((line) => line.trim() !== "");
  return {
    script,
    exitCode: result.exitCode ?? null,
    timedOut: result.timedOut === true,
    durationMs: Math.round(performance.now() - began),
    output: (lines.length === 0 && result.failed ? (result.shortMessage ?? "") : lines.slice(-5).join(" | ")).slice(
      0,
      600,
    ),
  };
}

/** Whether a script run succeeded. */
export function scriptSucceeded(run: ScriptRun): boolean {
  return run.exitCode === 0 && !run.timedOut;
}
