// The "while loading" fault's second blow: restart the engine after a kill and kill it again while it is still
// loading its data. On redis-server the load is stretched to about the event window with Redis's own
// `key-load-delay` (µs per key or AOF command; a negative -N sleeps 1 µs with probability 1/N) and INFO is kept
// answering during the load with `loading-process-events-interval-bytes 1024`, for that start only.
import { readInfo } from "../engines/raw-client.ts";
import type { RunContext } from "../run/plugin.ts";
import { measurePersistenceBytes } from "../run/engine-queries.ts";
import type { ResolvedScenario } from "../scenario/resolved.ts";
import { crashEngine, type CrashReport } from "./crash-engine.ts";
import type { PlannedFault } from "./schedule.ts";
import type { TriggerReport } from "./strike.ts";

/** What killDuringLoading needs. */
export interface LoadingKillOptions {
  fault: PlannedFault;
  engineKind: string;
  widenWindows: boolean;
  eventWindowMs: number;
  scenario: ResolvedScenario;
  /** Sets the environment of the start (no fault point armed). */
  arm: () => void;
  beginIncarnation: (startUs: number) => void;
}

/** Per-key cost of one usleep(1) call in µs (Linux timer slack): how `key-load-delay -N` averages. */
const USLEEP_FLOOR_US = 55;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The key-load-delay value that makes loading `units` keys/commands take about windowMs. */
export function computeKeyLoadDelay(units: number, windowMs: number): number {
  const perUnitUs = (windowMs * 1000) / Math.max(1, units);
  if (perUnitUs >= USLEEP_FLOOR_US) return Math.min(1_000_000, Math.round(perUnitUs));
  return -Math.max(2, Math.round(USLEEP_FLOOR_US / perUnitUs));
}

// Rough count of keys/commands to load: persistence bytes over the mean written value size plus framing.
async function estimateLoadUnits(ctx: RunContext): Promise<number> {
  const bytes = await measurePersistenceBytes(ctx.engine.dataDir);
  const { minBytes, maxBytes } = ctx.scenario.workload.values;
  return Math.max(1, Math.round(bytes / ((minBytes + maxBytes) / 2 + 50)));
}

// One look at the starting engine: "loading" (INFO says so, or it accepted the connection but is too busy
// loading to answer), "ready", or "down" (not listening yet).
async function probeLoading(ctx: RunContext): Promise<"loading" | "ready" | "down"> {
  try {
    const info = await readInfo(ctx.endpoint, "persistence", 150);
    return info["loading"] === "1" ? "loading" : "ready";
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/^LOADING/.test(message)) return "loading";
    return /timeout/i.test(message) ? "loading" : "down";
  }
}

/** Starts the engine and kills it while it loads; crash undefined when the engine refused to start at all. */
export async function killDuringLoading(
  ctx: RunContext,
  options: LoadingKillOptions,
): Promise<{ crash: CrashReport | undefined; trigger: TriggerReport }> {
  const extraArgs: string[] = [];
  let delay: number | undefined;
  if (options.widenWindows && options.engineKind === "redis-server") {
    delay = computeKeyLoadDelay(await estimateLoadUnits(ctx), options.eventWindowMs);
    extraArgs.push("--key-load-delay", String(delay), "--loading-process-events-interval-bytes", "1024");
  }
  options.arm();
  options.beginIncarnation(Math.round(ctx.nowMs() * 1000));
  let settled: "ready" | "failed" | undefined;
  const starting = ctx.startEngine({ timeoutMs: 120_000, extraArgs }).then(
    () => {
      settled = "ready";
    },
    () => {
      settled = "failed";
    },
  );
  const deadline = performance.now() + Math.max(2000, options.eventWindowMs * 3);
  let seen = false;
  while (settled === undefined && performance.now() < deadline) {
    const state = await probeLoading(ctx);
    if (state === "loading") {
      seen = true;
      break;
    }
    if (state === "ready") break;
    await sleep(2);
  }
  if (settled === "failed") {
    await starting;
    return {
      crash: undefined,
      trigger: {
        kind: "during-loading",
        hit: false,
        note: "the engine refused to start on the crash state, so there was no load to kill",
      },
    };
  }
  if (seen) await sleep(options.fault.strikeFraction * options.eventWindowMs * 0.5);
  // Not ready yet (the start has not resolved) after loading was seen: the kill lands inside the load.
  const hit = seen && settled === undefined;
  const crash = await crashEngine(ctx, { signal: "SIGKILL", killTree: true });
  await starting;
  const trigger: TriggerReport = { kind: "during-loading", hit };
  const widened = delay === undefined ? "" : `key-load-delay ${delay}`;
  if (!hit)
    trigger.note = [seen ? "the load finished before the kill" : "loading was never observed (too short)", widened]
      .filter((part) => part !== "")
      .join("; ");
  else if (widened !== "") trigger.note = widened;
  return { crash, trigger };
}
