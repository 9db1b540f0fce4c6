// Reading redis.conf text and the command line: Redis 7.0's argument rules (one value, or several
// words for multi-argument directives), save lines that add up, include, rename-command, deprecated
// names, and the FATAL CONFIG FILE ERROR naming the line and Redis's reason for what is refused.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../../src/engine/config/load-config.ts";
import { DIRECTIVES, INERT_DIRECTIVES, findDirective, parseMemory } from "../../../src/engine/config/directives.ts";

const dir = mkdtempSync(join(tmpdir(), "persistlab-load-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fromText(text: string, extra: string[] = []): ReturnType<typeof loadConfig> {
  const path = join(dir, `c${Math.random().toString(36).slice(2)}.conf`);
  writeFileSync(path, text);
  return loadConfig([path, ...extra]);
}

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("the directive table", () => {
  it("has each name once across both tables, and finds aliases in any case", () => {
    const names = [...DIRECTIVES, ...INERT_DIRECTIVES].flatMap((spec) => [spec.name, ...(spec.aliases ?? [])]);
    expect(new Set(names).size).toBe(names.length);
    expect(findDirective("SLAVE-SERVE-STALE-DATA")?.name).toBe("replica-serve-stale-data");
    expect(findDirective("hash-max-ziplist-entries")?.name).toBe("hash-max-listpack-entries");
    expect(findDirective("nope")).toBeUndefined();
  });

  it("parses memory values as Redis's memtoull", () => {
    expect(parseMemory("1gb")).toBe(1024 ** 3);
    expect(parseMemory("1G")).toBe(1e9);
    expect(parseMemory("100b")).toBe(100);
    expect(parseMemory("-5")).toBeNull();
    expect(parseMemory("10zb")).toBeNull();
  });
});

describe("loadConfig", () => {
  it('adds up save lines in a file; a later save "" clears them', () => {
    expect(fromText("save 900 1\nsave 300 10\n").settings.save).toEqual([
      { seconds: 900, changes: 1 },
      { seconds: 300, changes: 10 },
    ]);
    expect(fromText("save 900 1\n", ["--save", ""]).settings.save).toEqual([]);
    expect(loadConfig(["--save", "900 1 300 10"]).settings.save).toHaveLength(2);
  });

  it("keeps inert directives as Redis prints them and names them for the warning", () => {
    const loaded = fromText(
      "slave-serve-stale-data no\nnotify-keyspace-events KEA\nrepl-backlog-size 2mb\nclient-output-buffer-limit replica 1gb 1gb 0\nrdb-save-incremental-fsync no\n",
    );
    expect(loaded.accepted.get("replica-serve-stale-data")).toBe("no");
    expect(loaded.accepted.get("notify-keyspace-events")).toBe("AKE");
    expect(loaded.accepted.get("repl-backlog-size")).toBe("2097152");
    expect(loaded.accepted.get("client-output-buffer-limit")).toBe(
      "normal 0 0 0 slave 1073741824 1073741824 0 pubsub 33554432 8388608 60",
    );
    expect(loaded.inertSet).toEqual([
      "replica-serve-stale-data",
      "notify-keyspace-events",
      "repl-backlog-size",
      "client-output-buffer-limit",
    ]);
  });

  it("follows include, records rename-command, ignores Redis's deprecated no-op names", () => {
    writeFileSync(join(dir, "included.conf"), "maxmemory 1mb\nmaxmemory-policy allkeys-lru\n");
    const loaded = fromText(
      `include ${join(dir, "included.conf")}\nrename-command CONFIG ""\nlist-max-ziplist-entries 4\nlua-replicate-commands yes\n`,
    );
    expect(loaded.settings.maxmemory).toBe(1024 * 1024);
    expect(loaded.settings.maxmemoryPolicy).toBe("allkeys-lru");
    expect(loaded.renames).toMatchObject([{ from: "CONFIG", to: "" }]);
  });

  it("refuses with Redis's reason and the line", () => {
    const unknown = refusal(() => fromText("port 7000\n\nfrobnicate yes\n"));
    expect(unknown).toContain("*** FATAL CONFIG FILE ERROR");
    expect(unknown).toContain("at line 3");
    expect(unknown).toContain(">>> 'frobnicate yes'");
    expect(unknown).toContain("Bad directive or wrong number of arguments");
    expect(refusal(() => fromText("port 1 2\n"))).toContain("wrong number of arguments");
    expect(refusal(() => fromText("maxmemory -5\n"))).toContain("argument must be a memory value");
    expect(refusal(() => fromText("maxmemory 10zb\n"))).toContain("argument must be a memory value");
    expect(refusal(() => fromText("loglevel nothing\n"))).toContain(
      "argument(s) must be one of the following: debug, verbose, notice, warning",
    );
    expect(refusal(() => fromText("dbfilename ../x.rdb\n"))).toContain("dbfilename can't be a path, just a filename");
    expect(refusal(() => fromText("appendonly maybe\n"))).toContain("argument must be 'yes' or 'no'");
    expect(refusal(() => fromText("propagation-error-behavior loud\n"))).toContain(
      "argument(s) must be one of the following: ignore, panic, panic-on-replicas",
    );
    expect(refusal(() => fromText("repl-ping-replica-period 0\n"))).toContain(
      "argument must be between 1 and 2147483647 inclusive",
    );
    expect(refusal(() => fromText("slave-serve-stale-data\n"))).toContain("wrong number of arguments");
    expect(refusal(() => fromText("sentinel monitor x 127.0.0.1 1 1\n"))).toContain(
      "sentinel directive while not in sentinel mode",
    );
    expect(refusal(() => fromText('port "7000\n'))).toContain("Unbalanced quotes in configuration line");
  });

  it("refuses a dir that does not exist with strerror's text, and a log file it cannot open", () => {
    const missing = refusal(() => loadConfig(["--dir", "/does/not/exist"]));
    expect(missing).toContain(`>>> 'dir "/does/not/exist"'`);
    expect(missing).toMatch(/No such file or directory$/);
    expect(refusal(() => loadConfig(["--logfile", "/does/not/exist/log"]))).toContain(
      "Can't open the log file: No such file or directory",
    );
  });

  it("resolves dir to an absolute path, relative to the previous dir as Redis's chdir() does", () => {
    const loaded = fromText(`dir ${tmpdir()}\ndir ${dir.slice(tmpdir().length + 1)}\n`);
    expect(loaded.settings.dir).toBe(dir);
  });
});
