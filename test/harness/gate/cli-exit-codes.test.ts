// Exact exit codes of `persistlab gate | compare | recommend | merge | report` on recorded results (in-process main()).
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../../../src/harness/cli/main.ts";

const F = "test/fixtures/results";
const dir = mkdtempSync(join(tmpdir(), "persistlab-cli-"));
let output = "";

// Runs the CLI and returns its exit code, collecting stdout and stderr in `output`.
async function run(...argv: string[]): Promise<number> {
  output = "";
  return main(argv);
}

beforeEach(() => {
  const capture = (chunk: string | Uint8Array): boolean => {
    output += String(chunk);
    return true;
  };
  vi.spyOn(process.stdout, "write").mockImplementation(capture);
  vi.spyOn(process.stderr, "write").mockImplementation(capture);
  vi.stubEnv("GITHUB_STEP_SUMMARY", "");
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("gate exit codes", () => {
  it("0 when every threshold passes", async () => {
    expect(await run("gate", `${F}/smoke-pass.json`)).toBe(0);
    expect(output).toContain("gate: PASS: 9/9 thresholds passed");
  });
  it("99 when a threshold fails, naming metric, value and limit", async () => {
    expect(await run("gate", `${F}/smoke-threshold-fail.json`)).toBe(99);
    expect(output).toContain("FAIL latency p(99)<3 [aof-always]: FAIL, value 4.60 ms, limit < 3 ms");
  });
  it("98 on a regression against the baseline", async () => {
    expect(
      await run("gate", `${F}/candidate-regressed.json`, "--baseline", `${F}/baseline.json`, "--max-regression", "10%"),
    ).toBe(98);
    expect(output).toMatch(
      /FAIL throughput\.opsPerSec \[aof-everysec\]: REGRESSION, value 23936 ops\/s vs baseline 34000 ops\/s/,
    );
  });
  it("0 on noise that is not a regression", async () => {
    expect(await run("gate", `${F}/candidate-noise.json`, "--baseline", `${F}/baseline.json`)).toBe(0);
  });
  it("0 when the allowed regression is larger than the change", async () => {
    expect(
      await run("gate", `${F}/candidate-regressed.json`, "--baseline", `${F}/baseline.json`, "--max-regression", "50%"),
    ).toBe(0);
  });
  it("97 on bad input, 2 on a bad option", async () => {
    expect(await run("gate", `${F}/bad-schema-version.json`)).toBe(97);
    expect(await run("gate", join(dir, "missing.json"))).toBe(97);
    expect(await run("gate", `${F}/smoke-pass.json`, "--max-regression", "lots")).toBe(2);
  });
});

describe("compare exit codes", () => {
  it("0 by default, 98 with --fail-on-regression, and writes the HTML view", async () => {
    const html = join(dir, "compare.html");
    expect(await run("compare", `${F}/baseline.json`, `${F}/candidate-regressed.json`, "--html", html)).toBe(0);
    expect(output).toContain("10 regressed, 0 improved, 10 inconclusive, 0 unchanged");
    expect(readFileSync(html, "utf8")).toContain('<table id="compare-table">');
    expect(await run("compare", `${F}/baseline.json`, `${F}/candidate-regressed.json`, "--fail-on-regression")).toBe(
      98,
    );
  });
  it("0 with --fail-on-regression when the candidate is only noisy", async () => {
    expect(await run("compare", `${F}/baseline.json`, `${F}/candidate-noise.json`, "--fail-on-regression")).toBe(0);
    expect(output).toMatch(/0 regressed/);
  });
  it("2 for one results file without --interleave; 97 for a bad file", async () => {
    expect(await run("compare", `${F}/baseline.json`)).toBe(2);
    expect(await run("compare", `${F}/baseline.json`, `${F}/bad-schema-version.json`)).toBe(97);
  });
});

describe("recommend exit codes", () => {
  it("0 with the pick and its evidence", async () => {
    expect(await run("recommend", "--max-loss", "2s", `${F}/strategy-matrix.json`)).toBe(0);
    expect(output).toMatch(/recommendation: aof-everysec meets every stated need/);
    expect(output).toMatch(/^aof-everysec\s+34,340\s+1\.88 ms\s+1,892\s+1\.22 s\s+yes$/m);
  });
  it("96 when no strategy qualifies, with the reasons", async () => {
    expect(await run("recommend", "--max-loss", "0", "--min-ops-per-sec", "20000", `${F}/strategy-matrix.json`)).toBe(
      96,
    );
    expect(output).toContain("No strategy meets the stated needs.");
    expect(output).toContain("aof-always: 9494 ops/s < 20000 ops/s");
  });
  it("2 for a malformed --max-loss", async () => {
    expect(await run("recommend", "--max-loss", "soon", `${F}/strategy-matrix.json`)).toBe(2);
  });
});

describe("merge and report", () => {
  it("merge joins shards (0) and refuses duplicates (97)", async () => {
    const out = join(dir, "merged.json");
    expect(await run("merge", `${F}/shard-1-of-2.json`, `${F}/shard-2-of-2.json`, "-o", out)).toBe(0);
    expect((JSON.parse(readFileSync(out, "utf8")) as { runs: unknown[] }).runs).toHaveLength(6);
    expect(await run("merge", `${F}/shard-1-of-2.json`, `${F}/shard-1-of-2.json`, "-o", out)).toBe(97);
  });
  it("report renders HTML and markdown (0)", async () => {
    const html = join(dir, "report.html"),
      markdown = join(dir, "summary.md");
    expect(await run("report", `${F}/smoke-pass.json`, "--out", html, "--markdown", markdown)).toBe(0);
    expect(existsSync(html)).toBe(true);
    expect(readFileSync(markdown, "utf8")).toContain("## persistlab: smoke");
  });
});
