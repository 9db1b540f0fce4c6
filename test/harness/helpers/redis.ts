// Test helper: is redis-server installed? Tests that need it FAIL under CI=true when it is missing, skip otherwise.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";

/** True when redis-server runs. */
export function hasRedisServer(): boolean {
  try {
    execFileSync("redis-server", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Whether redis-dependent tests should be skipped (never under CI=true: they fail there instead). */
export const SKIP_WITHOUT_REDIS = !hasRedisServer() && process.env["CI"] !== "true";

/** PIDs whose parent is `ppid` (from /proc), for orphan checks. */
export function listChildren(ppid: number): number[] {
  try {
    return readFileSync(`/proc/${ppid}/task/${ppid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** True while a pid exists (and is not a zombie). */
export function isAlive(pid: number): boolean {
  if (!existsSync(`/proc/${pid}`)) return false;
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return false;
  }
}

/** All processes (pid → command line) whose command line contains `needle`. */
export function findProcesses(needle: string): number[] {
  const out: number[] = [];
  for (const entry of readdirSafe("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(needle) && isAlive(Number(entry))) out.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

import { readdirSync } from "node:fs";
// readdir that never throws.
function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
