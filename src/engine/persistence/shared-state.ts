// State shared by the RDB and AOF halves of persistence: which background job runs (Redis allows
// one child at a time: a BGSAVE and an AOF rewrite never overlap) and the loading progress.

/** The background job in progress, if any. */
export type BackgroundJob = "rdb-bgsave" | "aof-rewrite" | null;

/** Loading progress for INFO persistence (loading_* fields). */
export interface LoadingProgress {
  startTimeSec: number;
  totalBytes: number;
  loadedBytes: number;
  rdbUsedMem: number;
}

/**
 * The copy-on-write totals of the last BGSAVE and AOF rewrite (rdb_/aof_last_cow_size); the running job's
 * figure is the keyspace's (Keyspace.snapshotCopiedBytes).
 */
export interface CopyOnWriteFigures {
  lastRdbBytes: number;
  lastAofBytes: number;
}

/** Mutable state both halves read and write. */
export interface SharedPersistenceState {
  backgroundJob: BackgroundJob;
  /** Present while the data set is being loaded. */
  loading: LoadingProgress | null;
  /** A BGREWRITEAOF waiting for a BGSAVE to finish (aof_rewrite_scheduled). */
  rewriteScheduled: boolean;
  /** A BGSAVE SCHEDULE waiting for a rewrite to finish. */
  bgsaveScheduled: boolean;
  cow: CopyOnWriteFigures;
}

/** Fresh shared state. */
export function createSharedState(): SharedPersistenceState {
  return {
    backgroundJob: null,
    loading: null,
    rewriteScheduled: false,
    bgsaveScheduled: false,
    cow: { lastRdbBytes: 0, lastAofBytes: 0 },
  };
}
