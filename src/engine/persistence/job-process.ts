// A background job's child process. Redis forks one per BGSAVE / BGREWRITEAOF; the engine saves
// in-process, and starts this small real process alongside each job instead, so the job has what
// Redis's child gives operators: a pid that names the job's temp file (temp-<pid>.rdb,
// temp-rewriteaof-bg-<pid>.aof), shows under the server in the process tree, and, when killed,
// aborts the job as a failed one ("terminated by signal 9"). The process is `sh` blocked reading a
// pipe from the server, so it also ends by itself when the server dies.
import { spawn, type ChildProcess } from "node:child_process";

let started = 0;

/** Background-job children started by this process (INFO total_forks). */
export function jobProcessesStarted(): number {
  return started;
}

/** The child of one background job. */
export class JobProcess {
  /** The child's pid, or the server's own when no process could be started. */
  readonly pid: number;
  private readonly child: ChildProcess | null;
  private finished = false;

  private constructor(child: ChildProcess | null) {
    this.child = child;
    this.pid = child?.pid ?? process.pid;
  }

  /** Starts the child; `onKilled` runs if it dies by a signal before finish(). */
  static start(onKilled: (signal: string) => void): JobProcess {
    started += 1;
    let child: ChildProcess | null = null;
    try {
      child = spawn("sh", ["-c", "read _"], { stdio: ["pipe", "ignore", "ignore"] });
    } catch {
      child = null;
    }
    if (child !== null && child.pid === undefined) child = null;
    const job = new JobProcess(child);
    if (child !== null) {
      child.on("error", () => {});
      child.stdin?.on("error", () => {});
      child.on("exit", (_code, signal) => {
        if (!job.finished && signal !== null) onKilled(signal);
      });
      // The server's event loop must not wait for the child.
      child.unref();
      (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    }
    return job;
  }

  /**
   * The job ended: the child is stopped (by its pid, through the pipe's end). Resolves once the child
   * has exited, as Redis reaps its child before the job counts as over and the next one may start
   * (so a new job's child is never confused with the last one's).
   */
  finish(): Promise<void> {
    const child = this.child;
    if (!this.finished) {
      this.finished = true;
      child?.stdin?.end();
      if (child !== null && !hasExited(child)) {
        try {
          child.kill("SIGKILL");
        } catch {
          // already gone
        }
      }
    }
    if (child === null || hasExited(child)) return Promise.resolve();
    return new Promise<void>((resolveExit) => {
      // Bounded: a child that cannot be reaped must not hold the server's jobs forever.
      const timer = setTimeout(resolveExit, EXIT_WAIT_LIMIT_MS);
      timer.unref();
      child.once("exit", () => {
        clearTimeout(timer);
        resolveExit();
      });
    });
  }
}

/** How long finish() waits for a SIGKILLed child to be reaped before giving up on it. */
const EXIT_WAIT_LIMIT_MS = 2000;

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Redis's signal numbers for the log line "terminated by signal N". */
export function signalNumber(signal: string): number {
  const numbers: Record<string, number> = {
    SIGHUP: 1,
    SIGINT: 2,
    SIGQUIT: 3,
    SIGKILL: 9,
    SIGUSR1: 10,
    SIGSEGV: 11,
    SIGUSR2: 12,
    SIGTERM: 15,
  };
  return numbers[signal] ?? 0;
}
