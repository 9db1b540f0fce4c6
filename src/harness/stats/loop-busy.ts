// How busy the harness's own event loop was over measured windows (performance.eventLoopUtilization). A closed
// loop whose event loop is busy nearly all the time is the bottleneck: the throughput it measured is the load
// generator's limit, not the engine's. Windows add up, as the recorded load phases do.
import { performance } from "node:perf_hooks";

/** A loop busy this much (% of wall time) or more over the recorded load means the harness may be the limit. */
export const SATURATED_LOOP_PCT = 90;

type Utilization = ReturnType<typeof performance.eventLoopUtilization>;

/** Sums event-loop busy and idle time over start() ... stop() windows. */
export class LoopBusyMeter {
  #open: Utilization | null = null;
  #active = 0;
  #idle = 0;

  /** Opens a window (a window already open is closed first). */
  start(): void {
    if (this.#open !== null) this.stop();
    this.#open = performance.eventLoopUtilization();
  }

  /** Closes the open window, adding its busy and idle time. */
  stop(): void {
    const before = this.#open;
    this.#open = null;
    if (before === null) return;
    const delta = performance.eventLoopUtilization(before);
    this.#active += delta.active;
    this.#idle += delta.idle;
  }

  /**
   * Busy time as a percentage of the windows' wall time, or null when the runtime does not report it (Deno's
   * eventLoopUtilization returns zeros) or no window was measured.
   */
  busyPercent(): number | null {
    const total = this.#active + this.#idle;
    if (total <= 0 || this.#idle <= 0) return null;
    return Math.round((1000 * this.#active) / total) / 10;
  }
}
