// `persistlab check-aof` (the harness CLI over the engine's checker): exit codes, --fix --yes,
// --truncate-to-timestamp, and usage errors.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { encodeCommand } from "../../src/engine/persistence/aof/command-encoder.ts";
import { makeTempDir } from "../engine/aof/support/processes.ts";

const CLI = join(import.meta.dirname, "../../dist/bin/persistlab.js");
const dir = makeTempDir("cli");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => spawnSync(process.execPath, [CLI, "check-aof", ...args], { encoding: "utf8" });

describe("persistlab check-aof", () => {
  const good = encodeCommand(["SET", "a", "1"]) + "#TS:1700000100\r\n" + encodeCommand(["SET", "b", "2"]);

  it("exits 0 on a valid AOF and 1 on a torn one; --fix --yes repairs it", () => {
    const file = join(dir, "single.aof");
    writeFileSync(file, good);
    const valid = run(file);
    expect(valid.status).toBe(0);
    expect(valid.stdout).toContain(`AOF ${file} is valid`);
    writeFileSync(file, good + "*2\r\n$3\r\nGE");
    const torn = run(file);
    expect(torn.status).toBe(1);
    expect(torn.stdout).toContain("is not valid. Use the --fix option to try fixing it.");
    expect(torn.stderr).toContain("persistlab check-aof --fix");
    const fixed = run("--fix", "--yes", file);
    expect(fixed.status).toBe(0);
    expect(readFileSync(file, "latin1")).toBe(good);
  });

  it("cuts at a timestamp with --truncate-to-timestamp", () => {
    const file = join(dir, "timestamps.aof");
    writeFileSync(file, good);
    const cut = run("--truncate-to-timestamp", "1700000000", file);
    expect(cut.status).toBe(0);
    expect(cut.stdout).toContain(`Successfully truncated AOF ${file} to timestamp 1700000000`);
    expect(readFileSync(file, "latin1")).toBe(encodeCommand(["SET", "a", "1"]));
  });

  it("reports a usage error without a file", () => {
    expect(run().status).toBe(2);
  });
});
