// Open-loop latency with outages back-filled: an op scheduled while the engine was down is charged the time
// until the next acknowledged op of any client, measured from its intended send time.
import { describe, expect, it } from "vitest";
import type { Op } from "../../../src/harness/history/op.ts";
import { summarizeOutageLatency } from "../../../src/harness/nemesis/outage-latency.ts";

const MS = 1000;
const op = (id: number, type: Op["type"], intendedMs: number | undefined, completeMs: number): Op => ({
  id,
  client: 0,
  f: "SET",
  key: `k${id}`,
  value: `w${id}`,
  type,
  invokeUs: (intendedMs ?? completeMs) * MS,
  completeUs: completeMs * MS,
  ...(intendedMs === undefined ? {} : { intendedUs: intendedMs * MS }),
});

describe("summarizeOutageLatency", () => {
  it("is undefined for closed-loop histories (no intended send times)", () => {
    expect(summarizeOutageLatency([op(1, "ok", undefined, 5)])).toBeUndefined();
  });

  it("charges ops failed during an outage until the next acknowledged op", () => {
    // Ops every 100 ms; the engine is down from 150 ms to 1000 ms: ops at 200..900 fail at once.
    const history: Op[] = [op(1, "ok", 0, 1), op(2, "ok", 100, 101)];
    for (let t = 200; t <= 900; t += 100) history.push(op(t, "fail", t, t));
    history.push(op(1000, "ok", 1000, 1002));
    const summary = summarizeOutageLatency(history);
    expect(summary).toMatchObject({ samples: 11, backfilled: 8, maxMs: 802 });
    expect(summary?.p50Ms).toBe(302);
  });

  it("leaves out failed ops that no later acknowledgement can bound", () => {
    const summary = summarizeOutageLatency([op(1, "ok", 0, 2), op(2, "info", 10, 20)]);
    expect(summary).toMatchObject({ samples: 1, backfilled: 0, p50Ms: 2 });
  });
});
