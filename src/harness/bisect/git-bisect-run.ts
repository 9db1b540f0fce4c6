// Starts `git bisect start BAD GOOD` and `git bisect run step.sh` in the bisect checkout. git runs in its own
// process group so that an interrupt is forwarded to it and to the step it is running (SIGINT: the step stops
// its engines and exits, git aborts), and so that a forced exit can kill whatever is left of it.
import { spawn } from "node:child_process";
import { GIT_LOCALE, git } from "./git.ts";
import { parseGitBisectOutcome } from "./git-outcome.ts";

/** What git printed and how it exited. */
export interface GitRunResult {
  stdout: string;
  exitCode: number | null;
}

/** Runs the bisection to its end (or until signal aborts it); each output line is also passed to onLine. */
export async function runGitBisect(options: {
  checkout: string;
  good: string;
  bad: string;
  stepScript: string;
  signal: AbortSignal;
  onLine: (line: string) => void;
  onStart?: () => void;
}): Promise<GitRunResult> {
  options.onStart?.();
  const started = git(options.checkout, ["bisect", "start", options.bad, options.good]);
  // Adjacent ends: git names the bad end at once, and `git bisect run` would only fail.
  if (parseGitBisectOutcome(started).status === "found") return { stdout: started, exitCode: 0 };
  const child = spawn("git", ["-c", "core.hooksPath=/dev/null", "bisect", "run", options.stepScript], {
    cwd: options.checkout,
    detached: true,
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, ...GIT_LOCALE },
  });
  const pid = child.pid;
  const killGroup = (signal: NodeJS.Signals): void => {
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // The group is gone.
    }
  };
  const onExit = (): void => killGroup("SIGKILL");
  process.on("exit", onExit);
  let escalation: NodeJS.Timeout | undefined;
  const onAbort = (): void => {
    killGroup("SIGINT");
    escalation = setTimeout(() => killGroup("SIGKILL"), 20_000);
  };
  options.signal.addEventListener("abort", onAbort, { once: true });
  let stdout = "",
    pending = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    stdout += chunk;
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) options.onLine(line);
  });
  try {
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code) => resolve(code));
    });
    if (pending !== "") options.onLine(pending);
    return { stdout, exitCode };
  } finally {
    options.signal.removeEventListener("abort", onAbort);
    if (escalation !== undefined) clearTimeout(escalation);
    process.off("exit", onExit);
  }
}
