// Disaster drills in CI, through the compiled CLI, on redis-server 7.0 and on the bundled engine: a torn AOF
// tail is cut by the engine when aof-load-truncated allows it and refused otherwise, then repaired with the
// engine's own check-aof --fix; a damaged dump.rdb is refused and the BGSAVE + LASTSAVE backup restored.
// What came back is checked against the acknowledged history: no value nobody wrote, loss measured.
import { describe, expect, it } from "vitest";
import { execa } from "execa";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Results } from "../../src/harness/results/schema.ts";
import { SKIP_WITHOUT_REDIS } from "../harness/helpers/redis.ts";

const ROOT = join(import.meta.dirname, "../..");
const CLI = join(ROOT, "dist/bin/persistlab.js");
const ENGINES = SKIP_WITHOUT_REDIS ? ["bundled"] : ["redis-server", "bundled"];

const SCENARIO = {
  name: "drill-ci",
  seed: 3,
  strategies: [
    "aof-everysec",
    { name: "aof-strict", preset: "aof-everysec", config: { "aof-load-truncated": "no" } },
    { name: "rdb", preset: "rdb", config: { save: "1 1" } },
  ],
  workload: { keys: { count: 1000 }, values: 48, mix: { SET: 1 }, opTimeout: "1s" },
  phases: [{ name: "drills", executor: "open", rate: 1000, duration: "40s", clients: 8 }],
  recovery: false,
  nemesis: {
    kills: 0,
    interval: { min: "700ms", max: "900ms" },
    drills: [{ corrupt: "aof-torn-tail" }, { corrupt: "rdb-flip-bytes" }],
  },
};

type Drill = Record<string, unknown> & { repair?: Array<{ action: string; exitCode?: number }> };

describe.each(ENGINES)("disaster drills on %s", (engine) => {
  it("records refusals and repairs, and measures what came back", { timeout: 120_000 }, async () => {
    if (!existsSync(CLI)) throw new Error("dist/ is missing: run `npm run build` before the integration tests");
    const dir = mkdtempSync(join(tmpdir(), "persistlab-drill-"));
    const file = join(dir, "drill-ci.json");
    writeFileSync(file, JSON.stringify(SCENARIO));
    const out = join(dir, "out");
    const result = await execa("node", [CLI, "run", file, "--engine", engine, "--out", out, "--no-progress"], {
      reject: false,
      timeout: 110_000,
    });
    expect(result.exitCode, String(result.stderr)).toBe(0);
    const results = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as Results;
    const drills = (strategy: string): Drill[] =>
      (results.runs.find((run) => run.strategy === strategy)?.metrics.durability?.["drills"] ?? []) as Drill[];

    const [lenient, lenientSkipped] = drills("aof-everysec");
    expect(lenient).toMatchObject({
      kind: "aof-torn-tail",
      firstStart: "started-truncated-tail",
      restartAfterRepair: "repaired",
      corruptValues: 0,
      verdict: "ok",
    });
    expect(lenient?.["lost"]).toBeLessThanOrEqual(1);
    expect(lenientSkipped).toMatchObject({ kind: "rdb-flip-bytes", verdict: "skipped" });

    const [strict] = drills("aof-strict");
    expect(strict).toMatchObject({
      kind: "aof-torn-tail",
      firstStart: "refused",
      restartAfterRepair: "repaired",
      corruptValues: 0,
      verdict: "ok",
    });
    expect(String(strict?.["refusal"])).toMatch(/end of file|truncat|check-aof/i);
    expect(strict?.repair?.[0]).toMatchObject({ action: "check-aof --fix", exitCode: 0 });

    const rdb = drills("rdb");
    expect(rdb.find((drill) => drill["kind"] === "aof-torn-tail")).toMatchObject({ verdict: "skipped" });
    const restored = rdb.find((drill) => drill["kind"] === "rdb-flip-bytes");
    expect(restored).toMatchObject({
      firstStart: "refused",
      restartAfterRepair: "repaired",
      corruptValues: 0,
      verdict: "ok",
    });
    expect(restored?.repair?.[0]?.action).toBe("restore-backup");
    expect(existsSync(String((restored?.["backup"] as { path?: string } | undefined)?.path))).toBe(true);
    expect(restored?.["lost"]).toBeGreaterThan(0);
    expect(restored?.["keysReadBack"]).toBeGreaterThan(0);
  });
});
