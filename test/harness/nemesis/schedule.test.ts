// The nemesis schedule is a pure function of the configuration and the seed: the same seed gives the same
// faults, gaps, strike points and per-fault seeds on every engine; weights, intervals and drills are honoured.
import { describe, expect, it } from "vitest";
import { resolveNemesis, nemesisSchema } from "../../../src/harness/nemesis/config.ts";
import { countFaultKinds, createFaultSchedule } from "../../../src/harness/nemesis/schedule.ts";

const config = (raw: Record<string, unknown>) => resolveNemesis(nemesisSchema.parse(raw));

describe("createFaultSchedule", () => {
  const base = config({
    kills: 200,
    interval: { min: "500ms", max: "1500ms" },
    faults: { kill: 6, "during-bgsave": 2, "fault-point": 2 },
    faultPoints: ["rdb:before-rename", "aof:after-write-before-fsync"],
    drills: [{ corrupt: "aof-torn-tail" }, { corrupt: "rdb-truncate" }],
  });

  it("gives the same schedule for the same seed and a different one for another seed", () => {
    const first = createFaultSchedule(base, 1234);
    expect(createFaultSchedule(base, 1234)).toEqual(first);
    const other = createFaultSchedule(base, 1235);
    expect(other).not.toEqual(first);
    expect(other.map((fault) => fault.kind)).not.toEqual(first.map((fault) => fault.kind));
  });

  it("pins a seed's first faults (a change here changes every recorded run)", () => {
    const schedule = createFaultSchedule(config({ kills: 4, faults: { kill: 1, term: 1 } }), 42);
    expect(schedule.map((fault) => [fault.kind, fault.gapMs, fault.strikeFraction, fault.seed])).toEqual([
      ["term", 1638, 0.961, 206746761],
      ["kill", 1172, 0.743, 939302055],
      ["term", 1413, 0.959, 1126859133],
      ["kill", 997, 0.963, 1111219147],
    ]);
  });

  it("keeps gaps inside the interval, strike points in [0, 1] and fault points from the list", () => {
    const schedule = createFaultSchedule(base, 7);
    expect(schedule).toHaveLength(202);
    for (const fault of schedule) {
      expect(fault.gapMs).toBeGreaterThanOrEqual(500);
      expect(fault.gapMs).toBeLessThanOrEqual(1500);
      expect(fault.strikeFraction).toBeGreaterThanOrEqual(0);
      expect(fault.strikeFraction).toBeLessThanOrEqual(1);
      expect(Number.isInteger(fault.seed)).toBe(true);
      if (fault.kind === "fault-point")
        expect(["rdb:before-rename", "aof:after-write-before-fsync"]).toContain(fault.faultPoint);
      else expect(fault.faultPoint).toBeUndefined();
    }
    expect(schedule.map((fault) => fault.index)).toEqual(schedule.map((_, index) => index));
  });

  it("draws kinds by weight and appends the drills after the kills", () => {
    const schedule = createFaultSchedule(base, 99);
    const counts = countFaultKinds(schedule.slice(0, 200));
    expect(Object.keys(counts).sort()).toEqual(["during-bgsave", "fault-point", "kill"]);
    expect(counts["kill"]).toBeGreaterThan(90);
    expect(counts["kill"]).toBeLessThan(150);
    expect(
      schedule.slice(200).map((fault) => [fault.kind, (fault.drill as { corrupt?: string } | undefined)?.corrupt]),
    ).toEqual([
      ["drill", "aof-torn-tail"],
      ["drill", "rdb-truncate"],
    ]);
  });

  it("plans nothing for zero kills and no drills", () => {
    expect(createFaultSchedule(config({ kills: 0 }), 1)).toEqual([]);
  });
});
