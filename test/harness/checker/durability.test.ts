// Durability checker on hand-made histories: lost, corrupt, phantom (survived unacked), concurrent writers
// to one key, DEL, repaired and failed restarts, multi-round carry-over, policy windows, empty history.
import { describe, expect, it } from "vitest";
import { checkDurability, type CrashRound, type DurabilityInput } from "../../../src/harness/checker/durability.ts";
import type { PersistencePolicy } from "../../../src/harness/checker/policy-expectations.ts";
import type { Op } from "../../../src/harness/history/op.ts";

const ALWAYS: PersistencePolicy = { persistence: "aof", appendfsync: "always" };
const EVERYSEC: PersistencePolicy = { persistence: "aof", appendfsync: "everysec" };
const NO_FSYNC: PersistencePolicy = { persistence: "aof", appendfsync: "no" };
const MS = 1000;

// SET op; completeUs omitted for info writes that never got a reply.
function set(id: number, key: string, type: Op["type"], invokeUs: number, completeUs?: number): Op {
  return {
    id,
    client: id % 4,
    f: "SET",
    key,
    value: `w${id}`,
    type,
    invokeUs,
    ...(completeUs === undefined ? {} : { completeUs }),
  };
}
function del(id: number, key: string, invokeUs: number, completeUs: number): Op {
  return { id, client: 0, f: "DEL", key, type: "ok", invokeUs, completeUs };
}
const state = (entries: Record<string, string>): Map<string, string> => new Map(Object.entries(entries));
const round = (
  kind: CrashRound["kind"],
  crashUs: number,
  readBack: Record<string, string>,
  extra: Partial<CrashRound> = {},
): CrashRound => ({ kind, crashUs, readBack: state(readBack), ...extra });
const check = (history: Op[], rounds: CrashRound[], policy: PersistencePolicy, extra: Partial<DurabilityInput> = {}) =>
  checkDurability({ history, rounds, policy, ...extra });

describe("checkDurability", () => {
  it("passes an empty history: no rounds, and a round with nothing written", () => {
    expect(check([], [], ALWAYS)).toMatchObject({
      valid: true,
      rounds: [],
      totals: { ackedWrites: 0, lost: 0, lossWindowMs: null },
    });
    const result = check([], [round("kill", 1000, {})], ALWAYS);
    expect(result.valid).toBe(true);
    expect(result.rounds[0]).toMatchObject({ verdict: "ok", ackedWrites: 0, lost: 0, lostPercent: 0, corrupt: 0 });
  });

  it("counts an acknowledged write missing after restart as lost, with its loss window", () => {
    const history = [
      set(1, "a", "ok", 0, 1 * MS),
      set(2, "b", "ok", 2 * MS, 3 * MS),
      set(3, "c", "ok", 4 * MS, 5 * MS),
    ];
    const crash = round("power-loss", 105 * MS, { a: "w1", b: "w2" });
    const result = check(history, [crash], ALWAYS);
    expect(result.valid).toBe(false);
    expect(result.rounds[0]).toMatchObject({
      verdict: "violation",
      ackedWrites: 3,
      lost: 1,
      lossWindowMs: { max: 100, p50: 100 },
    });
    expect(result.rounds[0]?.lostPercent).toBeCloseTo(100 / 3, 10);
    expect(result.rounds[0]?.lostExamples).toEqual([
      { id: 3, key: "c", windowMs: 100, allowed: false, recovered: false },
    ]);
  });

  it("judges the same loss against each policy and crash kind", () => {
    const history = [set(1, "a", "ok", 0, 1 * MS), set(2, "a", "ok", 500 * MS, 501 * MS)];
    const readBack = { a: "w1" };
    expect(check(history, [round("power-loss", 2001 * MS, readBack)], NO_FSYNC).rounds[0]?.verdict).toBe(
      "lost-as-allowed",
    );
    expect(check(history, [round("kill", 2001 * MS, readBack)], NO_FSYNC).rounds[0]?.verdict).toBe("violation");
    expect(check(history, [round("power-loss", 2001 * MS, readBack)], EVERYSEC).rounds[0]?.verdict).toBe(
      "lost-as-allowed",
    );
    expect(check(history, [round("power-loss", 3001 * MS, readBack)], EVERYSEC).rounds[0]?.verdict).toBe("violation");
    expect(check(history, [round("kill", 2001 * MS, readBack)], EVERYSEC).rounds[0]?.verdict).toBe("violation");
    expect(
      check(history, [round("kill", 2001 * MS, readBack, { writePostponed: true })], EVERYSEC).rounds[0]?.verdict,
    ).toBe("lost-as-allowed");
    expect(check(history, [round("kill", 2001 * MS, readBack)], { persistence: "none" }).rounds[0]?.verdict).toBe(
      "lost-as-allowed",
    );
    expect(check(history, [round("kill", 2001 * MS, readBack)], ALWAYS).rounds[0]?.verdict).toBe("violation");
  });

  it("rdb may lose only what was acknowledged after the last completed save began", () => {
    const history = [
      set(1, "a", "ok", 0, 1 * MS),
      set(2, "b", "ok", 100 * MS, 101 * MS),
      set(3, "c", "ok", 400 * MS, 401 * MS),
    ];
    const rdb: PersistencePolicy = { persistence: "rdb" };
    const lostAfterSave = round("kill", 500 * MS, { a: "w1", b: "w2" }, { lastSaveUs: 200 * MS });
    expect(check(history, [lostAfterSave], rdb).rounds[0]?.verdict).toBe("lost-as-allowed");
    const lostBeforeSave = round("kill", 500 * MS, { a: "w1" }, { lastSaveUs: 200 * MS });
    expect(check(history, [lostBeforeSave], rdb).rounds[0]).toMatchObject({ verdict: "violation", lost: 2 });
    expect(check(history, [round("kill", 100 * MS, {}, { lastSaveUs: null })], rdb).rounds[0]?.verdict).toBe(
      "lost-as-allowed",
    );
    const unknown = check(history, [round("kill", 100 * MS, { a: "w1" })], rdb);
    expect(unknown.valid).toBe("unknown");
    expect(unknown.rounds[0]?.verdict).toBe("unknown");
  });

  it("flags a value no client wrote as corrupt, whatever the policy", () => {
    const history = [set(1, "a", "ok", 0, 1 * MS)];
    const result = check(history, [round("kill", 10 * MS, { a: "garbage", z: "stray" })], { persistence: "none" });
    expect(result.valid).toBe(false);
    expect(result.rounds[0]).toMatchObject({
      verdict: "violation",
      corrupt: 2,
      corruptExamples: [
        { key: "a", value: "garbage" },
        { key: "z", value: "stray" },
      ],
    });
    const ignoring = check(history, [round("kill", 10 * MS, { a: "w1", z: "stray" })], ALWAYS, {
      unknownKeys: "ignore",
    });
    expect(ignoring.rounds[0]).toMatchObject({ verdict: "ok", corrupt: 0 });
  });

  it("reports unacknowledged writes that survived (phantoms) without failing", () => {
    const history = [set(1, "a", "ok", 0, 1 * MS), set(2, "a", "info", 2 * MS), set(3, "b", "fail", 3 * MS, 4 * MS)];
    const result = check(history, [round("kill", 10 * MS, { a: "w2", b: "w3" })], ALWAYS);
    expect(result.valid).toBe(true);
    expect(result.rounds[0]).toMatchObject({ verdict: "ok", lost: 0, survivedUnacked: 2, survivedUnackedIds: [2, 3] });
  });

  it("accepts any survivor among concurrent writers to one key, but not one real-time older than the last ack", () => {
    // A [0,10] and B [5,15] overlap; C [20,30] starts after both completed.
    const concurrent = [set(1, "k", "ok", 0, 10), set(2, "k", "ok", 5, 15)];
    expect(check(concurrent, [round("kill", 100, { k: "w1" })], ALWAYS).rounds[0]).toMatchObject({
      verdict: "ok",
      lost: 0,
    });
    expect(check(concurrent, [round("kill", 100, { k: "w2" })], ALWAYS).rounds[0]).toMatchObject({
      verdict: "ok",
      lost: 0,
    });
    const withLater = [...concurrent, set(3, "k", "ok", 20, 30)];
    const stale = check(withLater, [round("kill", 100, { k: "w1" })], ALWAYS).rounds[0];
    expect(stale).toMatchObject({ verdict: "violation", lost: 1 });
    expect(stale?.lostExamples.map((write) => write.id)).toEqual([3]);
    // An info write with no reply may take effect at any later moment: never stale.
    const withInfo = [...withLater, set(4, "k", "info", 22)];
    expect(check(withInfo, [round("kill", 100, { k: "w4" })], ALWAYS).rounds[0]).toMatchObject({
      verdict: "ok",
      survivedUnacked: 1,
    });
    // Both overlapping writes lost when the key comes back absent.
    expect(check(concurrent, [round("power-loss", 100, {})], ALWAYS).rounds[0]).toMatchObject({
      verdict: "violation",
      lost: 2,
    });
  });

  it("treats an acknowledged DEL as explaining an absent key", () => {
    const history = [set(1, "a", "ok", 0, 1 * MS), del(2, "a", 2 * MS, 3 * MS)];
    expect(check(history, [round("kill", 10 * MS, {})], ALWAYS).rounds[0]).toMatchObject({ verdict: "ok", lost: 0 });
    expect(check(history, [round("kill", 10 * MS, { a: "w1" })], ALWAYS).rounds[0]).toMatchObject({
      verdict: "violation",
      lost: 1,
    });
  });

  it("records a repaired restart and judges the data it left; a failed restart is a violation", () => {
    const history = [set(1, "a", "ok", 0, 1 * MS), set(2, "b", "ok", 2 * MS, 3 * MS)];
    const repaired = check(history, [round("power-loss", 503 * MS, { a: "w1" }, { restart: "repaired" })], NO_FSYNC)
      .rounds[0];
    expect(repaired).toMatchObject({
      restart: "repaired",
      repairNeeded: true,
      verdict: "lost-as-allowed",
      lost: 1,
      lossWindowMs: { max: 500, p50: 500 },
    });
    const failed = check(history, [{ kind: "kill", crashUs: 10 * MS, restart: "failed" }], NO_FSYNC);
    expect(failed.valid).toBe(false);
    expect(failed.rounds[0]).toMatchObject({ verdict: "violation", reasons: ["the engine failed to restart"] });
  });

  it("carries each round's recovered state into the next round", () => {
    const history = [
      set(1, "a", "ok", 0, 1 * MS),
      set(2, "b", "ok", 2 * MS, 3 * MS),
      set(3, "b", "ok", 20 * MS, 21 * MS),
    ];
    const rounds = [round("kill", 10 * MS, { a: "w1", b: "w2" }), round("kill", 30 * MS, { b: "w3" })];
    const result = check(history, rounds, ALWAYS);
    expect(result.rounds[0]).toMatchObject({ verdict: "ok", ackedWrites: 2 });
    expect(result.rounds[1]).toMatchObject({ verdict: "violation", ackedWrites: 1, lost: 0, recoveredLost: 1 });
    expect(result.totals).toMatchObject({ ackedWrites: 3, lost: 0, recoveredLost: 1 });
    expect(check(history, rounds, { persistence: "none" }).rounds[1]?.verdict).toBe("lost-as-allowed");
  });

  it("treats preloaded state as acknowledged and skips keys written by commands it cannot follow", () => {
    const history: Op[] = [
      set(1, "a", "ok", 0, 1 * MS),
      { id: 2, client: 0, f: "HSET", key: "n", value: "f1", type: "ok", invokeUs: 2 * MS, completeUs: 3 * MS },
    ];
    const result = check(history, [round("kill", 10 * MS, { a: "w1", n: "7" })], ALWAYS, {
      initial: state({ p: "preloaded" }),
    });
    expect(result.rounds[0]).toMatchObject({ verdict: "violation", recoveredLost: 1, corrupt: 0, uncheckedKeys: 1 });
  });

  it("summarises loss windows across rounds (nearest-rank p50)", () => {
    const history = [set(1, "a", "ok", 0, 0), set(2, "b", "ok", 0, 0), set(3, "c", "ok", 0, 0)];
    const result = check(history, [round("power-loss", 1000 * MS, {})], NO_FSYNC);
    expect(result.totals.lossWindowMs).toEqual({ max: 1000, p50: 1000 });
    expect(result.totals.lostPercent).toBe(100);
  });
  it("tells a resurrected older value (stale) from a value nobody wrote (corrupt)", () => {
    const history = [
      set(1, "a", "ok", 0, 1 * MS),
      set(2, "a", "ok", 2 * MS, 3 * MS),
      set(3, "a", "ok", 20 * MS, 21 * MS),
    ];
    // Round 2 reads back w1: written long before, overwritten by w2 (recovered in round 1) and by w3.
    const result = check(history, [round("kill", 10 * MS, { a: "w2" }), round("kill", 30 * MS, { a: "w1" })], NO_FSYNC);
    expect(result.rounds[1]).toMatchObject({ verdict: "violation", stale: 1, corrupt: 0, lost: 1, recoveredLost: 1 });
    expect(result.rounds[1]?.reasons).toContain("1 key(s) went back to a value written before the previous restart");
    expect(result.totals).toMatchObject({ stale: 1, corrupt: 0 });
    // A value from a write invoked after the crash cannot have been on disk: corrupt.
    const future = check(history, [round("kill", 10 * MS, { a: "w3" })], NO_FSYNC);
    expect(future.rounds[0]).toMatchObject({ corrupt: 1, stale: 0 });
  });

  it("holds every policy but none to no loss after a graceful shutdown (SIGTERM)", () => {
    const history = [set(1, "a", "ok", 0, 1 * MS), set(2, "b", "ok", 2 * MS, 3 * MS)];
    const term = round("term", 10 * MS, { a: "w1" });
    for (const policy of [ALWAYS, EVERYSEC, NO_FSYNC, { persistence: "rdb" } as const])
      expect(check(history, [term], policy).rounds[0]?.verdict).toBe("violation");
    expect(check(history, [term], { persistence: "none" }).rounds[0]?.verdict).toBe("lost-as-allowed");
  });

  it("judges acknowledged initial state like client writes when its time is known", () => {
    const initial = state({ p: "preloaded" });
    const rdb = { persistence: "rdb" } as const;
    const asRecovered = check([], [round("kill", 10 * MS, {}, { lastSaveUs: null })], rdb, { initial });
    expect(asRecovered.rounds[0]).toMatchObject({ verdict: "violation", recoveredLost: 1, ackedWrites: 0 });
    const asAcked = check([], [round("kill", 10 * MS, {}, { lastSaveUs: null })], rdb, {
      initial,
      initialAckedUs: 1 * MS,
    });
    expect(asAcked.rounds[0]).toMatchObject({
      verdict: "lost-as-allowed",
      lost: 1,
      recoveredLost: 0,
      ackedWrites: 1,
      lossWindowMs: { max: 9, p50: 9 },
    });
  });
});
