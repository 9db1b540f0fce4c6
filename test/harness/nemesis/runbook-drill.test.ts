// Runbook drills, end to end with real processes (the built CLI, the engine, redis-cli, the shipped scripts):
// the persistence guide's backup copies a missing or stale dump.rdb, its restore restores nothing under
// appendonly yes (the AOF wins), and the corrected pair restores on both strategies; on the bundled engine
// and on redis-server 7.0. Also: a drill naming a missing or non-executable script is refused clearly.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { nemesisSchema, resolveNemesis } from "../../../src/harness/nemesis/config.ts";
import { runCli } from "../cli/cli-process.ts";
import { SKIP_WITHOUT_REDIS } from "../../helpers/servers.ts";

const RUNBOOKS = join(import.meta.dirname, "../../../scenarios/runbooks");
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

// A short version of scenarios/runbook-drill.json with absolute script paths.
function writeScenario(dir: string): string {
  const scenario = {
    name: "runbook-test",
    seed: 5,
    strategies: [{ name: "rdb", preset: "rdb", config: { save: "1 1" } }, "aof-everysec"],
    workload: {
      keys: { count: 30000, distribution: "uniform" },
      values: { minBytes: 32, maxBytes: 128 },
      preload: { keys: 30000, valueBytes: 512 },
      mix: { SET: 1 },
      opTimeout: "1s",
      history: "writes",
    },
    phases: [{ name: "drills", executor: "open", rate: 500, duration: "90s", clients: 4 }],
    recovery: false,
    nemesis: {
      kills: 0,
      interval: { min: "800ms", max: "1s" },
      drills: [
        { backup: join(RUNBOOKS, "guide-backup.sh"), timeout: "10s" },
        { backup: join(RUNBOOKS, "backup.sh"), restore: join(RUNBOOKS, "guide-restore.sh") },
        { backup: join(RUNBOOKS, "backup.sh"), restore: join(RUNBOOKS, "restore.sh") },
      ],
    },
  };
  const file = join(dir, "runbook-test.json");
  writeFileSync(file, JSON.stringify(scenario));
  return file;
}

type Drill = {
  verdict: string;
  backup: { state: string; lacks: number; ackedKeys: number; ageMs: number | null };
  restore?: { outcome: string };
};

// Runs the scenario and returns each strategy's drills.
function drill(engineArgs: string[]): Record<string, Drill[]> {
  const dir = mkdtempSync(join(tmpdir(), "persistlab-runbook-test-"));
  dirs.push(dir);
  const out = join(dir, "out");
  const outcome = runCli(["run", writeScenario(dir), "--out", out, ...engineArgs], { timeoutMs: 280_000 });
  expect(outcome.status, outcome.stderr.slice(-2000)).toBe(0);
  const results = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as {
    runs: Array<{ id: string; metrics: { durability: { drills: Drill[] } } }>;
  };
  return Object.fromEntries(results.runs.map((run) => [run.id.replace(/#.*/, ""), run.metrics.durability.drills]));
}

function expectFindings(drills: Record<string, Drill[]>): void {
  for (const strategy of ["rdb", "aof-everysec"]) {
    const [guideBackup, guideRestore, corrected] = drills[strategy] ?? [];
    // The guide's loop does not wait for its BGSAVE: no dump yet (no save points), or one older than the load's writes.
    expect(
      guideBackup?.backup.state === "none" || (guideBackup?.backup.lacks ?? 0) > 0,
      `${strategy}: ${JSON.stringify(guideBackup?.backup)}`,
    ).toBe(true);
    // The corrected backup holds every write acknowledged before it started.
    expect(corrected?.backup.lacks, strategy).toBe(0);
    expect(corrected?.backup.ackedKeys, strategy).toBeGreaterThan(0);
    expect(corrected?.verdict, strategy).toBe("restored");
    expect(guideRestore?.backup.lacks, strategy).toBe(0);
    expect(guideRestore?.verdict, strategy).toBe(strategy === "rdb" ? "restored" : "nothing restored");
  }
  expect(drills["aof-everysec"]?.[0]?.backup.state).toBe("none");
}

describe("runbook drills", () => {
  it("on the bundled engine: the guide's backup misses, its restore does nothing under AOF, the corrected pair restores", () => {
    expectFindings(drill([]));
  }, 300_000);

  it.skipIf(SKIP_WITHOUT_REDIS)(
    "on redis-server 7.0: the same findings",
    () => {
      expectFindings(drill(["--engine", "redis-server"]));
    },
    300_000,
  );

  it("refuses a drill whose script is missing or not executable, naming the fix", () => {
    const dir = mkdtempSync(join(tmpdir(), "persistlab-runbook-config-"));
    dirs.push(dir);
    writeFileSync(join(dir, "backup.sh"), "#!/bin/sh\n");
    expect(() => resolveNemesis(nemesisSchema.parse({ drills: [{ backup: "./missing.sh" }] }), false, dir)).toThrow(
      /does not exist .*Fix: give a path relative to the scenario file/,
    );
    expect(() => resolveNemesis(nemesisSchema.parse({ drills: [{ backup: "./backup.sh" }] }), false, dir)).toThrow(
      /not executable. Fix: chmod \+x/,
    );
    chmodSync(join(dir, "backup.sh"), 0o755);
    const resolved = resolveNemesis(
      nemesisSchema.parse({ drills: [{ backup: "./backup.sh", timeout: "5s" }] }),
      false,
      dir,
    );
    expect(resolved.drills[0]).toEqual({ backup: join(dir, "backup.sh"), restore: undefined, timeoutMs: 5000 });
  });
});
