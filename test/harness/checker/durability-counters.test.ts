// Durability checker on INCR counters across crash rounds: a count recovered by one restart is the starting
// point of the next round (legitimate loss followed by more INCRs is not corruption), while a count no
// sequence of INCRs since the last observed state can produce is still corrupt; registers stay strict.
import { describe, expect, it } from "vitest";
import { checkDurability, type CrashRound } from "../../../src/harness/checker/durability.ts";
import type { PersistencePolicy } from "../../../src/harness/checker/policy-expectations.ts";
import type { Op } from "../../../src/harness/history/op.ts";

const ALWAYS: PersistencePolicy = { persistence: "aof", appendfsync: "always" };
const EVERYSEC: PersistencePolicy = { persistence: "aof", appendfsync: "everysec" };
const MS = 1000;

// INCR op: `reply` is the engine's answer (the history stores it as value); info ops have no reply.
function incr(id: number, key: string, type: Op["type"], invokeUs: number, reply?: number): Op {
  return {
    id,
    client: 0,
    f: "INCR",
    key,
    type,
    invokeUs,
    ...(type === "ok" ? { completeUs: invokeUs + 100, value: String(reply) } : {}),
  };
}
function set(id: number, key: string, invokeUs: number): Op {
  return { id, client: 0, f: "SET", key, value: `w${id}`, type: "ok", invokeUs, completeUs: invokeUs + 100 };
}
const round = (kind: CrashRound["kind"], crashUs: number, readBack: Record<string, string>): CrashRound => ({
  kind,
  crashUs,
  readBack: new Map(Object.entries(readBack)),
});

// Round 1 (power cut under everysec, window 2 s): ctr:a and ctr:b reach 5, the cut keeps 3 (INCRs 4 and 5 lost as
// allowed). Round 2: the live engine restarted on 3; ctr:a gets three more INCRs (replies 4, 5, 6), ctr:b none.
const ROUND1 = [1, 2, 3, 4, 5].flatMap((n) => [
  incr(n, "ctr:a", "ok", n * 100 * MS, n),
  incr(10 + n, "ctr:b", "ok", n * 100 * MS, n),
]);
const ROUND2 = [4, 5, 6].map((n, i) => incr(20 + i, "ctr:a", "ok", (3000 + i * 100) * MS, n));
const HISTORY = [...ROUND1, ...ROUND2];
const CRASH1 = round("power-loss", 1000 * MS, { "ctr:a": "3", "ctr:b": "3" });

describe("checkDurability on counters across rounds", () => {
  it("accepts a count recovered by an earlier restart followed by more INCRs", () => {
    const result = checkDurability({
      history: HISTORY,
      rounds: [CRASH1, round("kill", 4000 * MS, { "ctr:a": "6", "ctr:b": "3" })],
      policy: EVERYSEC,
    });
    expect(result.rounds[0]).toMatchObject({ verdict: "lost-as-allowed", corrupt: 0, lost: 4 });
    expect(result.rounds[1]).toMatchObject({ verdict: "ok", corrupt: 0, lost: 0, stale: 0, recoveredLost: 0 });
    expect(result.valid).toBe(true);
  });

  it("accepts counts reachable through INCRs that got no reply", () => {
    const history = [...HISTORY, incr(30, "ctr:a", "info", 3500 * MS)];
    const result = checkDurability({
      history,
      rounds: [CRASH1, round("kill", 4000 * MS, { "ctr:a": "7", "ctr:b": "3" })],
      policy: EVERYSEC,
    });
    expect(result.rounds[1]).toMatchObject({ verdict: "ok", corrupt: 0, lost: 0 });
  });

  it("still catches a count no sequence of INCRs since the last observed state can produce", () => {
    const above = checkDurability({
      history: HISTORY,
      rounds: [CRASH1, round("kill", 4000 * MS, { "ctr:a": "7", "ctr:b": "3" })],
      policy: EVERYSEC,
    });
    expect(above.rounds[1]).toMatchObject({
      verdict: "violation",
      corrupt: 1,
      corruptExamples: [{ key: "ctr:a", value: "7" }],
    });
    const untouched = checkDurability({
      history: HISTORY,
      rounds: [CRASH1, round("kill", 4000 * MS, { "ctr:a": "6", "ctr:b": "4" })],
      policy: EVERYSEC,
    });
    expect(untouched.rounds[1]).toMatchObject({
      verdict: "violation",
      corrupt: 1,
      corruptExamples: [{ key: "ctr:b", value: "4" }],
    });
    const garbage = checkDurability({
      history: HISTORY,
      rounds: [CRASH1, round("kill", 4000 * MS, { "ctr:a": "5x", "ctr:b": "3" })],
      policy: EVERYSEC,
    });
    expect(garbage.rounds[1]).toMatchObject({ verdict: "violation", corrupt: 1 });
    const firstRound = checkDurability({
      history: ROUND1,
      rounds: [round("kill", 1000 * MS, { "ctr:a": "6", "ctr:b": "5" })],
      policy: ALWAYS,
    });
    expect(firstRound.rounds[0]).toMatchObject({
      verdict: "violation",
      corrupt: 1,
      corruptExamples: [{ key: "ctr:a", value: "6" }],
    });
  });

  it("counts acknowledged INCRs that vanished, judged by the policy", () => {
    const result = checkDurability({
      history: HISTORY,
      rounds: [CRASH1, round("kill", 4000 * MS, { "ctr:a": "5", "ctr:b": "3" })],
      policy: EVERYSEC,
    });
    expect(result.rounds[1]).toMatchObject({
      verdict: "violation",
      corrupt: 0,
      lost: 1,
      lostExamples: [{ id: 22, key: "ctr:a", allowed: false, recovered: false }],
    });
    const back = checkDurability({
      history: HISTORY,
      rounds: [CRASH1, round("kill", 4000 * MS, { "ctr:a": "2", "ctr:b": "3" })],
      policy: EVERYSEC,
    });
    expect(back.rounds[1]).toMatchObject({ verdict: "violation", corrupt: 0, stale: 1, lost: 3, recoveredLost: 1 });
  });

  it("carries a key no view follows (SET mixed with INCR) into the next round's starting state", () => {
    const history = [set(50, "key:m", 100 * MS), incr(51, "key:m", "fail", 200 * MS), set(52, "key:n", 3000 * MS)];
    const rounds = [
      round("kill", 1000 * MS, { "key:m": "w50" }),
      round("kill", 4000 * MS, { "key:m": "w50", "key:n": "w52" }),
    ];
    const result = checkDurability({ history, rounds, policy: ALWAYS });
    expect(result.rounds[0]).toMatchObject({ verdict: "ok", uncheckedKeys: 1 });
    expect(result.rounds[1]).toMatchObject({ verdict: "ok", corrupt: 0, stale: 0, uncheckedKeys: 0 });
    const changed = checkDurability({
      history,
      rounds: [rounds[0] as CrashRound, round("kill", 4000 * MS, { "key:m": "w52", "key:n": "w52" })],
      policy: ALWAYS,
    });
    expect(changed.rounds[1]).toMatchObject({ verdict: "violation", corrupt: 1, recoveredLost: 1 });
  });

  it("does not judge a counter whose starting count is unknown (the previous round read nothing back)", () => {
    const failed: CrashRound = { kind: "kill", crashUs: 1000 * MS, restart: "failed" };
    const result = checkDurability({
      history: HISTORY,
      rounds: [
        failed,
        round("kill", 4000 * MS, { "ctr:a": "6", "ctr:b": "3" }),
        round("kill", 5000 * MS, { "ctr:a": "7", "ctr:b": "3" }),
      ],
      policy: ALWAYS,
    });
    expect(result.rounds[1]).toMatchObject({ verdict: "ok", corrupt: 0, uncheckedKeys: 2 });
    // Observed again, the count is the next round's start: 7 with no INCR since is a value nobody wrote.
    expect(result.rounds[2]).toMatchObject({
      verdict: "violation",
      corrupt: 1,
      corruptExamples: [{ key: "ctr:a", value: "7" }],
    });
  });

  it("does not hold a key given a time to live (EXPIRE) to its read-back in later rounds", () => {
    const expire: Op = {
      id: 60,
      client: 0,
      f: "EXPIRE",
      key: "key:t",
      value: "1",
      type: "ok",
      invokeUs: 200 * MS,
      completeUs: 300 * MS,
    };
    const history = [set(59, "key:t", 100 * MS), expire];
    const result = checkDurability({
      history,
      rounds: [round("kill", 1000 * MS, { "key:t": "w59" }), round("kill", 4000 * MS, {})],
      policy: ALWAYS,
    });
    expect(result.rounds[0]).toMatchObject({ verdict: "ok", uncheckedKeys: 1 });
    expect(result.rounds[1]).toMatchObject({ verdict: "ok", recoveredLost: 0 });
  });

  it("keeps registers strict: a SET value nobody wrote is corrupt in a later round too", () => {
    const history = [...HISTORY, set(40, "key:1", 100 * MS)];
    const result = checkDurability({
      history,
      rounds: [
        round("kill", 1000 * MS, { "ctr:a": "5", "ctr:b": "5", "key:1": "w40" }),
        round("kill", 4000 * MS, { "ctr:a": "8", "ctr:b": "5", "key:1": "w41" }),
      ],
      policy: ALWAYS,
    });
    expect(result.rounds[0]).toMatchObject({ verdict: "ok", corrupt: 0 });
    expect(result.rounds[1]).toMatchObject({
      verdict: "violation",
      corrupt: 1,
      corruptExamples: [{ key: "key:1", value: "w41" }],
    });
  });
});
