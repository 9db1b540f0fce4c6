// Expiry commands: EXPIRE PEXPIRE EXPIREAT PEXPIREAT (with NX XX GT LT), TTL PTTL EXPIRETIME
// PEXPIRETIME PERSIST. Every new expiry propagates as PEXPIREAT with absolute ms; a time already
// past deletes the key and propagates DEL, as Redis 7.0 does.
import { ERRORS, ReplyError } from "../errors.ts";
import { parseBigInteger } from "./arguments.ts";
import { countLookup, markDirty } from "./access.ts";
import { defineCommand, type CommandSpec } from "./types.ts";
import type { Client } from "../server/context-types.ts";

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

interface ExpireFlags {
  nx: boolean;
  xx: boolean;
  gt: boolean;
  lt: boolean;
}

function parseExpireFlags(argv: readonly string[]): ExpireFlags {
  const flags: ExpireFlags = { nx: false, xx: false, gt: false, lt: false };
  for (let index = 3; index < argv.length; index += 1) {
    const option = (argv[index] as string).toLowerCase();
    if (option === "nx") flags.nx = true;
    else if (option === "xx") flags.xx = true;
    else if (option === "gt") flags.gt = true;
    else if (option === "lt") flags.lt = true;
    else throw new ReplyError(`ERR Unsupported option ${argv[index] as string}`);
  }
  if (flags.nx && (flags.xx || flags.gt || flags.lt))
    throw new ReplyError("ERR NX and XX, GT or LT options at the same time are not compatible");
  if (flags.gt && flags.lt) throw new ReplyError("ERR GT and LT options at the same time are not compatible");
  return flags;
}

/** The body of the four EXPIRE commands: unit seconds or ms, relative (now as base) or absolute. */
function expireGeneric(client: Client, argv: string[], inSeconds: boolean, relative: boolean): void {
  const command = (argv[0] as string).toLowerCase();
  const flags = parseExpireFlags(argv);
  let when = parseBigInteger(argv[2] as string);
  if (inSeconds) {
    if (when > INT64_MAX / 1000n || when < INT64_MIN / 1000n) throw new ReplyError(ERRORS.invalidExpire(command));
    when *= 1000n;
  }
  const now = Date.now();
  const base = relative ? BigInt(now) : 0n;
  if (when > INT64_MAX - base) throw new ReplyError(ERRORS.invalidExpire(command));
  when += base;
  const key = argv[1] as string;
  const db = client.db;
  if (!db.has(key)) {
    client.reply.integer(0);
    return;
  }
  const current = db.getExpire(key);
  const currentBig = current === undefined ? undefined : BigInt(current);
  if (
    (flags.nx && current !== undefined) ||
    (flags.xx && current === undefined) ||
    (flags.gt && (currentBig === undefined || when <= currentBig)) ||
    (flags.lt && currentBig !== undefined && when >= currentBig)
  ) {
    client.reply.integer(0);
    return;
  }
  if (when <= BigInt(now) && !client.server.loading) {
    db.delete(key);
    markDirty(client);
    client.propagate(["DEL", key]);
    client.reply.integer(1);
    return;
  }
  const at = Number(when);
  db.setExpire(key, at);
  markDirty(client);
  client.propagate(["PEXPIREAT", key, when.toString(), ...argv.slice(3)]);
  client.reply.integer(1);
}

/** TTL family: -2 when the key is missing, -1 without expiry, else the remaining or absolute time. */
function ttlGeneric(client: Client, argv: string[], inSeconds: boolean, absolute: boolean): void {
  const key = argv[1] as string;
  const db = client.db;
  if (countLookup(client, db.get(key)) === undefined) {
    client.reply.integer(-2);
    return;
  }
  const expireAt = db.getExpire(key);
  if (expireAt === undefined) {
    client.reply.integer(-1);
    return;
  }
  const time = Math.max(0, absolute ? expireAt : expireAt - Date.now());
  client.reply.integer(inSeconds ? Math.trunc((time + 500) / 1000) : time);
}

function persistCommand(client: Client, argv: string[]): void {
  const key = argv[1] as string;
  const db = client.db;
  if (db.has(key) && db.persist(key)) {
    markDirty(client);
    client.reply.integer(1);
  } else client.reply.integer(0);
}

const WRITE = ["@keyspace", "@write", "@fast"] as const;
const READ = ["@keyspace", "@read", "@fast"] as const;

function expireSpec(name: string, inSeconds: boolean, relative: boolean): CommandSpec {
  return defineCommand({
    name,
    arity: -3,
    flags: ["write", "fast"],
    keys: [1, 1, 1],
    categories: WRITE,
    handler: (client, argv) => expireGeneric(client, argv, inSeconds, relative),
  });
}

function ttlSpec(name: string, inSeconds: boolean, absolute: boolean): CommandSpec {
  return defineCommand({
    name,
    arity: 2,
    flags: ["readonly", "fast"],
    keys: [1, 1, 1],
    categories: READ,
    handler: (client, argv) => ttlGeneric(client, argv, inSeconds, absolute),
  });
}

/** Expiry command specs. */
export const KEY_EXPIRY_COMMANDS: readonly CommandSpec[] = [
  expireSpec("expire", true, true),
  expireSpec("pexpire", false, true),
  expireSpec("expireat", true, false),
  expireSpec("pexpireat", false, false),
  ttlSpec("ttl", true, false),
  ttlSpec("pttl", false, false),
  ttlSpec("expiretime", true, true),
  ttlSpec("pexpiretime", false, true),
  defineCommand({
    name: "persist",
    arity: 2,
    flags: ["write", "fast"],
    keys: [1, 1, 1],
    categories: WRITE,
    handler: persistCommand,
  }),
];
