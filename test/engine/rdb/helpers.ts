// Test helpers for the RDB tests: temp dirs, starting the built engine or a real
// redis-server as child processes (stopped by PID only), and reading a whole data set over the
// wire in a canonical form so two servers' contents compare with one toEqual. Ports, redis detection
// and spawning come from test/helpers/servers.ts.
import type { ChildProcess } from "node:child_process";
import { Redis } from "ioredis";
import { findFreePort } from "../../../src/harness/engines/ports.ts";
import {
  ENGINE_BIN,
  SKIP_WITHOUT_REDIS,
  hasRedisServer,
  launchServer,
  makeTempDir,
  sleep,
  type ExitInfo,
} from "../../helpers/servers.ts";

export { ENGINE_BIN, SKIP_WITHOUT_REDIS, sleep };

/** Whether redis-server runs here (tests needing it fail under CI=true when it is missing). */
export const hasRedis = hasRedisServer;

export function tempDir(prefix: string): string {
  return makeTempDir(`rdb-${prefix}`);
}

/** A server process started by a test. */
export interface TestServer {
  readonly port: number;
  readonly pid: number;
  readonly child: ChildProcess;
  /** stdout + stderr so far. */
  output(): string;
  client(): Redis;
  /** Resolves with the exit code / signal once the process ended. */
  readonly exited: Promise<ExitInfo>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts the built engine (or redis-server) with redis-server style arguments; waits until it accepts commands. */
export async function startServer(options: {
  kind: "engine" | "redis";
  dir: string;
  args?: readonly string[];
  env?: Record<string, string>;
  /** Do not wait for readiness (for processes expected to fail at start-up). */
  noWait?: boolean;
}): Promise<TestServer> {
  const port = await findFreePort();
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--dir", options.dir, ...(options.args ?? [])];
  const { child, exited, output, isRunning } = launchServer(
    options.kind,
    args,
    options.env === undefined ? {} : { env: options.env },
  );
  const clients: Redis[] = [];
  const server: TestServer = {
    port,
    pid: child.pid as number,
    child,
    output,
    client: () => {
      const client = new Redis({
        host: "127.0.0.1",
        port,
        protocol: 2,
        lazyConnect: false,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      } as never);
      client.on("error", () => {});
      clients.push(client);
      return client;
    },
    exited,
    kill: async (signal = "SIGKILL") => {
      for (const client of clients) client.disconnect();
      if (isRunning()) child.kill(signal);
      await exited;
    },
  };
  if (options.noWait === true) return server;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (!isRunning()) throw new Error(`${options.kind} exited during start-up:\n${output()}`);
    if (/Ready to accept connections/.test(output())) break;
    if (Date.now() > deadline) {
      await server.kill();
      throw new Error(`${options.kind} did not become ready:\n${output()}`);
    }
    await sleep(20);
  }
  return server;
}

/** One key of a canonical data set. Values are latin1 strings (binary-safe). */
export type CanonicalValue =
  | { type: "string"; value: string }
  | { type: "list"; items: string[] }
  | { type: "hash"; fields: [string, string][] }
  | { type: "set"; members: string[] }
  | { type: "zset"; entries: [string, number][] }
  | { type: "stream"; stream: CanonicalStream };

/**
 * A stream as read over the wire: its entries, the XINFO STREAM counters, and per group the XINFO
 * GROUPS fields, the PEL (id, consumer, delivery count) and the consumers (name, pending). Times
 * (idle, delivery and seen times) are left out: they move with the clock.
 */
export interface CanonicalStream {
  entries: [string, string[]][];
  info: Record<string, string>;
  groups: { fields: Record<string, string>; pending: [string, string, string][]; consumers: [string, string][] }[];
}

export interface CanonicalKey {
  db: number;
  key: string;
  value: CanonicalValue;
  /** Absolute expiry in ms, or null. */
  expireAtMs: number | null;
}

const latin1 = (value: unknown): string => (Buffer.isBuffer(value) ? value.toString("latin1") : String(value));
const bin = (text: string): Buffer => Buffer.from(text, "latin1");

/** Normalises a value for comparison (hash fields, set members sorted; zsets by score then member). */
export function normaliseValue(value: CanonicalValue): CanonicalValue {
  switch (value.type) {
    case "hash":
      return { type: "hash", fields: [...value.fields].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)) };
    case "set":
      return { type: "set", members: [...value.members].sort() };
    case "zset":
      return {
        type: "zset",
        entries: [...value.entries].sort((a, b) => (a[1] !== b[1] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1)),
      };
    default:
      return value;
  }
}

/** Reads every key of every database through the wire, sorted by (db, key). */
export async function readDataset(client: Redis, databases = 16): Promise<CanonicalKey[]> {
  const out: CanonicalKey[] = [];
  for (let db = 0; db < databases; db += 1) {
    await client.call("SELECT", String(db));
    const keys = ((await client.callBuffer("KEYS", "*")) as Buffer[]).map(latin1).sort();
    for (const key of keys) {
      const type = latin1(await client.callBuffer("TYPE", bin(key)));
      let value: CanonicalValue;
      if (type === "string") value = { type, value: latin1(await client.callBuffer("GET", bin(key))) };
      else if (type === "list")
        value = { type, items: ((await client.callBuffer("LRANGE", bin(key), "0", "-1")) as Buffer[]).map(latin1) };
      else if (type === "set")
        value = { type, members: ((await client.callBuffer("SMEMBERS", bin(key))) as Buffer[]).map(latin1) };
      else if (type === "hash") {
        const flat = ((await client.callBuffer("HGETALL", bin(key))) as Buffer[]).map(latin1);
        const fields: [string, string][] = [];
        for (let index = 0; index < flat.length; index += 2) fields.push([flat[index]!, flat[index + 1]!]);
        value = { type, fields };
      } else if (type === "zset") {
        const flat = ((await client.callBuffer("ZRANGE", bin(key), "0", "-1", "WITHSCORES")) as Buffer[]).map(latin1);
        const entries: [string, number][] = [];
        for (let index = 0; index < flat.length; index += 2) entries.push([flat[index]!, parseScore(flat[index + 1]!)]);
        value = { type, entries };
      } else if (type === "stream") value = { type, stream: await readStream(client, bin(key)) };
      else throw new Error(`unexpected type ${type} of key ${key}`);
      const pttl = Number(await client.call("PTTL", bin(key)));
      out.push({ db, key, value: normaliseValue(value), expireAtMs: pttl < 0 ? null : Date.now() + pttl });
    }
  }
  await client.call("SELECT", "0");
  return out;
}

// Flat [name, value, ...] reply (RESP2 map) to a record of the named fields, values as text.
function pickFields(flat: unknown[], names: readonly string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (let index = 0; index + 1 < flat.length; index += 2) {
    const name = latin1(flat[index]);
    if (names.includes(name)) fields[name] = flat[index + 1] === null ? "nil" : latin1(flat[index + 1]);
  }
  return fields;
}

const STREAM_FIELDS = [
  "length",
  "last-generated-id",
  "max-deleted-entry-id",
  "entries-added",
  "recorded-first-entry-id",
  "groups",
] as const;
const GROUP_FIELDS = ["name", "consumers", "pending", "last-delivered-id", "entries-read", "lag"] as const;

async function readStream(client: Redis, key: Buffer): Promise<CanonicalStream> {
  const range = (await client.callBuffer("XRANGE", key, "-", "+")) as [Buffer, Buffer[]][];
  const entries = range.map(([id, fields]): [string, string[]] => [latin1(id), fields.map(latin1)]);
  const info = pickFields((await client.callBuffer("XINFO", "STREAM", key)) as unknown[], STREAM_FIELDS);
  const groups: CanonicalStream["groups"] = [];
  for (const group of (await client.callBuffer("XINFO", "GROUPS", key)) as unknown[][]) {
    const fields = pickFields(group, GROUP_FIELDS);
    const name = bin(fields["name"] as string);
    const pel = (await client.callBuffer("XPENDING", key, name, "-", "+", "1000000")) as [
      Buffer,
      Buffer,
      number,
      number,
    ][];
    const pending = pel.map(([id, consumer, , deliveries]): [string, string, string] => [
      latin1(id),
      latin1(consumer),
      String(deliveries),
    ]);
    const consumers = ((await client.callBuffer("XINFO", "CONSUMERS", key, name)) as unknown[][]).map(
      (consumer): [string, string] => {
        const picked = pickFields(consumer, ["name", "pending"]);
        return [picked["name"] as string, picked["pending"] as string];
      },
    );
    groups.push({ fields, pending, consumers });
  }
  return { entries, info, groups };
}

function parseScore(text: string): number {
  if (text === "inf") return Infinity;
  if (text === "-inf") return -Infinity;
  return Number(text);
}

/** Writes a data set through the wire (RPUSH, HSET, SADD, ZADD, PEXPIREAT); streams are refused. */
export async function writeDataset(client: Redis, dataset: readonly CanonicalKey[]): Promise<void> {
  let selected = -1;
  for (const entry of dataset) {
    if (entry.db !== selected) {
      await client.call("SELECT", String(entry.db));
      selected = entry.db;
    }
    const key = bin(entry.key);
    const value = entry.value;
    switch (value.type) {
      case "string":
        await client.call("SET", key, bin(value.value));
        break;
      case "list":
        for (let index = 0; index < value.items.length; index += 1000)
          await client.call("RPUSH", key, ...value.items.slice(index, index + 1000).map(bin));
        break;
      case "hash":
        for (let index = 0; index < value.fields.length; index += 500) {
          await client.call(
            "HSET",
            key,
            ...value.fields.slice(index, index + 500).flatMap(([field, fieldValue]) => [bin(field), bin(fieldValue)]),
          );
        }
        break;
      case "set":
        for (let index = 0; index < value.members.length; index += 1000)
          await client.call("SADD", key, ...value.members.slice(index, index + 1000).map(bin));
        break;
      case "zset":
        for (let index = 0; index < value.entries.length; index += 500) {
          await client.call(
            "ZADD",
            key,
            ...value.entries
              .slice(index, index + 500)
              .flatMap(([member, score]) => [
                score === Infinity ? "inf" : score === -Infinity ? "-inf" : String(score),
                bin(member),
              ]),
          );
        }
        break;
      case "stream":
        throw new Error(
          `writeDataset cannot write stream ${entry.key}: write streams with XADD / XGROUP / XREADGROUP commands`,
        );
    }
    if (entry.expireAtMs !== null) await client.call("PEXPIREAT", key, String(entry.expireAtMs));
  }
  await client.call("SELECT", "0");
}

/** Compares two data sets; expiries must agree within `toleranceMs`. Returns the first difference or null. */
export function diffDatasets(
  actual: readonly CanonicalKey[],
  expected: readonly CanonicalKey[],
  toleranceMs = 5000,
): string | null {
  const sort = (set: readonly CanonicalKey[]): CanonicalKey[] =>
    [...set]
      .map((entry) => ({ ...entry, value: normaliseValue(entry.value) }))
      .sort((a, b) => a.db - b.db || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const left = sort(actual);
  const right = sort(expected);
  if (left.length !== right.length) {
    const leftKeys = new Set(left.map((entry) => `${entry.db}:${entry.key}`));
    const rightKeys = new Set(right.map((entry) => `${entry.db}:${entry.key}`));
    const missing = [...rightKeys].filter((key) => !leftKeys.has(key)).slice(0, 5);
    const extra = [...leftKeys].filter((key) => !rightKeys.has(key)).slice(0, 5);
    return `key count ${left.length} vs expected ${right.length}; missing ${JSON.stringify(missing)} extra ${JSON.stringify(extra)}`;
  }
  for (let index = 0; index < left.length; index += 1) {
    const a = left[index]!;
    const b = right[index]!;
    if (a.db !== b.db || a.key !== b.key)
      return `key ${a.db}:${JSON.stringify(a.key)} vs expected ${b.db}:${JSON.stringify(b.key)}`;
    const [actualText, expectedText] = [JSON.stringify(a.value), JSON.stringify(b.value)];
    if (actualText !== expectedText) {
      let at = 0;
      while (actualText[at] === expectedText[at]) at += 1;
      const from = Math.max(0, at - 150);
      return `value of ${a.db}:${JSON.stringify(a.key)} differs at character ${at}: ...${actualText.slice(from, at + 150)} vs expected ...${expectedText.slice(from, at + 150)}`;
    }
    if ((a.expireAtMs === null) !== (b.expireAtMs === null)) return `expiry presence of ${a.db}:${a.key} differs`;
    if (a.expireAtMs !== null && b.expireAtMs !== null && Math.abs(a.expireAtMs - b.expireAtMs) > toleranceMs) {
      return `expiry of ${a.db}:${a.key} differs: ${a.expireAtMs} vs ${b.expireAtMs}`;
    }
  }
  return null;
}

/** The interop data set: every type in small and large encodings, integers, binary-safe and compressible values, expiries, several databases. */
export function buildInteropDataset(nowMs: number): CanonicalKey[] {
  const keys: CanonicalKey[] = [];
  const add = (db: number, key: string, value: CanonicalValue, expireAtMs: number | null = null): void => {
    keys.push({ db, key, value, expireAtMs });
  };
  const binary = Array.from({ length: 256 }, (_, index) => String.fromCharCode(index)).join("");
  // strings
  add(0, "str:small", { type: "string", value: "hello" });
  add(0, "str:empty", { type: "string", value: "" });
  for (const text of [
    "0",
    "1",
    "-1",
    "127",
    "-128",
    "128",
    "32767",
    "-32768",
    "32768",
    "2147483647",
    "-2147483648",
    "2147483648",
    "9223372036854775807",
    "-9223372036854775808",
    "007",
    "-0",
    "1.5",
    "12345678901",
  ]) {
    add(0, `str:int:${text}`, { type: "string", value: text });
  }
  add(0, "str:binary", { type: "string", value: binary });
  add(0, "str:compressible", { type: "string", value: "abc".repeat(2000) });
  add(0, "str:incompressible", {
    type: "string",
    value: Array.from({ length: 300 }, (_, index) => String.fromCharCode((index * 7919 + 13) % 251)).join(""),
  });
  add(0, "str:large", { type: "string", value: "x".repeat(100_000) + "end" });
  add(0, binary.slice(0, 40), { type: "string", value: "binary key" });
  // lists
  add(0, "list:small", {
    type: "list",
    items: ["a", "1", "-300", "70000", "4294967296", "", binary.slice(100, 140), "x".repeat(200)],
  });
  add(0, "list:large", {
    type: "list",
    items: Array.from({ length: 20_000 }, (_, index) =>
      index % 3 === 0 ? String(index) : `item-${index}-${"z".repeat(index % 50)}`,
    ),
  });
  add(0, "list:bigelements", {
    type: "list",
    items: Array.from({ length: 5 }, (_, index) => "big".repeat(5000 + index)),
  });
  // hashes
  add(0, "hash:small", {
    type: "hash",
    fields: [
      ["f1", "v1"],
      ["n", "42"],
      ["neg", "-5"],
      ["empty", ""],
      [binary.slice(0, 10), binary.slice(200, 230)],
    ],
  });
  add(0, "hash:many", {
    type: "hash",
    fields: Array.from(
      { length: 500 },
      (_, index) => [`field:${index}`, index % 2 === 0 ? String(index * 1000) : `value-${index}`] as [string, string],
    ),
  });
  add(0, "hash:longvalue", {
    type: "hash",
    fields: [
      ["short", "s"],
      ["long", "L".repeat(200)],
    ],
  });
  // sets
  add(0, "set:intset16", { type: "set", members: ["1", "2", "3", "-5", "32767"] });
  add(0, "set:intset32", { type: "set", members: ["1", "70000", "-70000"] });
  add(0, "set:intset64", { type: "set", members: ["1", "9223372036854775807", "-9223372036854775808"] });
  add(0, "set:strings", { type: "set", members: ["a", "b", "c", "1", binary.slice(0, 5)] });
  add(0, "set:largeint", { type: "set", members: Array.from({ length: 1000 }, (_, index) => String(index * 3)) });
  add(0, "set:large", { type: "set", members: Array.from({ length: 3000 }, (_, index) => `member-${index}`) });
  // sorted sets
  add(0, "zset:small", {
    type: "zset",
    entries: [
      ["a", 1],
      ["b", 2.5],
      ["c", -3],
      ["d", 0],
      ["e", 1e300],
      ["f", -Infinity],
      ["g", Infinity],
      ["h", 0.1],
      ["i", 123456789012],
    ],
  });
  add(0, "zset:large", {
    type: "zset",
    entries: Array.from({ length: 2000 }, (_, index) => [`m${index}`, ((index * 37) % 1001) / 7] as [string, number]),
  });
  add(0, "zset:longmember", {
    type: "zset",
    entries: [
      ["short", 1],
      ["M".repeat(100), 2],
    ],
  });
  // expiries
  add(0, "exp:string", { type: "string", value: "ttl" }, nowMs + 3_600_000);
  add(0, "exp:hash", { type: "hash", fields: [["a", "b"]] }, nowMs + 7_200_000);
  add(0, "exp:list", { type: "list", items: ["x"] }, nowMs + 86_400_000 * 30);
  // several databases
  add(1, "db1:key", { type: "string", value: "one" });
  add(1, "db1:set", { type: "set", members: ["x", "y"] });
  add(9, "db9:zset", { type: "zset", entries: [["p", 9]] }, nowMs + 600_000);
  add(15, "db15:list", { type: "list", items: ["last", "db"] });
  return keys;
}
