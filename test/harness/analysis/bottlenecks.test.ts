// Bottlenecks said out loud: a phase with the machine's CPU (or the load generator) saturated marks the figures
// it produced as machine-bound in the analysis, the run summary, the report and recommend's reasoning.
import { describe, expect, it } from "vitest";
import { analyzeResults } from "../../../src/harness/analysis/analysis.ts";
import { findSaturatedPhases, SATURATED_CPU_PCT } from "../../../src/harness/analysis/bottlenecks.ts";
import { renderVerdictSummary } from "../../../src/harness/cli/verdict-summary.ts";
import { recommendStrategy } from "../../../src/harness/recommend/recommend-strategy.ts";
import { renderReport } from "../../../src/harness/report/html.ts";
import { readResults } from "../../../src/harness/report/read-results.ts";
import type { Results } from "../../../src/harness/results/schema.ts";

// The recorded matrix with per-phase machine figures: `busy` (% CPU) and loop busy per strategy's steady phase.
function withMachine(busy: (strategy: string) => { cpu: number; loop: number }): Results {
  const results = readResults("test/fixtures/results/strategy-matrix.json");
  for (const run of results.runs) {
    for (const phase of run.phases) {
      const { cpu, loop } = phase.record ? busy(run.strategy) : { cpu: 40, loop: 20 };
      phase.executor = "closed";
      phase.machine = { measured: true, cpuStealPct: 0, cpuBusyPct: cpu, sampledSec: 18, harnessLoopBusyPct: loop };
    }
  }
  return results;
}

describe("bottleneck marking", () => {
  it("marks only the strategy whose measured phase saturated the machine's CPU", () => {
    const results = withMachine((strategy) => (strategy === "rdb" ? { cpu: 97.5, loop: 60 } : { cpu: 55, loop: 40 }));
    const saturated = findSaturatedPhases(results);
    expect(saturated.map((entry) => `${entry.run}/${entry.phase}`)).toEqual(["rdb#1/steady", "rdb#2/steady"]);
    expect(saturated[0]?.by).toEqual(["machine CPU"]);
    const analysis = analyzeResults(results);
    expect(analysis.figures["rdb"]?.["throughput.opsPerSec"]?.boundedBy).toEqual(["machine CPU"]);
    expect(analysis.figures["rdb"]?.["latency.p99Ms"]?.boundedBy).toEqual(["machine CPU"]);
    expect(analysis.figures["rdb"]?.["recovery.readyMs"]?.boundedBy).toBeUndefined();
    expect(analysis.figures["none"]?.["throughput.opsPerSec"]?.boundedBy).toBeUndefined();
    expect(analysis.bottlenecks.bound).toEqual([
      {
        strategy: "rdb",
        metrics: ["throughput.opsPerSec", "latency.p50Ms", "latency.p99Ms", "latency.p999Ms"],
        cpuBusyPct: 97.5,
        by: ["machine CPU"],
        runs: "2 of 2 run(s)",
      },
    ]);

    const summary = renderVerdictSummary(results);
    expect(summary).toContain("bottleneck: 2 load phase(s) ran with the machine's CPU or the load generator saturated");
    expect(summary).toContain(
      "rdb: closed-loop throughput and latency (machine CPU, CPU up to 97.5 % busy, 2 of 2 run(s))",
    );
    expect(summary).toMatch(/^rdb +\S+ \[[^\]]+\] \*/m);
    expect(summary).not.toMatch(/^none +\S+ \[[^\]]+\] \*/m);

    const html = renderReport(results);
    const rdbRow =
      /<tr><td class="text"><strong>rdb<\/strong>[\s\S]*?<\/tr>/.exec(
        html.slice(html.indexOf('id="verdict-table"')),
      )?.[0] ?? "";
    expect(rdbRow.match(/machine-bound/g)).toHaveLength(3);
    const noneRow =
      /<tr><td class="text"><strong>none<\/strong>[\s\S]*?<\/tr>/.exec(
        html.slice(html.indexOf('id="verdict-table"')),
      )?.[0] ?? "";
    expect(noneRow).not.toContain("machine-bound");
    expect(html).toContain('<div id="bottlenecks"><p>2 load phase(s) ran with the machine');
    // A cost claim resting on rdb's machine-bound throughput is left undecided, whatever the gap.
    const session = analysis.claims.find((claim) => claim.use === "Session store");
    expect(session?.evidence[0]).toMatch(
      /machine-bound throughput: the machine was saturated, so these figures are not the strategies' cost$/,
    );
    expect(analysis.claims.find((claim) => claim.use === "Financial data")?.evidence[1]).not.toContain("machine");
  });

  it("names the load generator when the harness's event loop was the limit, and recommend says so", () => {
    const results = withMachine(() => ({ cpu: 70, loop: 96 }));
    expect(findSaturatedPhases(results).every((entry) => entry.by.join() === "load generator")).toBe(true);
    const recommendation = recommendStrategy(results, { maxLossMs: 2000 });
    expect(recommendation.explanation).toContain(
      "the throughput figures were bounded by the machine (load generator saturated, CPU up to 70.0 % busy in 2 of 2 run(s))",
    );
  });

  it("marks nothing below the thresholds, and reads the run's figure when phases have none (older files)", () => {
    const quiet = withMachine(() => ({ cpu: SATURATED_CPU_PCT - 1, loop: 50 }));
    expect(findSaturatedPhases(quiet)).toEqual([]);
    expect(renderReport(quiet)).toContain("No load phase saturated the machine's CPU or the load generator");
    const older = readResults("test/fixtures/results/strategy-matrix.json");
    for (const run of older.runs)
      run.metrics.machine = { measured: true, cpuStealPct: 0, cpuBusyPct: 92, sampledSec: 18 };
    expect(findSaturatedPhases(older)).toHaveLength(older.runs.length);
    expect(renderVerdictSummary(older)).toContain("bottleneck:");
  });
});
