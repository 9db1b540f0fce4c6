// Assembles a run's metrics block from the sink, the driver and the phase measurements.
import type { ResolvedScenario } from "../scenario/resolved.ts";
import type {
  FsyncMeasured,
  NotMeasured,
  PhaseRecord,
  RecoverySample,
  RewriteMeasured,
  RunMetrics,
} from "../results/schema.ts";
import type { OpSink } from "../workload/sink.ts";
import type { WorkloadDriver } from "./workload-driver.ts";

/** Inputs of buildMetrics. */
export interface MetricsInput {
  scenario: ResolvedScenario;
  sink: OpSink;
  driver: WorkloadDriver;
  phases: PhaseRecord[];
  durationMs: number;
  fsync: FsyncMeasured | NotMeasured;
  rewrite: RewriteMeasured | NotMeasured;
  recovery: { readyMs: number; keysBefore: number; loadedKeys: number; bytesOnDisk: number } | NotMeasured;
  bySize: RecoverySample[];
  memory: RunMetrics["memory"];
  machine: NonNullable<RunMetrics["machine"]>;
  extra: Record<string, unknown>;
}

/** Builds RunMetrics (pure apart from reading the recorders). */
export function buildMetrics(input: MetricsInput): RunMetrics {
  const { sink, scenario } = input;
  const recordedMs = input.phases
    .filter((p) => p.record && p.kind !== "recovery")
    .reduce((sum, p) => sum + Math.max(0, p.endMs - p.startMs), 0);
  const { ok, fail, info } = sink.counts;
  const total = ok + fail + info;
  const executors = new Set(
    scenario.phases
      .filter((p) => p.kind !== "recovery" && p.record)
      .map((p) => (p.kind === "recovery" ? "closed" : p.executor)),
  );
  const basis = executors.size > 1 ? "mixed" : executors.has("open") ? "open-loop" : "closed-loop";
  const outages = input.driver.availability.outages();
  const endMs = input.durationMs;
  const top = [...sink.counts.errors]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10)
    .map(([message, count]) => ({ message, count }));
  const recovery: RunMetrics["recovery"] =
    "measured" in input.recovery
      ? input.bySize.length > 0
        ? { measured: false, reason: input.recovery.reason }
        : input.recovery
      : { measured: true, ...input.recovery, bySize: input.bySize };
  // A recovery phase alone (no final restart) still reports its samples.
  const recoveryWithSizes: RunMetrics["recovery"] =
    recovery.measured === false && input.bySize.length > 0
      ? {
          measured: true,
          readyMs: input.bySize[input.bySize.length - 1]?.readyMs ?? 0,
          keysBefore: input.bySize[input.bySize.length - 1]?.keys ?? 0,
          loadedKeys: input.bySize[input.bySize.length - 1]?.loadedKeys ?? 0,
          bytesOnDisk: input.bySize[input.bySize.length - 1]?.bytesOnDisk ?? 0,
          bySize: input.bySize,
        }
      : recovery;
  return {
    ...input.extra,
    throughput: {
      opsPerSec: recordedMs > 0 ? Math.round((ok * 1000) / recordedMs) : 0,
      ok,
      fail,
      info,
      durationSec: Math.round(recordedMs) / 1000,
      timeline: sink.timeline.finish(endMs),
      bucketMs: sink.timeline.bucketMs,
    },
    latency: { basis, ...sink.latency.summarize() },
    fsync: input.fsync,
    rewrite: input.rewrite,
    recovery: recoveryWithSizes,
    errors: { fail, info, rate: total > 0 ? (fail + info) / total : 0, top },
    availability: {
      okRatio: total > 0 ? ok / total : 1,
      outages,
      unavailableMs: Math.round(outages.reduce((sum, o) => sum + ((o.endMs ?? endMs) - o.startMs), 0)),
    },
    memory: input.memory,
    machine: input.machine,
  };
}
