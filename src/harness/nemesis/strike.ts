// The lead-up and the blow of one fault: a plain kill, SIGTERM, or a kill timed on an event (a BGSAVE or AOF
// rewrite in progress, a save point just fired, a fault point reached). On engines that have Redis's debug
// knobs, `rdb-key-save-delay` widens a BGSAVE/rewrite to about the event window so the kill lands inside it.
// A fault that cannot apply (no AOF to rewrite, no save points, no fault points) falls back to a plain kill
// and says why.
import { sendCommands } from "../engines/raw-client.ts";
import type { RunContext } from "../run/plugin.ts";
import type { FaultKind } from "./config.ts";
import { awaitSelfCrash, crashEngine, type CrashReport } from "./crash-engine.ts";
import type { PersistenceTracker } from "./persistence-tracker.ts";
import type { PlannedFault } from "./schedule.ts";
import type { StrategyTraits } from "./strategy-traits.ts";

/** How the fault's trigger went. */
export interface TriggerReport {
  kind: FaultKind;
  /** The kill landed inside the event (true), missed it (false), or there was no event to hit ("n/a": a plain kill, or a fault that fell back to one). */
  hit: boolean | "n/a";
  /** Why the fault fell back to a plain kill, or what was missed. */
  note?: string;
  /** rdb-key-save-delay set to widen the window (µs per key), when it was. */
  widenedUs?: number;
  faultPoint?: string;
}

/** What strike() needs besides the context. */
export interface StrikeOptions {
  fault: PlannedFault;
  traits: StrategyTraits;
  tracker: PersistenceTracker;
  engineKind: string;
  widenWindows: boolean;
  eventWindowMs: number;
  killTree: boolean;
  /** The fault point the running incarnation was started with (bundled engine), if any. */
  armedFaultPoint: string | undefined;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const NO_WIDEN_WINDOW_MS = 5;
const DISK_KINDS: ReadonlySet<FaultKind> = new Set(["disk-full", "write-eio", "fsync-eio", "slow-fsync", "read-only"]);

// One command on a fresh connection; the reply, or the error as a value.
async function command(ctx: RunContext, args: string[]): Promise<unknown> {
  try {
    const [reply] = await sendCommands(ctx.endpoint, [args], 5000);
    return reply;
  } catch (error) {
    return error;
  }
}

// Sets rdb-key-save-delay so that saving the current data set takes about windowMs; the µs per key, or undefined.
async function widenSaveWindow(ctx: RunContext, windowMs: number): Promise<number | undefined> {
  const size = await command(ctx, ["DBSIZE"]);
  const keys = typeof size === "number" && size > 0 ? size : 1;
  const delayUs = Math.max(1, Math.min(100_000, Math.ceil((windowMs * 1000) / keys)));
  const reply = await command(ctx, ["CONFIG", "SET", "rdb-key-save-delay", String(delayUs)]);
  return reply === "OK" ? delayUs : undefined;
}

// Starts BGSAVE/BGREWRITEAOF, waits until INFO shows it running, strikes inside the window.
async function strikeDuringBackgroundJob(
  ctx: RunContext,
  options: StrikeOptions,
  job: "bgsave" | "rewrite",
): Promise<{ crash: CrashReport; trigger: TriggerReport }> {
  const kind: FaultKind = job === "bgsave" ? "during-bgsave" : "during-rewrite";
  const widenedUs = options.widenWindows ? await widenSaveWindow(ctx, options.eventWindowMs) : undefined;
  const windowMs = widenedUs === undefined ? NO_WIDEN_WINDOW_MS : options.eventWindowMs;
  const reply = await command(ctx, [job === "bgsave" ? "BGSAVE" : "BGREWRITEAOF"]);
  const refused =
    reply instanceof Error && !/in progress|already|scheduled/i.test(reply.message) ? reply.message : undefined;
  const running = await options.tracker.waitFor(
    (snapshot) => (job === "bgsave" ? snapshot.bgsave : snapshot.rewrite),
    Math.max(200, windowMs),
  );
  await sleep(options.fault.strikeFraction * windowMs * 0.8);
  const check = await options.tracker.poll();
  const hit = check !== undefined && (job === "bgsave" ? check.bgsave : check.rewrite);
  const crash = await crashEngine(ctx, { signal: "SIGKILL", killTree: options.killTree });
  const trigger: TriggerReport = { kind, hit };
  if (widenedUs !== undefined) trigger.widenedUs = widenedUs;
  if (refused !== undefined) trigger.note = `${job === "bgsave" ? "BGSAVE" : "BGREWRITEAOF"} refused: ${refused}`;
  else if (!hit)
    trigger.note =
      running === undefined
        ? "the job was never seen running (too short to observe)"
        : "the job finished before the kill";
  return { crash, trigger };
}

// A kill right after a save point fires (waits up to 5 event windows for one).
async function strikeAfterSave(
  ctx: RunContext,
  options: StrikeOptions,
): Promise<{ crash: CrashReport; trigger: TriggerReport }> {
  const before = options.tracker.completedSaves();
  const seen = await options.tracker.waitFor(
    () => options.tracker.completedSaves() > before,
    options.eventWindowMs * 5,
  );
  const crash = await crashEngine(ctx, { signal: "SIGKILL", killTree: options.killTree });
  const trigger: TriggerReport = { kind: "after-save", hit: seen !== undefined };
  if (seen === undefined) trigger.note = `no save point fired within ${options.eventWindowMs * 5} ms`;
  return { crash, trigger };
}

// The engine kills itself at its armed fault point; the nemesis only provokes the code path.
async function strikeAtFaultPoint(
  ctx: RunContext,
  options: StrikeOptions,
): Promise<{ crash: CrashReport; trigger: TriggerReport }> {
  const point = options.armedFaultPoint ?? "";
  if (point.startsWith("rdb:")) await command(ctx, ["BGSAVE"]);
  else if (point.startsWith("aof-rewrite:") || point.startsWith("aof-manifest:")) await command(ctx, ["BGREWRITEAOF"]);
  const self = await awaitSelfCrash(ctx, options.eventWindowMs + 5000);
  if (self !== undefined) return { crash: self, trigger: { kind: "fault-point", hit: true, faultPoint: point } };
  const crash = await crashEngine(ctx, { signal: "SIGKILL", killTree: options.killTree });
  return {
    crash,
    trigger: {
      kind: "fault-point",
      hit: false,
      faultPoint: point,
      note: `the engine did not reach ${point} within ${options.eventWindowMs + 5000} ms`,
    },
  };
}

/** Why a fault kind cannot apply to this engine and strategy, or undefined when it can. */
export function getInapplicableReason(
  kind: FaultKind,
  traits: StrategyTraits,
  engineKind: string,
  armedFaultPoint: string | undefined,
): string | undefined {
  // strike() sees a disk kind only when the run could not set up the shim's fault control.
  if (DISK_KINDS.has(kind)) return "disk faults need the LD_PRELOAD shim (Linux, gcc) on an engine persistlab starts";
  if (kind === "during-bgsave" && !traits.aof && !traits.savePoints)
    return "no persistence: a BGSAVE would add a snapshot the strategy does not take";
  if (kind === "during-rewrite" && !traits.aof) return "no AOF to rewrite (appendonly no)";
  if (kind === "during-loading" && !traits.aof && !traits.savePoints)
    return "no persistence: a restart has nothing to load";
  if (kind === "after-save" && !traits.savePoints) return 'no save points (save "")';
  if (kind === "fault-point" && engineKind !== "bundled") return "fault points exist only in the bundled engine";
  if (kind === "fault-point" && armedFaultPoint === undefined)
    return "the running engine was not started with a fault point";
  return undefined;
}

/** Runs the fault's lead-up and takes the engine down. during-loading is handled by the round (two kills). */
export async function strike(
  ctx: RunContext,
  options: StrikeOptions,
): Promise<{ crash: CrashReport; trigger: TriggerReport }> {
  const kind = options.fault.kind === "drill" ? "kill" : options.fault.kind;
  const inapplicable = getInapplicableReason(kind, options.traits, options.engineKind, options.armedFaultPoint);
  if (inapplicable !== undefined) {
    const crash = await crashEngine(ctx, { signal: "SIGKILL", killTree: options.killTree });
    return { crash, trigger: { kind, hit: "n/a", note: `fell back to a plain kill: ${inapplicable}` } };
  }
  switch (kind) {
    case "during-bgsave":
      return strikeDuringBackgroundJob(ctx, options, "bgsave");
    case "during-rewrite":
      return strikeDuringBackgroundJob(ctx, options, "rewrite");
    case "after-save":
      return strikeAfterSave(ctx, options);
    case "fault-point":
      return strikeAtFaultPoint(ctx, options);
    case "term":
      return { crash: await crashEngine(ctx, { signal: "SIGTERM", killTree: false }), trigger: { kind, hit: "n/a" } };
    default:
      return {
        crash: await crashEngine(ctx, { signal: "SIGKILL", killTree: options.killTree }),
        trigger: { kind, hit: "n/a" },
      };
  }
}
