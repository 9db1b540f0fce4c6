// Per-command latency histograms (Redis 7.0's `latency-tracking`, LATENCY HISTOGRAM): each command,
// by its full name (`config|resetstat`), counts its calls' durations in the power-of-two buckets
// LATENCY HISTOGRAM reports. Redis keeps an HDR histogram (2 significant digits, 1 µs to 1 s) and
// reports it with a log iterator from 1024 ns, doubling: bucket k holds durations up to the top of
// the HDR range that 1024·2^k ns falls in (1024·2^k · 129/128 - 1 ns), printed in whole µs (1, 2, 4,
// 8, 16, 33, 66, ...). Durations are clamped to [1024 ns, 1 s] as Redis clamps them.

const MIN_NS = 1024;
const MAX_NS = 1_000_000_000;
/** Bucket 20 (about 1.08 s) holds the 1 s cap. */
const BUCKETS = 21;

/** The highest duration (ns) bucket k counts: the top of the HDR range of 1024·2^k. */
function bucketTopNs(bucket: number): number {
  const level = MIN_NS * 2 ** bucket;
  return level + level / 128 - 1;
}

const BUCKET_TOPS = Array.from({ length: BUCKETS }, (_, bucket) => bucketTopNs(bucket));

/** The bucket a duration falls in. */
function bucketOf(durationNs: number): number {
  const clamped = Math.min(Math.max(durationNs, MIN_NS), MAX_NS);
  let bucket = Math.max(0, Math.floor(Math.log2(clamped / MIN_NS)) - 1);
  while ((BUCKET_TOPS[bucket] as number) < clamped) bucket += 1;
  return bucket;
}

/** One command's histogram as LATENCY HISTOGRAM prints it: calls, then [µs, cumulative calls] per non-empty bucket. */
export interface CommandHistogram {
  readonly calls: number;
  readonly cumulative: readonly (readonly [number, number])[];
}

/** The latency histograms of every command called since start or CONFIG RESETSTAT. */
export class LatencyHistograms {
  private readonly byCommand = new Map<string, number[]>();

  /** Counts one call of `fullName` that took `durationNs`. */
  record(fullName: string, durationNs: number): void {
    let counts = this.byCommand.get(fullName);
    if (counts === undefined) {
      counts = new Array<number>(BUCKETS).fill(0);
      this.byCommand.set(fullName, counts);
    }
    const bucket = bucketOf(durationNs);
    counts[bucket] = (counts[bucket] as number) + 1;
  }

  /** CONFIG RESETSTAT. */
  reset(): void {
    this.byCommand.clear();
  }

  /** The full names with a histogram, sorted. */
  names(): string[] {
    return [...this.byCommand.keys()].sort();
  }

  /** A command's histogram, undefined when it has not been called. */
  get(fullName: string): CommandHistogram | undefined {
    const counts = this.byCommand.get(fullName);
    if (counts === undefined) return undefined;
    const cumulative: [number, number][] = [];
    let total = 0;
    for (let bucket = 0; bucket < BUCKETS; bucket += 1) {
      const count = counts[bucket] as number;
      if (count === 0) continue;
      total += count;
      cumulative.push([Math.floor((BUCKET_TOPS[bucket] as number) / 1000), total]);
    }
    return { calls: total, cumulative };
  }
}
