// probe-disk: the physical fdatasync floor of a directory's disk. Writes a small block and fdatasyncs it
// N times (like pg_test_fsync's "write, fdatasync" test), returning the latency distribution in µs.
import { closeSync, fdatasyncSync, openSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { DiskFloor } from "../results/schema.ts";
import { createHistogram, recordLatencyUs } from "../stats/histogram.ts";

/** Probes `dir` with `samples` write+fdatasync pairs of `blockBytes` each (appending, as an AOF does). */
export function probeDisk(options: { dir: string; samples?: number; blockBytes?: number }): DiskFloor {
  const samples = options.samples ?? 200;
  const blockBytes = options.blockBytes ?? 4096;
  const file = join(options.dir, `.persistlab-probe-${process.pid}-${Date.now()}`);
  const block = Buffer.alloc(blockBytes, 0x61);
  const histogram = createHistogram();
  let total = 0;
  const fd = openSync(file, "a");
  try {
    for (let i = 0; i < samples; i++) {
      const started = performance.now();
      writeSync(fd, block);
      fdatasyncSync(fd);
      const us = (performance.now() - started) * 1000;
      total += us;
      recordLatencyUs(histogram, us);
    }
  } finally {
    closeSync(fd);
    rmSync(file, { force: true });
  }
  const result: DiskFloor = {
    measured: true,
    path: options.dir,
    blockBytes,
    samples,
    p50Us: histogram.getValueAtPercentile(50),
    p90Us: histogram.getValueAtPercentile(90),
    p99Us: histogram.getValueAtPercentile(99),
    maxUs: histogram.maxValue,
    meanUs: Math.round(total / samples),
  };
  histogram.destroy();
  return result;
}
