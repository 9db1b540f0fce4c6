// Test helper: is redis-server installed (re-exported from test/helpers/servers.ts; tests that need it FAIL
// under CI=true when it is missing, skip otherwise), and /proc checks for child and orphan processes.
import { existsSync, readFileSync, readdirSync } from "node:fs";

export { SKIP_WITHOUT_REDIS, hasRedisServer } from "../../helpers/servers.ts";

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
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(needle) && isAlive(Number(entry)))
        out.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

// readdir that never throws.
function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
