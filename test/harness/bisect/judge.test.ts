// bisect's decisions on compare's statistics, with synthetic samples: a commit like bad is bad, like good is
// good, half-way (a partial regression) is bad, inside the noise stays undecided (skip at the limit); the ends
// must regress clearly. Also --metric parsing and reading git bisect run's ending.
import { describe, expect, it } from "vitest";
import { contrastMetric } from "../../../src/harness/bisect/contrast.ts";
import { parseGitBisectOutcome } from "../../../src/harness/bisect/git-outcome.ts";
import { judgeCandidate, judgeEnds } from "../../../src/harness/bisect/judge.ts";
import { chooseMetric, type MetricChoice } from "../../../src/harness/bisect/metric-choice.ts";
import { readResults } from "../../../src/harness/report/read-results.ts";
import type { Results } from "../../../src/harness/results/schema.ts";
import { parseScenario } from "../../../src/harness/scenario/load.ts";
import { findMetric } from "../../../src/harness/report/metric-catalog.ts";

const BASE = readResults("test/fixtures/results/baseline.json");
const STRATEGY = BASE.runs[0]!.strategy;
const CHOICE: MetricChoice = { metric: findMetric("throughput.opsPerSec")!, strategy: STRATEGY };
const STATS = { minEffect: 0.02, alpha: 0.05 };

// A results file whose runs of STRATEGY have these throughputs.
function withThroughput(values: number[]): Results {
  const template = BASE.runs.find((run) => run.strategy === STRATEGY)!;
  const runs = values.map((opsPerSec, i) => ({
    ...template,
    repetition: i + 1,
    status: "ok" as const,
    metrics: { ...template.metrics, throughput: { ...template.metrics.throughput, opsPerSec } },
  }));
  return { ...BASE, runs };
}

// Judges candidate samples against good and bad samples.
function judge(good: number[], candidate: number[], bad: number[]) {
  const g = withThroughput(good),
    c = withThroughput(candidate),
    b = withThroughput(bad);
  return judgeCandidate(contrastMetric(g, c, CHOICE, STATS)!, contrastMetric(b, c, CHOICE, STATS)!);
}

const GOOD = [10_000, 10_150, 9_900, 10_050];
const BAD = [5_000, 5_100, 4_950, 5_050];

describe("judgeCandidate", () => {
  it("calls a commit measuring like the bad end bad", () => {
    expect(judge(GOOD, [5_020, 4_980, 5_080, 5_010], BAD).verdict).toBe("bad");
  });

  it("calls a commit measuring like the good end good", () => {
    expect(judge(GOOD, [10_020, 9_980, 10_100, 9_950], BAD).verdict).toBe("good");
  });

  it("calls a partial regression (half-way) bad: it is clearly worse than good", () => {
    expect(judge(GOOD, [7_500, 7_450, 7_550, 7_520], BAD).verdict).toBe("bad");
  });

  it("stays undecided when the commit's spread covers both ends (skip at the limit)", () => {
    const judged = judge(GOOD, [5_000, 10_100, 6_000, 9_800], BAD);
    expect(judged.verdict).toBe("undecided");
    expect(judged.reason).toContain("not clear yet");
  });
});

describe("judgeEnds", () => {
  it("needs a clear regression from good to bad", () => {
    expect(judgeEnds(contrastMetric(withThroughput(GOOD), withThroughput(BAD), CHOICE, STATS)!).status).toBe(
      "regressed",
    );
    expect(judgeEnds(contrastMetric(withThroughput(BAD), withThroughput(GOOD), CHOICE, STATS)!).status).toBe(
      "reversed",
    );
    expect(
      judgeEnds(contrastMetric(withThroughput(GOOD), withThroughput([10_050, 9_950, 10_100, 10_000]), CHOICE, STATS)!)
        .status,
    ).toBe("undecided");
  });
});

describe("chooseMetric", () => {
  const one = parseScenario({ name: "one", strategies: ["aof-always"], phases: [{ name: "p", duration: "1s" }] });
  const two = parseScenario({
    name: "two",
    strategies: ["none", "aof-always"],
    phases: [{ name: "p", duration: "1s" }],
  });

  it("accepts ids, labels and short names, and the scenario's only strategy", () => {
    expect(chooseMetric("throughput.opsPerSec", one)).toMatchObject({
      metric: { id: "throughput.opsPerSec" },
      strategy: "aof-always",
    });
    expect(chooseMetric("fsync p99", one)).toMatchObject({ metric: { id: "fsync.p99Us" } });
    expect(chooseMetric("lost", one)).toMatchObject({ metric: { id: "durability.lost" } });
    expect(chooseMetric("p99{strategy:aof-always}", two)).toMatchObject({
      metric: { id: "latency.p99Ms" },
      strategy: "aof-always",
    });
  });

  it("explains what is wrong otherwise", () => {
    expect(chooseMetric("speed", one)).toMatch(/unknown metric "speed".*known: throughput.opsPerSec/);
    expect(chooseMetric("throughput", two)).toMatch(
      /has 2 strategies: name one, e.g. --metric "throughput.opsPerSec\{strategy:none\}"/,
    );
    expect(chooseMetric("throughput{strategy:rdb}", two)).toMatch(
      /strategy "rdb" is not in scenario two \(it has: none, aof-always\)/,
    );
  });
});

describe("parseGitBisectOutcome", () => {
  const a = "a".repeat(40),
    b = "b".repeat(40);
  it("reads the first bad commit, or the commits skips left undecided", () => {
    expect(parseGitBisectOutcome(`running x\n${a} is the first bad commit\ncommit ${a}\n`)).toEqual({
      status: "found",
      commit: a,
    });
    expect(
      parseGitBisectOutcome(
        `There are only 'skip'ped commits left to test.\nThe first bad commit could be any of:\n${a}\n${b}\nWe cannot bisect more!\n`,
      ),
    ).toEqual({ status: "ambiguous", candidates: [a, b] });
    expect(parseGitBisectOutcome("error: bisect run failed")).toEqual({ status: "unknown" });
  });
});
