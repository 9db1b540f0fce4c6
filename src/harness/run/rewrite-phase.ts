// The rewrite phase: load for `before`, trigger BGREWRITEAOF (or BGSAVE), keep loading while it runs, then
// for `after`. Measures its duration, persistence bytes before/after, throughput and p99 before vs during,
// and peak RSS of the engine plus its fork (sampled from /proc).
import { sendCommands } from "../engines/raw-client.ts";
import type { ResolvedRewritePhase } from "../scenario/resolved.ts";
import type { NotMeasured, RewriteMeasured } from "../results/schema.ts";
import { createHistogram, recordLatencyUs } from "../stats/histogram.ts";
import { listChildPids, readProcessMemory, startRssSampler } from "../stats/rss-sampler.ts";
import type { ExecutorResult } from "../workload/executors.ts";
import type { EngineControl } from "./engine-control.ts";
import { measurePersistenceBytes, readPersistenceInfo } from "./engine-queries.ts";
import type { WorkloadDriver } from "./workload-driver.ts";

// Sleeps ms, waking early on abort; removes its abort listener either way.
const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted === true) return resolve();
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });

// A measurement window: ok count and latency histogram.
function createWindow() {
  const histogram = createHistogram();
  let ok = 0;
  let closed = false;
  const startedAt = performance.now();
  return {
    tap: (type: string, latencyUs: number): void => {
      if (type === "ok" && !closed) {
        ok++;
        recordLatencyUs(histogram, latencyUs);
      }
    },
    close: (): { opsPerSec: number; p99Ms: number } => {
      closed = true;
      const seconds = (performance.now() - startedAt) / 1000;
      const result = {
        opsPerSec: seconds > 0 ? Math.round(ok / seconds) : 0,
        p99Ms: histogram.getValueAtPercentile(99) / 1000,
      };
      histogram.destroy();
      return result;
    },
  };
}

// Whether the triggered job is still running, from INFO persistence.
function isInProgress(info: Record<string, string>, command: "BGREWRITEAOF" | "BGSAVE"): boolean {
  if (command === "BGSAVE") return info["rdb_bgsave_in_progress"] === "1";
  return info["aof_rewrite_in_progress"] === "1" || info["aof_rewrite_scheduled"] === "1";
}

/** Runs a rewrite phase; the load runs throughout. Returns the measurement and the executor result. */
export async function runRewritePhase(options: {
  phase: ResolvedRewritePhase;
  control: EngineControl;
  driver: WorkloadDriver;
  signal: AbortSignal;
  onLoadStart?: (loadSignal: AbortSignal) => void;
}): Promise<{ rewrite: RewriteMeasured | NotMeasured; load: ExecutorResult }> {
  const { phase, control, driver } = options;
  const engine = control.engine;
  const loadStop = new AbortController();
  const abortLoad = (): void => loadStop.abort();
  options.signal.addEventListener("abort", abortLoad, { once: true });
  const loadPromise = driver.runLoad(phase, { durationMs: undefined, ops: undefined, signal: loadStop.signal });
  options.onLoadStart?.(loadStop.signal);
  let rewrite: RewriteMeasured | NotMeasured;
  try {
    let window = createWindow();
    driver.sink.tap = window.tap;
    await sleep(phase.beforeMs, options.signal);
    const before = window.close();
    const command =
      phase.trigger !== "auto" ? phase.trigger : engine.config["appendonly"] === "yes" ? "BGREWRITEAOF" : "BGSAVE";
    const bytesBefore = await measurePersistenceBytes(engine.dataDir);
    const pid = engine.pid();
    const rssBeforeBytes = pid === undefined ? 0 : ((await readProcessMemory(pid))?.rssBytes ?? 0);
    const sampler =
      pid === undefined ? undefined : startRssSampler(async () => [pid, ...(await listChildPids(pid))], 50);
    window = createWindow();
    driver.sink.tap = window.tap;
    const kind = command === "BGSAVE" ? "bgsave" : "rewrite";
    const triggeredAt = performance.now();
    control.addEvent(`${kind}-start`, { command });
    let [reply] = await sendCommands(
      engine.endpoint,
      [command === "BGSAVE" ? ["BGSAVE", "SCHEDULE"] : ["BGREWRITEAOF"]],
      5000,
    );
    // An automatic rewrite may already be running: let it finish, then trigger ours (bounded by the timeout).
    while (
      reply instanceof Error &&
      /already in progress/i.test(reply.message) &&
      performance.now() - triggeredAt < phase.timeoutMs &&
      !options.signal.aborted
    ) {
      await sleep(20, options.signal);
      [reply] = await sendCommands(engine.endpoint, [["BGREWRITEAOF"]], 5000);
    }
    let status: RewriteMeasured["status"] = "ok";
    if (reply instanceof Error) {
      rewrite = { measured: false, reason: `${command} was refused: ${reply.message}` };
      status = "err";
    } else {
      // Poll until the job finished (bounded by the phase timeout).
      for (;;) {
        await sleep(20, options.signal);
        const info = await readPersistenceInfo(engine.endpoint).catch(() => undefined);
        if (info !== undefined && !isInProgress(info, command)) {
          const field = command === "BGSAVE" ? "rdb_last_bgsave_status" : "aof_last_bgrewrite_status";
          if (info[field] === "err") status = "err";
          break;
        }
        if (performance.now() - triggeredAt > phase.timeoutMs || options.signal.aborted) {
          status = "timeout";
          break;
        }
      }
      rewrite = { measured: false, reason: "pending" };
    }
    const durationMs = performance.now() - triggeredAt;
    control.addEvent(`${kind}-end`, { command, status, durationMs: Math.round(durationMs) });
    const during = window.close();
    driver.sink.tap = undefined;
    const peak = sampler === undefined ? { peakRssBytes: 0 } : await sampler.stop();
    if (rewrite.measured === false && rewrite.reason === "pending") {
      rewrite = {
        measured: true,
        phase: phase.name,
        command,
        durationMs: Math.round(durationMs * 10) / 10,
        bytesBefore,
        bytesAfter: await measurePersistenceBytes(engine.dataDir),
        opsPerSecBefore: before.opsPerSec,
        opsPerSecDuring: during.opsPerSec,
        p99MsBefore: before.p99Ms,
        p99MsDuring: during.p99Ms,
        peakRssBytes: Math.max(peak.peakRssBytes, rssBeforeBytes),
        rssBeforeBytes,
        status,
      };
    }
    await sleep(phase.afterMs, options.signal);
  } finally {
    driver.sink.tap = undefined;
    loadStop.abort();
    options.signal.removeEventListener("abort", abortLoad);
  }
  return { rewrite, load: await loadPromise };
}
