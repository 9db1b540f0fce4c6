// fsync latency distribution from the LD_PRELOAD shim's journal: lets the harness report fsync p50/p99
// for engines that do not report it themselves (real redis-server), measured around the libc call.
import { readJournal, type JournalEvent } from "./journal.ts";

/** Latency summary of successful fsync/fdatasync calls on files (directory fsyncs counted apart). */
export interface FsyncLatencySummary {
  count: number;
  /** Calls that returned an error (not in the percentiles). */
  failed: number;
  fsyncCount: number;
  fdatasyncCount: number;
  directoryCount: number;
  /** Nearest-rank percentiles (the smallest sample with at least p% of samples at or below it). */
  p50Us: number;
  p99Us: number;
  maxUs: number;
  meanUs: number;
  /** Every file-sync latency in journal order (µs, fractional). */
  samplesUs: number[];
}

/** Optional wall-clock window (µs since the epoch) to restrict the summary to a recorded phase. */
export interface FsyncLatencyWindow {
  fromUs?: number;
  toUs?: number;
}

/** Nearest-rank percentile of an ascending array (0 when empty). */
export function computeNearestRank(sortedAscending: readonly number[], percent: number): number {
  if (sortedAscending.length === 0) return 0;
  const rank = Math.max(1, Math.ceil((percent / 100) * sortedAscending.length));
  return sortedAscending[Math.min(rank, sortedAscending.length) - 1] ?? 0;
}

/** Summarises fsync latencies of journal events (pure). */
export function summarizeFsyncLatency(
  events: readonly JournalEvent[],
  window: FsyncLatencyWindow = {},
): FsyncLatencySummary {
  const samplesUs: number[] = [];
  let failed = 0,
    fsyncCount = 0,
    fdatasyncCount = 0,
    directoryCount = 0;
  for (const event of events) {
    if (event.op !== "fsync" && event.op !== "fsync-dir") continue;
    if (window.fromUs !== undefined && event.timeUs < window.fromUs) continue;
    if (window.toUs !== undefined && event.timeUs > window.toUs) continue;
    if (event.res !== 0) {
      failed++;
      continue;
    }
    if (event.op === "fsync-dir") {
      directoryCount++;
      continue;
    }
    if (event.a === 1) fdatasyncCount++;
    else fsyncCount++;
    samplesUs.push(event.c / 1000);
  }
  const sorted = [...samplesUs].sort((x, y) => x - y);
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    count: sorted.length,
    failed,
    fsyncCount,
    fdatasyncCount,
    directoryCount,
    p50Us: computeNearestRank(sorted, 50),
    p99Us: computeNearestRank(sorted, 99),
    maxUs: sorted.at(-1) ?? 0,
    meanUs: sorted.length === 0 ? 0 : total / sorted.length,
    samplesUs,
  };
}

/** Reads a journal file and summarises its fsync latencies. */
export async function readFsyncLatency(logPath: string, window: FsyncLatencyWindow = {}): Promise<FsyncLatencySummary> {
  const journal = await readJournal(logPath);
  return summarizeFsyncLatency(journal.events, window);
}
