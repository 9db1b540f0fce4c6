// check-aof against redis-check-aof 7.0.15 on the same files: byte-identical reports and exit codes for
// valid files, for a last command cut at every byte offset, for corruption in the middle, for --fix
// (with its confirmation) and --truncate-to-timestamp, on single files and on manifests.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { encodeCommand, encodeSelect } from "../../../src/engine/persistence/aof/command-encoder.ts";
import { checkAof } from "../../../src/engine/tools/check-aof.ts";
import { ENGINE_BIN, makeTempDir, SKIP_WITHOUT_REDIS } from "./support/processes.ts";

const root = makeTempDir("check");
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface ToolRun {
  readonly stdout: string;
  readonly status: number | null;
}

// "engine" runs check-aof in this process (fast enough to run hundreds of cases); "engine-cli" spawns
// `persistlab-server --check-aof` like an operator would.
function runTool(tool: "redis" | "engine" | "engine-cli", args: readonly string[], input = ""): ToolRun {
  if (tool === "engine") {
    let stdout = "";
    const status = checkAof(args, { write: (text) => (stdout += text), readLine: () => input.split("\n")[0] ?? "" });
    return { stdout, status };
  }
  const result =
    tool === "redis"
      ? spawnSync("redis-check-aof", args, { encoding: "latin1", input })
      : spawnSync(process.execPath, [ENGINE_BIN, "--check-aof", ...args], { encoding: "latin1", input });
  return { stdout: result.stdout, status: result.status };
}

// Runs both tools on copies of the same file content (so --fix of one does not affect the other) and
// returns both runs plus the files' contents afterwards.
function runBoth(
  content: Buffer,
  args: readonly string[],
  input = "",
): { redis: ToolRun; engine: ToolRun; redisFile: Buffer; engineFile: Buffer } {
  const path = join(root, "single.aof");
  const runs = (["redis", "engine"] as const).map((tool) => {
    writeFileSync(path, content);
    const run = runTool(tool, [...args, path], input);
    return { run, file: readFileSync(path) };
  });
  const [redis, engine] = runs as [{ run: ToolRun; file: Buffer }, { run: ToolRun; file: Buffer }];
  return { redis: redis.run, engine: engine.run, redisFile: redis.file, engineFile: engine.file };
}

const SAMPLE =
  encodeSelect(0) +
  encodeCommand(["SET", "alpha", "1"]) +
  "#TS:1700000000\r\n" +
  encodeCommand(["MULTI"]) +
  encodeCommand(["SET", "beta", "two"]) +
  encodeCommand(["INCR", "counter"]) +
  encodeCommand(["EXEC"]) +
  "#TS:1700000100\r\n" +
  encodeCommand(["RPUSH", "list", "a", "b\r\nc"]) +
  encodeCommand(["SET", "last", "value-of-the-last-command"]);
const sample = Buffer.from(SAMPLE, "latin1");
const lastStart = SAMPLE.length - encodeCommand(["SET", "last", "value-of-the-last-command"]).length;

describe.skipIf(SKIP_WITHOUT_REDIS)("check-aof matches redis-check-aof", () => {
  it("on a valid file (also through persistlab-server --check-aof)", () => {
    const { redis, engine } = runBoth(sample, []);
    expect(redis.status).toBe(0);
    expect(engine).toEqual(redis);
    const path = join(root, "single.aof");
    expect(runTool("engine-cli", [path])).toEqual(runTool("redis", [path]));
    writeFileSync(path, sample.subarray(0, sample.length - 5));
    expect(runTool("engine-cli", ["--fix", path], "y\n")).toEqual({
      ...runTool("redis", [path]),
      stdout: expect.stringContaining("Successfully truncated AOF"),
    });
  });

  it("on the last command cut at every byte offset, and --fix truncates to the same length", () => {
    for (let cut = lastStart + 1; cut < sample.length; cut += 1) {
      const truncated = sample.subarray(0, cut);
      const check = runBoth(truncated, []);
      expect(check.redis.status, `redis at cut ${cut}`).toBe(1);
      expect(check.engine, `cut at ${cut}`).toEqual(check.redis);
      const fixed = runBoth(truncated, ["--fix"], "y\n");
      expect(fixed.engine, `--fix at cut ${cut}`).toEqual(fixed.redis);
      expect(fixed.engineFile.length).toBe(lastStart);
      expect(fixed.redisFile.length).toBe(lastStart);
    }
  }, 120_000);

  it("on --fix answered no", () => {
    const { redis, engine, engineFile } = runBoth(sample.subarray(0, sample.length - 3), ["--fix"], "n\n");
    expect(redis.status).toBe(1);
    expect(engine).toEqual(redis);
    expect(engineFile.length).toBe(sample.length - 3);
  });

  it("on corruption in the middle (a wrong prefix, a bad CRLF, garbage, a zeroed run, an EXEC without MULTI)", () => {
    const corruptions: [string, Buffer][] = [];
    const replaceAt = (offset: number, text: string): Buffer => {
      const copy = Buffer.from(sample);
      copy.write(text, offset, "latin1");
      return copy;
    };
    corruptions.push(["prefix", replaceAt(SAMPLE.indexOf("$5\r\nalpha"), "%")]);
    corruptions.push(["crlf", replaceAt(SAMPLE.indexOf("alpha") + 5, "\n\n")]);
    corruptions.push([
      "garbage",
      Buffer.concat([sample.subarray(0, 40), Buffer.from("garbage here\r\n"), sample.subarray(40)]),
    ]);
    const zeroed = Buffer.from(sample);
    zeroed.fill(0, 60, 90);
    corruptions.push(["zeroed", zeroed]);
    corruptions.push(["stray exec", Buffer.concat([Buffer.from(encodeCommand(["EXEC"])), sample])]);
    corruptions.push(["length", replaceAt(SAMPLE.indexOf("$3\r\ntwo"), "$9")]);
    for (const [label, content] of corruptions) {
      const check = runBoth(content, []);
      expect(check.redis.status, label).toBe(1);
      expect(check.engine, label).toEqual(check.redis);
      const fixed = runBoth(content, ["--fix"], "y\n");
      expect(fixed.engine, `${label} --fix`).toEqual(fixed.redis);
      expect(fixed.engineFile.equals(fixed.redisFile), `${label} --fix result`).toBe(true);
    }
  });

  it("on --truncate-to-timestamp", () => {
    for (const timestamp of ["1700000050", "1700000100", "1600000000", "1800000000"]) {
      const run = runBoth(sample, ["--truncate-to-timestamp", timestamp]);
      expect(run.engine, timestamp).toEqual(run.redis);
      expect(run.engineFile.equals(run.redisFile), timestamp).toBe(true);
    }
  });

  it("on a manifest: base and incrs checked in order, only the last incr may be fixed", () => {
    const dir = join(root, "multi");
    mkdirSync(dir, { recursive: true });
    const base = encodeSelect(0) + encodeCommand(["SET", "base", "1"]);
    const incr1 = encodeSelect(0) + encodeCommand(["SET", "one", "1"]);
    const incr2 = encodeSelect(0) + encodeCommand(["SET", "two", "2"]);
    const manifest =
      "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\nfile appendonly.aof.2.incr.aof seq 2 type i\n";
    const setUp = (files: Record<string, string>): void => {
      for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content, "latin1");
    };
    const both = (args: string[], input = ""): [ToolRun, ToolRun] => {
      const snapshot = ["appendonly.aof.1.base.aof", "appendonly.aof.1.incr.aof", "appendonly.aof.2.incr.aof"].map(
        (name) => [name, readFileSync(join(dir, name), "latin1")] as const,
      );
      const redis = runTool("redis", [...args, join(dir, "appendonly.aof.manifest")], input);
      setUp(Object.fromEntries(snapshot));
      const engine = runTool("engine", [...args, join(dir, "appendonly.aof.manifest")], input);
      return [redis, engine];
    };
    setUp({
      "appendonly.aof.manifest": manifest,
      "appendonly.aof.1.base.aof": base,
      "appendonly.aof.1.incr.aof": incr1,
      "appendonly.aof.2.incr.aof": incr2,
    });
    let [redis, engine] = both([]);
    expect(redis.status).toBe(0);
    expect(engine).toEqual(redis);
    setUp({ "appendonly.aof.2.incr.aof": incr2.slice(0, -4) });
    [redis, engine] = both(["--fix"], "y\n");
    expect(engine).toEqual(redis);
    expect(statSync(join(dir, "appendonly.aof.2.incr.aof")).size).toBe(encodeSelect(0).length);
    setUp({ "appendonly.aof.1.incr.aof": incr1.slice(0, -4), "appendonly.aof.2.incr.aof": incr2 });
    [redis, engine] = both(["--fix"], "y\n");
    expect(redis.status).toBe(1);
    expect(engine).toEqual(redis);
    expect(engine.stdout).toContain("because it is not the last file");
  });

  it("on an RDB-preamble file from redis-server: the same verdict and AOF tail report", () => {
    const dir = join(root, "preamble");
    mkdirSync(dir, { recursive: true });
    const fixture = join(import.meta.dirname, "fixtures", "redis-7.0.15-preamble.aof");
    copyFileSync(fixture, join(dir, "old.aof"));
    const redis = runTool("redis", [join(dir, "old.aof")]);
    const engine = runTool("engine", [join(dir, "old.aof")]);
    expect(redis.status).toBe(0);
    expect(engine.status).toBe(0);
    const tail = (text: string): string => text.slice(text.indexOf("RDB preamble is OK"));
    expect(tail(engine.stdout)).toBe(tail(redis.stdout));
  });
});
