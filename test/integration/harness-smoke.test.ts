// End-to-end: `persistlab run smoke --quick` through the compiled CLI on redis-server (every metric filled)
// and on the bundled engine when it is built; results.json and history.jsonl follow the documented schema.
import { describe, expect, it } from "vitest";
import { execa } from "execa";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Results } from "../../src/harness/results/schema.ts";
import { RESULTS_SCHEMA_VERSION } from "../../src/harness/results/schema.ts";
import { SKIP_WITHOUT_REDIS } from "../harness/helpers/redis.ts";
import { HISTORY_FILE, readHistory } from "../../src/harness/history/history-file.ts";

const ROOT = join(import.meta.dirname, "../..");
const CLI = join(ROOT, "dist/bin/persistlab.js");
const HAS_BUNDLED = existsSync(join(ROOT, "dist/bin/persistlab-server.js"));

// Runs the smoke scenario and returns the parsed results and the output folder.
async function runSmoke(
  engineArgs: string[],
): Promise<{ results: Results; out: string; stdout: string; exitCode: number | undefined }> {
  const out = join(mkdtempSync(join(tmpdir(), "persistlab-smoke-")), "out");
  const result = await execa("node", [CLI, "run", "smoke", "--quick", "--out", out, ...engineArgs], {
    reject: false,
    timeout: 120_000,
  });
  return {
    results: JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as Results,
    out,
    stdout: String(result.stdout),
    exitCode: result.exitCode,
  };
}

// Checks the shape every run must have, whatever the engine.
function expectRunShape(results: Results): void {
  expect(results.schemaVersion).toBe(RESULTS_SCHEMA_VERSION);
  expect(results.status).toBe("complete");
  expect(results.diskFloor.measured).toBe(true);
  expect(results.runs.map((r) => r.strategy)).toEqual(["none", "aof-everysec", "aof-always"]);
  for (const run of results.runs) {
    expect(run.status).toBe("ok");
    expect(run.metrics.throughput.opsPerSec).toBeGreaterThan(0);
    expect(run.metrics.throughput.timeline.length).toBeGreaterThan(2);
    expect(run.metrics.latency.all.p99Ms).toBeGreaterThan(0);
    expect(run.metrics.latency.all.cdf.length).toBeGreaterThan(10);
    expect(Object.keys(run.metrics.latency.byOp)).toContain("SET");
    expect(run.metrics.recovery.measured).toBe(true);
    // Steal and CPU load over the recorded phases (Linux: /proc/stat).
    expect(run.metrics.machine).toMatchObject({
      measured: true,
      cpuStealPct: expect.any(Number),
      cpuBusyPct: expect.any(Number),
    });
    if (run.metrics.machine?.measured === true) {
      expect(run.metrics.machine.sampledSec).toBeGreaterThan(0.5);
      expect(run.metrics.machine.cpuBusyPct).toBeGreaterThan(0);
      // The harness's own loop: busy some of the time, never all of it on this light load.
      expect(run.metrics.machine.harnessLoopBusyPct).toBeGreaterThan(0);
      expect(run.metrics.machine.harnessLoopBusyPct).toBeLessThanOrEqual(100);
    }
    expect(run.events.map((e) => e.type)).toEqual(expect.arrayContaining(["ready", "phase-start", "phase-end"]));
    expect(run.phases.map((p) => p.name)).toEqual(["warmup", "steady", "open-loop", "rewrite"]);
  }
}

describe.skipIf(SKIP_WITHOUT_REDIS)("smoke on redis-server", () => {
  it("fills every metric for every strategy", async () => {
    const { results, out, stdout, exitCode } = await runSmoke(["--engine", "redis-server"]);
    expect(exitCode).toBe(0);
    expectRunShape(results);
    expect(results.environment.engine).toMatchObject({ kind: "redis-server", name: "redis-server" });
    for (const run of results.runs) {
      expect(run.metrics.errors.rate).toBeLessThan(0.01);
      expect(run.metrics.rewrite).toMatchObject({ measured: true, status: "ok" });
      // redis-server reports no fsync figures: the LD_PRELOAD shim traces its fsync calls (gcc is on the machine).
      if (run.strategy !== "none")
        expect(run.metrics.fsync).toMatchObject({
          measured: true,
          source: "ld-preload-shim",
          count: expect.any(Number),
        });
      expect(run.metrics.memory).toMatchObject({ rssBytes: expect.any(Number) });
      expect(run.metrics.availability.okRatio).toBeGreaterThan(0.99);
    }
    const always = results.runs[2];
    if (always?.metrics.recovery.measured === true)
      expect(always.metrics.recovery.loadedKeys).toBe(always.metrics.recovery.keysBefore);
    const ops = await readHistory(join(out, HISTORY_FILE));
    expect(ops.length).toBe(results.runs.reduce((sum, r) => sum + r.historyOps, 0));
    expect(ops[0]).toMatchObject({
      run: "none#1",
      id: expect.any(Number),
      client: expect.any(Number),
      f: expect.any(String),
      key: expect.any(String),
      type: "ok",
      invokeUs: expect.any(Number),
      completeUs: expect.any(Number),
    });
    expect(stdout).toContain("aof-always");
    expect(stdout).toContain("disk fdatasync floor");
  });
});

describe.skipIf(!HAS_BUNDLED)("smoke on the bundled engine", () => {
  it("runs every strategy to completion", async () => {
    const { results } = await runSmoke([]);
    expectRunShape(results);
    expect(results.environment.engine).toMatchObject({ kind: "bundled", name: "persistlab-server" });
    const always = results.runs.find((run) => run.strategy === "aof-always");
    expect(always?.metrics.fsync).toMatchObject({ measured: true, source: "engine-info" });
    if (always?.metrics.fsync.measured === true) expect(always.metrics.fsync.count).toBeGreaterThan(100);
  });
});
