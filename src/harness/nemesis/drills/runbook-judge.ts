// Judges a runbook drill after the run, against the acknowledged history: what the backup lacks of the
// writes acknowledged before the backup script started and how old it is; and what the restore brought back:
// the backup's content (restored), the state the disaster left (nothing restored: e.g. the AOF won at
// start-up), something in between (partial), or nothing usable (failed).
import type { Op } from "../../history/op.ts";
import type { DataSetRead, RunbookRecord } from "./runbook.ts";
import { scriptSucceeded, type ScriptRun } from "./runbook-script.ts";

/** Restore outcomes. */
export type RestoreOutcome = "restored" | "nothing restored" | "partial" | "failed";

/** The backup compared with the history. */
export interface BackupJudgement {
  /** Keys the backup holds; null when it holds nothing readable. */
  keys: number | null;
  /** "none": no backup file; "unreadable": the engine refused it; "empty": a file with no keys; "ok". */
  state: "none" | "unreadable" | "empty" | "ok";
  /** Keys whose last write acknowledged before the script started is missing from the backup. */
  lacks: number;
  /** Keys written (acknowledged) before the script started. */
  ackedKeys: number;
  /** Script start − completion of the newest acknowledged write the backup reflects (ms); null when none. */
  ageMs: number | null;
  problem?: string;
}

// Writes that set a string value (the register view the workload's SETs give), by value.
function indexWrites(history: readonly Op[]): {
  byValue: Map<string, Op>;
  lastAcked: (sinceUs: number, beforeUs: number) => Map<string, Op>;
} {
  const byValue = new Map<string, Op>();
  const writes = history.filter((op) => op.f === "SET" && op.value !== undefined);
  for (const op of writes) byValue.set(op.value as string, op);
  return {
    byValue,
    lastAcked: (sinceUs, beforeUs) => {
      const last = new Map<string, Op>();
      for (const op of writes) {
        if (op.type !== "ok" || op.completeUs === undefined || op.completeUs >= beforeUs || op.invokeUs < sinceUs)
          continue;
        const seen = last.get(op.key);
        if (seen === undefined || (seen.completeUs ?? 0) < op.completeUs) last.set(op.key, op);
      }
      return last;
    },
  };
}

/** Compares a backup's content with the writes acknowledged in [sinceUs, startUs). */
export function judgeBackup(
  content: DataSetRead,
  history: readonly Op[],
  startUs: number,
  sinceUs = 0,
): BackupJudgement {
  const { byValue, lastAcked } = indexWrites(history);
  const acked = lastAcked(sinceUs, startUs);
  const data = content.data;
  if (data === undefined) {
    const state = content.problem === "none" ? "none" : "unreadable";
    return {
      keys: null,
      state,
      lacks: acked.size,
      ackedKeys: acked.size,
      ageMs: null,
      ...(state === "unreadable" && content.problem !== undefined ? { problem: content.problem } : {}),
    };
  }
  let lacks = 0;
  for (const [key, write] of acked) {
    const held = data.get(key);
    const holder = held === undefined ? undefined : byValue.get(held);
    // Held: the write itself, or one invoked after it completed (a later state), or one concurrent with it.
    const hasIt =
      holder !== undefined &&
      (holder.id === write.id || holder.invokeUs >= write.invokeUs || (holder.completeUs ?? Infinity) > write.invokeUs);
    if (!hasIt) lacks++;
  }
  let newest: number | null = null;
  for (const value of data.values()) {
    const op = byValue.get(value);
    if (
      op?.type === "ok" &&
      op.completeUs !== undefined &&
      op.completeUs < startUs &&
      (newest === null || op.completeUs > newest)
    )
      newest = op.completeUs;
  }
  return {
    keys: data.size,
    state: data.size === 0 ? "empty" : "ok",
    lacks,
    ackedKeys: acked.size,
    ageMs: newest === null ? null : Math.round((startUs - newest) / 1000),
  };
}

// Same keys, same values.
function sameData(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, value] of a) if (b.get(key) !== value) return false;
  return true;
}

// Keys of `after` whose value is the one in `reference`.
function countMatching(after: ReadonlyMap<string, string>, reference: ReadonlyMap<string, string> | undefined): number {
  if (reference === undefined) return 0;
  let count = 0;
  for (const [key, value] of after) if (reference.get(key) === value) count++;
  return count;
}

/** The restore's outcome, with what decided it. */
export function classifyRestore(record: Pick<RunbookRecord, "restore" | "backupContent" | "before" | "after">): {
  outcome: RestoreOutcome;
  reason: string;
  keysAfter: number | null;
  fromBackup: number;
  fromBefore: number;
} {
  const restore = record.restore as ScriptRun;
  const after = record.after?.data;
  const backup = record.backupContent.data;
  const before = record.before?.data;
  const none = {
    keysAfter: after?.size ?? null,
    fromBackup: after === undefined ? 0 : countMatching(after, backup),
    fromBefore: after === undefined ? 0 : countMatching(after, before),
  };
  if (!scriptSucceeded(restore))
    return {
      outcome: "failed",
      reason: restore.timedOut
        ? "the restore script hit its time limit"
        : `the restore script exited with ${String(restore.exitCode)}`,
      ...none,
    };
  if (after === undefined)
    return {
      outcome: "failed",
      reason: `the engine did not start on the restored data: ${record.after?.problem ?? "unknown"}`,
      ...none,
    };
  const matchesBackup = backup !== undefined && sameData(after, backup);
  const matchesBefore = before !== undefined && sameData(after, before);
  if (matchesBackup && !matchesBefore)
    return { outcome: "restored", reason: "the engine serves exactly the backup's content", ...none };
  if (matchesBackup && matchesBefore)
    return {
      outcome: "restored",
      reason:
        "the engine serves the backup's content (identical to the state the disaster left: the drill cannot tell them apart)",
      ...none,
    };
  if (matchesBefore) {
    const why =
      backup === undefined
        ? "there was no readable backup"
        : "the engine serves the state the disaster left, not the backup (with appendonly yes it loads the AOF, never dump.rdb)";
    return { outcome: "nothing restored", reason: why, ...none };
  }
  return {
    outcome: "partial",
    reason: `the engine serves neither the backup nor the pre-restore state: ${none.fromBackup} of ${after.size} keys as in the backup, ${none.fromBefore} as before the restore`,
    ...none,
  };
}

/** A runbook drill in results.json's metrics.durability.drills. */
export function describeRunbookDrill(record: RunbookRecord, history: readonly Op[]): Record<string, unknown> {
  const out: Record<string, unknown> = {
    i: record.index,
    kind: "runbook",
    backupScript: record.backupScript,
    backupDir: record.backupDir,
    backupRun: record.backup,
    backup: judgeBackup(record.backupContent, history, record.startUs, record.sinceUs),
  };
  if (record.restore === undefined) {
    out["verdict"] = scriptSucceeded(record.backup) ? "backup-only" : "backup-failed";
    return out;
  }
  const restore = classifyRestore(record);
  out["restoreScript"] = record.restoreScript;
  out["restoreRun"] = record.restore;
  out["restore"] = restore;
  if (record.before?.data === undefined && record.before?.problem !== undefined)
    out["beforeRestoreProblem"] = record.before.problem;
  out["verdict"] = restore.outcome;
  return out;
}
