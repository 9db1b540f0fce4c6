// The scenario's `nemesis` key: which faults to inject, how many, how often, under power loss or not, and
// which disaster drills to run. Validated strictly (zod) like the rest of the scenario; resolved to ms once.
import { accessSync, constants, existsSync } from "node:fs";
import { isAbsolute, resolve as resolvePath } from "node:path";
import { z } from "zod";
import { durationSchema, positiveInt, strictObject } from "../scenario/strict.ts";
import { parseDurationMs } from "../shared/duration.ts";

/**
 * Fault kinds. kill: SIGKILL at a random time; term: SIGTERM (graceful); during-bgsave / during-rewrite: SIGKILL
 * while a BGSAVE / AOF rewrite runs (started by the nemesis); after-save: right after a save point fired;
 * during-loading: SIGKILL, then SIGKILL again while the restarted engine loads; fault-point: the bundled
 * engine kills itself at a named point (PERSISTLAB_FAULT_POINT). The disk kinds (disk-full, write-eio,
 * fsync-eio, slow-fsync, read-only) make the data directory's disk fail for a while through the LD_PRELOAD
 * shim (nemesis/disk-fault.ts; options under `disk`), then end with a kill once the disk healed.
 */
export const FAULT_KINDS = [
  "kill",
  "term",
  "during-bgsave",
  "during-rewrite",
  "after-save",
  "during-loading",
  "fault-point",
  "disk-full",
  "write-eio",
  "fsync-eio",
  "slow-fsync",
  "read-only",
] as const;
/** One fault kind. */
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Ways to damage persistence files in a disaster drill. */
export const CORRUPTION_KINDS = ["aof-torn-tail", "aof-flip-bytes", "rdb-flip-bytes", "rdb-truncate"] as const;
/** One corruption kind. */
export type CorruptionKind = (typeof CORRUPTION_KINDS)[number];

const powerLossObject = strictObject({
  tailMode: z.enum(["random", "synced-only", "all-written"]).default("random"),
  zeroFillProbability: z.number().min(0).max(1, { error: "Expected `zeroFillProbability` between 0 and 1" }).default(0),
  namespaceModel: z.enum(["posix", "ext4"]).default("posix"),
  kernelWriteback: z.union([durationSchema, z.null()]).default(null),
  /** Fraction of the faults that cut the power (spread evenly over the schedule); the others are plain kills. */
  share: z
    .number()
    .min(0)
    .max(1, { error: "Expected `share` (fraction of faults that cut the power) between 0 and 1" })
    .default(1),
});

const diskObject = strictObject({
  /** How long each disk fault lasts (seeded between min and max). */
  duration: strictObject({ min: durationSchema.default("2s"), max: durationSchema.default("4s") }).prefault({}),
  /** fsync-eio: cut off what was written since the last good sync, as Linux drops dirty pages after a writeback error. */
  dropUnsynced: z.boolean().default(true),
  /** slow-fsync: each fsync waits a seeded delay in [min, max]. */
  fsyncDelay: strictObject({ min: durationSchema.default("50ms"), max: durationSchema.default("500ms") }).prefault({}),
  /** After the disk heals: how long the engine has to recover by itself before the round's kill. */
  settle: durationSchema.default("3s"),
});

const corruptDrillSchema = strictObject({
  corrupt: z.enum(CORRUPTION_KINDS, { error: `Expected \`corrupt\` to be one of ${CORRUPTION_KINDS.join(", ")}` }),
  /** Bytes flipped (flip kinds). */
  bytes: positiveInt("`bytes`").max(4096).default(16),
});

/** A runbook drill: the user's own backup (and restore) scripts, run against the live engine (drills/runbook.ts). */
const runbookDrillSchema = strictObject({
  /** Backup script (path relative to the scenario file); leaves dump.rdb in $BACKUP_DIR. */
  backup: z
    .string()
    .min(1, { error: 'Expected `backup` to be the path of an executable script, e.g. "./runbooks/backup.sh"' }),
  /** Restore script, run with the engine stopped; omitted: only the backup is judged. */
  restore: z.string().min(1).optional(),
  /** Time limit of each script. */
  timeout: durationSchema.default("30s"),
});

const drillSchema = z.union([corruptDrillSchema, runbookDrillSchema], {
  error:
    'Expected a drill: {"corrupt": kind} or {"backup": "./backup.sh", "restore"?: "./restore.sh", "timeout"?: "30s"}',
});

const nemesisFields = strictObject({
  phase: z.string().min(1).optional(),
  kills: z.number().int().min(0, { error: "Expected `kills` (fault rounds per run) >= 0" }).max(10_000).default(10),
  quickKills: z.number().int().min(0).max(10_000).optional(),
  interval: strictObject({ min: durationSchema.default("500ms"), max: durationSchema.default("2s") }).prefault({}),
  /** random: each fault's kind drawn by weight; cycle: the kinds with weight > 0 in turn (every kind, evenly). */
  order: z.enum(["random", "cycle"], { error: "Expected `order` to be random or cycle" }).default("random"),
  faults: z
    .partialRecord(
      z.enum(FAULT_KINDS, { error: `Expected a fault kind: ${FAULT_KINDS.join(" ")}` }),
      z.number().min(0, { error: "Expected a weight >= 0" }),
    )
    .default({ kill: 1 }),
  faultPoints: z
    .array(
      z.string().regex(/^[a-z0-9-]+:[a-z0-9-]+$/, { error: "Expected a fault point name such as `rdb:before-rename`" }),
    )
    .default([]),
  powerLoss: z.union([z.boolean(), powerLossObject]).default(false),
  widenWindows: z.boolean().default(true),
  eventWindow: durationSchema.default("1s"),
  killTree: z.boolean().default(true),
  repair: z.enum(["auto", "never"]).default("auto"),
  verify: z.boolean().default(true),
  keepCrashStates: z.boolean().default(false),
  endPhaseWhenDone: z.boolean().default(true),
  drills: z.array(drillSchema).default([]),
  disk: diskObject.prefault({}),
});

/** The `nemesis` scenario key as written, with the checks that involve several fields. */
export const nemesisSchema = nemesisFields.superRefine((value, context) => {
  if (parseDurationMs(value.interval.max) < parseDurationMs(value.interval.min)) {
    context.addIssue({
      code: "custom",
      path: ["interval", "max"],
      message: `Expected \`max\` (${value.interval.max}) >= \`min\` (${value.interval.min}). Fix: raise max or lower min`,
      input: value.interval.max,
    });
  }
  const weights = Object.values(value.faults);
  if (value.kills > 0 && !weights.some((weight) => weight !== undefined && weight > 0)) {
    context.addIssue({
      code: "custom",
      path: ["faults"],
      message: 'Expected at least one fault kind with a weight > 0. Fix: e.g. {"kill": 1}',
      input: value.faults,
    });
  }
  for (const [name, range] of [
    ["duration", value.disk.duration],
    ["fsyncDelay", value.disk.fsyncDelay],
  ] as const) {
    if (parseDurationMs(range.max) < parseDurationMs(range.min)) {
      context.addIssue({
        code: "custom",
        path: ["disk", name, "max"],
        message: `Expected \`max\` (${range.max}) >= \`min\` (${range.min}). Fix: raise max or lower min`,
        input: range.max,
      });
    }
  }
  if ((value.faults["fault-point"] ?? 0) > 0 && value.faultPoints.length === 0) {
    context.addIssue({
      code: "custom",
      path: ["faultPoints"],
      message:
        'Expected at least one point name for the `fault-point` fault. Fix: list names from docs/fault-points.md, e.g. ["rdb:before-rename"]',
      input: value.faultPoints,
    });
  }
});

/** The parsed `nemesis` value (defaults applied, durations as strings). */
export type ParsedNemesis = z.output<typeof nemesisSchema>;

/** Power-loss options after resolution. */
export interface ResolvedPowerLoss {
  tailMode: "random" | "synced-only" | "all-written";
  zeroFillProbability: number;
  namespaceModel: "posix" | "ext4";
  kernelWritebackMs: number | undefined;
  /** Fraction of the faults that cut the power; the rest are plain kills (1: every fault). */
  share: number;
}

/** Disk-fault options after resolution (ms). */
export interface ResolvedDiskFaults {
  durationMs: { min: number; max: number };
  dropUnsynced: boolean;
  fsyncDelayMs: { min: number; max: number };
  settleMs: number;
}

/** A drill that damages the engine's files. */
export interface CorruptDrill {
  corrupt: CorruptionKind;
  bytes: number;
}

/** A drill that runs the user's backup (and restore) scripts; paths absolute. */
export interface RunbookDrill {
  backup: string;
  restore: string | undefined;
  timeoutMs: number;
}

/** One disaster drill. */
export type ResolvedDrill = CorruptDrill | RunbookDrill;

/** Whether a drill runs scripts. */
export function isRunbookDrill(drill: ResolvedDrill | undefined): drill is RunbookDrill {
  return drill !== undefined && "backup" in drill;
}

/** The nemesis configuration the plugin runs with. */
export interface ResolvedNemesis {
  phase: string | undefined;
  kills: number;
  intervalMs: { min: number; max: number };
  order: "random" | "cycle";
  /** Fault kinds with weight > 0, in FAULT_KINDS order. */
  faults: ReadonlyArray<{ kind: FaultKind; weight: number }>;
  faultPoints: readonly string[];
  powerLoss: ResolvedPowerLoss | undefined;
  widenWindows: boolean;
  eventWindowMs: number;
  killTree: boolean;
  repair: "auto" | "never";
  verify: boolean;
  keepCrashStates: boolean;
  /** End the chaos phase once the schedule is done (its duration is then an upper bound). */
  endPhaseWhenDone: boolean;
  drills: readonly ResolvedDrill[];
  disk: ResolvedDiskFaults;
}

// Makes a drill's script path absolute (against the scenario's folder) and checks it can run.
function resolveScript(path: string, baseDir: string, field: string): string {
  const absolute = isAbsolute(path) ? path : resolvePath(baseDir, path);
  if (!existsSync(absolute))
    throw new Error(
      `nemesis.drills: the ${field} script ${JSON.stringify(path)} does not exist (looked for ${absolute}). Fix: give a path relative to the scenario file`,
    );
  try {
    accessSync(absolute, constants.X_OK);
  } catch {
    throw new Error(`nemesis.drills: the ${field} script ${absolute} is not executable. Fix: chmod +x ${absolute}`);
  }
  return absolute;
}

/** Resolves the validated key (quick: use the --quick kill count; baseDir: the scenario file's folder). */
export function resolveNemesis(parsed: ParsedNemesis, quick = false, baseDir = process.cwd()): ResolvedNemesis {
  const min = parseDurationMs(parsed.interval.min);
  const max = parseDurationMs(parsed.interval.max);
  const faults = FAULT_KINDS.flatMap((kind) => {
    const weight = parsed.faults[kind] ?? 0;
    return weight > 0 ? [{ kind, weight }] : [];
  });
  const powerLoss =
    parsed.powerLoss === false ? undefined : parsed.powerLoss === true ? powerLossObject.parse({}) : parsed.powerLoss;
  const kills = quick
    ? (parsed.quickKills ?? Math.min(parsed.kills, Math.max(3, Math.ceil(parsed.kills / 10))))
    : parsed.kills;
  return {
    phase: parsed.phase,
    kills,
    intervalMs: { min, max },
    order: parsed.order,
    faults,
    faultPoints: parsed.faultPoints,
    powerLoss:
      powerLoss === undefined
        ? undefined
        : {
            tailMode: powerLoss.tailMode,
            zeroFillProbability: powerLoss.zeroFillProbability,
            namespaceModel: powerLoss.namespaceModel,
            kernelWritebackMs:
              powerLoss.kernelWriteback === null ? undefined : parseDurationMs(powerLoss.kernelWriteback),
            share: powerLoss.share,
          },
    widenWindows: parsed.widenWindows,
    eventWindowMs: parseDurationMs(parsed.eventWindow),
    killTree: parsed.killTree,
    repair: parsed.repair,
    verify: parsed.verify,
    keepCrashStates: parsed.keepCrashStates,
    endPhaseWhenDone: parsed.endPhaseWhenDone,
    drills: parsed.drills.map(
      (drill): ResolvedDrill =>
        "corrupt" in drill
          ? drill
          : {
              backup: resolveScript(drill.backup, baseDir, "backup"),
              restore: drill.restore === undefined ? undefined : resolveScript(drill.restore, baseDir, "restore"),
              timeoutMs: parseDurationMs(drill.timeout),
            },
    ),
    disk: {
      durationMs: { min: parseDurationMs(parsed.disk.duration.min), max: parseDurationMs(parsed.disk.duration.max) },
      dropUnsynced: parsed.disk.dropUnsynced,
      fsyncDelayMs: {
        min: parseDurationMs(parsed.disk.fsyncDelay.min),
        max: parseDurationMs(parsed.disk.fsyncDelay.max),
      },
      settleMs: parseDurationMs(parsed.disk.settle),
    },
  };
}
