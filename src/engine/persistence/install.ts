// Composes the persistence layer from its RDB and AOF halves: start-up choice (AOF when
// appendonly yes, else RDB), INFO persistence in Redis 7.0's field order, and the hooks the core calls.
import type { InfoField, PersistenceHooks } from "./hooks.ts";
import { createAofPersistence } from "./aof-persistence.ts";
import { createRdbPersistence } from "./rdb-persistence.ts";
import { createSharedState } from "./shared-state.ts";
import { warmUpSavePath } from "./rdb/save-warmup.ts";
import type { ServerContext } from "../server/context-types.ts";

/** Creates the persistence hooks for this server's settings. */
export function createPersistence(context: ServerContext): PersistenceHooks {
  const shared = createSharedState();
  const rdb = createRdbPersistence(context, shared);
  const aof = createAofPersistence(context, shared);
  return {
    rdb,
    aof: aof.control,
    load: async () => {
      if (context.settings.appendonly) await aof.loadAtStartup();
      else await rdb.loadAtStartup();
      // While the server still answers LOADING: the first BGSAVE or rewrite must not pay V8's lazy compilation.
      const startedMs = performance.now();
      await warmUpSavePath();
      context.log.verbose(`Save path warmed up in ${(performance.now() - startedMs).toFixed(1)} ms`);
    },
    propagate: (dbIndex, argv) => aof.propagate(dbIndex, argv),
    beforeReplies: () => aof.beforeReplies(),
    writeError: () => rdb.writeError() ?? aof.writeError(),
    info: () => {
      const loading = shared.loading;
      const saveProgress = rdb.infoSaveProgress();
      return [
        ["loading", loading === null ? 0 : 1],
        ["async_loading", 0],
        // The running job's per-key copy-on-write (it only grows, so the peak is the current size; it is
        // counted as it happens, so its age is 0).
        ["current_cow_peak", context.keyspace.snapshotCopiedBytes],
        ["current_cow_size", context.keyspace.snapshotCopiedBytes],
        ["current_cow_size_age", 0],
        ["current_fork_perc", forkPercent(saveProgress)],
        ...saveProgress,
        ...rdb.infoRdb(),
        ...aof.infoAof(),
        ["module_fork_in_progress", 0],
        ["module_fork_last_cow_size", 0],
        ...(context.settings.appendonly ? aof.infoAofOn() : []),
        ...(loading === null
          ? []
          : ([
              ["loading_start_time", loading.startTimeSec],
              ["loading_total_bytes", loading.totalBytes],
              ["loading_rdb_used_mem", loading.rdbUsedMem],
              ["loading_loaded_bytes", loading.loadedBytes],
              [
                "loading_loaded_perc",
                loading.totalBytes === 0 ? "0.00" : ((loading.loadedBytes / loading.totalBytes) * 100).toFixed(2),
              ],
              ["loading_eta_seconds", 1],
            ] as const)),
        ...aof.infoEngine(),
      ];
    },
    cron: () => {
      rdb.cron();
      aof.cron();
    },
    shutdown: async (save, force) => {
      // The final RDB save first: when it fails the server keeps running, with its AOF still open.
      await rdb.shutdown(save, force);
      await aof.shutdown();
    },
    onConfigChange: (directive) => {
      rdb.onConfigChange(directive);
      return aof.onConfigChange(directive);
    },
  };
}

// Redis's current_fork_perc: the running job's keys processed as a percentage of its keys total.
function forkPercent(saveProgress: readonly InfoField[]): string {
  const value = (name: string): number => Number(saveProgress.find(([field]) => field === name)?.[1] ?? 0);
  const total = value("current_save_keys_total");
  return total > 0 ? ((value("current_save_keys_processed") / total) * 100).toFixed(2) : "0.00";
}
