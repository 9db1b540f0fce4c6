// gate, compare, recommend and list as CI uses them (in-process main(), real fixture files): failed runs,
// nothing to judge and baselines of another scenario or engine each fail with their own line and exit code;
// compare refuses different scenarios unless --force; --json prints parseable output with the same exit code.
import { readdirSync } from "node:fs";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../../../src/harness/cli/main.ts";
import { EXIT_CODES } from "../../../src/harness/shared/exit-codes.ts";

const F = "test/fixtures/results";
const dir = mkdtempSync(join(tmpdir(), "persistlab-decisions-"));
let stdout = "";
let stderr = "";

// Runs the CLI in-process, collecting stdout and stderr apart.
async function run(...argv: string[]): Promise<number> {
  stdout = "";
  stderr = "";
  return main(argv);
}

// A copy of a fixture with `edit` applied, written under the temp dir.
function editedFixture(name: string, out: string, edit: (results: Record<string, any>) => void): string {
  const results = JSON.parse(readFileSync(join(F, name), "utf8")) as Record<string, any>;
  edit(results);
  const file = join(dir, out);
  writeFileSync(file, JSON.stringify(results));
  return file;
}

beforeEach(() => {
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  vi.stubEnv("GITHUB_STEP_SUMMARY", "");
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("gate", () => {
  it("fails (5) on results whose runs failed, naming each failed run", async () => {
    const file = editedFixture("smoke-pass.json", "failed-runs.json", (r) => {
      r["status"] = "failed";
      for (const runResult of r["runs"]) {
        runResult.status = "failed";
        runResult.error = "engine did not become ready";
      }
    });
    expect(await run("gate", file)).toBe(EXIT_CODES.RUN_FAILED);
    expect(stdout).toContain("FAIL run aof-everysec#1: failed, engine did not become ready");
    expect(stdout).toMatch(/gate: FAIL \(6 run\(s\) did not finish ok\)/);
    expect(stdout).not.toContain("gate: PASS");
    expect(stderr).toContain("6 of 6 run(s) did not finish ok");
  });

  it("fails (95) when there is nothing to judge: no thresholds and no baseline", async () => {
    expect(await run("gate", `${F}/shard-1-of-2.json`)).toBe(EXIT_CODES.NOTHING_TO_JUDGE);
    expect(stdout).toContain(
      "gate: FAIL (nothing to judge: the scenario has no thresholds and no --baseline was given)",
    );
    expect(stderr).toContain("Hint: add thresholds to the scenario");
  });

  it("fails (95) on a baseline with 0 compared figures", async () => {
    const baseline = editedFixture("baseline.json", "other-strategies.json", (r) => {
      for (const runResult of r["runs"]) runResult.strategy = `renamed-${String(runResult.strategy)}`;
    });
    const candidate = editedFixture("candidate-noise.json", "no-thresholds.json", (r) => {
      r["scenario"]["thresholds"] = {};
    });
    expect(await run("gate", candidate, "--baseline", baseline)).toBe(EXIT_CODES.NOTHING_TO_JUDGE);
    expect(stdout).toContain("in 0 compared figure(s)");
    expect(stderr).toContain("the baseline shares no gated figure with the results");
  });

  it("refuses (94) a baseline of another scenario", async () => {
    expect(await run("gate", `${F}/strategy-matrix.json`, "--baseline", `${F}/baseline.json`)).toBe(
      EXIT_CODES.NOT_COMPARABLE,
    );
    expect(stderr).toMatch(
      /cannot judge against this baseline: the baseline .*baseline\.json is of scenario "smoke" but the results .*strategy-matrix\.json is of scenario "strategy-matrix"/,
    );
    expect(stdout).toBe("");
  });

  it("refuses (94) a baseline of another engine", async () => {
    const baseline = editedFixture("baseline.json", "redis-baseline.json", (r) => {
      r["environment"]["engine"] = {
        kind: "redis-server",
        name: "redis-server",
        binary: "redis-server",
        version: "7.0.15",
      };
    });
    expect(await run("gate", `${F}/candidate-noise.json`, "--baseline", baseline)).toBe(EXIT_CODES.NOT_COMPARABLE);
    expect(stderr).toMatch(/ran on redis-server \(redis-server 7\.0\.15\) but the results .* ran on bundled/);
  });

  it("--json: the findings as JSON with the same exit code", async () => {
    expect(await run("gate", `${F}/smoke-threshold-fail.json`, "--json")).toBe(EXIT_CODES.THRESHOLDS_FAILED);
    const parsed = JSON.parse(stdout) as {
      pass: boolean;
      exitCode: number;
      thresholds: Array<{ status: string; message: string }>;
    };
    expect(parsed.pass).toBe(false);
    expect(parsed.exitCode).toBe(99);
    expect(parsed.thresholds.filter((t) => t.status === "fail").map((t) => t.message)).toContain(
      "latency p(99)<3 [aof-always]: FAIL, value 4.60 ms, limit < 3 ms",
    );
    expect(await run("gate", `${F}/smoke-pass.json`, "--json")).toBe(0);
    expect((JSON.parse(stdout) as { pass: boolean }).pass).toBe(true);
  });
});

describe("compare", () => {
  it("refuses two different scenarios (94) unless --force", async () => {
    expect(await run("compare", `${F}/baseline.json`, `${F}/strategy-matrix.json`)).toBe(EXIT_CODES.NOT_COMPARABLE);
    expect(stderr).toMatch(
      /A \(.*baseline\.json\) is of scenario "smoke" but B \(.*strategy-matrix\.json\) is of scenario "strategy-matrix"/,
    );
    expect(stderr).toContain("--force");
    expect(await run("compare", `${F}/baseline.json`, `${F}/strategy-matrix.json`, "--force")).toBe(0);
    expect(stderr).toContain("compared anyway: --force");
    expect(stdout).toContain("aof-everysec");
  });

  it("--json: one row per strategy and metric", async () => {
    expect(
      await run("compare", `${F}/baseline.json`, `${F}/candidate-regressed.json`, "--json", "--fail-on-regression"),
    ).toBe(EXIT_CODES.REGRESSION);
    const parsed = JSON.parse(stdout) as {
      strategies: string[];
      verdicts: Record<string, number>;
      rows: Array<{ strategy: string; metric: string; verdict: string }>;
    };
    expect(parsed.strategies).toEqual(["aof-everysec", "aof-always"]);
    expect(parsed.verdicts["regressed"]).toBe(10);
    expect(parsed.rows.find((r) => r.strategy === "aof-everysec" && r.metric === "throughput.opsPerSec")?.verdict).toBe(
      "regressed",
    );
  });
});

describe("recommend", () => {
  it("without stated needs says so and shows the order it would rank by (0)", async () => {
    expect(await run("recommend", `${F}/strategy-matrix.json`)).toBe(0);
    expect(stdout).not.toContain("recommendation:");
    expect(stdout).not.toContain("meets every stated need");
    expect(stdout).toContain("no needs stated, so nothing to recommend");
    expect(stdout).toContain("by that order: none, rdb, aof-no, aof-everysec, hybrid, aof-always");
    expect(stdout).toContain("--max-loss");
  });

  it("--json: needs, pick and candidates; 96 still when none qualifies", async () => {
    expect(await run("recommend", "--max-loss", "2s", `${F}/strategy-matrix.json`, "--json")).toBe(0);
    const parsed = JSON.parse(stdout) as {
      pick: string;
      needs: { maxLossMs: number };
      candidates: Array<{ strategy: string; qualifies: boolean }>;
    };
    expect(parsed.pick).toBe("aof-everysec");
    expect(parsed.needs.maxLossMs).toBe(2000);
    expect(parsed.candidates.find((c) => c.strategy === "aof-no")?.qualifies).toBe(false);
    expect(
      await run("recommend", "--max-loss", "0", "--min-ops-per-sec", "20000", `${F}/strategy-matrix.json`, "--json"),
    ).toBe(EXIT_CODES.NO_STRATEGY);
    expect((JSON.parse(stdout) as { pick: string | null }).pick).toBeNull();
  });

  it("--min-ops-per-sec lots: usage error (2)", async () => {
    expect(await run("recommend", "--min-ops-per-sec", "lots", `${F}/strategy-matrix.json`)).toBe(EXIT_CODES.USAGE);
    expect(stderr).toContain('--min-ops-per-sec expects a number ≥ 0, got "lots"');
  });
});

describe("list --json", () => {
  it("prints every ready-made scenario with name, description and file", async () => {
    expect(await run("list", "--json")).toBe(0);
    const parsed = JSON.parse(stdout) as Array<{ name: string; description: string; file: string }>;
    const files = readdirSync("scenarios")
      .filter((file) => file.endsWith(".json"))
      .map((file) => file.replace(/\.json$/, ""));
    expect(parsed.map((s) => s.name).sort()).toEqual(files.sort());
    expect(parsed.map((s) => s.name)).toEqual(
      expect.arrayContaining([
        "crash-loss",
        "disaster-drill",
        "disk-faults",
        "power-loss",
        "runbook-drill",
        "smoke",
        "strategy-matrix",
      ]),
    );
    expect(parsed.every((s) => s.description.length > 0 && s.file.endsWith(".json"))).toBe(true);
  });
});
