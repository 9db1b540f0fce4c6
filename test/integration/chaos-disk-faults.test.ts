// The disk-fault nemesis through the compiled CLI, on redis-server and the bundled engine: each fault kind
// once (order: cycle), short, per strategy. Under appendfsync always the engine exits on a write or fsync
// error and loses nothing acknowledged; under everysec it refuses writes with MISCONF and writes again once
// the disk heals (after a write or disk-full fault); slow fsyncs are acknowledged, slowly; the report and
// results.json carry every round.
import { execa } from "execa";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { DiskFaultMetrics } from "../../src/harness/nemesis/disk-fault-metrics.ts";
import type { Results } from "../../src/harness/results/schema.ts";
import { SKIP_WITHOUT_REDIS } from "../harness/helpers/redis.ts";

const ROOT = join(import.meta.dirname, "../..");
const CLI = join(ROOT, "dist/bin/persistlab.js");
const ENGINES = SKIP_WITHOUT_REDIS ? ["bundled"] : ["redis-server", "bundled"];

const SCENARIO = {
  name: "disk-ci",
  seed: 3,
  strategies: ["aof-always", "aof-everysec"],
  workload: { keys: { count: 500 }, values: 32, mix: { SET: 1 }, opTimeout: "1s", history: "writes" },
  phases: [{ name: "disk", executor: "open", rate: 400, duration: "60s", clients: 4 }],
  recovery: false,
  nemesis: {
    kills: 5,
    order: "cycle",
    interval: { min: "300ms", max: "500ms" },
    faults: { "disk-full": 1, "write-eio": 1, "fsync-eio": 1, "slow-fsync": 1, "read-only": 1 },
    // Faults outlast a second, so that everysec's once-a-second background fsync always falls inside one
    // (at 600-800 ms, redis-server's fsync-eio round sometimes saw no fsync at all, hence no MISCONF).
    disk: { duration: { min: "1200ms", max: "1400ms" }, fsyncDelay: { min: "100ms", max: "150ms" }, settle: "1500ms" },
  },
  thresholds: { "durability{strategy:aof-always}": ["lost==0"] },
};

async function runDiskScenario(
  engine: string,
): Promise<{ results: Results; report: string; exitCode: number | undefined; stderr: string }> {
  if (!existsSync(CLI)) throw new Error("dist/ is missing: run `npm run build` before the integration tests");
  const dir = mkdtempSync(join(tmpdir(), "persistlab-disk-"));
  const file = join(dir, "disk-ci.json");
  writeFileSync(file, JSON.stringify(SCENARIO));
  const out = join(dir, "out");
  const result = await execa("node", [CLI, "run", file, "--out", out, "--no-progress", "--engine", engine], {
    reject: false,
    timeout: 170_000,
  });
  return {
    results: JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as Results,
    report: readFileSync(join(out, "report.html"), "utf8"),
    exitCode: result.exitCode,
    stderr: String(result.stderr),
  };
}

const diskOf = (results: Results, strategy: string): DiskFaultMetrics => {
  const run = results.runs.find((candidate) => candidate.strategy === strategy);
  return run?.metrics.durability?.["disk"] as DiskFaultMetrics;
};
const round = (disk: DiskFaultMetrics, kind: string) => disk.rounds.find((candidate) => candidate.kind === kind);

describe.each(ENGINES)("disk faults on %s", (engine) => {
  it("always exits on write/fsync errors losing nothing acknowledged; everysec refuses and heals; slow fsyncs are acknowledged", {
    timeout: 180_000,
  }, async () => {
    const { results, report, exitCode, stderr } = await runDiskScenario(engine);
    expect(exitCode, stderr).toBe(0);
    for (const run of results.runs)
      expect(run.metrics.durability, run.id).toMatchObject({
        kills: 5,
        corrupt: 0,
        failedRestarts: 0,
        verdict: "pass",
      });

    const always = diskOf(results, "aof-always");
    expect(always.rounds.map((entry) => entry.kind).sort()).toEqual([
      "disk-full",
      "fsync-eio",
      "read-only",
      "slow-fsync",
      "write-eio",
    ]);
    for (const kind of ["disk-full", "write-eio", "fsync-eio", "read-only"]) {
      expect(round(always, kind), kind).toMatchObject({ exited: true, exitCode: 1, lost: 0, ackedDuringFault: 0 });
    }
    expect(round(always, "slow-fsync")).toMatchObject({ exited: false, recoveredWithoutRestart: true, lost: 0 });
    expect(round(always, "slow-fsync")?.ackLatencyMs.max).toBeGreaterThanOrEqual(90);

    const everysec = diskOf(results, "aof-everysec");
    for (const kind of ["disk-full", "write-eio"]) {
      const entry = round(everysec, kind);
      expect(entry, kind).toMatchObject({ exited: false, recoveredWithoutRestart: true, lost: 0 });
      expect(entry?.errors[0]?.error, kind).toMatch(
        /^MISCONF Errors writing to the AOF file: (No space left on device|Input\/output error)/,
      );
    }
    expect(round(everysec, "fsync-eio")?.errors[0]?.error).toBe(
      "MISCONF Errors writing to the AOF file: Input/output error",
    );
    expect(report).toContain('id="disk-faults-table"');
  });
});
