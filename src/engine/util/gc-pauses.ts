// Records V8's garbage-collection pauses (perf_hooks "gc" entries) while a background job runs, so the
// stall monitor can say how much of a stall was the collector rather than the engine's own code. Node
// delivers the entries asynchronously, a loop turn or two after each pause: a pause in the job's last
// moments may be missed. Runtimes without "gc" entries (Deno) measure nothing and say so. V8 reports
// scavenges and the atomic pause that finishes a full collection, but not the incremental-marking steps
// it runs inside allocations while a full collection is under way (up to 4-5 ms each on this project's
// VM during a BGSAVE of 1M keys, seen with --trace-incremental-marking): those stay in the "rest".
import { PerformanceObserver } from "node:perf_hooks";

/** The GC pauses seen since start, on performance.now()'s time base. */
export interface GcPauseLog {
  /** Whether the runtime reports GC pauses at all. */
  readonly measured: boolean;
  /** The longest single pause so far, in ms. */
  longestMs(): number;
  /** How much pause time fell within [startMs, endMs]. */
  overlapMs(startMs: number, endMs: number): number;
  /** Stops observing (the figures stay readable). */
  stop(): void;
}

// A job of many minutes at dozens of scavenges a second stays far below this; beyond it pauses are dropped.
const MAX_PAUSES = 200_000;

/** Starts observing GC pauses. */
export function startGcPauseLog(): GcPauseLog {
  // supportedEntryTypes is a static that @types/node does not declare. Deno 2 lists "gc" there but never
  // delivers a gc entry, so it counts as not measured.
  const listed =
    (PerformanceObserver as unknown as { supportedEntryTypes?: readonly string[] }).supportedEntryTypes?.includes(
      "gc",
    ) === true;
  const measured = listed && !("Deno" in globalThis);
  const starts: number[] = [];
  const durations: number[] = [];
  let longestMs = 0;
  const observer = measured
    ? new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          if (entry.duration > longestMs) longestMs = entry.duration;
          if (starts.length >= MAX_PAUSES) continue;
          starts.push(entry.startTime);
          durations.push(entry.duration);
        }
      })
    : undefined;
  observer?.observe({ entryTypes: ["gc"] });
  return {
    measured,
    longestMs: () => longestMs,
    overlapMs: (startMs, endMs) => {
      let total = 0;
      for (let i = 0; i < starts.length; i++) {
        const start = starts[i] as number;
        const end = start + (durations[i] as number);
        if (end > startMs && start < endMs) total += Math.min(end, endMs) - Math.max(start, startMs);
      }
      return total;
    },
    stop: () => observer?.disconnect(),
  };
}
