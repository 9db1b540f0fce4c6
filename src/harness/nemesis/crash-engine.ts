// Taking the engine down for a crash round: SIGKILL of the whole process tree (the engine and its fork
// children, as a machine or container crash would), SIGKILL of the engine alone, or SIGTERM (graceful).
// The crash time is when the exit was observed: every write acknowledged before it came from the old process.
import type { ExitInfo } from "../engines/types.ts";
import type { RunContext } from "../run/plugin.ts";
import { isProcessAlive, killDescendants, listDescendants } from "./process-tree.ts";

/** How the engine went down. */
export interface CrashReport {
  signal: "SIGKILL" | "SIGTERM";
  exit: ExitInfo;
  /** Fork children killed with it. */
  children: number[];
  /** Exit observed (µs, the history's clock). */
  crashUs: number;
}

/** Kills (or stops) the engine and waits for it to be gone. */
export async function crashEngine(
  ctx: RunContext,
  options: { signal: "SIGKILL" | "SIGTERM"; killTree: boolean },
): Promise<CrashReport> {
  if (options.signal === "SIGTERM") {
    const pid = ctx.engine.pid();
    const before = pid === undefined ? [] : listDescendants(pid);
    const exit = await ctx.stopEngine();
    // A fork child the engine did not reap on its way out (it signals its BGSAVE child but need not wait).
    const survivors = before.filter(isProcessAlive);
    for (const child of survivors) {
      try {
        process.kill(child, "SIGKILL");
      } catch {
        // gone meanwhile
      }
    }
    return { signal: "SIGTERM", exit, children: survivors, crashUs: Math.round(ctx.nowMs() * 1000) };
  }
  const pid = ctx.engine.pid();
  const children = options.killTree && pid !== undefined ? await killDescendants(pid) : [];
  const exit = await ctx.kill("SIGKILL");
  return { signal: "SIGKILL", exit, children, crashUs: Math.round(ctx.nowMs() * 1000) };
}

/** The engine died by itself (a fault point): wait for the exit, up to timeoutMs; undefined when it did not. */
export async function awaitSelfCrash(ctx: RunContext, timeoutMs: number): Promise<CrashReport | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs);
  });
  const exit = await Promise.race([
    ctx.engine.waitExit().then((info) => (ctx.engine.isRunning() ? undefined : info)),
    timeout,
  ]);
  clearTimeout(timer);
  if (exit === undefined) return undefined;
  ctx.addEvent("exit", { ...exit, cause: "fault-point" });
  return { signal: "SIGKILL", exit, children: [], crashUs: Math.round(ctx.nowMs() * 1000) };
}
