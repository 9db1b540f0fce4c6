// The run loop's plug-in interface: how a nemesis (faults) and a checker (verdicts) join a run without
// touching the harness. A HarnessExtension pairs a scenario key with a plugin factory; the run is given the
// extensions (api/extensions.ts) and calls each factory once per scenario, at its start, for a plugin (or
// undefined when the scenario does not ask for it, e.g. no `nemesis` key).
//
// Life of one run (strategy × repetition), and where plugins act:
//   1. The engine instance is created (own port + data dir); prepareEngine(instance, run) may set its
//      environment (e.g. an LD_PRELOAD shim); it is started; preload runs.
//   2. setup(ctx)                 — before any load; the engine is up.
//   3. For each phase, in order:
//        load / rewrite phases: during(ctx, phase, signal) runs CONCURRENTLY with the workload and must
//        return soon after `signal` aborts (when the phase's load ends). It may ctx.kill("SIGKILL"),
//        ctx.stopEngine(), ctx.startEngine() (same port, same data dir; waits for LOADING to finish),
//        ctx.restart(...), while clients keep running: they record fail/info and reconnect by themselves.
//        recovery phases: no during() (the harness owns the engine there).
//   4. final(ctx)                 — load has stopped. Heal here (e.g. a last kill + restart). After final()
//        the harness makes sure the engine is running (restarting it with the same data dir if needed).
//   5. check(ctx)                 — read the final data set through ctx.endpoint (e.g. ioredis) and
//        ctx.history.ops() (needsHistory: true keeps ops in memory); return metrics to merge into the run's
//        `metrics` (the durability checker returns { durability: {...} }).
//   6. The harness measures recovery (graceful stop + restart) and disposes the engine; teardown(ctx).
// All times are ms since the run start (ctx.nowMs()); ctx.addEvent() adds time-stamped events for charts.
// Engine lifecycle calls through ctx record kill/stop/restart/ready events themselves.
import type { Engine, EngineInstance, EngineStartOptions, Endpoint, ExitInfo } from "../engines/types.ts";
import type { HistoryRecorder } from "../history/recorder.ts";
import type { ScenarioExtension } from "../scenario/extensions.ts";
import type { ResolvedPhase, ResolvedScenario } from "../scenario/resolved.ts";
import type { PlannedRun } from "../scenario/plan.ts";
import type { Rng } from "../shared/rng.ts";
import type { RunEvent } from "../results/schema.ts";

/** What a plugin can see and do during a run. */
export interface RunContext {
  readonly scenario: ResolvedScenario;
  readonly run: PlannedRun;
  /** The engine instance (also gives dataDir, config, capabilities, pid()). */
  readonly engine: EngineInstance;
  readonly endpoint: Endpoint;
  /** The engine factory of the run (e.g. to start a scratch instance on a copy of the data directory). */
  readonly engineFactory: Engine;
  /** A seeded RNG private to this plugin and run. */
  readonly rng: Rng;
  /** History recorder of this run (ops() is filled when a plugin sets needsHistory). */
  readonly history: HistoryRecorder;
  /** Output folder of the whole scenario run (results.json lives here). */
  readonly outDir: string;
  /** Aborts when the user interrupts the run. */
  readonly signal: AbortSignal;
  /** ms since the run start. */
  nowMs(): number;
  /** Adds an event to the run's timeline. */
  addEvent(type: RunEvent["type"], detail?: Record<string, unknown>): void;
  /** Sends a signal and waits for exit; records a `kill` event. */
  kill(signal: NodeJS.Signals): Promise<ExitInfo>;
  /** Graceful stop (SIGTERM → SIGKILL after grace); records a `stop` event. */
  stopEngine(): Promise<ExitInfo>;
  /** Starts the engine on the same port and data dir and waits until ready; records `restart` and `ready`. */
  startEngine(options?: EngineStartOptions): Promise<{ readyMs: number }>;
  /** kill(signal) (or a graceful stop when signal is "graceful"), then startEngine(). */
  restart(options?: {
    signal?: NodeJS.Signals | "graceful";
    timeoutMs?: number;
  }): Promise<{ readyMs: number; exit: ExitInfo }>;
}

/** A phase as plugins see it. */
export interface PhaseInfo {
  phase: ResolvedPhase;
  index: number;
  startMs: number;
  /** Ends the phase's load now (before its duration is up), e.g. when a nemesis has run its whole schedule. */
  endLoad?: () => void;
}

/** A plugin of the run loop (nemesis, checker, or both). Every hook is optional. */
export interface RunPlugin {
  readonly name: string;
  /** Keep the run's history in memory for check() (costs memory on long runs). */
  readonly needsHistory?: boolean;
  /** Before the engine's first start (its process environment can be set here). */
  prepareEngine?(engine: EngineInstance, run: PlannedRun): Promise<void>;
  setup?(ctx: RunContext): Promise<void>;
  during?(ctx: RunContext, phase: PhaseInfo, signal: AbortSignal): Promise<void>;
  final?(ctx: RunContext): Promise<void>;
  check?(ctx: RunContext): Promise<Record<string, unknown> | undefined>;
  teardown?(ctx: RunContext): Promise<void>;
  /** Faults done and planned so far in run `runId`, for the progress line (plugins that inject faults). */
  faultProgress?(runId: string): { done: number; planned: number } | undefined;
}

/** Run options a plugin factory is given along with the scenario. */
export interface RunPluginOptions {
  /** `run --keep-crash-states`: keep a copy of the data directory at every kill. */
  keepCrashStates: boolean;
}

/** Builds a plugin for a scenario, or undefined when it does not apply. */
export type RunPluginFactory = (scenario: ResolvedScenario, options: RunPluginOptions) => RunPlugin | undefined;

/** A scenario key together with the run plugin that acts on it. */
export interface HarnessExtension extends ScenarioExtension {
  readonly createPlugin: RunPluginFactory;
}

/** The plugins the extensions make for a scenario, in the extensions' order. */
export function createRunPlugins(
  extensions: readonly HarnessExtension[],
  scenario: ResolvedScenario,
  options: RunPluginOptions,
): RunPlugin[] {
  return extensions
    .map((extension) => extension.createPlugin(scenario, options))
    .filter((plugin): plugin is RunPlugin => plugin !== undefined);
}
