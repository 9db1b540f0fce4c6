// Recovery measurement: graceful stop (SIGTERM: Redis saves/fsyncs as configured), restart with the same
// data dir, time from spawn to ready (PING + loading:0), keys loaded. Also the recovery phase: the same
// for each data set size (FLUSHALL, preload N keys, stop, restart).
import { sendCommands } from "../engines/raw-client.ts";
import type { ResolvedRecoveryPhase, ResolvedWorkload } from "../scenario/resolved.ts";
import type { RecoverySample } from "../results/schema.ts";
import { preloadKeys } from "../workload/preload.ts";
import type { EngineControl } from "./engine-control.ts";
import { measurePersistenceBytes, readDbSize, readPersistenceInfo } from "./engine-queries.ts";
import type { Endpoint } from "../engines/types.ts";

/** Stops gracefully and restarts; returns ready time, keys before/after and bytes on disk. */
export async function measureRestart(
  control: EngineControl,
  timeoutMs: number,
): Promise<{ readyMs: number; keysBefore: number; loadedKeys: number; bytesOnDisk: number }> {
  const endpoint = control.engine.endpoint;
  const keysBefore = await readDbSize(endpoint);
  await control.stop();
  const bytesOnDisk = await measurePersistenceBytes(control.engine.dataDir);
  const { readyMs } = await control.start({ timeoutMs });
  return { readyMs: Math.round(readyMs * 10) / 10, keysBefore, loadedKeys: await readDbSize(endpoint), bytesOnDisk };
}

// BGREWRITEAOF and wait for it to finish (bounded).
async function compactAof(endpoint: Endpoint, timeoutMs: number): Promise<void> {
  const started = performance.now();
  await sendCommands(endpoint, [["BGREWRITEAOF"]], 5000);
  while (performance.now() - started < timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const info = await readPersistenceInfo(endpoint);
    if (info["aof_rewrite_in_progress"] !== "1" && info["aof_rewrite_scheduled"] !== "1") return;
  }
}

/** Runs a recovery phase: one restart measurement per data set size. */
export async function runRecoveryPhase(options: {
  phase: ResolvedRecoveryPhase;
  control: EngineControl;
  workload: ResolvedWorkload;
  signal: AbortSignal;
}): Promise<RecoverySample[]> {
  const samples: RecoverySample[] = [];
  for (const keys of options.phase.sizes) {
    if (options.signal.aborted) break;
    const endpoint = options.control.engine.endpoint;
    await sendCommands(endpoint, [["FLUSHALL"]], 60_000);
    // Start each size from a compact AOF, so earlier sizes are not replayed too.
    if (options.control.engine.config["appendonly"] === "yes") await compactAof(endpoint, options.phase.timeoutMs);
    if (keys > 0)
      await preloadKeys(endpoint, {
        count: keys,
        valueBytes: options.phase.valueBytes,
        prefix: options.workload.keys.prefix,
        signal: options.signal,
      });
    options.control.addEvent("recovery-size", { keys });
    const measured = await measureRestart(options.control, options.phase.timeoutMs);
    samples.push({
      keys,
      readyMs: measured.readyMs,
      loadedKeys: measured.loadedKeys,
      bytesOnDisk: measured.bytesOnDisk,
    });
  }
  return samples;
}
