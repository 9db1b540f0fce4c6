// The scenario's `nemesis` key is validated strictly through the loader like every other key: unknown keys
// and bad values name the path and the fix; --quick lowers the kill count; the plugin applies only with the key.
import { describe, expect, it } from "vitest";
import {
  createNemesisPlugin,
  findChaosPhase,
  NEMESIS_EXTENSION,
  resolveNemesis,
} from "../../../src/harness/nemesis/index.ts";
import type { ParsedNemesis } from "../../../src/harness/nemesis/config.ts";
import { parseScenario as parseCoreScenario } from "../../../src/harness/scenario/load.ts";
import { ScenarioError } from "../../../src/harness/shared/errors.ts";

// Parses with the nemesis key, as the harness's loader does.
const parseScenario = (raw: unknown): ReturnType<typeof parseCoreScenario> =>
  parseCoreScenario(raw, { extensions: [NEMESIS_EXTENSION] });

const base = {
  name: "n",
  strategies: ["aof-always"],
  phases: [
    { name: "warm", duration: "1s" },
    { name: "chaos", duration: "5s" },
  ],
};

// The issues of a scenario that must fail validation.
function issuesOf(raw: unknown): string[] {
  try {
    parseScenario(raw);
  } catch (error) {
    if (error instanceof ScenarioError) return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
    throw error;
  }
  throw new Error("expected a ScenarioError");
}

describe("nemesis scenario key", () => {
  it("accepts a full configuration and resolves durations to ms", () => {
    const scenario = parseScenario({
      ...base,
      nemesis: {
        kills: 50,
        quickKills: 4,
        interval: { min: "200ms", max: "1s" },
        faults: { kill: 3, "during-bgsave": 1 },
        powerLoss: { tailMode: "synced-only", kernelWriteback: "30s" },
        eventWindow: "2s",
      },
    });
    const resolved = resolveNemesis(scenario.extensions["nemesis"] as ParsedNemesis);
    expect(resolved).toMatchObject({
      kills: 50,
      intervalMs: { min: 200, max: 1000 },
      faults: [
        { kind: "kill", weight: 3 },
        { kind: "during-bgsave", weight: 1 },
      ],
      eventWindowMs: 2000,
      killTree: true,
      verify: true,
      keepCrashStates: false,
    });
    expect(resolved.powerLoss).toEqual({
      tailMode: "synced-only",
      zeroFillProbability: 0,
      namespaceModel: "posix",
      kernelWritebackMs: 30_000,
      share: 1,
    });
    expect(resolveNemesis(scenario.extensions["nemesis"] as ParsedNemesis, true).kills).toBe(4);
    expect(
      resolveNemesis({ ...(scenario.extensions["nemesis"] as ParsedNemesis), quickKills: undefined }, true).kills,
    ).toBe(5);
    expect(findChaosPhase(scenario, resolved)).toBe("chaos");
  });

  it("names the path and the fix for unknown keys and bad values", () => {
    const issues = issuesOf({
      ...base,
      nemesis: { kils: 3, faults: { kil: 1 }, interval: { min: "1s", max: "soon" }, powerLoss: { tailMode: "half" } },
    });
    expect(issues.some((issue) => issue.startsWith("nemesis: Unknown key `kils` (did you mean `kills`?)"))).toBe(true);
    expect(issues.some((issue) => issue.startsWith("nemesis.faults") && issue.includes("kil"))).toBe(true);
    expect(issues.some((issue) => issue.startsWith("nemesis.interval.max: Expected a duration string"))).toBe(true);
    expect(issues.some((issue) => issue.startsWith("nemesis.powerLoss"))).toBe(true);
  });

  it("checks combinations: max below min, all weights zero, fault-point without points", () => {
    expect(issuesOf({ ...base, nemesis: { interval: { min: "2s", max: "1s" } } })).toEqual([
      expect.stringMatching(/^nemesis\.interval\.max: Expected `max` \(1s\) >= `min` \(2s\)/),
    ]);
    expect(issuesOf({ ...base, nemesis: { faults: { kill: 0 } } })).toEqual([
      expect.stringMatching(/^nemesis\.faults: Expected at least one fault kind/),
    ]);
    expect(issuesOf({ ...base, nemesis: { faults: { "fault-point": 1 } } })).toEqual([
      expect.stringMatching(/^nemesis\.faultPoints: .*docs\/fault-points\.md/),
    ]);
  });

  it("creates the plugin only for scenarios with the key, and rejects an unknown phase", () => {
    expect(createNemesisPlugin(parseScenario(base))).toBeUndefined();
    expect(createNemesisPlugin(parseScenario({ ...base, nemesis: {} }))?.name).toBe("nemesis");
    expect(() => createNemesisPlugin(parseScenario({ ...base, nemesis: { phase: "storm" } }))).toThrow(
      /no load phase named "storm"/,
    );
  });

  it("validates the ready-made chaos scenarios", async () => {
    const { loadScenarioFile } = await import("../../../src/harness/scenario/load.ts");
    for (const name of ["crash-loss", "power-loss", "disaster-drill"]) {
      const scenario = loadScenarioFile(new URL(`../../../scenarios/${name}.json`, import.meta.url).pathname, {
        extensions: [NEMESIS_EXTENSION],
      });
      const nemesis = resolveNemesis(scenario.extensions["nemesis"] as ParsedNemesis);
      if (name === "disaster-drill") expect(nemesis.drills.length).toBeGreaterThan(0);
      else expect(nemesis.kills).toBeGreaterThanOrEqual(50);
      expect(name !== "power-loss" || nemesis.powerLoss !== undefined).toBe(true);
    }
  });
});
