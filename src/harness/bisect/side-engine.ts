// The Engine for a binary built at one commit: a redis-server-compatible executable (redis, valkey, a wrapper
// script), or a JavaScript entry such as this project's dist/bin/persistlab-server.js, started with the
// current runtime and the bundled engine's heap flags (kind "bundled": it reports its own fsync figures).
import { basename } from "node:path";
import { ENGINE_NODE_FLAGS } from "../../engine/server/heap-flags.ts";
import { createProcessEngine } from "../engines/create-engine.ts";
import type { Engine } from "../engines/types.ts";
import { getRuntimeName } from "../shared/runtime.ts";

/** An engine started from binary (absolute path); label names the side in descriptions. */
export function createBuiltEngine(binary: string): Engine {
  if (/\.(c|m)?(j|t)s$/.test(binary)) {
    const args =
      getRuntimeName() === "deno"
        ? ["run", "-A", `--v8-flags=${ENGINE_NODE_FLAGS.join(",")}`, binary]
        : [...ENGINE_NODE_FLAGS, binary];
    return createProcessEngine("bundled", { file: process.execPath, args }, basename(binary), binary);
  }
  return createProcessEngine("redis-server", { file: binary, args: [] }, basename(binary), binary);
}
