// Runs one planned run (a strategy × repetition) end to end: start the engine, preload, phases (with plugin
// hooks), final/check hooks, fsync + memory figures, recovery measurement, cleanup. Never leaves the engine
// running: the instance is disposed in `finally`. Failures become a RunResult with status "failed".
import { cpus } from "node:os";
import type { Engine, EngineInstance } from "../engines/types.ts";
import { HistoryRecorder, type HistoryStream } from "../history/recorder.ts";
import type { PlannedRun } from "../scenario/plan.ts";
import type { ResolvedScenario } from "../scenario/resolved.ts";
import type { FsyncMeasured, NotMeasured, RunMetrics, RunResult } from "../results/schema.ts";
import { createRng } from "../shared/rng.ts";
import { toError } from "../shared/errors.ts";
import { LatencyRecorder } from "../stats/latency-recorder.ts";
import { TimelineRecorder } from "../stats/timeline.ts";
import { readProcessMemory } from "../stats/rss-sampler.ts";
import { CpuStealMeter } from "../stats/cpu-steal.ts";
import { LoopBusyMeter } from "../stats/loop-busy.ts";
import { OpSink } from "../workload/sink.ts";
import { preloadKeys } from "../workload/preload.ts";
import { describeNoFsyncSource, selectFsyncSource, type FsyncSession, type FsyncSource } from "../fsync/source.ts";
import { EngineControl } from "./engine-control.ts";
import type { RunContext, RunPlugin } from "./plugin.ts";
import { measureRestart } from "./recovery.ts";
import { startPersistenceWatcher } from "./persistence-watcher.ts";
import { WorkloadDriver } from "./workload-driver.ts";
import { buildMetrics } from "./metrics.ts";
import { describeMachine, runPhases, type PhaseMeasurements, type RecordedLoadMeters } from "./phase-runner.ts";
import { maxOf } from "../shared/bulk-arrays.ts";

/** Progress of a run, for the CLI's progress bar. */
export interface RunProgress {
  run: PlannedRun;
  phase: string;
  elapsedMs: number;
  ok: number;
  /** Faults of a nemesis done and planned in this run (undefined without one). */
  faults?: { done: number; planned: number } | undefined;
}

/** Everything run-one needs. */
export interface RunOneOptions {
  scenario: ResolvedScenario;
  run: PlannedRun;
  engine: Engine;
  plugins: readonly RunPlugin[];
  historyStream: HistoryStream | undefined;
  outDir: string;
  signal: AbortSignal;
  keepData?: boolean;
  onProgress?: (progress: RunProgress) => void;
}

// The recorders of one run: op history, latency, the sink every op goes through, the workload driver, and
// the meters of the recorded load.
interface RunRecorders extends RecordedLoadMeters {
  readonly history: HistoryRecorder;
  readonly latency: LatencyRecorder;
  readonly sink: OpSink;
  readonly driver: WorkloadDriver;
}

// What a run measured: each step fills its own fields, so a run that fails part-way keeps what it measured
// and says why the rest is missing.
interface RunMeasurements extends PhaseMeasurements {
  fsync: FsyncMeasured | NotMeasured;
  recovery: { readyMs: number; keysBefore: number; loadedKeys: number; bytesOnDisk: number } | NotMeasured;
  memory: RunMetrics["memory"];
  readonly extra: Record<string, unknown>;
}

// The engine of a run once created (the instance is disposed in runOne's `finally` whatever happened next).
interface RunEngine {
  instance?: EngineInstance;
  control?: EngineControl;
}

// Runs plugin hooks of one kind in order; errors are recorded as events and rethrown after all ran.
async function callHooks(
  plugins: readonly RunPlugin[],
  control: EngineControl,
  call: (plugin: RunPlugin) => Promise<unknown> | undefined,
): Promise<void> {
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

// The recorders, with the history kept in memory when a plugin needs it (history "none" means no file; a
// checker that needs the writes still gets them, in memory only).
function createRecorders(options: RunOneOptions, startMs: number): RunRecorders {
  const { scenario, run, plugins } = options;
  const needsHistory = plugins.some((p) => p.needsHistory === true);
  const historyMode = scenario.workload.history === "none" && needsHistory ? "writes" : scenario.workload.history;
  const history = new HistoryRecorder({
    runId: run.id,
    mode: historyMode,
    stream: options.historyStream,
    retain: needsHistory,
  });
  const latency = new LatencyRecorder();
  const sink = new OpSink({ startMs, latency, timeline: new TimelineRecorder(scenario.timelineBucketMs), history });
  return {
    history,
    latency,
    sink,
    driver: new WorkloadDriver(sink),
    machineNoise: new CpuStealMeter(cpus().length),
    harnessLoop: new LoopBusyMeter(),
  };
}

// Every figure starts as "not measured" with the reason it stays so if the run ends before measuring it.
function createMeasurements(scenario: ResolvedScenario): RunMeasurements {
  return {
    phases: [],
    bySize: [],
    extra: {},
    fsync: { measured: false, reason: "the run ended before fsync figures were read" },
    rewrite: { measured: false, reason: "the scenario has no rewrite phase" },
    recovery: {
      measured: false,
      reason: scenario.recovery
        ? "the run ended before recovery was measured"
        : 'recovery disabled in the scenario ("recovery": false)',
    },
    memory: { measured: false, reason: "no local engine process" },
  };
}

// Reports progress every 250 ms (the current phase, ok ops, a nemesis's faults); returns the timer.
function startProgressReports(
  options: RunOneOptions,
  sink: OpSink,
  measured: RunMeasurements,
  nowMs: () => number,
): ReturnType<typeof setInterval> {
  const { run, plugins } = options;
  const describeFaults = (): RunProgress["faults"] => {
    for (const plugin of plugins) {
      const faults = plugin.faultProgress?.(run.id);
      if (faults !== undefined) return faults;
    }
    return undefined;
  };
  return setInterval(
    () =>
      options.onProgress?.({
        run,
        phase: measured.phases[measured.phases.length - 1]?.name ?? "start",
        elapsedMs: nowMs(),
        ok: sink.totals.ok,
        faults: describeFaults(),
      }),
    250,
  );
}

// Creates the engine (recorded in `slot` at once), gives it the fsync tracer's and the plugins' environment,
// starts it and preloads the keys; returns the fsync source that measures it, if any.
async function startEngine(
  options: RunOneOptions,
  slot: RunEngine,
  nowMs: () => number,
): Promise<{ instance: EngineInstance; control: EngineControl; fsyncSource: FsyncSource | undefined }> {
  const { scenario, run, plugins, signal } = options;
  const instance = await options.engine.create({
    config: run.strategy.config,
    label: `${scenario.name}-${run.strategy.name}`,
  });
  const control = new EngineControl(instance, nowMs);
  slot.instance = instance;
  slot.control = control;
  // fsync tracing first, so that a plugin's own environment (e.g. the power-loss journal) wins.
  const fsyncSource = selectFsyncSource(instance);
  const traceEnvironment = fsyncSource?.environment?.(instance);
  if (traceEnvironment !== undefined) instance.setEnvironment?.(traceEnvironment);
  await callHooks(plugins, control, (p) => p.prepareEngine?.(instance, run));
  control.addEvent("start");
  const started = await instance.start({ timeoutMs: 60_000 });
  control.addEvent("ready", { readyMs: Math.round(started.readyMs * 10) / 10, pid: instance.pid() });
  if (scenario.workload.preload.keys > 0) {
    control.addEvent("preload-start", { keys: scenario.workload.preload.keys });
    await preloadKeys(instance.endpoint, {
      count: scenario.workload.preload.keys,
      valueBytes: scenario.workload.preload.valueBytes,
      prefix: scenario.workload.keys.prefix,
      signal,
    });
    control.addEvent("preload-end");
  }
  return { instance, control, fsyncSource };
}

// The context each plugin's hooks get (its own seeded rng; engine lifecycle calls go through `control`).
function createContextFactory(
  options: RunOneOptions,
  control: EngineControl,
  history: HistoryRecorder,
  nowMs: () => number,
): (plugin: RunPlugin) => RunContext {
  const { scenario, run, signal } = options;
  return (plugin) => ({
    scenario,
    run,
    engine: control.engine,
    endpoint: control.engine.endpoint,
    engineFactory: options.engine,
    rng: createRng(run.seed).fork(`plugin:${plugin.name}`),
    history,
    outDir: options.outDir,
    signal,
    nowMs,
    addEvent: (type, detail) => control.addEvent(type, detail),
    kill: (sig) => control.kill(sig),
    stopEngine: () => control.stop(),
    startEngine: (o) => control.start(o ?? {}),
    restart: (o) => control.restart(o ?? {}),
  });
}

// The run proper, from engine start to teardown; returns "ok", or "interrupted" when `signal` aborted.
async function executeRun(
  options: RunOneOptions,
  recorders: RunRecorders,
  measured: RunMeasurements,
  slot: RunEngine,
  nowMs: () => number,
): Promise<RunResult["status"]> {
  const { scenario, run, plugins, signal } = options;
  const { instance, control, fsyncSource } = await startEngine(options, slot, nowMs);
  const maxClients = maxOf(
    scenario.phases.map((p) => (p.kind === "recovery" ? 1 : Math.max(1, p.clients))),
    1,
  );
  await recorders.driver.open({
    endpoint: instance.endpoint,
    clients: maxClients,
    workload: scenario.workload,
    rng: createRng(run.seed).fork("workload"),
  });
  const contextFor = createContextFactory(options, control, recorders.history, nowMs);
  await callHooks(plugins, control, (p) => p.setup?.(contextFor(p)));
  const watcher = startPersistenceWatcher(control, instance.endpoint);
  const fsyncSession = fsyncSource === undefined ? undefined : await fsyncSource.begin(instance);
  await runPhases({
    scenario,
    plugins,
    control,
    driver: recorders.driver,
    sink: recorders.sink,
    watcher,
    meters: recorders,
    measured,
    signal,
    nowMs,
    contextFor,
  });
  await watcher.stop();
  await recorders.driver.close();
  return finishRun(options, { instance, control, fsyncSession, contextFor }, measured);
}

// After the load: fsync and memory figures, the plugins' final and check hooks (on a running engine), the
// recovery measurement, teardown.
async function finishRun(
  options: RunOneOptions,
  run: {
    instance: EngineInstance;
    control: EngineControl;
    fsyncSession: FsyncSession | undefined;
    contextFor: (plugin: RunPlugin) => RunContext;
  },
  measured: RunMeasurements,
): Promise<RunResult["status"]> {
  const { scenario, plugins, signal } = options;
  const { instance, control, contextFor } = run;
  if (!instance.isRunning() && instance.capabilities.restart) await control.start();
  measured.fsync = run.fsyncSession === undefined ? describeNoFsyncSource(instance) : await run.fsyncSession.end();
  const pid = instance.pid();
  const memory = pid === undefined ? undefined : await readProcessMemory(pid);
  if (memory !== undefined) measured.memory = { measured: true, ...memory };
  await callHooks(plugins, control, (p) => p.final?.(contextFor(p)));
  if (!instance.isRunning() && instance.capabilities.restart) await control.start();
  for (const plugin of plugins) {
    const extra = await plugin.check?.(contextFor(plugin));
    if (extra !== undefined) Object.assign(measured.extra, extra);
  }
  let status: RunResult["status"] = "ok";
  if (signal.aborted) status = "interrupted";
  else if (scenario.recovery && instance.capabilities.restart)
    measured.recovery = await measureRestart(control, 300_000);
  else if (!instance.capabilities.restart)
    measured.recovery = { measured: false, reason: "attach mode cannot restart the engine" };
  await callHooks(plugins, control, (p) => p.teardown?.(contextFor(p)));
  return status;
}

// The RunResult: metrics from the recorders and the measurements, events in time order with the outages.
function assembleResult(
  options: RunOneOptions,
  outcome: { startedAt: Date; durationMs: number; status: RunResult["status"]; errorMessage: string | undefined },
  recorders: RunRecorders,
  measured: RunMeasurements,
  slot: RunEngine,
): RunResult {
  const { scenario, run } = options;
  const { phases, fsync, rewrite, recovery, bySize, memory, extra } = measured;
  const metrics = buildMetrics({
    scenario,
    sink: recorders.sink,
    driver: recorders.driver,
    phases,
    durationMs: outcome.durationMs,
    fsync,
    rewrite,
    recovery,
    bySize,
    memory,
    machine: describeMachine(recorders),
    extra,
  });
  recorders.latency.destroy();
  const result: RunResult = {
    id: run.id,
    strategy: run.strategy.name,
    config: slot.instance?.config === undefined ? run.strategy.config : { ...slot.instance.config },
    repetition: run.repetition,
    seed: run.seed,
    status: outcome.status,
    startedAt: outcome.startedAt.toISOString(),
    durationMs: Math.round(outcome.durationMs),
    phases,
    events: slot.control?.events ?? [],
    metrics,
    historyOps: recorders.history.count,
  };
  if (outcome.errorMessage !== undefined) result.error = outcome.errorMessage;
  for (const outage of metrics.availability.outages) {
    result.events.push({ tMs: Math.round(outage.startMs), type: "outage-start" });
    if (outage.endMs !== undefined) result.events.push({ tMs: Math.round(outage.endMs), type: "outage-end" });
  }
  result.events.sort((a, b) => a.tMs - b.tMs);
  return result;
}

/** Executes one run and returns its result (never throws for engine/workload failures). */
export async function runOne(options: RunOneOptions): Promise<RunResult> {
  const startedAt = new Date();
  const startMs = performance.now();
  const nowMs = (): number => performance.now() - startMs;
  const recorders = createRecorders(options, startMs);
  const measured = createMeasurements(options.scenario);
  const slot: RunEngine = {};
  let status: RunResult["status"] = "ok";
  let errorMessage: string | undefined;
  const progressTimer = startProgressReports(options, recorders.sink, measured, nowMs);
  try {
    status = await executeRun(options, recorders, measured, slot, nowMs);
  } catch (error) {
    status = options.signal.aborted ? "interrupted" : "failed";
    errorMessage = toError(error).message.slice(0, 1000);
    slot.control?.addEvent("error", { message: errorMessage });
  } finally {
    recorders.machineNoise.stop();
    recorders.harnessLoop.stop();
    clearInterval(progressTimer);
    await recorders.driver.close().catch(() => undefined);
    await slot.instance?.dispose({ keepData: options.keepData === true }).catch(() => undefined);
    recorders.history.flush();
  }
  return assembleResult(options, { startedAt, durationMs: nowMs(), status, errorMessage }, recorders, measured, slot);
}
