// Gate on recorded results: thresholds pass/fail, baseline regression, noise that is not a regression, bad input.
import { describe, expect, it } from "vitest";
import { evaluateGate, parseRegressionLimit } from "../../../src/harness/gate/evaluate-gate.ts";
import { EXIT_CODES } from "../../../src/harness/shared/exit-codes.ts";
import { readResults } from "../../../src/harness/report/read-results.ts";

const fixture = (name: string) => readResults(`test/fixtures/results/${name}`);

describe("evaluateGate", () => {
  it("passes when every threshold holds", () => {
    const result = evaluateGate(fixture("smoke-pass.json"));
    expect(result.exitCode).toBe(EXIT_CODES.OK);
    expect(result.checks.length).toBeGreaterThan(4);
    expect(result.checks.every((c) => c.status === "pass")).toBe(true);
  });

  it("fails thresholds naming the metric, value and limit", () => {
    const result = evaluateGate(fixture("smoke-threshold-fail.json"));
    expect(result.exitCode).toBe(99);
    const failed = result.checks.filter((c) => c.status === "fail").map((c) => c.message);
    expect(failed).toContain("latency p(99)<3 [aof-always]: FAIL, value 4.60 ms, limit < 3 ms");
    expect(failed.some((m) => m.startsWith("durability lost==0 [aof-everysec]: FAIL, value"))).toBe(true);
    expect(failed.some((m) => m.startsWith("throughput opsPerSec>20000 [aof-always]: FAIL, value 9400 ops/s"))).toBe(
      true,
    );
    expect(failed).toHaveLength(3);
  });

  it("fails durability violations==0 on a run with a round that broke its policy's promise", () => {
    const results = fixture("smoke-pass.json");
    results.scenario.thresholds = { durability: [{ threshold: "violations==0", abortOnFail: false }] };
    for (const [index, other] of results.runs.entries()) {
      other.metrics.durability = {
        kills: 3,
        acked: 100,
        lost: 2,
        corrupt: 0,
        lossWindowMs: { max: 60, p50: 60 },
        survivedUnacked: 0,
        failedRestarts: 0,
        repairs: 0,
        verdict: index === 0 ? "fail" : "pass",
        violations: index === 0 ? 1 : 0,
      };
    }
    const run = results.runs[0]!;
    const failed = evaluateGate(results)
      .checks.filter((c) => c.status === "fail")
      .map((c) => c.message);
    expect(failed).toEqual([`durability violations==0 [${run.strategy}]: FAIL, value 1 rounds, limit == 0 rounds`]);
  });

  it("reports a consistent regression against the baseline (exit 98)", () => {
    const result = evaluateGate(fixture("candidate-regressed.json"), {
      baseline: fixture("baseline.json"),
      maxRegression: 0.1,
    });
    expect(result.exitCode).toBe(EXIT_CODES.REGRESSION);
    const ids = result.regressions.map((r) => `${r.strategy} ${r.metricId}`);
    expect(ids).toContain("aof-everysec throughput.opsPerSec");
    expect(ids).toContain("aof-everysec latency.p99Ms");
    expect(ids.some((id) => id.startsWith("aof-always"))).toBe(false);
    expect(result.regressions[0]?.message).toMatch(
      /^throughput\.opsPerSec \[aof-everysec\]: REGRESSION, value \d+ ops\/s vs baseline \d+ ops\/s \(29\.6 % worse; limit 10 %, 95 % CI of change -31\.1 %…-28\.1 %\)$/,
    );
  });

  it("notes CPU steal beside a regression measured on a noisy machine, without changing the verdict", () => {
    const candidate = fixture("candidate-regressed.json");
    for (const run of candidate.runs)
      run.metrics.machine = {
        measured: true,
        cpuStealPct: run.strategy === "aof-everysec" ? 12.5 : 0.2,
        cpuBusyPct: 70,
        sampledSec: 5,
      };
    const result = evaluateGate(candidate, { baseline: fixture("baseline.json"), maxRegression: 0.1 });
    expect(result.exitCode).toBe(EXIT_CODES.REGRESSION);
    const throughput = result.regressions.find((r) => r.metricId === "throughput.opsPerSec");
    expect(throughput?.message).toContain("note: the candidate's runs saw up to 12.5 % CPU steal");
    // Quiet runs (and files without the figure, like the baseline) get no note.
    const quiet = evaluateGate(fixture("candidate-regressed.json"), {
      baseline: fixture("baseline.json"),
      maxRegression: 0.1,
    });
    expect(quiet.regressions.every((r) => !r.message.includes("CPU steal"))).toBe(true);
  });

  it("does not cry wolf on noise: a 12 % lower but widely spread mean passes", () => {
    const result = evaluateGate(fixture("candidate-noise.json"), {
      baseline: fixture("baseline.json"),
      maxRegression: 0.1,
    });
    const throughput = result.compared.find(
      (r) => r.strategy === "aof-everysec" && r.metric.id === "throughput.opsPerSec",
    );
    expect(throughput?.change).toBeLessThan(-0.1);
    expect(throughput?.verdict).toBe("inconclusive");
    expect(result.regressions).toEqual([]);
    expect(result.exitCode).toBe(EXIT_CODES.OK);
  });

  it("passes an improvement and lets thresholds win over regressions", () => {
    expect(evaluateGate(fixture("candidate-improved.json"), { baseline: fixture("baseline.json") }).exitCode).toBe(0);
    const both = evaluateGate(fixture("smoke-threshold-fail.json"), { baseline: fixture("candidate-improved.json") });
    expect(both.exitCode).toBe(EXIT_CODES.THRESHOLDS_FAILED);
  });

  it("parses --max-regression", () => {
    expect(parseRegressionLimit("10%")).toBeCloseTo(0.1);
    expect(parseRegressionLimit("0.25")).toBeCloseTo(0.25);
    expect(parseRegressionLimit("15")).toBeCloseTo(0.15);
    expect(() => parseRegressionLimit("ten")).toThrow(/--max-regression/);
  });

  it("rejects unusable files with BadResultsError (exit 97)", () => {
    expect(() => fixture("bad-schema-version.json")).toThrow(
      expect.objectContaining({ exitCode: 97, message: expect.stringMatching(/unsupported schemaVersion 999/) }),
    );
    expect(() => fixture("missing.json")).toThrow(expect.objectContaining({ exitCode: 97 }));
  });
});
