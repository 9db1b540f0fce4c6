// Runs one planned run (a strategy × repetition) end to end: start the engine, preload, phases (with plugin
// hooks), final/check hooks, fsync + memory figures, recovery measurement, cleanup. Never leaves the engine
// running: the instance is disposed in `finally`. Failures become a RunResult with status "failed".
import type { WriteStream } from "node:fs";
import { cpus } from "node:os";
import type { Engine, EngineInstance } from "../engines/types.ts";
import { HistoryRecorder } from "../history/recorder.ts";
import type { PlannedRun } from "../scenario/plan.ts";
import type { ResolvedScenario } from "../scenario/resolved.ts";
import type { PhaseRecord, RewriteMeasured, NotMeasured, RunMetrics, RunResult, FsyncMeasured, RecoverySample } from "../results/schema.ts";
import { createRng } from "../shared/rng.ts";
import { toError } from "../shared/errors.ts";
import { LatencyRecorder } from "../stats/latency-recorder.ts";
import { createHistogram, summarizeHistogram } from "../stats/histogram.ts";
import { TimelineRecorder } from "../stats/timeline.ts";
import { readProcessMemory } from "../stats/rss-sampler.ts";
import { CpuStealMeter } from "../stats/cpu-steal.ts";
import { LoopBusyMeter } from "../stats/loop-busy.ts";
import { OpSink } from "../workload/sink.ts";
import { preloadKeys } from "../workload/preload.ts";
import { describeNoFsyncSource, selectFsyncSource, type FsyncSession } from "../fsync/source.ts";
import { EngineControl } from "./engine-control.ts";
import type { PhaseInfo, RunContext, RunPlugin } from "./plugin.ts";
import { measureRestart, runRecoveryPhase } from "./recovery.ts";
import { runRewritePhase } from "./rewrite-phase.ts";
import { startPersistenceWatcher } from "./persistence-watcher.ts";
import { WorkloadDriver } from "./workload-driver.ts";
import { buildMetrics } from "./metrics.ts";

/** Progress of a run, for the CLI's progress bar. */
export interface RunProgress {
  run: PlannedRun;
  phase: string;
  elapsedMs: number;
  ok: number;
}

/** Everything run-one needs. */
export interface RunOneOptions {
  scenario: ResolvedScenario;
  run: PlannedRun;
  engine: Engine;
  plugins: readonly RunPlugin[];
  historyStream: WriteStream | undefined;
  outDir: string;
  signal: AbortSignal;
  keepData?: boolean;
  onProgress?: (progress: RunProgress) => void;
}

// Runs plugin hooks of one kind in order; errors are recorded as events and rethrown after all ran.
async function callHooks(plugins: readonly RunPlugin[], control: EngineControl, call: (plugin: RunPlugin) => Promise<unknown> | undefined): Promise<void> {
  let first: Error | undefined;
  for (const plugin of plugins) {
    try {
      await call(plugin);
    } catch (error) {
      control.addEvent("error", { plugin: plugin.name, message: toError(error).message });
      first ??= toError(error);
    }
  }
  if (first !== undefined) throw first;
}

// The machine block: steal and CPU load, plus the harness's loop busy share where the runtime reports it.
function describeMachine(noise: CpuStealMeter, loop: LoopBusyMeter): NonNullable<RunMetrics["machine"]> {
  const machine = noise.result();
  const busy = loop.busyPercent();
  return machine.measured && busy !== null ? { ...machine, harnessLoopBusyPct: busy } : machine;
}

// Per-phase figures of a load phase (latency of its ok ops, CPU load and the harness loop), recorded or not.
function startPhaseProbe(sink: OpSink, record: PhaseRecord, phase: ResolvedScenario["phases"][number] & { executor: "closed" | "open"; rate: number | undefined }): { finish: () => void } {
  record.executor = phase.executor;
  if (phase.rate !== undefined && phase.executor === "open") record.rate = phase.rate;
  const histogram = createHistogram();
  sink.phaseLatency = histogram;
  const noise = new CpuStealMeter(cpus().length);
  const loop = new LoopBusyMeter();
  noise.start();
  loop.start();
  return {
    finish: () => {
      noise.stop();
      loop.stop();
      if (sink.phaseLatency === histogram) sink.phaseLatency = undefined;
      const summary = summarizeHistogram(histogram);
      histogram.destroy();
      record.latency = { count: summary.count, p50Ms: summary.p50Ms, p99Ms: summary.p99Ms, p999Ms: summary.p999Ms };
      record.machine = describeMachine(noise, loop);
    },
  };
}

/** Executes one run and returns its result (never throws for engine/workload failures). */
export async function runOne(options: RunOneOptions): Promise<RunResult> {
  const { scenario, run, plugins, signal } = options;
  const startedAt = new Date();
  const startMs = performance.now();
  const nowMs = (): number => performance.now() - startMs;
  const needsHistory = plugins.some((p) => p.needsHistory === true);
  // history "none" means no history.jsonl; a checker that needs the writes still gets them, in memory only.
  const historyMode = scenario.workload.history === "none" && needsHistory ? "writes" : scenario.workload.history;
  const history = new HistoryRecorder({ runId: run.id, mode: historyMode, stream: options.historyStream, retain: needsHistory });
  const latency = new LatencyRecorder();
  const timeline = new TimelineRecorder(scenario.timelineBucketMs);
  const sink = new OpSink({ startMs, latency, timeline, history });
  const driver = new WorkloadDriver(sink);
  const phases: PhaseRecord[] = [];
  // Steal and CPU load over the recorded load phases, the windows the throughput figure covers.
  const machineNoise = new CpuStealMeter(cpus().length);
  // And how busy the harness's own event loop was then: near 100%, the load generator was the limit.
  const harnessLoop = new LoopBusyMeter();
  const extraMetrics: Record<string, unknown> = {};
  let instance: EngineInstance | undefined;
  let control: EngineControl | undefined;
  let fsync: FsyncMeasured | NotMeasured = { measured: false, reason: "the run ended before fsync figures were read" };
  let rewrite: RewriteMeasured | NotMeasured = { measured: false, reason: "the scenario has no rewrite phase" };
  let recovery: { readyMs: number; keysBefore: number; loadedKeys: number; bytesOnDisk: number } | NotMeasured = { measured: false, reason: scenario.recovery ? "the run ended before recovery was measured" : "recovery disabled in the scenario (\"recovery\": false)" };
  const bySize: RecoverySample[] = [];
  let memory: RunMetrics["memory"] = { measured: false, reason: "no local engine process" };
  let status: RunResult["status"] = "ok";
  let errorMessage: string | undefined;
  const progressTimer = setInterval(() => options.onProgress?.({ run, phase: phases[phases.length - 1]?.name ?? "start", elapsedMs: nowMs(), ok: sink.totals.ok }), 250);
  try {
    instance = await options.engine.create({ config: run.strategy.config, label: `${scenario.name}-${run.strategy.name}` });
    const ctl = new EngineControl(instance, nowMs);
    control = ctl;
    const created = instance;
    // fsync tracing first, so that a plugin's own environment (e.g. the power-loss journal) wins.
    const source = selectFsyncSource(created);
    const traceEnvironment = source?.environment?.(created);
    if (traceEnvironment !== undefined) created.setEnvironment?.(traceEnvironment);
    await callHooks(plugins, ctl, (p) => p.prepareEngine?.(created, run));
    ctl.addEvent("start");
    const started = await instance.start({ timeoutMs: 60_000 });
    ctl.addEvent("ready", { readyMs: Math.round(started.readyMs * 10) / 10, pid: instance.pid() });
    if (scenario.workload.preload.keys > 0) {
      ctl.addEvent("preload-start", { keys: scenario.workload.preload.keys });
      await preloadKeys(instance.endpoint, { count: scenario.workload.preload.keys, valueBytes: scenario.workload.preload.valueBytes, prefix: scenario.workload.keys.prefix, signal });
      ctl.addEvent("preload-end");
    }
    const rng = createRng(run.seed);
    const maxClients = Math.max(1, ...scenario.phases.map((p) => (p.kind === "recovery" ? 0 : p.clients)));
    await driver.open({ endpoint: instance.endpoint, clients: maxClients, workload: scenario.workload, rng: rng.fork("workload") });
    const ctxFor = (plugin: RunPlugin): RunContext => ({
      scenario, run, engine: ctl.engine, endpoint: ctl.engine.endpoint, engineFactory: options.engine, rng: createRng(run.seed).fork(`plugin:${plugin.name}`), history, outDir: options.outDir, signal,
      nowMs, addEvent: (type, detail) => ctl.addEvent(type, detail), kill: (sig) => ctl.kill(sig), stopEngine: () => ctl.stop(),
      startEngine: (o) => ctl.start(o ?? {}), restart: (o) => ctl.restart(o ?? {}),
    });
    await callHooks(plugins, ctl, (p) => p.setup?.(ctxFor(p)));
    const watcher = startPersistenceWatcher(ctl, instance.endpoint);
    const fsyncSession: FsyncSession | undefined = source === undefined ? undefined : await source.begin(instance);
    for (const [index, phase] of scenario.phases.entries()) {
      if (signal.aborted) break;
      const record: PhaseRecord = { name: phase.name, kind: phase.kind, startMs: Math.round(nowMs()), endMs: 0, record: phase.kind !== "recovery" && phase.record, issued: 0, ok: 0, opsPerSec: 0 };
      const okAtStart = sink.totals.ok;
      phases.push(record);
      if (record.record) {
        machineNoise.start();
        harnessLoop.start();
      }
      const phaseProbe = phase.kind === "recovery" ? undefined : startPhaseProbe(sink, record, phase);
      ctl.addEvent("phase-start", { phase: phase.name });
      const loadStop = new AbortController();
      const info: PhaseInfo = { phase, index, startMs: record.startMs, endLoad: () => loadStop.abort() };
      if (phase.kind === "recovery") {
        bySize.push(...await runRecoveryPhase({ phase, control: ctl, workload: scenario.workload, signal }));
      } else {
        const abortLoad = (): void => loadStop.abort();
        signal.addEventListener("abort", abortLoad, { once: true });
        const duringHooks = plugins.filter((p) => p.during !== undefined).map((p) => p.during?.(ctxFor(p), info, loadStop.signal)?.catch((error: unknown) => { ctl.addEvent("error", { plugin: p.name, message: toError(error).message }); }));
        try {
          if (phase.kind === "rewrite") {
            watcher.suspend();
            const result = await runRewritePhase({ phase, control: ctl, driver, signal: loadStop.signal }).finally(() => watcher.resume());
            rewrite = result.rewrite;
            record.issued = result.load.issued;
          } else {
            const result = await driver.runLoad(phase, { durationMs: phase.durationMs, ops: phase.ops, signal: loadStop.signal });
            record.issued = result.issued;
          }
        } finally {
          loadStop.abort();
          signal.removeEventListener("abort", abortLoad);
          await Promise.all(duringHooks);
        }
      }
      machineNoise.stop();
      harnessLoop.stop();
      phaseProbe?.finish();
      record.endMs = Math.round(nowMs());
      record.ok = sink.totals.ok - okAtStart;
      record.opsPerSec = record.endMs > record.startMs ? Math.round(((record.ok ?? 0) * 1000) / (record.endMs - record.startMs)) : 0;
      ctl.addEvent("phase-end", { phase: phase.name });
    }
    await watcher.stop();
    await driver.close();
    if (!instance.isRunning() && instance.capabilities.restart) await ctl.start();
    fsync = fsyncSession === undefined ? describeNoFsyncSource(instance) : await fsyncSession.end();
    const pid = instance.pid();
    const mem = pid === undefined ? undefined : await readProcessMemory(pid);
    if (mem !== undefined) memory = { measured: true, ...mem };
    await callHooks(plugins, ctl, (p) => p.final?.(ctxFor(p)));
    if (!instance.isRunning() && instance.capabilities.restart) await ctl.start();
    for (const plugin of plugins) {
      const extra = await plugin.check?.(ctxFor(plugin));
      if (extra !== undefined) Object.assign(extraMetrics, extra);
    }
    if (signal.aborted) status = "interrupted";
    else if (scenario.recovery && instance.capabilities.restart) recovery = await measureRestart(ctl, 300_000);
    else if (!instance.capabilities.restart) recovery = { measured: false, reason: "attach mode cannot restart the engine" };
    await callHooks(plugins, ctl, (p) => p.teardown?.(ctxFor(p)));
  } catch (error) {
    status = signal.aborted ? "interrupted" : "failed";
    errorMessage = toError(error).message.slice(0, 1000);
    control?.addEvent("error", { message: errorMessage });
  } finally {
    machineNoise.stop();
    harnessLoop.stop();
    clearInterval(progressTimer);
    await driver.close().catch(() => undefined);
    await instance?.dispose({ keepData: options.keepData === true }).catch(() => undefined);
    history.flush();
  }
  const durationMs = nowMs();
  const metrics = buildMetrics({ scenario, sink, driver, phases, durationMs, fsync, rewrite, recovery, bySize, memory, machine: describeMachine(machineNoise, harnessLoop), extra: extraMetrics });
  latency.destroy();
  const result: RunResult = {
    id: run.id, strategy: run.strategy.name, config: instance?.config === undefined ? run.strategy.config : { ...instance.config }, repetition: run.repetition, seed: run.seed,
    status, startedAt: startedAt.toISOString(), durationMs: Math.round(durationMs), phases, events: control?.events ?? [], metrics, historyOps: history.count,
  };
  if (errorMessage !== undefined) result.error = errorMessage;
  for (const outage of metrics.availability.outages) {
    result.events.push({ tMs: Math.round(outage.startMs), type: "outage-start" });
    if (outage.endMs !== undefined) result.events.push({ tMs: Math.round(outage.endMs), type: "outage-end" });
  }
  result.events.sort((a, b) => a.tMs - b.tMs);
  return result;
}
