// Streams across the two servers' files, both directions: a dump.rdb, an appendonlydir (command base
// after a rewrite, plus incr) and an RDB-preamble appendonlydir holding streams with several nodes,
// tombstones, trimmed heads, edge IDs, consumer groups, PELs (delivery times and counts) and consumers,
// written by redis-server 7.0.15 or by the engine, load in the other with equal DEBUG DIGEST and equal
// XINFO STREAM FULL (consumer seen-times aside after an AOF replay, which Redis does not preserve).
import { cpSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { RespConnection, type Reply } from "../helpers/resp-client.ts";
import {
  makeTempDir,
  SKIP_WITHOUT_REDIS,
  startServer,
  waitForRewriteDone,
  type ServerProcess,
} from "../engine/aof/support/processes.ts";

const dirs: string[] = [];
const running: ServerProcess[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.stop();
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const BASE_ARGS = ["--enable-debug-command", "yes"];

async function start(kind: "engine" | "redis", dir: string, args: readonly string[]): Promise<ServerProcess> {
  const server = await startServer(kind, { dir, args: [...BASE_ARGS, ...args] });
  running.push(server);
  return server;
}

function tempDir(label: string): string {
  const dir = makeTempDir(`stream-${label}`);
  dirs.push(dir);
  return dir;
}

/** The writes of the data set, in two parts (a rewrite may run between them). */
function datasetParts(): string[][][] {
  const first: string[][] = [];
  for (let index = 1; index <= 260; index += 1) {
    first.push(
      index % 7 === 0
        ? ["XADD", "st:log", `${index}-0`, "other", String(index), "blob", "y".repeat(80) + String(index)]
        : ["XADD", "st:log", `${index}-${index % 3}`, "f", String(index), "g", `v${index}`],
    );
  }
  first.push(["XDEL", "st:log", "5-2", "6-0", "100-1"]);
  first.push(["XTRIM", "st:log", "MAXLEN", "~", "150"]);
  first.push(["XGROUP", "CREATE", "st:log", "g1", "0"]);
  first.push(["XGROUP", "CREATE", "st:log", "g2", "$"]);
  first.push(["XREADGROUP", "GROUP", "g1", "alice", "COUNT", "10", "STREAMS", "st:log", ">"]);
  first.push(["XREADGROUP", "GROUP", "g1", "bob", "COUNT", "5", "STREAMS", "st:log", ">"]);
  first.push(["XREADGROUP", "GROUP", "g1", "carol", "NOACK", "COUNT", "5", "STREAMS", "st:log", ">"]);
  first.push(["CONFIG", "SET", "stream-node-max-entries", "4"]);
  for (let index = 1; index <= 30; index += 1)
    first.push(["XADD", "st:small", `${index}-1`, "n", String(index * 1000)]);
  first.push(["CONFIG", "SET", "stream-node-max-entries", "100"]);
  first.push(["XDEL", "st:small", "5-1", "6-1", "7-1", "8-1", "20-1"]);
  first.push(["XGROUP", "CREATE", "st:empty", "g", "$", "MKSTREAM"]);
  first.push(
    ["XADD", "st:emptied", "1-0", "a", "b"],
    ["XADD", "st:emptied", "2-0", "a", "b"],
    ["XDEL", "st:emptied", "1-0", "2-0"],
  );
  const second: string[][] = [];
  second.push([
    "XCLAIM",
    "st:log",
    "g1",
    "dave",
    "0",
    "250-1",
    "251-2",
    "FORCE",
    "TIME",
    "1700000000000",
    "RETRYCOUNT",
    "7",
  ]);
  second.push(["XAUTOCLAIM", "st:log", "g1", "erin", "0", "0-0", "COUNT", "2"]);
  second.push(["XACK", "st:log", "g1", "250-1"]);
  second.push(["XGROUP", "CREATECONSUMER", "st:log", "g2", "idle"]);
  second.push(["XGROUP", "SETID", "st:log", "g2", "200-0", "ENTRIESREAD", "-1"]);
  second.push(
    ["XADD", "st:edge", "18446744073709551614-5", "a", "1"],
    ["XADD", "st:edge", "18446744073709551615-18446744073709551615", "a", "2"],
  );
  second.push(["XADD", "st:wrap", "1-0", "a", "b"], ["XADD", "st:wrap", "18446744073709551615-0", "a", "b"]);
  second.push(["XADD", "st:ints", "5-0", "123", "456", "-7", "9223372036854775807", "0", "-4097"]);
  second.push(["XADD", "st:log", "MAXLEN", "=", "140", "300-0", "f", "300", "g", "v300"]);
  second.push(
    ["SELECT", "1"],
    ["XADD", "st:db1", "1-1", "k", "v"],
    ["PEXPIRE", "st:db1", "100000000"],
    ["SELECT", "0"],
  );
  return [first, second];
}

async function writePart(connection: RespConnection, part: readonly string[][]): Promise<void> {
  for (const argv of part) {
    const reply = await connection.call(...argv);
    if (reply.type === "error") throw new Error(`${JSON.stringify(argv)} failed: ${reply.value}`);
  }
}

const text = (reply: Reply): string =>
  reply.type === "bulk" || reply.type === "status" ? reply.value : JSON.stringify(reply);

/** What a comparison leaves out: consumer seen-times (an AOF replay sets them anew), node layout (the replay's config decides it). */
interface Blank {
  readonly seen: boolean;
  readonly layout: boolean;
}

// XINFO STREAM FULL with the blanked fields replaced by "*".
function normalise(reply: Reply, blank: Blank): unknown {
  if (reply.type !== "array") return reply;
  const out: unknown[] = [];
  for (let index = 0; index < reply.value.length; index += 1) {
    const item = reply.value[index] as Reply;
    const name = item.type === "bulk" ? item.value : null;
    if (
      (blank.seen && name === "seen-time") ||
      (blank.layout && (name === "radix-tree-keys" || name === "radix-tree-nodes"))
    ) {
      out.push(name, "*");
      index += 1;
    } else out.push(normalise(item, blank));
  }
  return out;
}

/** Everything a stream comparison looks at: the digest, then per key its TYPE, PTTL sign and XINFO STREAM FULL. */
async function readState(port: number, blank: Blank): Promise<Record<string, unknown>> {
  const connection = await RespConnection.open(port);
  try {
    const state: Record<string, unknown> = { digest: text(await connection.call("DEBUG", "DIGEST")) };
    for (const db of ["0", "1"]) {
      await connection.call("SELECT", db);
      const keys = await connection.call("KEYS", "*");
      const names = keys.type === "array" ? keys.value.map(text).sort() : [];
      for (const key of names) {
        const type = text(await connection.call("TYPE", key));
        const ttl = await connection.call("PTTL", key);
        const full = await connection.call("XINFO", "STREAM", key, "FULL", "COUNT", "0");
        const perKey = text(await connection.call("DEBUG", "DIGEST-VALUE", key));
        state[`${db}/${key}`] = {
          type,
          ttl: ttl.type === "integer" && Number(ttl.value) > 0 ? "set" : text(ttl),
          digest: perKey,
          info: normalise(full, blank),
        };
      }
    }
    return state;
  } finally {
    connection.close();
  }
}

async function writeDataset(server: ServerProcess, rewriteBetween: boolean): Promise<void> {
  const connection = await RespConnection.open(server.port);
  try {
    const [first, second] = datasetParts() as [string[][], string[][]];
    await writePart(connection, first);
    if (rewriteBetween) {
      await connection.call("BGREWRITEAOF");
      await waitForRewriteDone(server.client());
    }
    await writePart(connection, second);
  } finally {
    connection.close();
  }
}

const OTHER = { engine: "redis", redis: "engine" } as const;
const EXACT: Blank = { seen: false, layout: false };
const AFTER_AOF: Blank = { seen: true, layout: true };
const SEEN_ONLY: Blank = { seen: true, layout: false };

describe.skipIf(SKIP_WITHOUT_REDIS)("streams across redis-server 7.0.15 and the engine", () => {
  for (const writer of ["redis", "engine"] as const) {
    it(`a dump.rdb written by ${writer} loads in ${OTHER[writer]} with the same streams, groups and PELs`, async () => {
      const source = await start(writer, tempDir(`rdb-${writer}`), ["--appendonly", "no"]);
      await writeDataset(source, false);
      const expected = await readState(source.port, EXACT);
      expect(String(await source.client().call("SAVE"))).toBe("OK");
      const report = execFileSync("redis-check-rdb", [join(source.dir, "dump.rdb")], { encoding: "utf8" });
      expect(report).toContain("RDB looks OK");
      const targetDir = tempDir(`rdb-into-${OTHER[writer]}`);
      cpSync(join(source.dir, "dump.rdb"), join(targetDir, "dump.rdb"));
      const target = await start(OTHER[writer], targetDir, ["--appendonly", "no"]);
      expect(await readState(target.port, EXACT)).toEqual(expected);
    }, 60_000);

    for (const preamble of ["no", "yes"] as const) {
      it(`an appendonlydir (aof-use-rdb-preamble ${preamble}) written by ${writer} loads in ${OTHER[writer]} with the same streams`, async () => {
        const args = ["--appendonly", "yes", "--aof-use-rdb-preamble", preamble, "--appendfsync", "always"];
        const source = await start(writer, tempDir(`aof-${writer}`), args);
        await writeDataset(source, true);
        const expected = await readState(source.port, AFTER_AOF);
        await source.stop();
        running.splice(running.indexOf(source), 1);
        const targetDir = tempDir(`aof-into-${OTHER[writer]}`);
        cpSync(join(source.dir, "appendonlydir"), join(targetDir, "appendonlydir"), { recursive: true });
        const replayDir = tempDir(`aof-replay-${writer}`);
        cpSync(join(source.dir, "appendonlydir"), join(replayDir, "appendonlydir"), { recursive: true });
        const target = await start(OTHER[writer], targetDir, args);
        const loaded = await readState(target.port, AFTER_AOF);
        expect(loaded).toEqual(expected);
        // The same files replayed by the writer itself: identical node layout and all, seen-times aside.
        const again = await start(writer, replayDir, args);
        expect(await readState(target.port, SEEN_ONLY)).toEqual(await readState(again.port, SEEN_ONLY));
      }, 90_000);
    }
  }
});
