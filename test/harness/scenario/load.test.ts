// Scenario validation: one test per kind of mistake; each error names the path, the value and the fix.
import { describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadScenarioFile, parseScenario } from "../../../src/harness/scenario/load.ts";
import { ScenarioError } from "../../../src/harness/shared/errors.ts";
// The ready-made chaos scenarios use the `nemesis` key: the harness's extensions are passed in, as the CLI does.
import { HARNESS_EXTENSIONS } from "../../../src/harness/api/extensions.ts";
import type { ScenarioExtension } from "../../../src/harness/scenario/extensions.ts";

// Parses and returns the ScenarioError's issues (fails if it parses).
function issuesOf(
  raw: unknown,
  extensions: readonly ScenarioExtension[] = [],
): Array<{ path: string; message: string }> {
  try {
    parseScenario(raw, { extensions });
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return [...(error as ScenarioError).issues];
  }
  throw new Error("expected a ScenarioError");
}

describe("scenario validation", () => {
  it("accepts a minimal scenario and fills defaults", () => {
    const s = parseScenario({ name: "tiny" });
    expect(s.strategies).toEqual([
      {
        name: "aof-everysec",
        config: { appendonly: "yes", appendfsync: "everysec", "aof-use-rdb-preamble": "no", save: "" },
      },
    ]);
    expect(s.phases.map((p) => p.name)).toEqual(["steady"]);
    expect(s.workload.mix).toEqual([
      { op: "SET", weight: 0.5 },
      { op: "GET", weight: 0.5 },
    ]);
  });

  it("rejects an unknown key, suggesting the closest valid one", () => {
    const [issue] = issuesOf({ name: "x", workload: { keys: { cout: 5 } } });
    expect(issue?.path).toBe("workload.keys");
    expect(issue?.message).toContain("`cout` (did you mean `count`?)");
    expect(issue?.message).toContain("Fix: remove it");
  });

  it("rejects an unknown op in the mix, listing the valid ops", () => {
    const [issue] = issuesOf({ name: "x", workload: { mix: { SETT: 1 } } });
    expect(issue?.path).toBe("workload.mix");
    expect(issue?.message).toContain("did you mean `SET`?");
  });

  it("rejects a bad enum value with a did-you-mean", () => {
    const [issue] = issuesOf({ name: "x", workload: { keys: { distribution: "zipff" } } });
    expect(issue?.path).toBe("workload.keys.distribution");
    expect(issue?.message).toContain('did you mean "zipf"');
    expect(issue?.message).toContain('(got "zipff")');
  });

  it("rejects a malformed duration with the expected format", () => {
    const [issue] = issuesOf({ name: "x", duration: "10" });
    expect(issue).toEqual({ path: "duration", message: expect.stringContaining('write e.g. "500ms", "10s"') });
    expect(issue?.message).toContain('(got "10")');
  });

  it("rejects a wrong type and shows the value received", () => {
    const [issue] = issuesOf({ name: "x", repetitions: "three" });
    expect(issue?.path).toBe("repetitions");
    expect(issue?.message).toContain('(got "three")');
  });

  it("rejects a non-positive number", () => {
    const [issue] = issuesOf({ name: "x", phases: [{ name: "a", duration: "1s", clients: 0 }] });
    expect(issue?.path).toBe("phases[0].clients");
    expect(issue?.message).toContain("> 0");
  });

  it("rejects an unknown strategy preset, listing the presets", () => {
    const [issue] = issuesOf({ name: "x", strategies: ["aof-everysex"] });
    expect(issue?.path).toBe("strategies[0]");
    expect(issue?.message).toContain('did you mean "aof-everysec"');
    expect(issue?.message).toContain("none, rdb, aof-no, aof-everysec, aof-always, hybrid");
  });

  it("rejects a bad phase kind", () => {
    const [issue] = issuesOf({ name: "x", phases: [{ name: "a", kind: "soak" }] });
    expect(issue?.path).toBe("phases[0].kind");
  });

  it("rejects shorthand combined with phases", () => {
    const issues = issuesOf({ name: "x", duration: "5s", phases: [{ name: "a", duration: "1s" }] });
    expect(issues).toContainEqual({
      path: "duration",
      message: expect.stringContaining("cannot be combined with `phases`"),
    });
  });

  it("rejects an open loop without a rate, and a rate on a closed loop", () => {
    const issues = issuesOf({
      name: "x",
      phases: [
        { name: "a", executor: "open", duration: "1s" },
        { name: "b", rate: 100, duration: "1s" },
      ],
    });
    expect(issues.map((i) => i.path)).toEqual(["phases[0].rate", "phases[1].rate"]);
  });

  it("rejects a load phase with both or neither of duration and ops", () => {
    const issues = issuesOf({ name: "x", phases: [{ name: "a" }, { name: "b", duration: "1s", ops: 10 }] });
    expect(issues.map((i) => i.message)).toEqual([
      expect.stringContaining("needs `duration` or `ops`"),
      expect.stringContaining("Both `duration` and `ops`"),
    ]);
  });

  it("rejects minBytes > maxBytes and duplicate names", () => {
    const issues = issuesOf({
      name: "x",
      strategies: ["rdb", "rdb"],
      workload: { values: { minBytes: 200, maxBytes: 100 } },
    });
    expect(issues.map((i) => i.path).sort()).toEqual(["strategies[1]", "workload.values"]);
  });

  it("rejects a malformed threshold", () => {
    const [issue] = issuesOf({ name: "x", thresholds: { errors: ["rate less than 1"] } });
    expect(issue?.path).toBe("thresholds.errors[0]");
  });

  it("reports every issue at once, not just the first", () => {
    expect(issuesOf({ name: "x", seed: -1, repetitions: 0, workload: { history: "some" } }).length).toBe(3);
  });

  it("merges a custom directive map over a preset", () => {
    const s = parseScenario({
      name: "x",
      strategies: [
        { name: "fast-always", preset: "aof-always", config: { "aof-use-rdb-preamble": true, save: [900, 1] } },
      ],
    });
    expect(s.strategies[0]?.config).toEqual({
      appendonly: "yes",
      appendfsync: "always",
      "aof-use-rdb-preamble": "yes",
      save: "900 1",
    });
  });

  it("reports unreadable files and invalid JSON as scenario errors", () => {
    const dir = mkdtempSync(join(tmpdir(), "persistlab-test-"));
    writeFileSync(join(dir, "bad.json"), "{ name: ");
    expect(() => loadScenarioFile(join(dir, "bad.json"))).toThrow(/Not valid JSON/);
    expect(() => loadScenarioFile(join(dir, "missing.json"))).toThrow(/Cannot read the file/);
  });

  it("--quick scales durations and caps data sizes", () => {
    const s = parseScenario(
      {
        name: "x",
        workload: { preload: 500_000 },
        phases: [
          { name: "a", duration: "10s" },
          { name: "r", kind: "recovery", sizes: [10_000, 1_000_000] },
        ],
      },
      { quick: true },
    );
    expect(s.phases[0]).toMatchObject({ durationMs: 2000 });
    expect(s.phases[1]).toMatchObject({ sizes: [10_000, 100_000] });
    expect(s.workload.preload.keys).toBe(100_000);
  });

  it("validates every ready-made scenario", () => {
    const dir = join(import.meta.dirname, "../../../scenarios");
    const files = readdirSync(dir).filter((f) => f.endsWith(".json"));
    expect(files).toEqual(
      expect.arrayContaining(["smoke.json", "strategy-matrix.json", "rewrite-cost.json", "recovery-time.json"]),
    );
    for (const file of files)
      expect(() => loadScenarioFile(join(dir, file), { extensions: HARNESS_EXTENSIONS })).not.toThrow();
  });
});

describe("scenario extensions", () => {
  it("validates the keys of the extensions it is given strictly and passes them through", async () => {
    const { z } = await import("zod");
    const extensions = [{ key: "nemesisTest", schema: z.strictObject({ faults: z.array(z.enum(["kill", "pause"])) }) }];
    expect(parseScenario({ name: "x", nemesisTest: { faults: ["kill"] } }, { extensions }).extensions).toEqual({
      nemesisTest: { faults: ["kill"] },
    });
    expect(issuesOf({ name: "x", nemesisTest: { faults: ["explode"] } }, extensions)[0]?.path).toBe(
      "nemesisTest.faults[0]",
    );
  });

  it("accepts only the extension keys it is given: none by default, `nemesis` with the harness's list", () => {
    expect(issuesOf({ name: "x", nemesis: { kills: 3 } })[0]?.message).toMatch(/Unknown key `nemesis`/);
    expect(parseScenario({ name: "x", nemesis: { kills: 3 } }, { extensions: HARNESS_EXTENSIONS }).extensions).toEqual({
      nemesis: expect.objectContaining({ kills: 3 }),
    });
  });
});
