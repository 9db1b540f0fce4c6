// CLI lifecycle with real processes: Ctrl-C (SIGINT) during a run and a failing run leave no engine behind,
// keep partial results, and exit with the documented codes.
import { describe, expect, it } from "vitest";
import { execa } from "execa";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EXIT_CODES } from "../../src/harness/shared/exit-codes.ts";
import { isAlive, listChildren, SKIP_WITHOUT_REDIS } from "../harness/helpers/redis.ts";
import { HISTORY_FILE } from "../../src/harness/history/history-file.ts";

const CLI = join(import.meta.dirname, "../../dist/bin/persistlab.js");
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// Writes a scenario file into a temp dir.
// A process's command line ("" once it is gone).
function readCmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

function writeScenario(raw: unknown): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), "persistlab-cli-"));
  const file = join(dir, "scenario.json");
  writeFileSync(file, JSON.stringify(raw));
  return { dir, file };
}

describe.skipIf(SKIP_WITHOUT_REDIS)("persistlab run lifecycle", () => {
  it("stops the engine and keeps partial results on SIGINT", async () => {
    const { dir, file } = writeScenario({
      name: "sigint",
      strategies: ["none", "aof-everysec"],
      duration: "20s",
      clients: 2,
    });
    const out = join(dir, "out");
    const child = execa("node", [CLI, "run", file, "--engine", "redis-server", "--out", out, "--no-progress"], {
      reject: false,
    });
    const cliPid = child.pid as number;
    let engines: number[] = [];
    // The engine is the child started with its engine.conf, which redis-server retitles "redis-server 127.0.0.1:PORT"
    // (not e.g. the short-lived `redis-server --version` the CLI runs first to describe the engine).
    for (let i = 0; i < 100 && engines.length === 0; i++) {
      await sleep(100);
      engines = listChildren(cliPid).filter((pid) => /engine\.conf|127\.0\.0\.1:\d+/.test(readCmdline(pid)));
    }
    expect(engines.length).toBe(1);
    await sleep(500);
    process.kill(cliPid, "SIGINT");
    const result = await child;
    expect(result.exitCode).toBe(EXIT_CODES.INTERRUPTED);
    for (const pid of engines) expect(isAlive(pid)).toBe(false);
    const results = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as {
      status: string;
      runs: Array<{ status: string }>;
    };
    expect(results.status).toBe("interrupted");
    expect(results.runs.map((r) => r.status)).toEqual(["interrupted"]);
  });

  it("reports a failing run (engine refuses its config) with exit code RUN_FAILED and no orphan", async () => {
    // A directive neither engine knows passes validation for --engine redis-server (with a warning); redis-server refuses it.
    const { dir, file } = writeScenario({
      name: "failing",
      strategies: [{ name: "broken", config: { "persistlab-no-such-directive": "yes" } }, "none"],
      duration: "300ms",
      clients: 2,
    });
    const out = join(dir, "out");
    const child = execa("node", [CLI, "run", file, "--engine", "redis-server", "--out", out], { reject: false });
    const cliPid = child.pid as number;
    const result = await child;
    expect(result.exitCode).toBe(EXIT_CODES.RUN_FAILED);
    expect(result.stderr).toContain("run(s) failed");
    expect(result.stderr).toContain(
      "warning: strategies[0].config.persistlab-no-such-directive: `persistlab-no-such-directive` is not a directive the bundled engine knows",
    );
    const results = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as {
      status: string;
      runs: Array<{ status: string; error?: string }>;
    };
    expect(results.runs.map((r) => r.status)).toEqual(["failed", "ok"]);
    expect(results.runs[0]?.error).toMatch(/persistlab-no-such-directive|Bad directive/i);
    expect(listChildren(cliPid)).toEqual([]);
    expect(isAlive(cliPid)).toBe(false);
  });

  it("exits INVALID_SCENARIO naming the path and fix, and ENGINE_FAILED for a missing binary", async () => {
    const { file } = writeScenario({ name: "bad", workload: { keyz: {} } });
    const invalid = await execa("node", [CLI, "validate", file], { reject: false });
    expect(invalid.exitCode).toBe(EXIT_CODES.INVALID_SCENARIO);
    expect(invalid.stderr).toContain("workload: Unknown key `keyz` (did you mean `keys`?)");
    const missing = await execa(
      "node",
      [
        CLI,
        "run",
        "smoke",
        "--engine",
        "redis-server",
        "--engine-bin",
        "/nonexistent/redis-server",
        "--out",
        join(tmpdir(), "persistlab-never"),
      ],
      { reject: false },
    );
    expect(missing.exitCode).toBe(EXIT_CODES.ENGINE_FAILED);
    expect(existsSync(join(tmpdir(), "persistlab-never", HISTORY_FILE))).toBe(false);
  });
});
