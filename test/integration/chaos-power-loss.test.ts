// Simulated power loss in CI, through the compiled CLI: after each SIGKILL of the process tree the data
// directory loses what the engine had not fsynced (seen by the LD_PRELOAD shim), so appendfsync always keeps
// every acknowledged write while appendfsync no may lose some, on redis-server and on the bundled engine.
// An engine that lies about its policy (a redis-server wrapper forcing appendfsync no under a strategy that
// says always) is caught: the run reports a violation and prints the seed that reproduces it.
import { describe, expect, it } from "vitest";
import { execa } from "execa";
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Results } from "../../src/harness/results/schema.ts";
import { SKIP_WITHOUT_REDIS } from "../harness/helpers/redis.ts";

const ROOT = join(import.meta.dirname, "../..");
const CLI = join(ROOT, "dist/bin/persistlab.js");
const ENGINES = SKIP_WITHOUT_REDIS ? ["bundled"] : ["redis-server", "bundled"];

// Writes a scenario and runs it through the CLI.
async function runScenario(
  scenario: Record<string, unknown>,
  engineArgs: string[],
): Promise<{ results: Results; stderr: string; exitCode: number | undefined }> {
  if (!existsSync(CLI)) throw new Error("dist/ is missing: run `npm run build` before the integration tests");
  const dir = mkdtempSync(join(tmpdir(), "persistlab-power-"));
  const file = join(dir, `${String(scenario["name"])}.json`);
  writeFileSync(file, JSON.stringify(scenario));
  const out = join(dir, "out");
  const result = await execa("node", [CLI, "run", file, "--out", out, "--no-progress", ...engineArgs], {
    reject: false,
    timeout: 110_000,
  });
  return {
    results: JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as Results,
    stderr: String(result.stderr),
    exitCode: result.exitCode,
  };
}

const scenario = (name: string, strategies: unknown[]): Record<string, unknown> => ({
  name,
  seed: 5,
  strategies,
  workload: { keys: { count: 1000 }, values: 48, mix: { SET: 1 }, opTimeout: "1s" },
  phases: [{ name: "chaos", executor: "open", rate: 1000, duration: "30s", clients: 8 }],
  recovery: false,
  nemesis: { kills: 3, interval: { min: "400ms", max: "800ms" }, faults: { kill: 1 }, powerLoss: true },
});

describe.each(ENGINES)("power loss on %s", (engine) => {
  it("appendfsync always keeps every acknowledged write; appendfsync no loses only what it may", {
    timeout: 120_000,
  }, async () => {
    const { results, exitCode, stderr } = await runScenario(scenario("power-ci", ["aof-always", "aof-no"]), [
      "--engine",
      engine,
    ]);
    expect(exitCode, stderr).toBe(0);
    for (const run of results.runs) {
      const durability = run.metrics.durability;
      expect(durability, run.id).toMatchObject({
        kills: 3,
        crash: "power-loss",
        powerLoss: { applied: true },
        corrupt: 0,
        failedRestarts: 0,
        verdict: "pass",
      });
      const rounds = durability?.["rounds"] as Array<{ powerCut?: { lostBytes: number } }>;
      expect(rounds.every((round) => round.powerCut !== undefined)).toBe(true);
    }
    expect(results.runs[0]?.metrics.durability).toMatchObject({ lost: 0, outcome: "ok" });
    const no = results.runs[1]?.metrics.durability;
    expect(["ok", "lost-as-allowed"]).toContain(no?.["outcome"]);
    const noRounds = no?.["rounds"] as Array<{ powerCut: { lostBytes: number } }>;
    expect(noRounds.some((round) => round.powerCut.lostBytes > 0)).toBe(true);
  });
});

describe.skipIf(SKIP_WITHOUT_REDIS)("an engine that breaks its promise", () => {
  it("is caught under power loss and the run prints the seed that reproduces it", { timeout: 120_000 }, async () => {
    const wrapper = join(mkdtempSync(join(tmpdir(), "persistlab-liar-")), "lying-redis-server");
    writeFileSync(
      wrapper,
      '#!/bin/sh\n# Claims the strategy\'s appendfsync, runs appendfsync no.\nexec redis-server "$@" --appendfsync no\n',
    );
    chmodSync(wrapper, 0o755);
    const { results, stderr, exitCode } = await runScenario(scenario("liar", ["aof-always"]), [
      "--engine",
      "redis-server",
      "--engine-bin",
      wrapper,
    ]);
    expect(exitCode).toBe(0);
    const durability = results.runs[0]?.metrics.durability;
    expect(durability).toMatchObject({ verdict: "fail", outcome: "violation", policy: "aof-always" });
    expect(durability?.lost).toBeGreaterThan(0);
    expect(stderr).toContain("durability violation in run aof-always#1");
    expect(stderr).toContain("Reproduce the schedule with: persistlab run liar --seed 5 --engine redis-server");
  });
});
