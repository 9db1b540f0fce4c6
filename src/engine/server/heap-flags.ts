// The V8 heap flags the engine runs with, and the start-up check that names them when they are missing.
// Why: under write load a large data set promotes megabytes of new values per young-generation GC, and a
// scavenge's pause grows with what survives it. With V8's default 16 MB semi-spaces, scavenges during a
// BGSAVE of 1M keys took up to 7.8 ms and incremental-marking steps up to 10 ms; with 4 MB semi-spaces they
// stayed under 2.2 ms and the engine's own longest BGSAVE stall fell from 7.7-13.6 ms to 4.1-8.4 ms
// (bench:rdb, 2 vCPUs), with no loss of throughput and ~35 MB less RSS. V8 reads the flag only when the
// heap is created, so it must be on the command line: every launcher in this package passes these.
import type { Logger } from "../log.ts";

/** Node/V8 flags the engine is meant to start with (also passed to Deno as --v8-flags). */
export const ENGINE_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=4"];

/** The engine flags absent from this process's command line and NODE_OPTIONS (names compared, values not). */
export function findMissingEngineFlags(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  const given = [...execArgv, ...(nodeOptions ?? "").split(/\s+/)].map((flag) =>
    flag.split("=")[0]?.replaceAll("_", "-"),
  );
  return ENGINE_NODE_FLAGS.filter((flag) => !given.includes(flag.split("=")[0]));
}

/** Logs a warning naming the missing flags and how to pass them (Node only: Deno takes them as --v8-flags). */
export function warnAboutMissingHeapFlags(log: Logger): void {
  if ("Deno" in globalThis) return;
  const missing = findMissingEngineFlags(process.execArgv, process.env["NODE_OPTIONS"]);
  if (missing.length === 0) return;
  log.warning(
    `Started without ${missing.join(" ")}: young-generation GC pauses, and so the longest stall during BGSAVE and BGREWRITEAOF, will be longer. Start the engine through its persistlab-server binary, or as \`node ${ENGINE_NODE_FLAGS.join(" ")} dist/bin/persistlab-server.js\`.`,
  );
}
