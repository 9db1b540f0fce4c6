// A disk-fault round: for a seeded time the shim makes the data directory's disk full, failing (EIO on
// write or fsync), slow or read-only while the load goes on; then the disk heals, the engine gets `settle`
// to recover by itself, and the round ends with a SIGKILL so that the restart shows what the disk kept.
// An engine that exits during the fault (Redis under appendfsync always) ends the round itself.
import type { RunContext } from "../run/plugin.ts";
import { createRng } from "../shared/rng.ts";
import type {
  DiskFaultControl,
  DiskFaultCounters,
  DiskFaultKind,
  DiskFaultSetting,
} from "../shim/disk-fault-control.ts";
import type { ResolvedDiskFaults } from "./config.ts";
import { crashEngine, type CrashReport } from "./crash-engine.ts";
import type { PlannedFault } from "./schedule.ts";
import type { TriggerReport } from "./strike.ts";

/** What one disk-fault round did and saw (results.json: durability.rounds[].disk). */
export interface DiskFaultPart {
  kind: DiskFaultKind;
  setting: DiskFaultSetting;
  /** Fault put in force / lifted (µs, the history's clock). */
  startUs: number;
  healUs: number;
  /** The engine exited by itself during the fault (or the settle time after it): when and how. */
  exited: { atUs: number; exitCode: number | null; signal: string | null } | null;
  /** The first fsync the shim failed (fsync-eio): where a dropped tail's writes were lost (µs). */
  firstFailedSyncUs: number | null;
  /** What the shim injected, summed over the engine and its children. */
  counters: DiskFaultCounters;
  /** The engine's log lines about the fault (at most 6). */
  log: string[];
}

/** What strikeDiskFault needs besides the context. */
export interface DiskStrikeOptions {
  fault: PlannedFault & { kind: DiskFaultKind };
  control: DiskFaultControl;
  config: ResolvedDiskFaults;
  killTree: boolean;
  /** The engine's log written since the round began. */
  logSince: () => string;
}

const POLL_MS = 50;
const LOG_LINE =
  /error|MISCONF|fsync|Exiting|can't|unable|No space|Input\/output|Read-only|solved|Background saving|bgsave/i;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const DISK_FAULT_NAMES: ReadonlySet<string> = new Set([
  "disk-full",
  "write-eio",
  "fsync-eio",
  "slow-fsync",
  "read-only",
]);

/** Whether a planned fault is a disk fault. */
export function isDiskFault(fault: PlannedFault): fault is PlannedFault & { kind: DiskFaultKind } {
  return DISK_FAULT_NAMES.has(fault.kind);
}

/** The shim setting and the fault's length, drawn from the fault's own seed. */
export function planDiskFault(
  fault: PlannedFault & { kind: DiskFaultKind },
  config: ResolvedDiskFaults,
): { setting: DiskFaultSetting; durationMs: number } {
  const rng = createRng(fault.seed).fork("disk-fault");
  const durationMs = Math.round(config.durationMs.min + rng.next() * (config.durationMs.max - config.durationMs.min));
  const setting: DiskFaultSetting =
    fault.kind === "fsync-eio"
      ? { kind: "fsync-eio", dropUnsynced: config.dropUnsynced }
      : fault.kind === "slow-fsync"
        ? {
            kind: "slow-fsync",
            delayMs: { min: config.fsyncDelayMs.min, max: config.fsyncDelayMs.max },
            seed: fault.seed,
          }
        : { kind: fault.kind };
  return { setting, durationMs };
}

/** Puts the fault in force, lifts it, lets the engine settle, then kills it (unless it already exited). */
export async function strikeDiskFault(
  ctx: RunContext,
  options: DiskStrikeOptions,
): Promise<{ crash: CrashReport; trigger: TriggerReport; disk: DiskFaultPart }> {
  const { setting, durationMs } = planDiskFault(options.fault, options.config);
  const nowUs = (): number => Math.round(ctx.nowMs() * 1000);
  const before = options.control.counters();
  const startUs = nowUs();
  options.control.set(setting);
  ctx.addEvent("disk-fault", { kind: setting.kind, durationMs });
  let firstFailedSyncUs: number | null = null;
  let exited: DiskFaultPart["exited"] = null;
  const watch = async (untilUs: number): Promise<void> => {
    while (nowUs() < untilUs && exited === null) {
      await sleep(POLL_MS);
      if (firstFailedSyncUs === null && options.control.counters().syncsFailed > before.syncsFailed)
        firstFailedSyncUs = nowUs();
      if (!ctx.engine.isRunning()) {
        const exit = await ctx.engine.waitExit();
        exited = { atUs: nowUs(), exitCode: exit.exitCode ?? null, signal: exit.signal ?? null };
      }
    }
  };
  try {
    await watch(startUs + durationMs * 1000);
  } finally {
    options.control.set(null);
  }
  const healUs = nowUs();
  ctx.addEvent("disk-healed", { kind: setting.kind });
  await watch(healUs + options.config.settleMs * 1000);
  const crash: CrashReport =
    exited === null
      ? await crashEngine(ctx, { signal: "SIGKILL", killTree: options.killTree })
      : {
          signal: "SIGKILL",
          exit: await ctx.engine.waitExit(),
          children: [],
          crashUs: (exited as { atUs: number }).atUs,
        };
  if (exited !== null) ctx.addEvent("exit", { cause: `disk fault ${setting.kind}` });
  const after = options.control.counters();
  const counters: DiskFaultCounters = {
    writesFailed: after.writesFailed - before.writesFailed,
    syncsFailed: after.syncsFailed - before.syncsFailed,
    namesFailed: after.namesFailed - before.namesFailed,
    syncsDelayed: after.syncsDelayed - before.syncsDelayed,
    bytesDropped: after.bytesDropped - before.bytesDropped,
    delayTotalMs: after.delayTotalMs - before.delayTotalMs,
  };
  const log = options
    .logSince()
    .split("\n")
    .filter((line) => LOG_LINE.test(line))
    .map((line) => line.replace(/^\d+:[A-Z] [^#*.-]*[#*.-] /, "").trim());
  const disk: DiskFaultPart = {
    kind: setting.kind,
    setting,
    startUs,
    healUs,
    exited,
    firstFailedSyncUs,
    counters,
    log: [...new Set(log)].slice(0, 6),
  };
  const trigger: TriggerReport = {
    kind: options.fault.kind,
    hit: true,
    note:
      exited === null
        ? `disk ${setting.kind} for ${durationMs} ms, then a kill after ${options.config.settleMs} ms`
        : `the engine exited during disk ${setting.kind}`,
  };
  return { crash, trigger, disk };
}
