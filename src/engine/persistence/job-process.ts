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

  /** The job ended: the child is stopped (by its pid, through the pipe's end). */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.child?.stdin?.end();
    if (this.child !== null && this.child.exitCode === null) {
      try {
        this.child.kill("SIGKILL");
      } catch {
        // already gone
      }
    }
  }
}

/** Redis's signal numbers for the log line "terminated by signal N". */
export function signalNumber(signal: string): number {
  const numbers: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGTERM: 15 };
  return numbers[signal] ?? 0;
}
