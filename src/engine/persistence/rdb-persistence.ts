// RDB persistence of the running server (placeholder until the RDB module lands): save points,
// SAVE/BGSAVE, start-up loading of dbfilename, rdb_* INFO fields.
import type { InfoField } from "./hooks.ts";
import type { SharedPersistenceState } from "./shared-state.ts";
import type { ServerContext } from "../server/context.ts";

/** What the composed persistence needs from the RDB half. */
export interface RdbPersistence {
  /** Loads dbfilename at start-up (AOF off). Throws PersistenceError to refuse start-up. */
  loadAtStartup(): Promise<void>;
  /** MISCONF text after a failed background save with stop-writes-on-bgsave-error, else null. */
  writeError(): string | null;
  /** current_save_keys_processed / current_save_keys_total and the rdb_* fields, in Redis's order. */
  infoSaveProgress(): readonly InfoField[];
  infoRdb(): readonly InfoField[];
  /** Save points and scheduled BGSAVEs. */
  cron(): void;
  /** Final save on shutdown (save true/false forces, undefined follows the save points). */
  shutdown(save: boolean | undefined): Promise<void>;
  /** Runtime directive change (dbfilename, save, ...). */
  onConfigChange(directive: string): void;
}

/** Creates the RDB half. */
export function createRdbPersistence(context: ServerContext, shared: SharedPersistenceState): RdbPersistence {
  void shared;
  return {
    loadAtStartup: async () => {},
    writeError: () => null,
    infoSaveProgress: () => [
      ["current_save_keys_processed", 0],
      ["current_save_keys_total", 0],
    ],
    infoRdb: () => [["rdb_changes_since_last_save", context.keyspace.dirty]],
    cron: () => {},
    shutdown: async () => {},
    onConfigChange: () => {},
  };
}
