// One run under the nemesis: walks the seeded schedule during the chaos phase, and for each fault strikes,
// applies the power cut (power-loss mode), keeps a copy of the crash state, restarts the live engine on it
// (repairing as an operator would), and verifies the copy on a scratch instance in the background while the
// load goes on. Collects one RoundRecord per engine death for the durability checker.
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { createTempDir } from "../engines/ports.ts";
import type { EngineInstance } from "../engines/types.ts";
import type { PlannedRun } from "../scenario/plan.ts";
import type { RunContext } from "../run/plugin.ts";
import { createRng } from "../shared/rng.ts";
import { toError } from "../shared/errors.ts";
import { preparePowerLossFault, type PowerLossFault } from "./power-loss/index.ts";
import { isRunbookDrill, type ResolvedNemesis, type RunbookDrill } from "./config.ts";
import { copyDataDir, getCrashStateDir, keepCrashState, writeRoundDescription } from "./crash-state.ts";
import { crashEngine, type CrashReport } from "./crash-engine.ts";
import { corruptDataDir, getDrillInapplicableReason } from "./drills/corrupt-files.ts";
import { takeRdbBackup, type RdbBackup } from "./drills/rdb-backup.ts";
import { runRunbookRound, type RunbookRecord } from "./drills/runbook.ts";
import { isDiskFault, strikeDiskFault, type DiskFaultPart } from "./disk-fault.ts";
import { prepareDiskFaults, type PreparedDiskFaults } from "./disk-fault-setup.ts";
import { killDuringLoading } from "./loading-kill.ts";
import { PersistenceTracker } from "./persistence-tracker.ts";
import { readDataSet } from "./read-back.ts";
import { createRepairTools, type RepairTools } from "./repair-tools.ts";
import type { DrillPart, RoundRecord } from "./round-record.ts";
import { createFaultSchedule, type PlannedFault } from "./schedule.ts";
import { startWithRepair, type StartOutcome } from "./start-with-repair.ts";
import { getStrategyTraits, repliesBeforePostponedWrite, type StrategyTraits } from "./strategy-traits.ts";
import { getInapplicableReason, strike, type TriggerReport } from "./strike.ts";
import { verifyCrashState } from "./verify-crash-state.ts";

/** Environment variable naming the bundled engine's fault point (docs/fault-points.md). */
export const FAULT_POINT_ENV = "PERSISTLAB_FAULT_POINT";
const RESTART_TIMEOUT_MS = 120_000;

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted === true) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });

/** The part of an engine's log written after `before` (the log is a rolling tail). */
export function getLogSince(before: string, after: string): string {
  if (before === "") return after;
  const anchor = before.slice(-200);
  const at = after.lastIndexOf(anchor);
  return at < 0 ? after : after.slice(at + anchor.length);
}

/** State and actions of one run under the nemesis. */
export class ChaosRun {
  readonly config: ResolvedNemesis;
  readonly run: PlannedRun;
  readonly schedule: PlannedFault[];
  readonly traits: StrategyTraits;
  readonly engineKind: string;
  readonly records: RoundRecord[] = [];
  /** Drills that do not apply to the strategy (no kill was made for them). */
  readonly skippedDrills: Array<{ kind: string; reason: string }> = [];
  /** Runbook drills done (judged against the history in check()). */
  readonly runbooks: RunbookRecord[] = [];
  /** Why power loss was not applied (shim unavailable), if it was asked for. */
  powerLossUnavailable: string | undefined;
  /** Why disk faults fell back to plain kills (shim unavailable, no data directory), if the schedule has any. */
  diskFaultsUnavailable: string | undefined;
  initial: Map<string, string> | undefined;
  initialAckedUs: number | undefined;
  #powerLoss: PowerLossFault | undefined;
  #disk: PreparedDiskFaults | undefined;
  #baseEnvironment: Record<string, string> = {};
  #armedFaultPoint: string | undefined;
  #tracker: PersistenceTracker | undefined;
  #tools: RepairTools | undefined;
  #pending: Promise<void> = Promise.resolve();
  #backup: RdbBackup | undefined;
  #scratchDirs: string[] = [];
  #plannedDone = 0;

  readonly #preparePowerLoss: typeof preparePowerLossFault;

  constructor(options: {
    config: ResolvedNemesis;
    run: PlannedRun;
    engine: EngineInstance;
    preparePowerLoss?: typeof preparePowerLossFault;
  }) {
    this.#preparePowerLoss = options.preparePowerLoss ?? preparePowerLossFault;
    this.config = options.config;
    this.run = options.run;
    this.schedule = createFaultSchedule(options.config, options.run.seed);
    this.traits = getStrategyTraits(options.engine.config);
    this.engineKind = options.engine.kind;
  }

  /** Faults of the schedule carried out. */
  get faultsDone(): number {
    return this.#plannedDone;
  }

  /** Before the first start: the power-loss shim and the first fault point go into the environment. */
  async prepare(engine: EngineInstance): Promise<void> {
    // What the run set before (e.g. the fsync tracer's sync-only journal) stays; the power-loss journal replaces it.
    this.#baseEnvironment = { ...engine.getEnvironment?.() };
    if (this.config.powerLoss !== undefined && engine.dataDir !== undefined) {
      const prepared = await this.#preparePowerLoss();
      if (prepared.available) {
        this.#powerLoss = prepared.fault;
        this.#baseEnvironment = { ...this.#baseEnvironment, ...prepared.fault.environment(engine.dataDir) };
      } else {
        this.powerLossUnavailable = prepared.reason;
        process.stderr.write(
          `persistlab: ${prepared.reason}; the power-loss fault is skipped (faults stay plain kills) in run ${this.run.id}\n`,
        );
      }
    }
    if (this.schedule.some(isDiskFault)) {
      const prepared = await prepareDiskFaults(engine, this.#baseEnvironment);
      if (typeof prepared === "string") {
        this.diskFaultsUnavailable = prepared;
        process.stderr.write(`persistlab: ${prepared}; disk faults fall back to plain kills in run ${this.run.id}\n`);
      } else {
        this.#disk = prepared;
        this.#baseEnvironment = prepared.environment;
      }
    }
    // The first start is never armed: a point such as aof-manifest:before-rename can fire while an empty
    // data directory is initialised, and the run could not begin.
    this.#arm(engine, undefined);
  }

  // Sets the environment of the next incarnation: the base (shim) plus the fault point the next fault needs.
  #arm(engine: EngineInstance, next: PlannedFault | undefined): void {
    const point = next?.kind === "fault-point" && this.engineKind === "bundled" ? next.faultPoint : undefined;
    this.#armedFaultPoint = point;
    engine.setEnvironment?.(
      point === undefined ? this.#baseEnvironment : { ...this.#baseEnvironment, [FAULT_POINT_ENV]: point },
    );
  }

  /** Load has not started yet: note the initial data set, start watching INFO. */
  async setup(ctx: RunContext): Promise<void> {
    this.#tools = createRepairTools(await ctx.engineFactory.describe());
    if (ctx.scenario.workload.preload.keys > 0) {
      this.initial = await readDataSet(ctx.endpoint);
      this.initialAckedUs = Math.round(ctx.nowMs() * 1000);
    }
    this.#tracker = new PersistenceTracker({ endpoint: ctx.endpoint, nowUs: () => Math.round(ctx.nowMs() * 1000) });
    this.#tracker.beginIncarnation(0);
    this.#tracker.start();
  }

  /** Runs the schedule until it is done or the phase ends (a round in progress always completes). */
  async runSchedule(ctx: RunContext, phaseSignal: AbortSignal): Promise<void> {
    for (const fault of this.schedule.slice(this.#plannedDone)) {
      const notForThisStrategy =
        fault.drill === undefined || isRunbookDrill(fault.drill)
          ? undefined
          : getDrillInapplicableReason(fault.drill.corrupt, this.traits);
      if (fault.drill !== undefined && !isRunbookDrill(fault.drill) && notForThisStrategy !== undefined) {
        this.skippedDrills.push({ kind: fault.drill.corrupt, reason: notForThisStrategy });
        this.#plannedDone++;
        continue;
      }
      // An armed engine may reach its fault point during the wait: strike (observe the death) at once then.
      await (this.#armedFaultPoint === undefined
        ? sleep(fault.gapMs, phaseSignal)
        : Promise.race([sleep(fault.gapMs, phaseSignal), ctx.engine.waitExit()]));
      if (phaseSignal.aborted || ctx.signal.aborted) break;
      await this.#pending;
      if (!ctx.engine.isRunning() && this.#armedFaultPoint === undefined) await this.#recordUnexpectedExit(ctx, fault);
      try {
        await this.#executeFault(ctx, fault);
      } finally {
        this.#plannedDone++;
      }
    }
    await this.#pending;
    // An armed engine that died after the phase ended comes back unarmed (the run's final steps need it).
    if (this.#armedFaultPoint !== undefined || !ctx.engine.isRunning()) {
      this.#arm(ctx.engine, undefined);
      if (!ctx.engine.isRunning() && !ctx.signal.aborted) await this.#restartLive(ctx, undefined);
    }
  }

  /** Stops watching; waits for the last verification. */
  async finish(): Promise<void> {
    await this.#pending;
    this.#disk?.control.close();
    await this.#tracker?.stop();
    for (const dir of this.#scratchDirs) await rm(dir, { recursive: true, force: true });
    this.#scratchDirs = [];
  }

  // One scheduled fault: strike, then handle the death(s) it caused.
  async #executeFault(ctx: RunContext, fault: PlannedFault): Promise<void> {
    if (isRunbookDrill(fault.drill)) return this.#runbookDrill(ctx, fault, fault.drill);
    const tracker = this.#tracker as PersistenceTracker;
    tracker.beginRound();
    let drill: DrillPart | undefined;
    if (fault.drill !== undefined && "corrupt" in fault.drill && fault.drill.corrupt.startsWith("rdb-")) {
      // The backup recipe first, then more load, so the restore has something to lose.
      drill = { corruption: { skipped: "not applied yet" }, backup: await this.#takeBackup(ctx) };
      await sleep(fault.gapMs, ctx.signal);
    }
    const logBefore = ctx.engine.logTail();
    const struck: { crash: CrashReport; trigger: TriggerReport; disk?: DiskFaultPart } =
      fault.kind === "drill"
        ? {
            crash: await crashEngine(ctx, { signal: "SIGKILL", killTree: true }),
            trigger: { kind: "kill", hit: "n/a" },
          }
        : isDiskFault(fault) && this.#disk !== undefined
          ? await strikeDiskFault(ctx, {
              fault,
              control: this.#disk.control,
              config: this.config.disk,
              killTree: this.config.killTree,
              logSince: () => getLogSince(logBefore, ctx.engine.logTail()),
            })
          : await strike(ctx, {
              fault,
              traits: this.traits,
              tracker,
              engineKind: this.engineKind,
              widenWindows: this.config.widenWindows,
              eventWindowMs: this.config.eventWindowMs,
              killTree: this.config.killTree || this.#powerLoss !== undefined,
              armedFaultPoint: this.#armedFaultPoint,
            });
    const { crash, trigger, disk } = struck;
    const record = await this.#afterCrash(ctx, fault, crash, trigger, drill, disk);
    if (
      fault.kind === "during-loading" &&
      getInapplicableReason("during-loading", this.traits, this.engineKind, undefined) === undefined
    ) {
      const loading = await killDuringLoading(ctx, {
        fault,
        engineKind: this.engineKind,
        widenWindows: this.config.widenWindows,
        eventWindowMs: this.config.eventWindowMs,
        scenario: ctx.scenario,
        arm: () => this.#arm(ctx.engine, undefined),
        beginIncarnation: (us) => tracker.beginIncarnation(us),
      });
      if (loading.crash !== undefined) {
        record.trigger = {
          kind: "during-loading",
          hit: "n/a",
          note: "the kill before the restart that was killed while loading",
        };
        await this.#afterCrash(ctx, fault, loading.crash, loading.trigger, undefined);
      } else {
        record.trigger = loading.trigger;
      }
    }
    if (!ctx.engine.isRunning()) {
      const nextFault = this.schedule[fault.index + 1];
      await this.#restartLive(ctx, nextFault, this.records.at(-1));
    }
  }

  // A runbook drill (drills/runbook.ts): the user's scripts, then the live engine back on the restored data.
  async #runbookDrill(ctx: RunContext, fault: PlannedFault, drill: RunbookDrill): Promise<void> {
    try {
      const record = await runRunbookRound(ctx, {
        drill,
        index: this.runbooks.length,
        sinceUs: this.runbooks.at(-1)?.crashUs ?? 0,
        runId: this.run.id,
        traits: this.traits,
        tools: this.#tools as RepairTools,
        gapMs: fault.gapMs,
        sleep: (ms) => sleep(ms, ctx.signal),
      });
      this.runbooks.push(record);
    } finally {
      if (!ctx.engine.isRunning() && !ctx.signal.aborted) await this.#restartLive(ctx, this.schedule[fault.index + 1]);
    }
  }

  // The engine died although no fault was armed: a finding. It becomes a round of its own, then a restart.
  async #recordUnexpectedExit(ctx: RunContext, next: PlannedFault): Promise<void> {
    const exit = await ctx.engine.waitExit();
    ctx.addEvent("unexpected-exit", { ...exit });
    const crash: CrashReport = { signal: "SIGKILL", exit, children: [], crashUs: Math.round(ctx.nowMs() * 1000) };
    const trigger: TriggerReport = {
      kind: "kill",
      hit: "n/a",
      note: `the engine exited by itself (exit code ${String(exit.exitCode)}, signal ${String(exit.signal)}): not a fault of the nemesis`,
    };
    await this.#afterCrash(ctx, { ...next, kind: "kill" }, crash, trigger, undefined);
    await this.#restartLive(ctx, next, this.records.at(-1));
  }

  // BGSAVE + LASTSAVE backup for an RDB drill.
  async #takeBackup(ctx: RunContext): Promise<RdbBackup | { failed: string }> {
    if (ctx.engine.dataDir === undefined) return { failed: "no data directory" };
    const destination = join(
      ctx.outDir,
      "backups",
      this.run.id.replace(/[^a-z0-9._-]+/gi, "_"),
      `dump-${this.records.length}.rdb`,
    );
    try {
      const backup = await takeRdbBackup({
        endpoint: ctx.endpoint,
        dataDir: ctx.engine.dataDir,
        dbfilename: this.traits.dbfilename,
        destination,
        tracker: this.#tracker as PersistenceTracker,
        nowUs: () => Math.round(ctx.nowMs() * 1000),
      });
      if (typeof backup === "string") return { failed: backup };
      this.#backup = backup;
      ctx.addEvent("backup", { path: backup.path, lastSave: backup.lastSave });
      return backup;
    } catch (error) {
      return { failed: toError(error).message };
    }
  }

  // Everything after an engine death: power cut, drill damage, crash-state copy, background verification.
  async #afterCrash(
    ctx: RunContext,
    fault: PlannedFault,
    crash: CrashReport,
    trigger: TriggerReport,
    drill: DrillPart | undefined,
    disk?: DiskFaultPart,
  ): Promise<RoundRecord> {
    const tracker = this.#tracker as PersistenceTracker;
    const dataDir = ctx.engine.dataDir as string;
    const index = this.records.length;
    const cutPower = this.#powerLoss !== undefined && cutsPower(fault, this.config.powerLoss?.share ?? 1);
    // A failed fsync that dropped the unsynced tail lost data the way a power cut does, at that fsync.
    const dropped = disk !== undefined && disk.counters.bytesDropped > 0 && disk.firstFailedSyncUs !== null;
    const crashKind = cutPower || dropped ? "power-loss" : crash.signal === "SIGTERM" ? "term" : "kill";
    const record: RoundRecord = {
      index,
      fault,
      crashKind,
      crash,
      trigger,
      lastSaveUs: tracker.lastCompletedSaveStartUs(),
      writePostponed: tracker.writePostponed() || repliesBeforePostponedWrite(this.engineKind),
    };
    if (disk !== undefined) record.disk = disk;
    if (dropped && disk.firstFailedSyncUs !== null) record.lossPointUs = disk.firstFailedSyncUs;
    if (drill !== undefined) {
      record.drill = drill;
      if ("saveStartLowerUs" in (drill.backup ?? {})) record.lastSaveUs = (drill.backup as RdbBackup).saveStartLowerUs;
    }
    this.records.push(record);
    if (this.#powerLoss !== undefined && cutPower) {
      const plan = this.config.powerLoss;
      const report = await this.#powerLoss.cut({
        dataDir,
        seed: (fault.seed + index * 7919) >>> 0,
        tailMode: plan?.tailMode ?? "random",
        zeroFillProbability: plan?.zeroFillProbability ?? 0,
        namespaceModel: plan?.namespaceModel ?? "posix",
        ...(plan?.kernelWritebackMs === undefined ? {} : { kernelWritebackMs: plan.kernelWritebackMs }),
      });
      record.powerCut = {
        lostBytes: report.lostBytes,
        filesCut: report.files.filter((file) => file.keptBytes < file.writtenBytes).length,
        zeroFilled: report.files.filter((file) => file.zeroFilledBytes > 0).length,
        namesUndone: report.undone.length,
        warnings: report.warnings.slice(0, 5),
      };
      ctx.addEvent("power-cut", {
        lostBytes: report.lostBytes,
        filesCut: record.powerCut.filesCut,
        namesUndone: report.undone.length,
      });
    }
    if (fault.kind === "drill" && fault.drill !== undefined && "corrupt" in fault.drill) {
      const corruption = await corruptDataDir({
        dataDir,
        traits: this.traits,
        kind: fault.drill.corrupt,
        rng: createRng(fault.seed).fork("corrupt"),
        bytes: fault.drill.bytes,
      });
      record.drill = {
        ...record.drill,
        corruption: typeof corruption === "string" ? { skipped: corruption } : corruption,
      };
      ctx.addEvent("corrupt", typeof corruption === "string" ? { skipped: corruption } : { ...corruption });
    }
    const stateDir = await this.#saveCrashState(ctx, record);
    this.#startVerification(ctx, record, stateDir);
    return record;
  }

  // Copies the crash state: under the output folder (--keep-crash-states) or to a scratch folder.
  async #saveCrashState(ctx: RunContext, record: RoundRecord): Promise<string> {
    const dataDir = ctx.engine.dataDir as string;
    if (this.config.keepCrashStates) {
      const dir = getCrashStateDir(ctx.outDir, this.run.id, record.index, record.fault.kind);
      record.keptAt = dir;
      return keepCrashState({ dataDir, dir, description: describeRound(record) });
    }
    const scratch = await createTempDir("crash-state");
    this.#scratchDirs.push(scratch);
    await copyDataDir(dataDir, scratch);
    return scratch;
  }

  // Verifies a crash state on a scratch instance; at most one runs at a time (the next crash waits for it).
  #startVerification(ctx: RunContext, record: RoundRecord, stateDir: string): void {
    if (!this.config.verify) return;
    const previous = this.#pending;
    this.#pending = previous.then(async () => {
      try {
        record.verification = await verifyCrashState({
          engineFactory: ctx.engineFactory,
          config: ctx.engine.config,
          label: `${ctx.scenario.name}-verify`,
          crashStateDir: stateDir,
          traits: this.traits,
          tools: this.#tools as RepairTools,
          repair: this.config.repair,
          backup: this.#backup?.path,
          timeoutMs: RESTART_TIMEOUT_MS,
        });
      } catch (error) {
        record.verification = {
          start: {
            restart: "failed",
            truncatedTail: false,
            refusal: toError(error).message.slice(0, 500),
            repairs: [],
            readyMs: undefined,
            recoveryMs: 0,
            running: false,
          },
          readBack: undefined,
          readMs: 0,
        };
      }
      if (record.keptAt !== undefined)
        await writeRoundDescription(record.keptAt, describeRound(record)).catch(() => undefined);
      else {
        await rm(stateDir, { recursive: true, force: true });
        this.#scratchDirs = this.#scratchDirs.filter((dir) => dir !== stateDir);
      }
    });
  }

  // Restarts the live engine (armed for the next fault), repairing its data when it refuses.
  async #restartLive(ctx: RunContext, next: PlannedFault | undefined, record?: RoundRecord): Promise<StartOutcome> {
    const tracker = this.#tracker as PersistenceTracker;
    const before = ctx.engine.logTail();
    this.#arm(ctx.engine, next);
    tracker.beginIncarnation(Math.round(ctx.nowMs() * 1000));
    // An armed point reached during start-up (e.g. a manifest written while loading) would stop every retry: start unarmed then.
    const start = async (): Promise<{ readyMs: number }> => {
      try {
        return await ctx.startEngine({ timeoutMs: RESTART_TIMEOUT_MS });
      } catch (error) {
        if (this.#armedFaultPoint === undefined || !/fault point \S+ reached/.test(toError(error).message)) throw error;
        ctx.addEvent("fault-point-at-start", { point: this.#armedFaultPoint });
        this.#arm(ctx.engine, undefined);
        return ctx.startEngine({ timeoutMs: RESTART_TIMEOUT_MS });
      }
    };
    const outcome = await startWithRepair({
      start,
      logTail: () => getLogSince(before, ctx.engine.logTail()),
      dataDir: ctx.engine.dataDir as string,
      traits: this.traits,
      tools: this.#tools as RepairTools,
      repair: this.config.repair,
      backup: this.#backup?.path,
      wipeAsLastResort: true,
    });
    if (record !== undefined) {
      record.live = outcome;
      record.downtimeMs = Math.round(ctx.nowMs() - record.crash.crashUs / 1000);
    }
    if (outcome.restart !== "ok")
      ctx.addEvent("repair", {
        restart: outcome.restart,
        actions: outcome.repairs.map((step) => step.action),
        refusal: outcome.refusal?.split("\n")[0],
      });
    return outcome;
  }
}

/**
 * Whether a fault cuts the power when only a `share` of them do: spread evenly over the schedule (share 0.5:
 * every second fault), so a short schedule still gets its share of each kind.
 */
export function cutsPower(fault: PlannedFault, share: number): boolean {
  if (share >= 1) return true;
  if (share <= 0) return false;
  return Math.floor((fault.index + 1) * share) > Math.floor(fault.index * share);
}

/** A JSON-friendly description of a round (round.json of a kept crash state). */
export function describeRound(record: RoundRecord): Record<string, unknown> {
  const verification =
    record.verification === undefined
      ? undefined
      : {
          start: record.verification.start,
          keysReadBack: record.verification.readBack?.size,
          readError: record.verification.readError,
        };
  return {
    index: record.index,
    fault: record.fault,
    crashKind: record.crashKind,
    crash: record.crash,
    trigger: record.trigger,
    lastSaveUs: record.lastSaveUs,
    writePostponed: record.writePostponed,
    powerCut: record.powerCut,
    drill: record.drill,
    live: record.live,
    verification,
  };
}
