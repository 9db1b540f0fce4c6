// Strategies' directives are judged with the bundled engine's own directive table: a bad value is an error
// quoting the engine's reason, an unknown name is an error for the bundled engine and a warning for
// redis-server/attach, an accepted-but-inert directive a warning, and harness-owned ones (port, dir) an error.
import { describe, expect, it } from "vitest";
import { checkDirective } from "../../../src/engine/config/check-directive.ts";
import { DIRECTIVES } from "../../../src/engine/config/directives.ts";
import { parseScenario } from "../../../src/harness/scenario/load.ts";
import { checkStrategyDirectives } from "../../../src/harness/scenario/check-directives.ts";
import { STRATEGY_PRESETS, normalizeDirectives } from "../../../src/harness/scenario/presets.ts";

// A one-strategy scenario with these directives.
function scenarioWith(config: Record<string, string>) {
  return parseScenario({ name: "t", strategies: [{ name: "custom", preset: "aof-everysec", config }] });
}

describe("checkDirective (the engine's table)", () => {
  it("applies what the engine parses, rejects what it refuses, with the engine's reason", () => {
    expect(checkDirective("appendfsync", "always")).toEqual({ kind: "applies" });
    expect(checkDirective("APPENDFSYNC", "no")).toEqual({ kind: "applies" });
    expect(checkDirective("appendfsync", "sometimes")).toEqual({
      kind: "invalid",
      reason: expect.stringMatching(/must be one of the following: (?=.*always)(?=.*everysec)(?=.*\bno\b)/),
    });
    expect(checkDirective("save", "")).toEqual({ kind: "applies" });
    expect(checkDirective("save", "900 1 300 10")).toEqual({ kind: "applies" });
    expect(checkDirective("save", "900")).toMatchObject({ kind: "invalid" });
    expect(checkDirective("aof-use-rdb-preamble", "maybe")).toMatchObject({
      kind: "invalid",
      reason: expect.stringContaining("'yes' or 'no'"),
    });
    expect(checkDirective("auto-aof-rewrite-min-size", "64mb")).toEqual({ kind: "applies" });
    expect(checkDirective("auto-aof-rewrite-min-size", "lots")).toMatchObject({ kind: "invalid" });
    expect(checkDirective("hz", "often")).toMatchObject({
      kind: "invalid",
      reason: expect.stringContaining("integer"),
    });
    expect(checkDirective("appendfsinc", "always")).toEqual({ kind: "unknown" });
  });

  it("accepts every preset's directives", () => {
    for (const preset of Object.values(STRATEGY_PRESETS)) {
      for (const [name, value] of Object.entries(normalizeDirectives(preset)))
        expect(checkDirective(name, value).kind, `${name} ${value}`).toBe("applies");
    }
    expect(DIRECTIVES.length).toBeGreaterThan(10);
  });
});

describe("checkStrategyDirectives", () => {
  it("bundled: a bad value and an unknown name are issues with path and fix", () => {
    const { issues } = checkStrategyDirectives(
      scenarioWith({ appendfsync: "sometimes", appendfsinc: "always" }),
      "bundled",
    );
    expect(issues).toHaveLength(2);
    expect(issues[0]).toMatchObject({
      path: "strategies[0].config.appendfsync",
      message: expect.stringMatching(/must be one of the following: .*\(got "sometimes"\)\. Fix:/),
    });
    expect(issues[1]).toMatchObject({
      path: "strategies[0].config.appendfsinc",
      message: expect.stringMatching(
        /not a directive the bundled engine \(persistlab-server\) knows \(did you mean `appendfsync`\?\)\. Fix: .*--engine redis-server/,
      ),
    });
  });

  it("redis-server and attach: an unknown name is a warning naming it; a bad value is still an error", () => {
    const forRedis = checkStrategyDirectives(scenarioWith({ "only-in-valkey": "yes" }), "redis-server");
    expect(forRedis.issues).toEqual([]);
    expect(forRedis.warnings).toEqual([
      expect.stringMatching(
        /^strategies\[0\]\.config\.only-in-valkey: `only-in-valkey` is not a directive the bundled engine knows; it is passed to redis-server unchecked$/,
      ),
    ]);
    expect(checkStrategyDirectives(scenarioWith({ "only-in-valkey": "yes" }), "attach").warnings[0]).toContain(
      "attach never changes the server's configuration",
    );
    expect(checkStrategyDirectives(scenarioWith({ appendfsync: "sometimes" }), "redis-server").issues).toHaveLength(1);
  });

  it("warns about directives the bundled engine accepts without effect, and refuses harness-owned ones", () => {
    const inert = checkStrategyDirectives(scenarioWith({ "io-threads": "4" }), "bundled");
    expect(inert.issues).toEqual([]);
    expect(inert.warnings).toEqual([
      "strategies[0].config.io-threads: `io-threads` is accepted by the bundled engine but has no effect there",
    ]);
    const owned = checkStrategyDirectives(scenarioWith({ port: "7000", dir: "/tmp" }), "redis-server");
    expect(owned.issues.map((issue) => issue.path)).toEqual(["strategies[0].config.port", "strategies[0].config.dir"]);
  });

  it("passes every ready-made preset on every engine", () => {
    const scenario = parseScenario({ name: "all", strategies: Object.keys(STRATEGY_PRESETS) });
    for (const engine of ["bundled", "redis-server", "attach"] as const)
      expect(checkStrategyDirectives(scenario, engine)).toEqual({ issues: [], warnings: [] });
  });
});
