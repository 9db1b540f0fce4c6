// Machine noise over measured windows: the share of the machine's CPU time the hypervisor took away (steal)
// and how busy its CPUs were, from the "cpu" line of /proc/stat (Linux). On a shared VM, steal is what turns
// a clean measurement into a depressed one: in one hour on this project's 2-vCPU VM, steal went from 0 to a
// third of all CPU time, and the same server's throughput halved with it. A throughput figure means little
// without it, so every run reports it and readers can set noisy runs aside.
import { readFileSync } from "node:fs";
import type { NotMeasured } from "../shared/not-measured.ts";

/** Cumulative CPU time of all CPUs, in clock ticks (the "cpu" line of /proc/stat). */
export interface CpuTimes {
  /** Time the hypervisor ran something else while a vCPU wanted to run. */
  steal: number;
  /** Time spent running (user, nice, system, irq, softirq; steal excluded). */
  busy: number;
  /** Every field summed (guest time is already inside user). */
  total: number;
}

/** Machine noise over one or more windows. */
export interface MachineNoise {
  measured: true;
  /** Steal as a percentage of all CPU time of all CPUs in the windows. */
  cpuStealPct: number;
  /** Running time (steal excluded) as a percentage of all CPU time: the load on the machine, this harness's included. */
  cpuBusyPct: number;
  /** Seconds of CPU time per CPU covered by the windows. */
  sampledSec: number;
  /**
   * How busy the harness's own event loop was over the same windows (% of wall time); absent where the
   * runtime does not report it (Deno). At SATURATED_LOOP_PCT (90%) or more the load generator may have been
   * the bottleneck.
   */
  harnessLoopBusyPct?: number;
}

/** Steal at or above this share of CPU time marks a run's figures as depressed by the machine. */
export const NOISY_STEAL_PCT = 5;

/** Parses the "cpu" line of a /proc/stat text; null when it has none. */
export function parseCpuTimes(procStat: string): CpuTimes | null {
  const line = procStat.split("\n").find((text) => text.startsWith("cpu "));
  if (line === undefined) return null;
  // user nice system idle iowait irq softirq steal [guest guest_nice: already counted in user and nice]
  const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (fields.length < 8 || fields.some((value) => !Number.isFinite(value))) return null;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return {
    steal,
    busy: user + nice + system + irq + softirq,
    total: user + nice + system + idle + iowait + irq + softirq + steal,
  };
}

/** The machine's CPU times now, or null where /proc/stat is missing (not Linux) or unreadable. */
export function readCpuTimes(): CpuTimes | null {
  try {
    return parseCpuTimes(readFileSync("/proc/stat", "utf8"));
  } catch {
    return null;
  }
}

/** Sums CPU-time deltas over windows (start() ... stop(), any number of times) and reports them. */
export class CpuStealMeter {
  readonly #cpus: number;
  #open: CpuTimes | null = null;
  #steal = 0;
  #busy = 0;
  #total = 0;
  #unavailable = false;

  /** `cpus`: the machine's CPU count, to turn summed ticks into seconds per CPU. */
  constructor(cpus: number) {
    this.#cpus = Math.max(1, cpus);
  }

  /** Opens a window (a window already open is closed first). */
  start(): void {
    if (this.#open !== null) this.stop();
    this.#open = readCpuTimes();
    if (this.#open === null) this.#unavailable = true;
  }

  /** Closes the open window, adding its deltas. */
  stop(): void {
    const before = this.#open;
    this.#open = null;
    if (before === null) return;
    const after = readCpuTimes();
    if (after === null) {
      this.#unavailable = true;
      return;
    }
    this.#steal += after.steal - before.steal;
    this.#busy += after.busy - before.busy;
    this.#total += after.total - before.total;
  }

  /** The noise over every closed window, or why it was not measured. */
  result(ticksPerSecond = 100): MachineNoise | NotMeasured {
    if (this.#unavailable)
      return { measured: false, reason: "/proc/stat is not readable here (steal is measured on Linux only)" };
    if (this.#total <= 0) return { measured: false, reason: "no measured window was long enough to read CPU times" };
    const percent = (ticks: number): number => Math.round((1000 * ticks) / this.#total) / 10;
    return {
      measured: true,
      cpuStealPct: percent(this.#steal),
      cpuBusyPct: percent(this.#busy),
      sampledSec: Math.round((100 * this.#total) / this.#cpus / ticksPerSecond) / 100,
    };
  }
}
