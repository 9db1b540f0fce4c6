// Waits until an engine answers PING with PONG and INFO reports loading:0 (bounded by a deadline).
import { sendCommands, parseInfo } from "./raw-client.ts";
import type { Endpoint } from "./types.ts";

/** Outcome of one readiness probe. */
export type ProbeResult = "ready" | "loading" | "down";

/** Probes once: PONG + loading:0 is ready; -LOADING or loading:1 is loading; anything else is down. */
export async function probeReady(endpoint: Endpoint): Promise<ProbeResult> {
  try {
    const [pong, info] = await sendCommands(endpoint, [["PING"], ["INFO", "persistence"]], 1000);
    if (pong instanceof Error) return pong.message.startsWith("LOADING") ? "loading" : "down";
    if (typeof info !== "string")
      return info instanceof Error && info.message.startsWith("LOADING") ? "loading" : "down";
    return parseInfo(info)["loading"] === "1" ? "loading" : "ready";
  } catch {
    return "down";
  }
}

/** Polls until ready; `isAlive` lets the caller stop early when the process died. Returns ms waited. */
export async function waitReady(
  endpoint: Endpoint,
  options: { timeoutMs: number; isAlive?: () => boolean; intervalMs?: number },
): Promise<number> {
  const started = performance.now();
  const interval = options.intervalMs ?? 5;
  for (;;) {
    const state = await probeReady(endpoint);
    if (state === "ready") return performance.now() - started;
    if (options.isAlive !== undefined && !options.isAlive())
      throw new Error("the engine process exited before it became ready");
    if (performance.now() - started > options.timeoutMs)
      throw new Error(`the engine was not ready after ${options.timeoutMs}ms (last state: ${state})`);
    await new Promise((resolve) => setTimeout(resolve, state === "loading" ? Math.max(interval, 10) : interval));
  }
}
