// The programmatic API (src/index.ts) on recorded results: the same verdicts and exit codes as the CLI commands
// that call it, inputs as objects or paths, limits as fractions or text, and user errors as HarnessErrors.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  compare,
  EXIT_CODES,
  gate,
  getScenarioJsonSchema,
  HarnessError,
  listScenarios,
  loadScenario,
  readResults,
  recommend,
  ScenarioError,
} from "../../../src/index.ts";
import { main } from "../../../src/harness/cli/main.ts";

const FIXTURES = join("test", "fixtures", "results");
const fixture = (name: string): string => join(FIXTURES, `${name}.json`);

describe("API", () => {
  it("gate(): passes and fails as `persistlab gate` exits, from a path or an object", async () => {
    const pass = gate(fixture("smoke-pass"));
    expect(pass.passed).toBe(true);
    expect(pass.lines.at(-1)).toMatch(/^gate: PASS/);
    const fail = gate(readResults(fixture("smoke-threshold-fail")));
    expect(fail.passed).toBe(false);
    expect(fail.exitCode).toBe(EXIT_CODES.THRESHOLDS_FAILED);
    expect(await main(["gate", fixture("smoke-threshold-fail")])).toBe(fail.exitCode);
    const regressed = gate(fixture("candidate-regressed"), { baseline: fixture("baseline"), maxRegression: "5%" });
    expect(regressed.exitCode).toBe(EXIT_CODES.REGRESSION);
    expect(regressed.regressions.length).toBeGreaterThan(0);
    expect(regressed.exitCode).toBe(
      await main(["gate", fixture("candidate-regressed"), "--baseline", fixture("baseline"), "--max-regression", "5%"]),
    );
    expect(gate(fixture("candidate-regressed"), { baseline: fixture("baseline"), maxRegression: 0.05 }).exitCode).toBe(
      regressed.exitCode,
    );
  });

  it("gate(): a malformed limit is a usage error, a missing file a bad-results error", () => {
    expect(() => gate(fixture("smoke-pass"), { maxRegression: "lots" })).toThrow(
      expect.objectContaining({ exitCode: EXIT_CODES.USAGE }),
    );
    expect(() => gate(join(FIXTURES, "missing.json"))).toThrow(
      expect.objectContaining({ exitCode: EXIT_CODES.BAD_RESULTS }),
    );
  });

  it("compare(): verdicts per strategy and metric; no strategy in common is a HarnessError", () => {
    const comparison = compare(fixture("baseline"), fixture("candidate-regressed"), { minEffect: "2%" });
    expect(comparison.strategies).toEqual(expect.arrayContaining(["aof-always", "aof-everysec"]));
    expect(comparison.rows.some((row) => row.verdict === "regressed")).toBe(true);
    const other = readResults(fixture("baseline"));
    other.runs = other.runs.map((run) => ({ ...run, strategy: `${run.strategy}-renamed` }));
    expect(() => compare(fixture("baseline"), other)).toThrow(HarnessError);
  });

  it("recommend(): picks a strategy meeting the needs, or none with the reason", () => {
    expect(recommend(fixture("strategy-matrix"), {}).pick).toBeDefined();
    const impossible = recommend(fixture("strategy-matrix"), { minOpsPerSec: 1e12 });
    expect(impossible.pick).toBeUndefined();
    expect(impossible.candidates.every((c) => c.failures.length > 0)).toBe(true);
  });

  it("loadScenario(): ready-made names, quick and seed; invalid files throw ScenarioError", () => {
    const smoke = loadScenario("smoke", { quick: true, seed: 7 });
    expect(smoke.name).toBe("smoke");
    expect(smoke.seed).toBe(7);
    expect(listScenarios().map((s) => s.name)).toContain("smoke");
    expect(() => loadScenario(join("test", "fixtures", "scenarios", "invalid", "unknown-key.json"))).toThrow(
      ScenarioError,
    );
    expect((getScenarioJsonSchema().properties as Record<string, unknown>)["nemesis"]).toBeDefined();
  });
});
