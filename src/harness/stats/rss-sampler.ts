// Samples a process's memory from /proc/<pid>/status (VmRSS, VmHWM) at an interval; Linux only.
import { readFile } from "node:fs/promises";

/** Memory figures read from /proc/<pid>/status, in bytes. */
export interface MemorySample {
  rssBytes: number;
  hwmBytes: number;
}

/** Reads VmRSS/VmHWM once; undefined when the process is gone or /proc is unavailable. */
export async function readProcessMemory(pid: number): Promise<MemorySample | undefined> {
  try {
    const text = await readFile(`/proc/${pid}/status`, "utf8");
    const kb = (field: string): number =>
      Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? 0) * 1024;
    return { rssBytes: kb("VmRSS"), hwmBytes: kb("VmHWM") };
  } catch {
    return undefined;
  }
}

/** Private (not shared with the parent) memory of a process, from /proc/<pid>/smaps_rollup: a fork's real copy-on-write cost. */
export async function readPrivateBytes(pid: number): Promise<number | undefined> {
  try {
    const text = await readFile(`/proc/${pid}/smaps_rollup`, "utf8");
    const kb = (field: string): number =>
      Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? 0) * 1024;
    return kb("Private_Clean") + kb("Private_Dirty");
  } catch {
    return undefined;
  }
}

/** Samples the engine's memory until stopped: VmRSS of the main pid plus the private memory of its children
 * (Redis's BGSAVE/rewrite fork shares pages copy-on-write, so only its private pages are extra). Returns the peak. */
export function startRssSampler(
  getPids: () => number[] | Promise<number[]>,
  intervalMs = 100,
): { stop(): Promise<{ peakRssBytes: number; samples: number }> } {
  let peak = 0;
  let samples = 0;
  let stopped = false;
  const tick = async (): Promise<void> => {
    let total = 0;
    const [main, ...children] = await getPids();
    if (main !== undefined) total += (await readProcessMemory(main))?.rssBytes ?? 0;
    for (const pid of children) total += (await readPrivateBytes(pid)) ?? (await readProcessMemory(pid))?.rssBytes ?? 0;
    if (total > 0) samples++;
    peak = Math.max(peak, total);
  };
  let running = tick();
  const timer = setInterval(() => {
    if (!stopped) running = running.then(tick);
  }, intervalMs);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      return { peakRssBytes: peak, samples };
    },
  };
}

/** Lists the direct children of a pid (e.g. Redis's BGSAVE / rewrite fork) via /proc/<pid>/task/<pid>/children. */
export async function listChildPids(pid: number): Promise<number[]> {
  try {
    const text = await readFile(`/proc/${pid}/task/${pid}/children`, "utf8");
    return text
      .trim()
      .split(/\s+/)
      .filter((s) => s !== "")
      .map(Number);
  } catch {
    return [];
  }
}
