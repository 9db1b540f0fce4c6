// Watches INFO persistence during a run and records bgsave/rewrite start and end events for chart shading,
// including the ones the engine starts by itself (save points, auto-aof-rewrite). Polls every 100 ms.
import type { Endpoint } from "../engines/types.ts";
import type { EngineControl } from "./engine-control.ts";
import { readPersistenceInfo } from "./engine-queries.ts";

/** A running watcher. While suspended (a rewrite phase records its own precise events) it records nothing. */
export interface PersistenceWatcher {
  suspend(): void;
  /** Resumes, adopting the current state silently (no events for what happened while suspended). */
  resume(): void;
  stop(): Promise<void>;
}

/** Starts polling INFO persistence. */
export function startPersistenceWatcher(
  control: EngineControl,
  endpoint: Endpoint,
  intervalMs = 100,
): PersistenceWatcher {
  let bgsave = false;
  let rewrite = false;
  let stopped = false;
  let suspended = false;
  let resync = false;
  let running: Promise<void> = Promise.resolve();
  const poll = async (): Promise<void> => {
    if (stopped || suspended || !control.engine.isRunning()) return;
    const info = await readPersistenceInfo(endpoint).catch(() => undefined);
    if (info === undefined || stopped || suspended) return;
    const nowBgsave = info["rdb_bgsave_in_progress"] === "1";
    const nowRewrite = info["aof_rewrite_in_progress"] === "1";
    if (resync) {
      [bgsave, rewrite, resync] = [nowBgsave, nowRewrite, false];
      return;
    }
    if (nowBgsave !== bgsave)
      control.addEvent(nowBgsave ? "bgsave-start" : "bgsave-end", {
        source: "info",
        ...(nowBgsave ? {} : { status: info["rdb_last_bgsave_status"] }),
      });
    if (nowRewrite !== rewrite)
      control.addEvent(nowRewrite ? "rewrite-start" : "rewrite-end", {
        source: "info",
        ...(nowRewrite ? {} : { status: info["aof_last_bgrewrite_status"] }),
      });
    bgsave = nowBgsave;
    rewrite = nowRewrite;
  };
  const timer = setInterval(() => {
    running = running.then(poll);
  }, intervalMs);
  return {
    suspend() {
      suspended = true;
    },
    resume() {
      suspended = false;
      resync = true;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
