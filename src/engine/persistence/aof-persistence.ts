// AOF persistence of the running server (placeholder until the AOF module lands): propagation,
// fsync policies with group commit, rewrite, start-up loading, aof_* INFO fields.
import type { InfoField } from "./hooks.ts";
import type { RdbPersistence } from "./rdb-persistence.ts";
import type { SharedPersistenceState } from "./shared-state.ts";
import type { ServerContext } from "../server/context.ts";

/** What the composed persistence needs from the AOF half. */
export interface AofPersistence {
  /** Loads the AOF at start-up (appendonly yes). Throws PersistenceError to refuse start-up. */
  loadAtStartup(): Promise<void>;
  propagate(dbIndex: number, argv: readonly string[]): void;
  beforeReplies(): Promise<void> | null;
  /** aof_* fields from aof_enabled to aof_last_cow_size (always printed). */
  infoAof(): readonly InfoField[];
  /** aof_current_size ... aof_delayed_fsync (printed when AOF is on). */
  infoAofOn(): readonly InfoField[];
  /** The engine's own figures (persistlab_fsync_count, _p50_us, _p99_us, _max_us, ...). */
  infoEngine(): readonly InfoField[];
  cron(): void;
  shutdown(): Promise<void>;
  onConfigChange(directive: string): Promise<void> | void;
}

/** Creates the AOF half. */
export function createAofPersistence(context: ServerContext, shared: SharedPersistenceState, rdb: RdbPersistence): AofPersistence {
  void shared;
  void rdb;
  return {
    loadAtStartup: async () => {},
    propagate: () => {},
    beforeReplies: () => null,
    infoAof: () => [["aof_enabled", context.settings.appendonly ? 1 : 0]],
    infoAofOn: () => [],
    infoEngine: () => [],
    cron: () => {},
    shutdown: async () => {},
    onConfigChange: () => {},
  };
}
