// An FsyncSource (source.ts) backed by the LD_PRELOAD shim's journal (src/harness/shim/): fsync latency for
// engines that do not report it (real redis-server), timed around the libc call inside the engine process.
import type { EngineInstance, EngineKind } from "../engines/types.ts";
import { fsyncTraceEnv, resolveJournalPath } from "../shim/environment.ts";
import { readFsyncLatency } from "../shim/fsync-latency.ts";
import type { FsyncSource } from "./source.ts";

/** Options: the compiled shim and which engine kinds to trace (default: redis-server only; the bundled engine reports its own). */
export interface ShimFsyncSourceOptions {
  libraryPath: string;
  kinds?: readonly EngineKind[];
}

/** Creates the source; the engine must be started with environment(engine) for it to see anything. */
export function createShimFsyncSource(options: ShimFsyncSourceOptions): FsyncSource {
  const kinds = new Set<EngineKind>(options.kinds ?? ["redis-server"]);
  const journalOf = (engine: EngineInstance): string => resolveJournalPath(engine.dataDir ?? "");
  return {
    name: "ld-preload-shim",
    supports: (engine) => kinds.has(engine.kind) && engine.dataDir !== undefined && engine.capabilities.pid,
    environment: (engine) => fsyncTraceEnv(engine.dataDir ?? "", journalOf(engine), options.libraryPath),
    async begin(engine) {
      const fromUs = Date.now() * 1000;
      return {
        async end() {
          const summary = await readFsyncLatency(journalOf(engine), { fromUs });
          if (summary.count === 0)
            return {
              measured: false,
              reason:
                "the LD_PRELOAD shim saw no fsync/fdatasync during the load (the policy never fsyncs, or the engine was started without the shim's environment)",
            };
          return {
            measured: true,
            source: "ld-preload-shim",
            count: summary.count,
            p50Us: summary.p50Us,
            p99Us: summary.p99Us,
            maxUs: summary.maxUs,
          };
        },
      };
    },
  };
}
