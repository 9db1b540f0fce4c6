// The seam between the server core and persistence: the core calls these at the moments Redis's
// call()/beforeSleep()/serverCron() would, and commands (SAVE, BGSAVE, BGREWRITEAOF, DEBUG ...) reach
// the RDB and AOF halves through `rdb` and `aof`; the RDB and AOF modules implement them.

/** One INFO line's key and value. */
export type InfoField = readonly [name: string, value: string | number];

/** Outcome of a BGSAVE request, as bgsaveCommand answers it. */
export type BackgroundSaveRequest = "started" | "scheduled" | "already-in-progress" | "other-job-running" | "failed";

/** What commands ask of the RDB half: SAVE, BGSAVE, LASTSAVE, DEBUG RELOAD, FLUSHALL. */
export interface RdbCommandHooks {
  /** SAVE: a blocking save; throws on failure (the error says which step failed). */
  save(): void;
  /**
   * After FLUSHALL (Redis's flushAllDataAndResetRDB): stops a running background save, which would
   * write the data set from before the flush, and with save points configured saves the empty data set
   * at once (a failure is logged, as Redis ignores it there). That save does not count in rdb_saves, as
   * in Redis 7.0. Returns true when it saved.
   */
  afterFlushAll(): boolean;
  /** BGSAVE [SCHEDULE]. */
  requestBackgroundSave(options: { schedule: boolean }): BackgroundSaveRequest;
  /** A promise of the running background save's end (resolves on success and failure), or null. */
  backgroundSaveDone(): Promise<void> | null;
  /** DEBUG RELOAD: save (unless noSave), empty (unless noFlush), load the file again; throws RdbReloadError. */
  reload(options: { noSave: boolean; noFlush: boolean; merge: boolean }): void;
  /** LASTSAVE: unix seconds of the last successful save. */
  readonly lastSaveSec: number;
}

/** What commands ask of the AOF half: BGREWRITEAOF, DEBUG LOADAOF, DEBUG AOF-FLUSH-SLEEP. */
export interface AofCommandHooks {
  /** started / scheduled (a BGSAVE runs) / in-progress (refused) / failed. */
  requestRewrite(): "started" | "scheduled" | "in-progress" | "failed";
  /** DEBUG AOF-FLUSH-SLEEP: microseconds each AOF buffer write blocks first. */
  flushSleepUs: number;
  /**
   * DEBUG LOADAOF: writes the AOF buffer, empties the data set and loads it back from the AOF files
   * the manifest on disk names. Rejects when they cannot be loaded (Redis exits then).
   */
  reloadFromFiles(): Promise<void>;
}

/** What the server core needs from persistence. */
export interface PersistenceHooks {
  /** The RDB half for commands; null without persistence. */
  readonly rdb: RdbCommandHooks | null;
  /** The AOF half for commands; null without persistence. */
  readonly aof: AofCommandHooks | null;
  /** Loads the data set at start-up (AOF when appendonly, else RDB). Throws to refuse start-up. */
  load(): Promise<void>;
  /** Called once for every write command that changed the data set (already rewritten to be deterministic). */
  propagate(dbIndex: number, argv: readonly string[]): void;
  /**
   * Called at the end of each event-loop turn that executed commands, before replies go out.
   * Returns null when replies may leave now, or a promise that resolves when the writes executed
   * so far are as durable as the policy promises (the durability rule).
   */
  beforeReplies(): Promise<void> | null;
  /** An error text that refuses writes (MISCONF after a failed save), or null. */
  writeError(): string | null;
  /** Lines of INFO persistence, in Redis's order. */
  info(): readonly InfoField[];
  /** Periodic work (save points, auto rewrite, everysec fsync), called hz times per second. */
  cron(): void;
  /**
   * Shutdown work: save is true for SHUTDOWN SAVE, false for NOSAVE, undefined to follow the config.
   * Throws when the final save failed (the server then keeps running), unless force is set.
   */
  shutdown(save: boolean | undefined, force?: boolean): Promise<void>;
  /** Applies a runtime change of a persistence directive made by CONFIG SET (e.g. appendonly yes). */
  onConfigChange(directive: string): Promise<void> | void;
}

/** No persistence: what the core uses until the persistence modules are installed. */
export function createNullPersistence(): PersistenceHooks {
  return {
    rdb: null,
    aof: null,
    load: async () => {},
    propagate: () => {},
    beforeReplies: () => null,
    writeError: () => null,
    info: () => [
      ["loading", 0],
      ["rdb_changes_since_last_save", 0],
      ["aof_enabled", 0],
    ],
    cron: () => {},
    shutdown: async () => {},
    onConfigChange: () => {},
  };
}
