// What a strategy's redis.conf directives mean for faults and the durability checker: the persistence policy
// (AOF governs when both are on, as Redis loads the AOF), whether save points exist, whether AOF is on.
import type { PersistencePolicy } from "../checker/policy-expectations.ts";

/** Traits of a strategy relevant to faults. */
export interface StrategyTraits {
  policy: PersistencePolicy;
  aof: boolean;
  /** At least one `save <seconds> <changes>` point. */
  savePoints: boolean;
  /** aof-load-truncated (default yes): a torn AOF tail is cut at load instead of refusing to start. */
  aofLoadTruncated: boolean;
  dbfilename: string;
  appenddirname: string;
}

const FSYNC_POLICIES = new Set(["always", "everysec", "no"]);

/**
 * Whether an engine may acknowledge a write that `appendfsync everysec` has postponed behind a running
 * background fsync, before writing it. Redis 7.0 does (flushAppendOnlyFile returns without writing for up to
 * 2 s and beforeSleep sends the replies anyway), so a SIGKILL can lose up to 2 s of acknowledged writes, and
 * aof_delayed_fsync only counts the postponements that reached the 2 s limit. The bundled engine holds those
 * replies until the write is done (docs/engine.md).
 */
export function repliesBeforePostponedWrite(engineKind: string): boolean {
  return engineKind !== "bundled";
}

/** Derives the traits from the directives an engine runs with (missing directives take Redis 7.0 defaults). */
export function getStrategyTraits(config: Readonly<Record<string, string>>): StrategyTraits {
  const aof = (config["appendonly"] ?? "no").toLowerCase() === "yes";
  const save = (config["save"] ?? "")
    .trim()
    .replace(/^"(.*)"$/, "$1")
    .trim();
  const savePoints = save !== "" && /\d/.test(save);
  const fsync = (config["appendfsync"] ?? "everysec").toLowerCase();
  const appendfsync = (FSYNC_POLICIES.has(fsync) ? fsync : "everysec") as "always" | "everysec" | "no";
  const policy: PersistencePolicy = aof
    ? { persistence: "aof", appendfsync }
    : savePoints
      ? { persistence: "rdb" }
      : { persistence: "none" };
  return {
    policy,
    aof,
    savePoints,
    aofLoadTruncated: (config["aof-load-truncated"] ?? "yes").toLowerCase() !== "no",
    dbfilename: config["dbfilename"] ?? "dump.rdb",
    appenddirname: config["appenddirname"] ?? "appendonlydir",
  };
}
