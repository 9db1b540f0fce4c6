// Micro suite: the harness's per-op costs on the load-generation hot path (key picking, op generation).
import type { MicroSuite } from "../suite.ts";
import { createRng } from "../../shared/rng.ts";
import { createKeyPicker } from "../../workload/keys.ts";
import { OpGenerator } from "../../workload/ops.ts";
import { parseScenario } from "../../scenario/load.ts";

/** Key pickers and op generation. */
export const workloadOpsSuite: MicroSuite = {
  name: "workload-ops",
  description: "key pickers (uniform, zipf over 1M keys) and op generation with unique write values",
  addTasks(bench) {
    const rng = createRng(1);
    const uniform = createKeyPicker({ count: 1_000_000, distribution: "uniform", skew: 0.99, prefix: "" }, rng);
    const zipf = createKeyPicker({ count: 1_000_000, distribution: "zipf", skew: 0.99, prefix: "" }, rng);
    const scenario = parseScenario({
      name: "micro",
      workload: { mix: { SET: 1, GET: 1, HSET: 1, INCR: 1 }, values: 100 },
    });
    const generator = new OpGenerator(scenario.workload, rng, 0);
    let id = 0;
    bench.add("pick uniform key", () => {
      uniform.next();
    });
    bench.add("pick zipf key (1M)", () => {
      zipf.next();
    });
    bench.add("generate op (mix of 4, 100 B values)", () => {
      generator.next(++id);
    });
  },
};
