// What the nemesis records about one crash round (one engine death followed by a restart), before and after
// the durability checker has judged it.
import type { CrashKind } from "../checker/policy-expectations.ts";
import type { CrashReport } from "./crash-engine.ts";
import type { DiskFaultPart } from "./disk-fault.ts";
import type { Corruption } from "./drills/corrupt-files.ts";
import type { RdbBackup } from "./drills/rdb-backup.ts";
import type { PlannedFault } from "./schedule.ts";
import type { StartOutcome } from "./start-with-repair.ts";
import type { TriggerReport } from "./strike.ts";
import type { Verification } from "./verify-crash-state.ts";

/** A power cut's effect, in short. */
export interface PowerCutSummary {
  lostBytes: number;
  /** Files cut below what the process had written. */
  filesCut: number;
  /** Files whose unsynced tail was zero-filled. */
  zeroFilled: number;
  /** Creates, renames and unlinks undone. */
  namesUndone: number;
  warnings: string[];
}

/** A disaster drill's own part of a round. */
export interface DrillPart {
  corruption: Corruption | { skipped: string };
  backup?: RdbBackup | { failed: string };
}

/** One crash round. */
export interface RoundRecord {
  /** Position among the run's crash rounds. */
  index: number;
  fault: PlannedFault;
  crashKind: CrashKind;
  crash: CrashReport;
  trigger: TriggerReport;
  /** RDB: lower bound of the start of the last completed save before the crash (null: none this incarnation). */
  lastSaveUs: number | null;
  /**
   * everysec: an acknowledged write may have been postponed behind a background fsync and not yet written: the
   * engine reported a postponed write (aof_delayed_fsync grew), or it replies before such writes (Redis).
   */
  writePostponed: boolean;
  powerCut?: PowerCutSummary;
  drill?: DrillPart;
  /** A disk-fault round: what the fault did and what the engine said. */
  disk?: DiskFaultPart;
  /** Where the policy's loss window is measured back from, when not the crash (fsync-eio: the failed fsync that dropped the tail). */
  lossPointUs?: number;
  /** Restart of the live engine on the crash state (undefined when the round's restart was the loading kill's). */
  live?: StartOutcome;
  /** Kill → live engine ready again (ms). */
  downtimeMs?: number;
  verification?: Verification;
  /** Kept crash state (--keep-crash-states). */
  keptAt?: string;
}
