// The shape of a micro-benchmark suite: a name, a description and a function that adds tinybench tasks.
import type { Bench } from "tinybench";

/** One tinybench suite (registered explicitly in suites/index.ts). */
export interface MicroSuite {
  name: string;
  description: string;
  /** Adds the suite's tasks to a Bench. */
  addTasks(bench: Bench): void | Promise<void>;
}
