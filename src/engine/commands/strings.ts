// String commands that read or replace whole values: GET SET SETNX SETEX PSETEX GETSET GETDEL GETEX
// MGET MSET MSETNX. Relative expiries propagate as absolute ones (SET ... PXAT, PEXPIREAT) for the AOF.
// Counters live in string-counters.ts, byte ranges in string-ranges.ts.
import { ERRORS, ReplyError } from "../errors.ts";
import { parseBigInteger } from "./arguments.ts";
import { countLookup, markDirty } from "./access.ts";
import { defineCommand, type CommandSpec } from "./types.ts";
import type { Client } from "../server/context-types.ts";

/** Reads a string key counting keyspace hits/misses; WRONGTYPE for other kinds. */
export function lookupString(client: Client, key: string): string | undefined {
  return countLookup(client, client.db.getString(key));
}

/** Expiry units of SET and GETEX. */
export type ExpireUnit = "EX" | "PX" | "EXAT" | "PXAT";

const INT64_MAX = 9223372036854775807n;

/** Converts an expire argument into absolute unix ms as Redis's getExpireMillisecondsOrReply does. */
export function parseExpireArgument(unit: ExpireUnit, text: string, command: string, now: number): number {
  let value = parseBigInteger(text);
  const seconds = unit === "EX" || unit === "EXAT";
  if (value <= 0n || (seconds && value > INT64_MAX / 1000n)) throw new ReplyError(ERRORS.invalidExpire(command));
  if (seconds) value *= 1000n;
  if (unit === "EX" || unit === "PX") value += BigInt(now);
  if (value > INT64_MAX) throw new ReplyError(ERRORS.invalidExpire(command));
  return Number(value);
}

interface StringOptions {
  condition: "NX" | "XX" | null;
  keepTtl: boolean;
  get: boolean;
  persist: boolean;
  unit: ExpireUnit | null;
  expireText: string;
}

// Redis's parseExtendedStringArgumentsOrReply for SET (from index 3) and GETEX (from index 2).
function parseStringOptions(argv: readonly string[], from: number, forSet: boolean): StringOptions {
  const options: StringOptions = {
    condition: null,
    keepTtl: false,
    get: false,
    persist: false,
    unit: null,
    expireText: "",
  };
  for (let index = from; index < argv.length; index += 1) {
    const option = (argv[index] as string).toUpperCase();
    const hasNext = index + 1 < argv.length;
    const unit = options.unit;
    if (forSet && (option === "NX" || option === "XX") && options.condition !== (option === "NX" ? "XX" : "NX")) {
      options.condition = option;
    } else if (forSet && option === "GET") {
      options.get = true;
    } else if (forSet && option === "KEEPTTL" && unit === null) {
      options.keepTtl = true;
    } else if (!forSet && option === "PERSIST" && unit === null) {
      options.persist = true;
    } else if (
      (option === "EX" || option === "PX" || option === "EXAT" || option === "PXAT") &&
      (unit === null || unit === option) &&
      !options.keepTtl &&
      !options.persist &&
      hasNext
    ) {
      options.unit = option;
      options.expireText = argv[index + 1] as string;
      index += 1;
    } else {
      throw new ReplyError(ERRORS.syntax);
    }
  }
  return options;
}

/** The shared body of SET, SETNX, SETEX and PSETEX; returns whether the value was set. */
function setGeneric(
  client: Client,
  key: string,
  value: string,
  options: StringOptions,
  command: string,
  replies: { ok: () => void; aborted: () => void },
): void {
  // The clock is read only for an expiry (a plain SET needs no time).
  const expireAt =
    options.unit === null ? undefined : parseExpireArgument(options.unit, options.expireText, command, Date.now());
  const db = client.db;
  let old: string | undefined;
  if (options.get) old = db.getString(key);
  const exists = options.get && old !== undefined ? true : db.has(key);
  if ((options.condition === "NX" && exists) || (options.condition === "XX" && !exists)) {
    if (options.get) client.reply.bulkOrNil(old);
    else replies.aborted();
    return;
  }
  db.set(key, value, options.keepTtl);
  if (expireAt !== undefined) db.setExpire(key, expireAt);
  markDirty(client);
  if (expireAt !== undefined) {
    // Propagate the absolute time so replaying the AOF later gives the same expiry (as Redis 7.0, PXAT too).
    client.propagate(["SET", key, value, "PXAT", String(expireAt)]);
  }
  if (options.get) client.reply.bulkOrNil(old);
  else replies.ok();
}

function setCommand(client: Client, argv: string[]): void {
  if (argv.length === 3) {
    // Plain SET key value: the hot path of every benchmark.
    client.db.set(argv[1] as string, argv[2] as string);
    client.server.keyspace.dirty += 1;
    client.reply.ok();
    return;
  }
  const options = parseStringOptions(argv, 3, true);
  setGeneric(client, argv[1] as string, argv[2] as string, options, "set", {
    ok: () => client.reply.ok(),
    aborted: () => client.reply.nil(),
  });
}

function setWithExpire(unit: "EX" | "PX", command: string) {
  return (client: Client, argv: string[]): void => {
    const options: StringOptions = {
      condition: null,
      keepTtl: false,
      get: false,
      persist: false,
      unit,
      expireText: argv[2] as string,
    };
    setGeneric(client, argv[1] as string, argv[3] as string, options, command, {
      ok: () => client.reply.ok(),
      aborted: () => client.reply.nil(),
    });
  };
}

function setnxCommand(client: Client, argv: string[]): void {
  const options: StringOptions = {
    condition: "NX",
    keepTtl: false,
    get: false,
    persist: false,
    unit: null,
    expireText: "",
  };
  setGeneric(client, argv[1] as string, argv[2] as string, options, "setnx", {
    ok: () => client.reply.integer(1),
    aborted: () => client.reply.integer(0),
  });
}

function getsetCommand(client: Client, argv: string[]): void {
  const key = argv[1] as string;
  const old = lookupString(client, key);
  client.db.set(key, argv[2] as string);
  markDirty(client);
  client.propagate(["SET", key, argv[2] as string]);
  client.reply.bulkOrNil(old);
}

function getdelCommand(client: Client, argv: string[]): void {
  const key = argv[1] as string;
  const value = lookupString(client, key);
  if (value === undefined) {
    client.reply.nil();
    return;
  }
  client.db.delete(key);
  markDirty(client);
  client.propagate(["DEL", key]);
  client.reply.bulk(value);
}

function getexCommand(client: Client, argv: string[]): void {
  const options = parseStringOptions(argv, 2, false);
  const key = argv[1] as string;
  const db = client.db;
  const value = lookupString(client, key);
  if (value === undefined) {
    client.reply.nil();
    return;
  }
  const now = Date.now();
  const expireAt =
    options.unit === null ? undefined : parseExpireArgument(options.unit, options.expireText, "getex", now);
  client.reply.bulk(value);
  if (
    expireAt !== undefined &&
    (options.unit === "EXAT" || options.unit === "PXAT") &&
    expireAt <= now &&
    !client.server.loading
  ) {
    db.delete(key);
    markDirty(client);
    client.propagate(["DEL", key]);
  } else if (expireAt !== undefined) {
    db.setExpire(key, expireAt);
    markDirty(client);
    client.propagate(["PEXPIREAT", key, String(expireAt)]);
  } else if (options.persist && db.persist(key)) {
    markDirty(client);
    client.propagate(["PERSIST", key]);
  }
}

function mgetCommand(client: Client, argv: string[]): void {
  const db = client.db;
  const reply = client.reply;
  reply.array(argv.length - 1);
  for (let index = 1; index < argv.length; index += 1) {
    const value = countLookup(client, db.get(argv[index] as string));
    reply.bulkOrNil(typeof value === "string" ? value : undefined);
  }
}

function msetGeneric(client: Client, argv: string[], onlyIfNoneExist: boolean): void {
  if (argv.length % 2 === 0) throw new ReplyError(ERRORS.arity((argv[0] as string).toLowerCase()));
  const db = client.db;
  if (onlyIfNoneExist) {
    for (let index = 1; index < argv.length; index += 2) {
      if (db.has(argv[index] as string)) {
        client.reply.integer(0);
        return;
      }
    }
  }
  for (let index = 1; index < argv.length; index += 2) db.set(argv[index] as string, argv[index + 1] as string);
  markDirty(client, (argv.length - 1) / 2);
  if (onlyIfNoneExist) client.reply.integer(1);
  else client.reply.ok();
}

const READ = ["@read", "@string", "@fast"] as const;
const WRITE = ["@write", "@string", "@slow"] as const;

/** String command specs of this module. */
export const STRING_COMMANDS: readonly CommandSpec[] = [
  defineCommand({
    name: "get",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: [1, 1, 1],
    categories: READ,
    handler: (client, argv) => client.reply.bulkOrNil(lookupString(client, argv[1] as string)),
  }),
  defineCommand({
    name: "set",
    arity: -3,
    flags: ["write", "denyoom"],
    keys: [1, 1, 1],
    categories: WRITE,
    handler: setCommand,
  }),
  defineCommand({
    name: "setnx",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    keys: [1, 1, 1],
    categories: WRITE,
    handler: setnxCommand,
  }),
  defineCommand({
    name: "setex",
    arity: 4,
    flags: ["write", "denyoom"],
    keys: [1, 1, 1],
    categories: WRITE,
    handler: setWithExpire("EX", "setex"),
  }),
  defineCommand({
    name: "psetex",
    arity: 4,
    flags: ["write", "denyoom"],
    keys: [1, 1, 1],
    categories: WRITE,
    handler: setWithExpire("PX", "psetex"),
  }),
  defineCommand({
    name: "getset",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    keys: [1, 1, 1],
    categories: WRITE,
    handler: getsetCommand,
  }),
  defineCommand({
    name: "getdel",
    arity: 2,
    flags: ["write", "fast"],
    keys: [1, 1, 1],
    categories: WRITE,
    handler: getdelCommand,
  }),
  defineCommand({
    name: "getex",
    arity: -2,
    flags: ["write", "fast"],
    keys: [1, 1, 1],
    categories: WRITE,
    handler: getexCommand,
  }),
  defineCommand({
    name: "mget",
    arity: -2,
    flags: ["readonly", "fast"],
    keys: [1, -1, 1],
    categories: READ,
    handler: mgetCommand,
  }),
  defineCommand({
    name: "mset",
    arity: -3,
    flags: ["write", "denyoom"],
    keys: [1, -1, 2],
    categories: WRITE,
    handler: (client, argv) => msetGeneric(client, argv, false),
  }),
  defineCommand({
    name: "msetnx",
    arity: -3,
    flags: ["write", "denyoom"],
    keys: [1, -1, 2],
    categories: WRITE,
    handler: (client, argv) => msetGeneric(client, argv, true),
  }),
];
