// Bad input to the built CLI, as a careful user would type it: one clear line naming the problem and the
// fix, the documented exit code, no stack trace, and nothing left on disk by a command that refused to start.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EXIT_CODES } from "../../../src/harness/shared/exit-codes.ts";
import { RdbFileBuilder } from "../../engine/rdb/file-builder.ts";
import { runCli, type CliOutcome } from "./cli-process.ts";

const dir = mkdtempSync(join(tmpdir(), "persistlab-bad-input-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// No stack trace and no "Internal error" for bad input: the first line says what is wrong.
function expectCleanError(outcome: CliOutcome, pattern: RegExp): void {
  expect(outcome.stderr).toMatch(pattern);
  expect(outcome.stderr).not.toMatch(/Internal error|\n\s+at /);
}

// A free loopback port with nothing listening on it (bound once, then released).
async function findClosedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

describe("run refuses bad options before creating anything", () => {
  it("--shard 5/2: usage error (2), and no --out folder left behind", () => {
    const out = join(dir, "shard-out");
    const outcome = runCli(["run", "smoke", "--shard", "5/2", "--out", out]);
    expect(outcome.status).toBe(EXIT_CODES.USAGE);
    expectCleanError(outcome, /--shard "5\/2" is not a shard of a matrix/);
    expect(outcome.stderr).toContain("--shard i/n");
    expect(existsSync(out)).toBe(false);
  });

  it("--seed abc: usage error (2) naming the option and the value", () => {
    const out = join(dir, "seed-out");
    const outcome = runCli(["run", "smoke", "--seed", "abc", "--out", out]);
    expect(outcome.status).toBe(EXIT_CODES.USAGE);
    expectCleanError(outcome, /--seed expects a whole number ≥ 0, got "abc" \(e\.g\. --seed 42\)/);
    expect(existsSync(out)).toBe(false);
  });

  it("--engine redis-server --port 7900: rejected (2), saying each run picks its own port", () => {
    const out = join(dir, "port-out");
    const outcome = runCli(["run", "smoke", "--engine", "redis-server", "--port", "7900", "--out", out]);
    expect(outcome.status).toBe(EXIT_CODES.USAGE);
    expectCleanError(
      outcome,
      /--port applies to --engine attach only: with --engine redis-server every run starts its own server on a free 127\.0\.0\.1 port/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it("--engine attach with nothing listening: connection refused at once (4), no folder", async () => {
    const port = await findClosedPort();
    const out = join(dir, "attach-out");
    const outcome = runCli(["run", "smoke", "--engine", "attach", "--port", String(port), "--out", out], {
      timeoutMs: 30_000,
    });
    expect(outcome.status).toBe(EXIT_CODES.ENGINE_FAILED);
    expectCleanError(outcome, new RegExp(`cannot connect to 127\\.0\\.0\\.1:${port}: connection refused`));
    expect(outcome.ms).toBeLessThan(20_000); // it used to wait 60 s; startup of node itself is the rest
    expect(existsSync(out)).toBe(false);
  });

  it("--engine-bin that does not exist: engine failed (4) before any folder is created", () => {
    const out = join(dir, "bin-out");
    const outcome = runCli([
      "run",
      "smoke",
      "--engine",
      "redis-server",
      "--engine-bin",
      join(dir, "no-such-server"),
      "--out",
      out,
    ]);
    expect(outcome.status).toBe(EXIT_CODES.ENGINE_FAILED);
    expectCleanError(outcome, /Cannot run the engine binary/);
    expect(existsSync(out)).toBe(false);
  });
});

describe("validate checks directives with the engine's table", () => {
  it("rejects appendfsync sometimes (3), naming the allowed values", () => {
    const file = join(dir, "sometimes.json");
    writeFileSync(
      file,
      JSON.stringify({ name: "x", strategies: [{ name: "odd", config: { appendfsync: "sometimes" } }] }),
    );
    const outcome = runCli(["validate", file]);
    expect(outcome.status).toBe(EXIT_CODES.INVALID_SCENARIO);
    expectCleanError(
      outcome,
      /strategies\[0\]\.config\.appendfsync: argument\(s\) must be one of the following: (?=.*always)(?=.*everysec)/,
    );
    const run = runCli(["run", file, "--out", join(dir, "sometimes-out")]);
    expect(run.status).toBe(EXIT_CODES.INVALID_SCENARIO);
    expect(existsSync(join(dir, "sometimes-out"))).toBe(false);
  });
});

describe("probe-disk", () => {
  it("--dir /nonexistent: file not found (6), not an internal error", () => {
    const outcome = runCli(["probe-disk", "--dir", join(dir, "nonexistent")]);
    expect(outcome.status).toBe(EXIT_CODES.FILE_NOT_FOUND);
    expectCleanError(outcome, /probe-disk: .*nonexistent does not exist/);
  });
  it("--samples abc: usage error (2), no NaN", () => {
    const outcome = runCli(["probe-disk", "--samples", "abc"]);
    expect(outcome.status).toBe(EXIT_CODES.USAGE);
    expectCleanError(outcome, /--samples expects a whole number from 1 to 1000000, got "abc"/);
    expect(outcome.stdout).not.toContain("NaN");
  });
});

describe("check-aof and check-rdb", () => {
  it("check-aof of a missing file says it does not exist (6), without suggesting --fix", () => {
    const outcome = runCli(["check-aof", join(dir, "missing.aof")]);
    expect(outcome.status).toBe(EXIT_CODES.FILE_NOT_FOUND);
    expectCleanError(outcome, /check-aof: .*missing\.aof does not exist/);
    expect(outcome.stderr).not.toContain("--fix");
    expect(outcome.stderr).not.toContain("not a valid AOF");
  });

  it("check-rdb after a CRC mismatch says the damage is somewhere before the checksum, not at its offset", () => {
    const file = new RdbFileBuilder().aux("redis-ver", "7.0.15").selectDb(0).string("key", "value").finish();
    const damaged = Buffer.from(file);
    const at = damaged.indexOf("value");
    damaged[at] = damaged[at]! ^ 0x20; // "value" → "Value": every record still parses, only the CRC64 disagrees
    const path = join(dir, "crc.rdb");
    writeFileSync(path, damaged);
    const outcome = runCli(["check-rdb", path]);
    expect(outcome.status).toBe(1);
    expect(outcome.stdout).toContain("wrong RDB checksum");
    expectCleanError(
      outcome,
      /fails its CRC64 checksum: every record parsed, but some bytes before the checksum \(offset above\) differ from what was saved/,
    );
    expect(outcome.stderr).toContain("no offset locates it");
    expect(outcome.stderr).not.toContain("where the damage begins");
  });

  it("check-rdb of a structurally damaged file points at the offset where parsing failed", () => {
    const file = new RdbFileBuilder().aux("redis-ver", "7.0.15").selectDb(0).string("key", "value").finish();
    const path = join(dir, "cut.rdb");
    writeFileSync(path, file.subarray(0, file.length - 12));
    const outcome = runCli(["check-rdb", path]);
    expect(outcome.status).toBe(1);
    expectCleanError(outcome, /is not a valid RDB file \(first error above\)/);
    expect(outcome.stderr).toContain("where the parser first met damaged data");
  });

  it("check-rdb of a missing file (6)", () => {
    const outcome = runCli(["check-rdb", join(dir, "none.rdb")]);
    expect(outcome.status).toBe(EXIT_CODES.FILE_NOT_FOUND);
    expectCleanError(outcome, /check-rdb: .*none\.rdb does not exist/);
  });
});

describe("report --out", () => {
  it("an existing folder: report.html is written inside it", () => {
    const out = mkdtempSync(join(dir, "report-out-"));
    const outcome = runCli(["report", "test/fixtures/results/smoke-pass.json", "--out", out, "--no-summary"]);
    expect(outcome.status).toBe(0);
    expect(existsSync(join(out, "report.html"))).toBe(true);
  });

  it("a file in a folder that does not exist: usage error (2) naming it, no stack trace", () => {
    const outcome = runCli([
      "report",
      "test/fixtures/results/smoke-pass.json",
      "--out",
      join(dir, "missing", "r.html"),
      "--no-summary",
    ]);
    expect(outcome.status).toBe(EXIT_CODES.USAGE);
    expectCleanError(outcome, /the folder of --out .*missing\/r\.html does not exist/);
  });
});
