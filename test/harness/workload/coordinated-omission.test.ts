// Coordinated omission: with a fake server that stalls for 100 ms, the open loop (latency from intended send
// time) must show the stall in its percentiles, while service-time measurement (closed loop) hides it.
import { monitorEventLoopDelay } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { HistoryRecorder } from "../../../src/harness/history/recorder.ts";
import { parseScenario } from "../../../src/harness/scenario/load.ts";
import { createRng } from "../../../src/harness/shared/rng.ts";
import { LatencyRecorder } from "../../../src/harness/stats/latency-recorder.ts";
import { TimelineRecorder } from "../../../src/harness/stats/timeline.ts";
import type { CommandOutcome, WorkloadConnection } from "../../../src/harness/workload/connection.ts";
import { runClosedLoop, runOpenLoop } from "../../../src/harness/workload/executors.ts";
import { OpGenerator } from "../../../src/harness/workload/ops.ts";
import { OpSink } from "../../../src/harness/workload/sink.ts";

const STALL_FROM_MS = 200;
const STALL_UNTIL_MS = 300;

// A fake server: 1 ms service time, but nothing completes between 200 and 300 ms after `origin`.
function createStallingConnection(origin: number): WorkloadConnection {
  return {
    send(): Promise<CommandOutcome> {
      return new Promise((resolve) => {
        const now = performance.now() - origin;
        const done = now + 1 >= STALL_FROM_MS && now < STALL_UNTIL_MS ? STALL_UNTIL_MS : now + 1;
        setTimeout(() => resolve({ type: "ok", reply: "OK" }), Math.max(0, done - now));
      });
    },
    close: async () => undefined,
  };
}

// Runs one executor against the fake and returns the latency summary of all ops.
async function measure(kind: "open" | "closed") {
  const scenario = parseScenario({ name: "co", workload: { mix: { GET: 1 } } });
  const sink = new OpSink({
    startMs: performance.now(),
    latency: new LatencyRecorder(),
    timeline: new TimelineRecorder(100),
    history: new HistoryRecorder({ runId: "co", mode: "none" }),
  });
  const connection = createStallingConnection(sink.startMs);
  const generators = [new OpGenerator(scenario.workload, createRng(1), 0)];
  const stop = { durationMs: 500, ops: undefined, signal: undefined };
  const result =
    kind === "open"
      ? await runOpenLoop({ connections: [connection], generators, rate: 500, maxInFlight: 1, stop, sink })
      : await runClosedLoop({ connections: [connection], generators, pipeline: 1, stop, sink });
  const summary = sink.latency.summarize().all;
  sink.latency.destroy();
  return { summary, result };
}

describe("coordinated omission correction", () => {
  it("open loop charges the stall to every op scheduled during it", async () => {
    // On a loaded machine timers fire late; the longest event-loop delay seen is added to the upper bound.
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const { summary, result } = await measure("open");
    loopDelay.disable();
    const lateMs = loopDelay.max / 1e6;
    // Reference: 500 ops/s for 500 ms = 250 scheduled ops; the ~50 scheduled in [200, 300) ms wait for the stall
    // to end, so their latencies spread ~0..100 ms: p90 (the 225th op) falls inside that ramp, max ≈ 100 ms.
    expect(result.issued).toBeGreaterThanOrEqual(240);
    expect(summary.maxMs).toBeGreaterThan(90);
    expect(summary.maxMs).toBeLessThan(140 + lateMs);
    expect(summary.p90Ms).toBeGreaterThan(10);
  });

  it("closed loop (service time) hides the stall in everything but the max", async () => {
    const { summary } = await measure("closed");
    expect(summary.maxMs).toBeGreaterThan(80);
    expect(summary.p90Ms).toBeLessThan(5);
  });
});
