// Reply comparison for the differential test: exact by default, normalised only where Redis itself
// promises no order or exact value (set members, hash order, random picks, TTLs read a few
// milliseconds apart, string encodings after in-place edits). Also dumps a whole data set canonically.
import type { Reply, RespConnection } from "../helpers/resp-client.ts";
import { RANDOM_COMMANDS } from "./differential-commands.ts";
import { dumpStream, sameStreamReply } from "./differential-streams.ts";

const UNORDERED = new Set(["SMEMBERS", "SINTER", "SUNION", "SDIFF", "KEYS", "HKEYS", "HVALS"]);
const TOLERANCE: Record<string, number> = { TTL: 1, EXPIRETIME: 1, PTTL: 1500, PEXPIRETIME: 1500 };
const STRING_ENCODINGS = new Set(["int", "embstr", "raw"]);

/** The flat list of strings inside a reply (arrays, sets and maps flattened). */
export function flatten(reply: Reply): string[] {
  switch (reply.type) {
    case "array":
    case "set":
    case "push":
      return reply.value.flatMap(flatten);
    case "map":
      return reply.value.flatMap(([key, value]) => [...flatten(key), ...flatten(value)]);
    case "nil":
    case "nilarray":
      return [];
    case "boolean":
      return [String(reply.value)];
    default:
      return [reply.value];
  }
}

function sortedPairs(reply: Reply): string[] {
  const flat = flatten(reply);
  const pairs: string[] = [];
  for (let index = 0; index < flat.length; index += 2) pairs.push(`${flat[index] ?? ""}\u0001${flat[index + 1] ?? ""}`);
  return pairs.sort();
}

function sameShape(a: Reply, b: Reply): boolean {
  if (a.type !== b.type) return false;
  if (a.type === "error" && b.type === "error") return a.value === b.value;
  if ((a.type === "array" || a.type === "set") && (b.type === "array" || b.type === "set"))
    return a.value.length === b.value.length;
  return true;
}

/** Whether two replies to `argv` are equivalent. */
export function sameReply(argv: readonly string[], a: Reply, b: Reply): boolean {
  const name = (argv[0] as string).toUpperCase();
  if (a.type === "error" || b.type === "error") return JSON.stringify(a) === JSON.stringify(b);
  const stream = sameStreamReply(argv, a, b);
  if (stream !== null) return stream;
  if (RANDOM_COMMANDS.has(name)) return sameShape(a, b);
  // DUMP payloads may differ byte for byte (LZF output); the cross-server DUMP/RESTORE test checks them.
  if (name === "DUMP") return a.type === b.type;
  if (UNORDERED.has(name))
    return a.type === b.type && JSON.stringify(flatten(a).sort()) === JSON.stringify(flatten(b).sort());
  if (name === "HGETALL") return a.type === b.type && JSON.stringify(sortedPairs(a)) === JSON.stringify(sortedPairs(b));
  const tolerance = TOLERANCE[name];
  if (tolerance !== undefined && a.type === "integer" && b.type === "integer") {
    const left = Number(a.value);
    const right = Number(b.value);
    return left < 0 || right < 0 ? left === right : Math.abs(left - right) <= tolerance;
  }
  if (
    name === "OBJECT" &&
    a.type === "bulk" &&
    b.type === "bulk" &&
    STRING_ENCODINGS.has(a.value) &&
    STRING_ENCODINGS.has(b.value)
  )
    return true;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Compares an EXEC reply element by element against the queued commands. */
export function sameExec(queued: readonly (readonly string[])[], a: Reply, b: Reply): boolean {
  if (a.type !== "array" || b.type !== "array") return JSON.stringify(a) === JSON.stringify(b);
  if (a.value.length !== b.value.length) return false;
  return a.value.every((item, index) => sameReply(queued[index] ?? ["?"], item, b.value[index] as Reply));
}

/** Reads every key of databases 0 and 1 into a canonical, comparable form. */
export async function dumpState(connection: RespConnection): Promise<unknown> {
  const state: Record<string, unknown> = {};
  for (const db of ["1", "0"]) {
    await connection.call("SELECT", db);
    const keys = flatten(await connection.call("KEYS", "*")).sort();
    for (const key of keys) {
      const type = await connection.call("TYPE", key);
      const kind = type.type === "status" ? type.value : "?";
      let content: unknown;
      if (kind === "string") content = await connection.call("GET", key);
      else if (kind === "hash") content = sortedPairs(await connection.call("HGETALL", key));
      else if (kind === "list") content = flatten(await connection.call("LRANGE", key, "0", "-1"));
      else if (kind === "set") content = flatten(await connection.call("SMEMBERS", key)).sort();
      else if (kind === "stream") content = await dumpStream(connection, key);
      else content = flatten(await connection.call("ZRANGE", key, "0", "-1", "WITHSCORES"));
      const encoding = flatten(await connection.call("OBJECT", "ENCODING", key))[0] ?? "";
      const ttl = Number(flatten(await connection.call("PTTL", key))[0]);
      state[`${db}/${key}`] = {
        kind,
        content,
        encoding: STRING_ENCODINGS.has(encoding) ? "string" : encoding,
        ttl: ttl > 0 ? "set" : ttl,
      };
    }
  }
  return state;
}
