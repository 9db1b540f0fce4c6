// What each persistence configuration promises about acknowledged writes after a crash, as data:
// per policy and crash kind, how far back acknowledged writes may vanish. Sources: Redis 7.0 docs
// (persistence page) and aof.c (everysec postpones a write for up to 2 s while a background fsync runs).

/** The persistence configuration under test (AOF governs when both AOF and RDB are on, as Redis loads the AOF). */
export type PersistencePolicy =
  | { persistence: "none" }
  | { persistence: "rdb" }
  | { persistence: "aof"; appendfsync: "always" | "everysec" | "no" };

/**
 * How the engine went down: SIGKILL (page cache survives), SIGTERM (graceful shutdown: Redis flushes and
 * fsyncs the AOF and, with save points, saves an RDB before exiting), or a simulated power cut (unsynced bytes lost).
 */
export type CrashKind = "kill" | "term" | "power-loss";

/**
 * Allowed loss: "none" (no acknowledged write may vanish), "window" (writes acknowledged within windowMs
 * before the crash may vanish), "since-last-save" (writes acknowledged after the last completed snapshot
 * began), "any".
 */
export type AllowedLoss =
  | { kind: "none" }
  | { kind: "window"; windowMs: number }
  | { kind: "since-last-save" }
  | { kind: "any" };

/** One row of the expectation table. */
export interface PolicyExpectation {
  kill: AllowedLoss;
  /** After a graceful shutdown (SIGTERM). */
  term: AllowedLoss;
  powerLoss: AllowedLoss;
  /** Window allowed under kill when an acknowledged write may have been postponed (CrashRound.writePostponed). */
  postponedWriteWindowMs?: number;
  note: string;
}

/** everysec: the background fsync runs about once per second and a write may be postponed up to 2 s. */
export const EVERYSEC_WINDOW_MS = 2000;

/** Expectation table keyed by policyKey(). */
export const POLICY_EXPECTATIONS: Readonly<Record<string, PolicyExpectation>> = {
  none: {
    kill: { kind: "any" },
    term: { kind: "any" },
    powerLoss: { kind: "any" },
    note: "no persistence: a restart starts empty",
  },
  rdb: {
    kill: { kind: "since-last-save" },
    term: { kind: "none" },
    powerLoss: { kind: "since-last-save" },
    note: "snapshots only: everything after the last completed save may be lost (a graceful shutdown saves first)",
  },
  "aof-always": {
    kill: { kind: "none" },
    term: { kind: "none" },
    powerLoss: { kind: "none" },
    note: "write + fsync before the reply",
  },
  "aof-everysec": {
    kill: { kind: "none" },
    term: { kind: "none" },
    powerLoss: { kind: "window", windowMs: EVERYSEC_WINDOW_MS },
    postponedWriteWindowMs: EVERYSEC_WINDOW_MS,
    note: "written before the reply, fsynced about once a second; a slow disk can postpone the write itself up to 2 s (Redis replies meanwhile)",
  },
  "aof-no": {
    kill: { kind: "none" },
    term: { kind: "none" },
    powerLoss: { kind: "any" },
    note: "written before the reply, fsync left to the kernel (about 30 s on Linux)",
  },
};

/** Table key of a policy: "none" | "rdb" | "aof-<appendfsync>". */
export function policyKey(policy: PersistencePolicy): string {
  return policy.persistence === "aof" ? `aof-${policy.appendfsync}` : policy.persistence;
}

/** The allowed loss for a policy and crash kind (postponed: the engine reported a delayed AOF write). */
export function resolveAllowedLoss(policy: PersistencePolicy, crash: CrashKind, postponed = false): AllowedLoss {
  const expectation = POLICY_EXPECTATIONS[policyKey(policy)];
  if (expectation === undefined) return { kind: "any" };
  const base = crash === "kill" ? expectation.kill : crash === "term" ? expectation.term : expectation.powerLoss;
  if (crash === "kill" && postponed && expectation.postponedWriteWindowMs !== undefined && base.kind === "none") {
    return { kind: "window", windowMs: expectation.postponedWriteWindowMs };
  }
  return base;
}
