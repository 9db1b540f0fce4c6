// Runs the phases of one run in order. Each phase gets its record (times, ops issued and ok, ops/s), its
// probe (latency of its ok ops, CPU load, the harness's event loop), the plugins' during() hooks alongside
// its load, and the load itself: the workload, a rewrite phase's load around BGREWRITEAOF/BGSAVE, or a
// recovery phase's restarts.
import { cpus } from "node:os";
import type { NotMeasured, PhaseRecord, RecoverySample, RewriteMeasured, RunMetrics } from "../results/schema.ts";
import type { ResolvedLoadPhase, ResolvedPhase, ResolvedRewritePhase, ResolvedScenario } from "../scenario/resolved.ts";
import { appendAll } from "../shared/bulk-arrays.ts";
import { toError } from "../shared/errors.ts";
import { CpuStealMeter } from "../stats/cpu-steal.ts";
import { createHistogram, summarizeHistogram } from "../stats/histogram.ts";
import { LoopBusyMeter } from "../stats/loop-busy.ts";
import type { OpSink } from "../workload/sink.ts";
import type { EngineControl } from "./engine-control.ts";
import type { PersistenceWatcher } from "./persistence-watcher.ts";
import type { PhaseInfo, RunContext, RunPlugin } from "./plugin.ts";
import { runRecoveryPhase } from "./recovery.ts";
import { runRewritePhase } from "./rewrite-phase.ts";
import type { WorkloadDriver } from "./workload-driver.ts";

/** Steal and CPU load over the recorded load phases (the windows the throughput figure covers), and how busy the harness's own event loop was then. */
export interface RecordedLoadMeters {
  readonly machineNoise: CpuStealMeter;
  readonly harnessLoop: LoopBusyMeter;
}

/** What the phases measure, filled phase by phase (a run that fails part-way keeps what was measured). */
export interface PhaseMeasurements {
  readonly phases: PhaseRecord[];
  rewrite: RewriteMeasured | NotMeasured;
  readonly bySize: RecoverySample[];
}

/** Everything the phases of a run need. */
export interface PhaseRunnerInput {
  scenario: ResolvedScenario;
  plugins: readonly RunPlugin[];
  control: EngineControl;
  driver: WorkloadDriver;
  sink: OpSink;
  watcher: PersistenceWatcher;
  meters: RecordedLoadMeters;
  measured: PhaseMeasurements;
  signal: AbortSignal;
  nowMs: () => number;
  contextFor: (plugin: RunPlugin) => RunContext;
}

/** The machine block: steal and CPU load, plus the harness's loop busy share where the runtime reports it. */
export function describeMachine(meters: RecordedLoadMeters): NonNullable<RunMetrics["machine"]> {
  const machine = meters.machineNoise.result();
  const busy = meters.harnessLoop.busyPercent();
  return machine.measured && busy !== null ? { ...machine, harnessLoopBusyPct: busy } : machine;
}

/** Runs every phase of the scenario in order (stops before the next phase once `signal` aborts). */
export async function runPhases(input: PhaseRunnerInput): Promise<void> {
  for (const [index, phase] of input.scenario.phases.entries()) {
    if (input.signal.aborted) break;
    await runPhase(input, phase, index);
  }
}

// One phase from its record's start to its phase-end event.
async function runPhase(input: PhaseRunnerInput, phase: ResolvedPhase, index: number): Promise<void> {
  const { sink, control, meters } = input;
  const record: PhaseRecord = {
    name: phase.name,
    kind: phase.kind,
    startMs: Math.round(input.nowMs()),
    endMs: 0,
    record: phase.kind !== "recovery" && phase.record,
    issued: 0,
    ok: 0,
    opsPerSec: 0,
  };
  const okAtStart = sink.totals.ok;
  input.measured.phases.push(record);
  if (record.record) {
    meters.machineNoise.start();
    meters.harnessLoop.start();
  }
  const probe = phase.kind === "recovery" ? undefined : startPhaseProbe(sink, record, phase);
  control.addEvent("phase-start", { phase: phase.name });
  if (phase.kind === "recovery")
    appendAll(
      input.measured.bySize,
      await runRecoveryPhase({ phase, control, workload: input.scenario.workload, signal: input.signal }),
    );
  else await runLoadPhase(input, phase, { phase, index, startMs: record.startMs }, record);
  meters.machineNoise.stop();
  meters.harnessLoop.stop();
  probe?.finish();
  record.endMs = Math.round(input.nowMs());
  record.ok = sink.totals.ok - okAtStart;
  record.opsPerSec =
    record.endMs > record.startMs ? Math.round(((record.ok ?? 0) * 1000) / (record.endMs - record.startMs)) : 0;
  control.addEvent("phase-end", { phase: phase.name });
}

// A load or rewrite phase: the load runs until its end (or the run's signal, or a plugin's endLoad()), with
// the plugins' during() hooks running alongside; their errors become events, not failures of the run.
async function runLoadPhase(
  input: PhaseRunnerInput,
  phase: ResolvedLoadPhase | ResolvedRewritePhase,
  at: Omit<PhaseInfo, "endLoad">,
  record: PhaseRecord,
): Promise<void> {
  const { control, signal } = input;
  const loadStop = new AbortController();
  const info: PhaseInfo = { ...at, endLoad: () => loadStop.abort() };
  const abortLoad = (): void => loadStop.abort();
  signal.addEventListener("abort", abortLoad, { once: true });
  const duringHooks = input.plugins
    .filter((p) => p.during !== undefined)
    .map((p) =>
      p.during?.(input.contextFor(p), info, loadStop.signal)?.catch((error: unknown) => {
        control.addEvent("error", { plugin: p.name, message: toError(error).message });
      }),
    );
  try {
    if (phase.kind === "rewrite") {
      input.watcher.suspend();
      const result = await runRewritePhase({ phase, control, driver: input.driver, signal: loadStop.signal }).finally(
        () => input.watcher.resume(),
      );
      input.measured.rewrite = result.rewrite;
      record.issued = result.load.issued;
    } else {
      const result = await input.driver.runLoad(phase, {
        durationMs: phase.durationMs,
        ops: phase.ops,
        signal: loadStop.signal,
      });
      record.issued = result.issued;
    }
  } finally {
    loadStop.abort();
    signal.removeEventListener("abort", abortLoad);
    await Promise.all(duringHooks);
  }
}

// Per-phase figures of a load phase (latency of its ok ops, CPU load and the harness loop), recorded or not.
function startPhaseProbe(
  sink: OpSink,
  record: PhaseRecord,
  phase: ResolvedLoadPhase | ResolvedRewritePhase,
): { finish: () => void } {
  record.executor = phase.executor;
  if (phase.rate !== undefined && phase.executor === "open") record.rate = phase.rate;
  const histogram = createHistogram();
  sink.phaseLatency = histogram;
  const meters: RecordedLoadMeters = {
    machineNoise: new CpuStealMeter(cpus().length),
    harnessLoop: new LoopBusyMeter(),
  };
  meters.machineNoise.start();
  meters.harnessLoop.start();
  return {
    finish: () => {
      meters.machineNoise.stop();
      meters.harnessLoop.stop();
      if (sink.phaseLatency === histogram) sink.phaseLatency = undefined;
      const summary = summarizeHistogram(histogram);
      histogram.destroy();
      record.latency = { count: summary.count, p50Ms: summary.p50Ms, p99Ms: summary.p99Ms, p999Ms: summary.p999Ms };
      record.machine = describeMachine(meters);
    },
  };
}
