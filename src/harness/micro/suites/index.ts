// The registered micro suites (explicit list: no directory scanning, so it works under Deno and bundlers).
// Engine helpers add their suites (RESP parse, RDB encode, AOF append) here.
import type { MicroSuite } from "../suite.ts";
import { statsSuite } from "./stats.ts";
import { workloadOpsSuite } from "./workload-ops.ts";

/** Every suite `persistlab micro` knows. */
export const MICRO_SUITES: readonly MicroSuite[] = [workloadOpsSuite, statsSuite];
