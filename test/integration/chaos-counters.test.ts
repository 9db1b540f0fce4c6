// A short crash run whose mix includes INCR and HSET over a key space larger than one round touches, through
// the compiled CLI: counters incremented in one round and left alone in the next must be judged from the count
// the previous restart recovered (aof-always: nothing lost, nothing corrupt), and their INCRs count as
// acknowledged writes.
import { describe, expect, it } from "vitest";
import { execa } from "execa";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Results } from "../../src/harness/results/schema.ts";
import { SKIP_WITHOUT_REDIS } from "../harness/helpers/redis.ts";

const ROOT = join(import.meta.dirname, "../..");
const CLI = join(ROOT, "dist/bin/persistlab.js");
const ENGINE = SKIP_WITHOUT_REDIS ? "bundled" : "redis-server";

const SCENARIO = {
  name: "chaos-counters",
  seed: 5,
  strategies: ["aof-always"],
  workload: { keys: { count: 2000 }, values: 32, mix: { SET: 1, INCR: 2, HSET: 1 }, opTimeout: "1s" },
  phases: [{ name: "chaos", executor: "open", rate: 400, duration: "20s", clients: 4 }],
  recovery: false,
  nemesis: { kills: 4, interval: { min: "1s", max: "1500ms" }, faults: { kill: 1 } },
};

describe("chaos run with counters", () => {
  // About 10 s on an idle machine; the phase ends once the four kills are done.
  it(`judges INCR counters across rounds on ${ENGINE}: aof-always loses and corrupts nothing`, {
    timeout: 90_000,
  }, async () => {
    if (!existsSync(CLI)) throw new Error("dist/ is missing: run `npm run build` before the integration tests");
    const dir = mkdtempSync(join(tmpdir(), "persistlab-counters-"));
    const file = join(dir, "chaos-counters.json");
    writeFileSync(file, JSON.stringify(SCENARIO));
    const out = join(dir, "out");
    const result = await execa("node", [CLI, "run", file, "--engine", ENGINE, "--out", out, "--no-progress"], {
      reject: false,
      timeout: 80_000,
    });
    expect(result.exitCode, String(result.stderr)).toBe(0);
    const results = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as Results;
    const durability = results.runs[0]?.metrics.durability;
    expect(durability).toBeDefined();
    if (durability === undefined) return;
    const rounds = durability["rounds"] as Array<Record<string, unknown>>;
    expect(durability, JSON.stringify(rounds.filter((round) => round["verdict"] !== "ok"))).toMatchObject({
      verdict: "pass",
      corrupt: 0,
      lost: 0,
      stale: 0,
      kills: 4,
      failedRestarts: 0,
      policy: "aof-always",
    });
    // INCRs are judged, not left unchecked: SET is a quarter of the mix, SET + INCR three quarters of it.
    const okOps = results.runs[0]?.metrics.throughput.ok ?? 0;
    expect(rounds.every((round) => Number(round["acked"]) > 0)).toBe(true);
    expect(durability.acked).toBeGreaterThan(okOps * 0.45);
  });
});
