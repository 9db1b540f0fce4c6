// Strategy directives → what the checker expects and which faults apply: AOF governs when both are on.
import { describe, expect, it } from "vitest";
import { getStrategyTraits, repliesBeforePostponedWrite } from "../../../src/harness/nemesis/strategy-traits.ts";
import { resolveAllowedLoss } from "../../../src/harness/checker/policy-expectations.ts";
import { normalizeDirectives, STRATEGY_PRESETS } from "../../../src/harness/scenario/presets.ts";

const traitsOf = (name: string) => getStrategyTraits(normalizeDirectives(STRATEGY_PRESETS[name] ?? {}));

describe("getStrategyTraits", () => {
  it("maps the six presets to their policies", () => {
    expect(traitsOf("none")).toMatchObject({ policy: { persistence: "none" }, aof: false, savePoints: false });
    expect(traitsOf("rdb")).toMatchObject({ policy: { persistence: "rdb" }, aof: false, savePoints: true });
    expect(traitsOf("aof-no").policy).toEqual({ persistence: "aof", appendfsync: "no" });
    expect(traitsOf("aof-everysec").policy).toEqual({ persistence: "aof", appendfsync: "everysec" });
    expect(traitsOf("aof-always").policy).toEqual({ persistence: "aof", appendfsync: "always" });
    expect(traitsOf("hybrid")).toMatchObject({
      policy: { persistence: "aof", appendfsync: "everysec" },
      aof: true,
      savePoints: true,
    });
  });

  it("reads Redis defaults for missing directives and quoted empty save", () => {
    expect(getStrategyTraits({ appendonly: "yes" })).toMatchObject({
      policy: { persistence: "aof", appendfsync: "everysec" },
      aofLoadTruncated: true,
      dbfilename: "dump.rdb",
      appenddirname: "appendonlydir",
    });
    expect(getStrategyTraits({ save: '""' }).savePoints).toBe(false);
    expect(getStrategyTraits({ save: "1 1", "aof-load-truncated": "no", dbfilename: "d.rdb" })).toMatchObject({
      savePoints: true,
      aofLoadTruncated: false,
      dbfilename: "d.rdb",
    });
  });

  it("knows which engines acknowledge an everysec write postponed behind a background fsync (Redis) and which hold the reply (bundled)", () => {
    expect(repliesBeforePostponedWrite("bundled")).toBe(false);
    expect(repliesBeforePostponedWrite("redis-server")).toBe(true);
    // Such a round is judged against everysec's 2 s window under SIGKILL instead of "nothing lost".
    const everysec = traitsOf("hybrid").policy;
    expect(resolveAllowedLoss(everysec, "kill", repliesBeforePostponedWrite("redis-server"))).toEqual({
      kind: "window",
      windowMs: 2000,
    });
    expect(resolveAllowedLoss(everysec, "kill", repliesBeforePostponedWrite("bundled"))).toEqual({ kind: "none" });
    expect(resolveAllowedLoss(traitsOf("aof-always").policy, "kill", true)).toEqual({ kind: "none" });
  });
});
