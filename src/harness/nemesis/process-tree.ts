// The engine's process tree (Linux /proc): its fork children, e.g. a Redis BGSAVE or rewrite child, which
// survive a SIGKILL of their parent. A crash of the machine (or a container) takes them all: freeze the
// parent (SIGSTOP, so it cannot fork again), SIGKILL every descendant, then let the caller kill the parent.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { appendAll } from "../shared/bulk-arrays.ts";

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// Direct children of a pid, over all its threads.
function listChildren(pid: number): number[] {
  const children: number[] = [];
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return children;
  }
  for (const tid of tasks) {
    try {
      for (const part of readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").trim().split(/\s+/))
        if (part !== "") children.push(Number(part));
    } catch {
      // thread gone
    }
  }
  return children;
}

/** Every descendant of pid (children first-level first), from /proc; empty where /proc is missing. */
export function listDescendants(pid: number): number[] {
  const out: number[] = [];
  const queue = listChildren(pid);
  while (queue.length > 0 && out.length < 10_000) {
    const next = queue.shift() as number;
    if (out.includes(next)) continue;
    out.push(next);
    appendAll(queue, listChildren(next));
  }
  return out;
}

/** True while pid exists and is not a zombie. */
export function isProcessAlive(pid: number): boolean {
  if (!existsSync(`/proc/${pid}`)) {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return false;
  }
}

/**
 * Freezes pid and SIGKILLs all its descendants (waiting up to 2 s for them to die). Returns the descendants
 * killed. The caller then kills pid itself (SIGKILL reaches a stopped process).
 */
export async function killDescendants(pid: number): Promise<number[]> {
  try {
    process.kill(pid, "SIGSTOP");
  } catch {
    return [];
  }
  const descendants = listDescendants(pid);
  for (const child of descendants) {
    try {
      process.kill(child, "SIGKILL");
    } catch {
      // already gone
    }
  }
  for (let attempt = 0; attempt < 200 && descendants.some(isProcessAlive); attempt++) await sleep(10);
  return descendants;
}
