// Tracks every engine process the harness started, so none is left behind: on normal exit, uncaught errors,
// and (via the CLI's signal handling) Ctrl-C, every live tracked PID gets SIGKILL. Only our own PIDs are touched.

const LIVE_PIDS = new Set<number>();
let installed = false;

// Kills every tracked process synchronously (safe inside an 'exit' handler).
function killAllSync(): void {
  for (const pid of LIVE_PIDS) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  LIVE_PIDS.clear();
}

/** Registers a PID we started; installs the exit hook once. */
export function trackProcess(pid: number): void {
  LIVE_PIDS.add(pid);
  if (!installed) {
    installed = true;
    process.on("exit", killAllSync);
  }
}

/** Forgets a PID after it exited. */
export function untrackProcess(pid: number): void {
  LIVE_PIDS.delete(pid);
}

/** The PIDs currently tracked (for tests and diagnostics). */
export function getTrackedPids(): number[] {
  return [...LIVE_PIDS];
}

/** Kills every tracked process now (last resort on a second Ctrl-C or a fatal error). */
export function killAllTracked(): void {
  killAllSync();
}
