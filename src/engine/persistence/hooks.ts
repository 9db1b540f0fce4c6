// The seam between the server core and persistence: the core calls these at the moments Redis's
// call()/beforeSleep()/serverCron() would; the RDB and AOF modules implement them.

/** One INFO line's key and value. */
export type InfoField = readonly [name: string, value: string | number];

/** What the server core needs from persistence. */
export interface PersistenceHooks {
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
