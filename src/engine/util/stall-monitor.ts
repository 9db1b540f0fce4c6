// Measures the event-loop stalls a background job (BGSAVE, BGREWRITEAOF) causes, and tells the engine's
// own share from the machine's. A 1 ms timer notes how late each tick fires (the loop delay a client sees).
// On Linux it also reads the main thread's scheduler statistics (/proc/thread-self/schedstat: ns on a CPU,
// ns runnable but waiting for one) at every tick, so the time the thread was ready to run but the OS ran
// something else (other processes, the hypervisor) is subtracted: what remains is the engine's own stall,
// its work or its blocking calls. On a busy 2-vCPU VM an idle process sees 7-16 ms loop delays by itself,
// which would otherwise be blamed on the job. The loop's idle time (libuv's time inside the poll for events,
// from performance.eventLoopUtilization) bounds it too: a tick that comes late because the poll's wake-up
// came late (on this VM the hypervisor delays timer wake-ups of a sleeping vCPU by up to 10 ms) found a loop
// with nothing to do, and that lateness is not the engine's either. So the own stall of an interval is the
// lateness minus the CPU wait, and at most the time the loop was busy in it. Where schedstat is missing the
// CPU wait is 0; where the runtime reports no idle time (Deno) the loop counts as busy throughout. What this
// cannot take out is time the hypervisor takes a vCPU away while the thread runs: the thread's schedstat
// does not show it (steal appears only machine-wide, in /proc/stat), so it counts as the thread's own. The garbage collector's pauses are recorded alongside
// (gc-pauses.ts), so the longest own stall can be split into GC time and the rest.
import { closeSync, openSync, readSync } from "node:fs";
import { performance as perfHooks } from "node:perf_hooks";
import { startGcPauseLog } from "./gc-pauses.ts";

/** The longest loop delay while the monitor ran, and the longest part of a delay that was the engine's own. */
export interface StallFigures {
  /** Longest time a 1 ms tick came late, in ms. */
  readonly longestMs: number;
  /**
   * Longest lateness minus the time the thread waited for a CPU in the same interval, and at most the time
   * the loop was busy (not idle in the poll for events) in it, in ms.
   */
  readonly ownLongestMs: number;
  /** Whether the CPU-wait share was measured (false: ownLongestMs equals longestMs). */
  readonly cpuWaitMeasured: boolean;
  /** GC pause time within the interval of the longest own stall, at most that own stall, in ms (0 when not measured). */
  readonly ownLongestGcMs: number;
  /** The longest GC pause while the monitor ran, in ms (0 when not measured). */
  readonly longestGcPauseMs: number;
  /** Whether GC pauses were measured (the runtime reports them). */
  readonly gcMeasured: boolean;
}

const TICK_MS = 1;

// Milliseconds the event loop has spent idle in the poll for events so far (0 where the runtime does not say).
const loopIdleMs = (): number => perfHooks.eventLoopUtilization?.().idle ?? 0;

// Reads "run_ns wait_ns slices" of the calling thread from a descriptor opened once; null when unavailable.
class SchedStat {
  private readonly fd: number | null;
  private readonly buffer = Buffer.alloc(96);

  constructor() {
    let fd: number | null = null;
    try {
      fd = openSync("/proc/thread-self/schedstat", "r");
    } catch {
      fd = null;
    }
    this.fd = fd;
  }

  get available(): boolean {
    return this.fd !== null;
  }

  /** Nanoseconds the thread has waited runnable for a CPU so far, or 0 when unavailable. */
  waitNs(): number {
    if (this.fd === null) return 0;
    try {
      const length = readSync(this.fd, this.buffer, 0, this.buffer.length, 0);
      const fields = this.buffer.toString("latin1", 0, length).split(" ");
      return Number(fields[1] ?? 0);
    } catch {
      return 0;
    }
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
  }
}

/** Starts measuring; stop() ends it and returns the figures (null if no tick ever fired). */
export function startStallMonitor(): { stop: () => StallFigures | null } {
  const sched = new SchedStat();
  const gcPauses = startGcPauseLog();
  let lastTick = performance.now();
  let lastWaitNs = sched.waitNs();
  let lastIdleMs = loopIdleMs();
  let ticks = 0;
  let longestMs = 0;
  let ownLongestMs = 0;
  let ownLongestFromMs = 0;
  let ownLongestToMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    const waitNs = sched.waitNs();
    const idleMs = loopIdleMs();
    const lateMs = Math.max(0, now - lastTick - TICK_MS);
    const waitedMs = Math.min(lateMs, (waitNs - lastWaitNs) / 1e6);
    const busyMs = Math.max(0, now - lastTick - (idleMs - lastIdleMs));
    const ownMs = Math.min(lateMs - waitedMs, busyMs);
    if (lateMs > longestMs) longestMs = lateMs;
    if (ownMs > ownLongestMs) {
      ownLongestMs = ownMs;
      ownLongestFromMs = lastTick;
      ownLongestToMs = now;
    }
    lastTick = now;
    lastWaitNs = waitNs;
    lastIdleMs = idleMs;
    ticks += 1;
  }, TICK_MS);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      gcPauses.stop();
      const measured = sched.available;
      sched.close();
      if (ticks === 0) return null;
      // Without schedstat no wait was ever subtracted, so the own stall is already the whole delay.
      // GC time within the longest own stall's interval, at most the own part (the interval also holds CPU waits).
      const ownLongestGcMs =
        ownLongestMs === 0 ? 0 : Math.min(ownLongestMs, gcPauses.overlapMs(ownLongestFromMs, ownLongestToMs));
      return {
        longestMs,
        ownLongestMs,
        cpuWaitMeasured: measured,
        ownLongestGcMs,
        longestGcPauseMs: gcPauses.longestMs(),
        gcMeasured: gcPauses.measured,
      };
    },
  };
}
