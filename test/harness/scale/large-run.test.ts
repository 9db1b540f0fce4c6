// A run the size of a full crash-loss strategy and more: 520,000 acknowledged writes, 320,000 of them lost in
// one round (a strategy without persistence loses the whole closed-loop throughput phase at the first kill),
// a timeline of 150,000 buckets. The checker, the durability metrics, the HTML and markdown reports and both
// terminal summaries must get through it: call-argument spreads (`push(...lost)`, `Math.max(...windows)`)
// threw "Maximum call stack size exceeded" on such runs.
import { describe, expect, it } from "vitest";
import { checkDurability } from "../../../src/harness/checker/durability.ts";
import type { Op } from "../../../src/harness/history/op.ts";
import { renderSummary } from "../../../src/harness/cli/summary.ts";
import { buildDurabilityMetrics, toCrashRound } from "../../../src/harness/nemesis/durability-metrics.ts";
import type { RoundRecord } from "../../../src/harness/nemesis/round-record.ts";
import { renderReport } from "../../../src/harness/report/html.ts";
import { renderMarkdown } from "../../../src/harness/report/markdown.ts";
import { readResults } from "../../../src/harness/report/read-results.ts";
import { renderTerminalSummary } from "../../../src/harness/report/terminal.ts";

const KEYS = 5000;
const FIRST_ROUND_WRITES = 320_000;
const LATER_ROUNDS = 50;
const WRITES_PER_LATER_ROUND = 4000;
const TIMELINE_BUCKETS = 150_000;

// A history like crash-loss's: a closed-loop burst (about 100 writes per ms), then 2 writes per ms between
// kills. Every write is acknowledged, a few hundred are failures or unknowns.
function buildRun(): { history: Op[]; records: RoundRecord[] } {
  const history: Op[] = [];
  const records: RoundRecord[] = [];
  let id = 0;
  let nowUs = 1000;
  const write = (stepUs: number): void => {
    nowUs += stepUs;
    const type = id % 5000 === 4999 ? (id % 2 === 0 ? "fail" : "info") : "ok";
    const op: Op = {
      id,
      client: id % 16,
      f: "SET",
      key: `key:${(id * 7919) % KEYS}`,
      value: `w${id}|xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
      type,
      invokeUs: nowUs,
      intendedUs: nowUs,
    };
    if (type !== "info") op.completeUs = nowUs + 300;
    if (type !== "ok") op.error = type === "fail" ? "Connection is closed." : "Command timed out";
    history.push(op);
    id += 1;
  };
  const crash = (index: number, readBack: Map<string, string>): void => {
    nowUs += 5000;
    const started = {
      restart: "ok" as const,
      truncatedTail: false,
      repairs: [],
      readyMs: 12,
      recoveryMs: 10,
      running: true,
    };
    records.push({
      index,
      fault: { index, kind: "kill", gapMs: 800, strikeFraction: 0.5, seed: index },
      crashKind: "kill",
      crash: { signal: "SIGKILL", exit: { exitCode: undefined, signal: "SIGKILL" }, children: [], crashUs: nowUs },
      trigger: { kind: "kill", hit: "n/a" },
      lastSaveUs: null,
      writePostponed: false,
      live: started,
      downtimeMs: 40,
      verification: { start: started, readBack, readMs: 3 },
    });
    nowUs += 40_000;
  };
  for (let n = 0; n < FIRST_ROUND_WRITES; n++) write(10);
  crash(0, new Map()); // nothing survives: every acknowledged write of the burst is lost
  const state = new Map<string, string>();
  for (let round = 1; round <= LATER_ROUNDS; round++) {
    for (let n = 0; n < WRITES_PER_LATER_ROUND; n++) write(500);
    // Everything acknowledged since the first kill survives (the last value written per key).
    for (const op of history.slice(-WRITES_PER_LATER_ROUND))
      if (op.type === "ok" && op.value !== undefined) state.set(op.key, op.value);
    crash(round, new Map(state));
  }
  return { history, records };
}

describe("a run of half a million acknowledged writes", () => {
  it("goes through the checker, the durability metrics, both reports and both summaries", () => {
    const { history, records } = buildRun();
    const policy = { persistence: "aof", appendfsync: "no" } as const;
    const checked = checkDurability({ history, rounds: records.map(toCrashRound), policy });
    expect(checked.totals.ackedWrites).toBeGreaterThanOrEqual(500_000);
    expect(checked.totals.lost).toBeGreaterThanOrEqual(300_000);
    expect(checked.rounds[0]?.lost).toBe(checked.rounds[0]?.ackedWrites);
    expect(checked.rounds.slice(1).every((round) => round.lost === 0 && round.verdict === "ok")).toBe(true);
    expect(checked.totals.lossWindowMs?.max).toBeGreaterThan(3000); // the burst's first writes, 3.2 s before the kill
    expect(checked.valid).toBe(false); // aof-no promises no loss on a kill

    const durability = buildDurabilityMetrics({
      records,
      result: checked,
      policy,
      plannedFaults: records.length,
      faultsDone: records.length,
      powerLoss: { asked: false, unavailable: undefined },
      seed: 42,
      reproduce: "persistlab run crash-loss --seed 42",
    });
    expect(durability).toMatchObject({
      kills: LATER_ROUNDS + 1,
      lost: checked.totals.lost,
      acked: checked.totals.ackedWrites,
      verdict: "fail",
      violations: 1,
    });
    expect(durability.lossWindowMs.max).toBeGreaterThan(3000);

    // Into a results file: the strategy-matrix fixture's two aof-no runs carry these figures and a long timeline.
    const results = readResults("test/fixtures/results/strategy-matrix.json");
    const runs = results.runs.filter((candidate) => candidate.strategy === "aof-no");
    expect(runs).toHaveLength(2);
    for (const run of runs) {
      run.metrics.durability = durability;
      run.historyOps = history.length;
      const bucketMs = run.metrics.throughput.bucketMs;
      run.metrics.throughput.timeline = Array.from({ length: TIMELINE_BUCKETS }, (_, index) => ({
        tMs: index * bucketMs,
        ok: 1000,
        fail: index % 97 === 0 ? 3 : 0,
        info: 0,
        opsPerSec: 2000,
        p99Ms: 1 + (index % 7),
      }));
      run.durationMs = TIMELINE_BUCKETS * bucketMs;
    }
    const lostByBoth = (2 * checked.totals.lost).toLocaleString("en-US");

    const html = renderReport(results);
    expect(html).toContain(`"timeline-1"`);
    expect(html.length).toBeGreaterThan(TIMELINE_BUCKETS * 10);
    expect(renderMarkdown(results)).toMatch(new RegExp(`^\\| \\*\\*aof-no\\*\\*.*\\| ${lostByBoth} \\|`, "m"));
    expect(renderTerminalSummary(results)).toMatch(new RegExp(`^aof-no\\s+2\\s.*\\s${lostByBoth}\\s`, "m"));
    expect(renderSummary(results)).toMatch(/^aof-no\s+2\s+ok\s/m);
  });
});
