// From crash rounds to metrics.durability: the checker's restart outcome is the worse of the live engine's and
// the verification's; totals cover crash rounds only; drills get their own verdicts; triggers count hits.
import { describe, expect, it } from "vitest";
import { checkDurability } from "../../../src/harness/checker/durability.ts";
import type { Op } from "../../../src/harness/history/op.ts";
import { buildDurabilityMetrics, toCrashRound } from "../../../src/harness/nemesis/durability-metrics.ts";
import type { RoundRecord } from "../../../src/harness/nemesis/round-record.ts";
import type { StartOutcome } from "../../../src/harness/nemesis/start-with-repair.ts";

const MS = 1000;
const started = (restart: StartOutcome["restart"], extra: Partial<StartOutcome> = {}): StartOutcome => ({
  restart,
  truncatedTail: false,
  repairs: [],
  readyMs: 5,
  recoveryMs: 5,
  running: restart !== "failed",
  ...extra,
});
const set = (id: number, key: string, atMs: number): Op => ({
  id,
  client: 0,
  f: "SET",
  key,
  value: `w${id}`,
  type: "ok",
  invokeUs: atMs * MS,
  completeUs: (atMs + 1) * MS,
});

// A crash round with the given verification read-back.
function record(
  index: number,
  crashMs: number,
  readBack: Record<string, string> | undefined,
  extra: Partial<RoundRecord> = {},
): RoundRecord {
  return {
    index,
    fault: { index, kind: "kill", gapMs: 0, strikeFraction: 0, seed: 1 },
    crashKind: "kill",
    crash: { signal: "SIGKILL", exit: { exitCode: undefined, signal: "SIGKILL" }, children: [], crashUs: crashMs * MS },
    trigger: { kind: "kill", hit: "n/a" },
    lastSaveUs: null,
    writePostponed: false,
    live: started("ok"),
    verification: {
      start: started(readBack === undefined ? "failed" : "ok"),
      readBack: readBack === undefined ? undefined : new Map(Object.entries(readBack)),
      readMs: 1,
    },
    ...extra,
  };
}

describe("durability metrics", () => {
  it("takes the worse restart of the live engine and the verification", () => {
    expect(toCrashRound(record(0, 10, { a: "w1" })).restart).toBe("ok");
    expect(toCrashRound(record(0, 10, { a: "w1" }, { live: started("repaired") })).restart).toBe("repaired");
    expect(toCrashRound(record(0, 10, { a: "w1" }, { live: started("failed") })).restart).toBe("failed");
    expect(toCrashRound(record(0, 10, undefined)).restart).toBe("failed");
  });

  it("sums crash rounds, keeps drills apart, counts event hits and reports the seed", () => {
    const history = [set(1, "a", 0), set(2, "b", 20), set(3, "c", 40)];
    const during: RoundRecord = record(1, 30, { a: "w1" }, { trigger: { kind: "during-bgsave", hit: true } });
    const drill: RoundRecord = {
      ...record(2, 50, { a: "w1", b: "w2", c: "garbage" }),
      fault: {
        index: 2,
        kind: "drill",
        gapMs: 0,
        strikeFraction: 0,
        seed: 2,
        drill: { corrupt: "aof-flip-bytes", bytes: 16 },
      },
      drill: {
        corruption: {
          kind: "aof-flip-bytes",
          file: "appendonlydir/appendonly.aof.1.incr.aof",
          sizeBytes: 100,
          offset: 40,
          bytes: 16,
        },
      },
    };
    const records = [record(0, 10, { a: "w1" }), during, drill];
    const result = checkDurability({
      history,
      rounds: records.map(toCrashRound),
      policy: { persistence: "aof", appendfsync: "always" },
    });
    const metrics = buildDurabilityMetrics({
      records,
      result,
      policy: { persistence: "aof", appendfsync: "always" },
      plannedFaults: 3,
      faultsDone: 3,
      powerLoss: { asked: true, unavailable: "no gcc" },
      seed: 77,
      reproduce: "persistlab run x --seed 1",
      skippedDrills: [{ kind: "rdb-truncate", reason: "the strategy loads its AOF" }],
    });
    expect(metrics).toMatchObject({
      kills: 2,
      acked: 2,
      lost: 1,
      corrupt: 0,
      verdict: "fail",
      outcome: "violation",
      policy: "aof-always",
      crash: "kill",
      seed: 77,
      reproduce: "persistlab run x --seed 1",
      powerLoss: { applied: false, reason: "no gcc" },
    });
    expect(metrics.lossWindowMs).toEqual({ max: 9, p50: 9 });
    expect(metrics["triggers"]).toEqual({
      kill: { rounds: 1, hit: 0, missed: 0 },
      "during-bgsave": { rounds: 1, hit: 1, missed: 0 },
    });
    expect(metrics["drills"]).toEqual([
      expect.objectContaining({
        kind: "aof-flip-bytes",
        firstStart: "started",
        corruptValues: 1,
        verdict: "corrupt-data-served",
      }),
      { kind: "rdb-truncate", verdict: "skipped", reason: "the strategy loads its AOF" },
    ]);
    expect((metrics["rounds"] as Array<Record<string, unknown>>).map((round) => round["verdict"])).toEqual([
      "ok",
      "violation",
    ]);
  });
});
