// Runs micro suites with tinybench and returns plain rows (tinybench latencies are in ms; we report ns).
import { Bench } from "tinybench";
import type { MicroSuite } from "./suite.ts";

/** One task's result. */
export interface MicroRow {
  suite: string;
  task: string;
  state: string;
  opsPerSec: number;
  meanNs: number;
  p99Ns: number;
  rmePercent: number;
  samples: number;
}

/** Runs the suites one after another for `timeMs` per task. */
export async function runMicroSuites(suites: readonly MicroSuite[], options: { timeMs: number }): Promise<MicroRow[]> {
  const rows: MicroRow[] = [];
  for (const suite of suites) {
    const bench = new Bench({ name: suite.name, time: options.timeMs, warmup: true });
    await suite.addTasks(bench);
    await bench.run();
    for (const task of bench.tasks) {
      const result = task.result as {
        state: string;
        latency?: { mean: number; p99: number; rme: number; samplesCount: number };
        throughput?: { mean: number };
      };
      rows.push({
        suite: suite.name,
        task: task.name,
        state: result.state,
        opsPerSec: Math.round(result.throughput?.mean ?? 0),
        meanNs: Math.round((result.latency?.mean ?? 0) * 1e6),
        p99Ns: Math.round((result.latency?.p99 ?? 0) * 1e6),
        rmePercent: Math.round((result.latency?.rme ?? 0) * 100) / 100,
        samples: result.latency?.samplesCount ?? 0,
      });
    }
  }
  return rows;
}
