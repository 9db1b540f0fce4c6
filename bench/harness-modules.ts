// The compiled harness modules the harness benchmarks drive (dist/, built by the npm script: what the CLI
// runs), loaded once for bench/harness.ts and bench/harness-profile.ts.
import type * as EngineModule from "../src/harness/engines/create-engine.ts";
import type * as RecorderModule from "../src/harness/history/recorder.ts";
import type * as DriverModule from "../src/harness/run/workload-driver.ts";
import type * as LoadModule from "../src/harness/scenario/load.ts";
import type * as RngModule from "../src/harness/shared/rng.ts";
import type * as LatencyModule from "../src/harness/stats/latency-recorder.ts";
import type * as TimelineModule from "../src/harness/stats/timeline.ts";
import type * as SinkModule from "../src/harness/workload/sink.ts";

// BENCH_HARNESS_DIST=DIR loads another build (e.g. a copy of dist/ from before a change, for an A/B run).
const DIST =
  process.env.BENCH_HARNESS_DIST === undefined
    ? new URL("../dist/src/harness/", import.meta.url)
    : new URL(`file://${process.env.BENCH_HARNESS_DIST}/src/harness/`);
const load = <T>(path: string): Promise<T> => import(new URL(path, DIST).href) as Promise<T>;

export const { createEngine } = await load<typeof EngineModule>("engines/create-engine.js");
export const { closeHistoryStream, HistoryRecorder, openHistoryStream } =
  await load<typeof RecorderModule>("history/recorder.js");
export const { WorkloadDriver } = await load<typeof DriverModule>("run/workload-driver.js");
export const { parseScenario } = await load<typeof LoadModule>("scenario/load.js");
export const { createRng } = await load<typeof RngModule>("shared/rng.js");
export const { LatencyRecorder } = await load<typeof LatencyModule>("stats/latency-recorder.js");
export const { TimelineRecorder } = await load<typeof TimelineModule>("stats/timeline.js");
export const { OpSink } = await load<typeof SinkModule>("workload/sink.js");
