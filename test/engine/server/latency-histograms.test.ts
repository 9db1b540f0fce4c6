// LatencyHistograms: the buckets and µs labels LATENCY HISTOGRAM prints, checked against what
// redis-server 7.0.15 printed for the same durations (DEBUG SLEEP 0.003 / 0.03 / 0.3 gave 4227,
// 33816 and 541065; fast SETs gave 8, 16 and 66).
import { describe, expect, it } from "vitest";
import { LatencyHistograms } from "../../../src/engine/server/latency-histograms.ts";

describe("LatencyHistograms", () => {
  it("labels buckets with the top of Redis's HDR range in µs and counts cumulatively", () => {
    const histograms = new LatencyHistograms();
    for (const ns of [3e6, 3e7, 3e8]) histograms.record("debug", ns);
    expect(histograms.get("debug")).toEqual({
      calls: 3,
      cumulative: [
        [4227, 1],
        [33816, 2],
        [541065, 3],
      ],
    });
    for (const ns of [8000, 8255, 8256, 16000, 60000]) histograms.record("set", ns);
    expect(histograms.get("set")).toEqual({
      calls: 5,
      cumulative: [
        [8, 2],
        [16, 4],
        [66, 5],
      ],
    });
  });

  it("clamps to 1024 ns and 1 s as Redis does, keeps commands by full name, and resets", () => {
    const histograms = new LatencyHistograms();
    histograms.record("client|id", 10);
    histograms.record("client|id", 5e9);
    expect(histograms.get("client|id")).toEqual({
      calls: 2,
      cumulative: [
        [1, 1],
        [1082130, 2],
      ],
    });
    histograms.record("config|resetstat", 2000);
    expect(histograms.names()).toEqual(["client|id", "config|resetstat"]);
    expect(histograms.get("client")).toBeUndefined();
    histograms.reset();
    expect(histograms.names()).toEqual([]);
  });
});
