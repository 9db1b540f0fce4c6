// `persistlab run` (built CLI, bundled engine, real processes) exits 99 when a threshold of the scenario
// fails, after writing results.json; --no-thresholds reports the same run but exits 0.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EXIT_CODES } from "../../../src/harness/shared/exit-codes.ts";
import { runCli } from "./cli-process.ts";

const dir = mkdtempSync(join(tmpdir(), "persistlab-run-thresholds-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A one-strategy, one-second scenario whose throughput threshold no machine meets, and one that every run meets.
const scenarioFile = join(dir, "tiny.json");
writeFileSync(
  scenarioFile,
  JSON.stringify({
    name: "tiny-thresholds",
    seed: 7,
    strategies: ["none"],
    workload: { keys: { count: 100 }, preload: 0, history: "none", mix: { SET: 1 } },
    phases: [{ name: "steady", duration: "1s", clients: 2 }],
    thresholds: { throughput: ["opsPerSec>1000000000"], errors: ["rate<1"] },
  }),
);

describe("run exit code on thresholds", () => {
  it("99 when a threshold fails (results still written); 0 with --no-thresholds", () => {
    const out = join(dir, "fail");
    const failed = runCli(["run", scenarioFile, "--out", out, "--no-progress"], { timeoutMs: 110_000 });
    expect(failed.stderr).toContain("FAIL throughput opsPerSec>1000000000 [none]: FAIL, value");
    expect(failed.stderr).toContain("1 of 2 threshold check(s) of the scenario failed");
    expect(failed.status).toBe(EXIT_CODES.THRESHOLDS_FAILED);
    expect(existsSync(join(out, "results.json"))).toBe(true);
    expect((JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as { status: string }).status).toBe("complete");

    const reported = runCli(
      ["run", scenarioFile, "--out", join(dir, "report-only"), "--no-progress", "--no-thresholds"],
      { timeoutMs: 110_000 },
    );
    expect(reported.status).toBe(0);
    expect(reported.stdout).toContain("results:");
    expect(reported.stderr).not.toContain("threshold check(s) of the scenario failed");
  }, 240_000);
});
