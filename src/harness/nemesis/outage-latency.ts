// Open-loop latency with the outages back-filled: an op scheduled while the engine was down failed at once
// (the client refuses to send while disconnected), so its latency is missing from the histogram. Had it been
// retried, it would have completed no earlier than the next acknowledged op of any client; that time minus its
// intended send time is what a user waiting on it would have seen. Pure, over the history.
import type { Op } from "../history/op.ts";

/** Latency (ms) of open-loop ops, outages included. */
export interface OutageLatency {
  basis: "open-loop, outages back-filled";
  samples: number;
  /** Ops that failed or were lost and were given the back-filled latency. */
  backfilled: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
}

// First index whose value is >= target (sorted ascending).
function lowerBound(sorted: Float64Array, target: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] ?? 0) < target) low = mid + 1;
    else high = mid;
  }
  return low;
}

// Nearest-rank percentile of an ascending array.
function rank(sorted: Float64Array, percent: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((percent / 100) * sorted.length))) - 1] ?? 0;
}

/** Summarises open-loop ops (those with intendedUs); undefined when the history has none. */
export function summarizeOutageLatency(history: readonly Op[]): OutageLatency | undefined {
  const scheduled = history.filter((op) => op.intendedUs !== undefined);
  if (scheduled.length === 0) return undefined;
  const acked = Float64Array.from(
    history.flatMap((op) => (op.type === "ok" && op.completeUs !== undefined ? [op.completeUs] : [])),
  ).sort();
  const latencies: number[] = [];
  let backfilled = 0;
  for (const op of scheduled) {
    const intended = op.intendedUs ?? op.invokeUs;
    if (op.type === "ok" && op.completeUs !== undefined) {
      latencies.push(op.completeUs - intended);
      continue;
    }
    const next = acked[lowerBound(acked, Math.max(intended, op.completeUs ?? op.invokeUs))];
    if (next === undefined) continue;
    latencies.push(next - intended);
    backfilled++;
  }
  const sorted = Float64Array.from(latencies).sort();
  const ms = (us: number): number => Math.round(us / 10) / 100;
  return {
    basis: "open-loop, outages back-filled",
    samples: sorted.length,
    backfilled,
    p50Ms: ms(rank(sorted, 50)),
    p99Ms: ms(rank(sorted, 99)),
    p999Ms: ms(rank(sorted, 99.9)),
    maxMs: ms(sorted[sorted.length - 1] ?? 0),
  };
}
