// A short crash run in CI, through the compiled CLI, on redis-server 7.0 and on the bundled engine: seeded
// SIGKILLs (random, during BGSAVE), a SIGTERM, restarts under open-loop load, every restart's data read back
// on a scratch instance and judged. aof-always loses nothing; rdb loses only what followed its last save;
// nothing is corrupt; clients saw the outage; --keep-crash-states keeps each crash state with its round.json.
import { describe, expect, it } from "vitest";
import { execa } from "execa";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Results } from "../../src/harness/results/schema.ts";
import { SKIP_WITHOUT_REDIS } from "../harness/helpers/redis.ts";

const ROOT = join(import.meta.dirname, "../..");
const CLI = join(ROOT, "dist/bin/persistlab.js");
const ENGINES = SKIP_WITHOUT_REDIS ? ["bundled"] : ["redis-server", "bundled"];

const SCENARIO = {
  name: "chaos-ci",
  seed: 11,
  strategies: ["aof-always", { name: "rdb", preset: "rdb", config: { save: "1 1" } }],
  workload: { keys: { count: 1000 }, values: 48, mix: { SET: 1 }, opTimeout: "1s" },
  phases: [{ name: "chaos", executor: "open", rate: 1000, duration: "60s", clients: 8 }],
  recovery: false,
  nemesis: {
    kills: 4,
    interval: { min: "300ms", max: "700ms" },
    faults: { kill: 2, "during-bgsave": 1, term: 1 },
    eventWindow: "400ms",
  },
};

describe.each(ENGINES)("chaos run on %s", (engine) => {
  // About 20-50 s per engine; the cap leaves room for a loaded machine (the bundled engine restarts slowly then).
  it("kills and restarts under load, reads every restart back, and keeps the crash states", {
    timeout: 120_000,
  }, async () => {
    if (!existsSync(CLI) || (engine === "bundled" && !existsSync(join(ROOT, "dist/bin/persistlab-server.js")))) {
      throw new Error("dist/ is missing: run `npm run build` before the integration tests");
    }
    const dir = mkdtempSync(join(tmpdir(), "persistlab-chaos-"));
    const file = join(dir, "chaos-ci.json");
    writeFileSync(file, JSON.stringify(SCENARIO));
    const out = join(dir, "out");
    const result = await execa(
      "node",
      [CLI, "run", file, "--engine", engine, "--out", out, "--no-progress", "--keep-crash-states"],
      { reject: false, timeout: 110_000 },
    );
    expect(result.exitCode, String(result.stderr)).toBe(0);
    const results = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as Results;
    expect(results.runs.map((run) => [run.strategy, run.status])).toEqual([
      ["aof-always", "ok"],
      ["rdb", "ok"],
    ]);
    for (const run of results.runs) {
      const durability = run.metrics.durability;
      expect(durability, run.id).toBeDefined();
      if (durability === undefined) continue;
      expect(durability.kills).toBeGreaterThanOrEqual(4);
      expect(durability.acked).toBeGreaterThan(500);
      const broken = (durability["rounds"] as Array<Record<string, unknown>>).filter(
        (round) => round["verdict"] === "violation",
      );
      expect(
        durability.verdict,
        `${engine} ${run.id} broke its promise (reproduce: ${String(durability["reproduce"])}): ${JSON.stringify(broken)}`,
      ).toBe("pass");
      expect(durability).toMatchObject({
        corrupt: 0,
        failedRestarts: 0,
        faultsDone: 4,
        plannedFaults: 4,
        crash: "kill",
      });
      expect(durability["reproduce"]).toBe(
        `persistlab run chaos-ci --seed 11${engine === "bundled" ? "" : " --engine redis-server"}`,
      );
      const rounds = durability["rounds"] as Array<Record<string, unknown>>;
      expect(rounds.map((round) => round["fault"])).toEqual(
        rounds.map(() => expect.stringMatching(/^(kill|term|during-bgsave)$/)),
      );
      expect(rounds.some((round) => round["crash"] === "term")).toBe(true);
      expect(run.metrics.availability.unavailableMs).toBeGreaterThan(0);
      expect(run.metrics.availability.outages.length).toBeGreaterThanOrEqual(3);
      expect(
        run.events.filter((event) => event.type === "kill" || event.type === "stop").length,
      ).toBeGreaterThanOrEqual(4);
      expect((durability["outageLatency"] as { backfilled: number }).backfilled).toBeGreaterThan(0);
      // The phase ended once the schedule was done, long before its 60 s cap (a loaded machine took 35 s).
      expect(run.phases[0]?.endMs ?? 0).toBeLessThan(50_000);
      const kept = join(out, "crash-states", run.id.replace("#", "_"));
      const states = readdirSync(kept).sort();
      expect(states.length).toBe(durability.kills);
      const round = JSON.parse(readFileSync(join(kept, states[0] ?? "", "round.json"), "utf8")) as {
        verification?: { keysReadBack?: number; start?: { restart?: string } };
      };
      expect(round.verification?.start?.restart).toMatch(/ok|repaired/);
      expect(readdirSync(join(kept, states[0] ?? "", "data")).length).toBeGreaterThan(0);
    }
    const always = results.runs[0]?.metrics.durability;
    expect(always).toMatchObject({ lost: 0, outcome: "ok", policy: "aof-always" });
    const rdb = results.runs[1]?.metrics.durability;
    expect(rdb?.["policy"]).toBe("rdb");
    expect(["ok", "lost-as-allowed"]).toContain(rdb?.["outcome"]);
  });
});
