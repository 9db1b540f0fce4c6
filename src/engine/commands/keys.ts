// Generic key commands: DEL UNLINK EXISTS TOUCH TYPE RENAME RENAMENX MOVE COPY KEYS SCAN RANDOMKEY
// OBJECT. Expiry commands live in key-expiry.ts.
import { ERRORS, ReplyError } from "../errors.ts";
import { encodingOf, inheritEncoding } from "../keyspace/encoding.ts";
import { isRawString } from "../bitmaps/string-annotations.ts";
import { cloneValue, kindOf } from "../keyspace/values.ts";
import { matchGlob } from "../util/glob.ts";
import { parseInteger } from "./arguments.ts";
import { countLookup, markDirty } from "./access.ts";
import { pickOne } from "./random-pick.ts";
import { parkScan, parseScanCursor, parseScanOptions, resumeScan, takeFrom } from "./scan-cursor.ts";
import { objectFreq, objectIdletime } from "./object-access.ts";
import { defineCommand, type CommandSpec } from "./types.ts";
import type { Database } from "../keyspace/database.ts";
import type { Client } from "../server/context-types.ts";

function deleteCommand(client: Client, argv: string[]): void {
  const db = client.db;
  let deleted = 0;
  for (let index = 1; index < argv.length; index += 1) if (db.delete(argv[index] as string)) deleted += 1;
  markDirty(client, deleted);
  client.reply.integer(deleted);
}

function existsCommand(client: Client, argv: string[]): void {
  const db = client.db;
  let found = 0;
  for (let index = 1; index < argv.length; index += 1) if (db.has(argv[index] as string)) found += 1;
  client.reply.integer(found);
}

function renameGeneric(client: Client, argv: string[], onlyIfAbsent: boolean): void {
  const source = argv[1] as string;
  const destination = argv[2] as string;
  const db = client.db;
  const value = db.get(source);
  if (value === undefined) throw new ReplyError(ERRORS.noSuchKey);
  if (source === destination) {
    if (onlyIfAbsent) client.reply.integer(0);
    else client.reply.ok();
    return;
  }
  const expireAt = db.getExpire(source);
  if (db.has(destination)) {
    if (onlyIfAbsent) {
      client.reply.integer(0);
      return;
    }
    db.delete(destination);
  }
  db.set(destination, value);
  if (expireAt !== undefined) db.setExpire(destination, expireAt);
  db.delete(source);
  markDirty(client);
  if (onlyIfAbsent) client.reply.integer(1);
  else client.reply.ok();
}

function targetDatabase(client: Client, text: string, parse: (text: string) => number): Database {
  const index = parse(text);
  if (index < 0 || index >= client.server.settings.databases) throw new ReplyError("ERR DB index is out of range");
  return client.server.keyspace.database(index);
}

const INT32 = (text: string): number => {
  const value = parseInteger(text);
  if (value > 2147483647 || value < -2147483648) throw new ReplyError(ERRORS.notInteger);
  return value;
};

function moveCommand(client: Client, argv: string[]): void {
  const key = argv[1] as string;
  const source = client.db;
  const destination = targetDatabase(client, argv[2] as string, INT32);
  if (destination === source) throw new ReplyError("ERR source and destination objects are the same");
  const value = source.get(key);
  if (value === undefined || destination.has(key)) {
    client.reply.integer(0);
    return;
  }
  const expireAt = source.getExpire(key);
  destination.set(key, value);
  if (expireAt !== undefined) destination.setExpire(key, expireAt);
  source.delete(key);
  markDirty(client);
  client.reply.integer(1);
}

function copyCommand(client: Client, argv: string[]): void {
  const source = client.db;
  let destination = source;
  let replace = false;
  for (let index = 3; index < argv.length; index += 1) {
    const option = (argv[index] as string).toUpperCase();
    if (option === "REPLACE") replace = true;
    else if (option === "DB" && index + 1 < argv.length) {
      destination = targetDatabase(client, argv[index + 1] as string, parseInteger);
      index += 1;
    } else throw new ReplyError(ERRORS.syntax);
  }
  const key = argv[1] as string;
  const newKey = argv[2] as string;
  if (source === destination && key === newKey) throw new ReplyError("ERR source and destination objects are the same");
  const value = source.get(key);
  if (value === undefined) {
    client.reply.integer(0);
    return;
  }
  const expireAt = source.getExpire(key);
  if (destination.has(newKey)) {
    if (!replace) {
      client.reply.integer(0);
      return;
    }
    destination.delete(newKey);
  }
  const copy = cloneValue(value);
  inheritEncoding(value, copy);
  destination.set(newKey, copy);
  if (expireAt !== undefined) destination.setExpire(newKey, expireAt);
  markDirty(client);
  client.reply.integer(1);
}

function keysCommand(client: Client, argv: string[]): void {
  const pattern = argv[1] as string;
  const db = client.db;
  const now = Date.now();
  const found: string[] = [];
  const expires = db.expires;
  for (const key of db.dict.keys()) {
    const expireAt = expires.size === 0 ? undefined : expires.get(key);
    if (expireAt !== undefined && expireAt <= now && !client.server.loading) continue;
    if (pattern === "*" || matchGlob(pattern, key)) found.push(key);
  }
  client.reply.bulkArray(found);
}

function scanCommand(client: Client, argv: string[]): void {
  const cursor = parseScanCursor(argv[1] as string);
  const options = parseScanOptions(argv, 2, true);
  const db = client.db;
  const dict = db.dict;
  const iterator = resumeScan(client.server, cursor, dict, () => dict.keys());
  const { items, done } = takeFrom(iterator, options.count);
  const keys: string[] = [];
  for (const key of items) {
    if (options.pattern !== null && !matchGlob(options.pattern, key)) continue;
    const value = db.get(key);
    if (value === undefined) continue;
    if (options.type !== null && kindOf(value) !== options.type) continue;
    keys.push(key);
  }
  client.reply.array(2);
  client.reply.bulk(done ? "0" : parkScan(client.server, dict, iterator));
  client.reply.bulkArray(keys);
}

function randomkeyCommand(client: Client): void {
  const db = client.db;
  for (let attempt = 0; attempt < 100 && db.dict.size > 0; attempt += 1) {
    const key = pickOne(db.dict.keys(), db.dict.size);
    if (key !== undefined && db.has(key)) {
      client.reply.bulk(key);
      return;
    }
  }
  client.reply.nil();
}

const OBJECT_HELP = [
  "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "ENCODING <key>",
  "    Return the kind of internal representation used in order to store the value",
  "    associated with a <key>.",
  "FREQ <key>",
  "    Return the access frequency index of the <key>. The returned integer is",
  "    proportional to the logarithm of the recent access frequency of the key.",
  "IDLETIME <key>",
  "    Return the idle time of the <key>, that is the approximated number of",
  "    seconds elapsed since the last access to the key.",
  "REFCOUNT <key>",
  "    Return the number of references of the value associated with the specified",
  "    <key>.",
  "HELP",
  "    Prints this help.",
];

// Subcommand names and arities are validated by the dispatcher (OBJECT_SUBCOMMANDS below).
function objectCommand(client: Client, argv: string[]): void {
  const sub = (argv[1] as string).toLowerCase();
  if (sub === "help") {
    client.reply.array(OBJECT_HELP.length);
    for (const line of OBJECT_HELP) client.reply.status(line);
    return;
  }
  // IDLETIME and FREQ read the access data without counting as an access.
  if (sub === "idletime") return objectIdletime(client, argv[2] as string);
  if (sub === "freq") return objectFreq(client, argv[2] as string);
  const value = client.db.get(argv[2] as string);
  if (value === undefined) {
    client.reply.nil();
    return;
  }
  const encoding =
    typeof value === "string" && isRawString(client.server.keyspace, client.db, argv[2] as string)
      ? "raw"
      : encodingOf(value, client.server.settings);
  if (sub === "encoding") client.reply.bulk(encoding);
  else client.reply.integer(encoding === "int" && Number(value) >= 0 && Number(value) < 10000 ? 2147483647 : 1);
}

// OBJECT's subcommands that read one key's metadata (one handler serves them all).
const objectKeySubcommand = (name: string): CommandSpec =>
  defineCommand({
    name,
    arity: 3,
    flags: ["readonly"],
    keys: [2, 2, 1],
    categories: ["@keyspace", "@read", "@slow"],
    handler: objectCommand,
  });

const OBJECT_SUBCOMMANDS: readonly CommandSpec[] = [
  ...["encoding", "refcount", "idletime", "freq"].map(objectKeySubcommand),
  defineCommand({
    name: "help",
    arity: 2,
    flags: ["loading", "stale"],
    categories: ["@keyspace", "@slow"],
    handler: objectCommand,
  }),
];

const WRITE = ["@keyspace", "@write"] as const;
const READ = ["@keyspace", "@read"] as const;

/** Generic key command specs. */
export const KEY_COMMANDS: readonly CommandSpec[] = [
  defineCommand({
    name: "del",
    arity: -2,
    flags: ["write"],
    keys: [1, -1, 1],
    categories: [...WRITE, "@slow"],
    handler: deleteCommand,
  }),
  defineCommand({
    name: "unlink",
    arity: -2,
    flags: ["write", "fast"],
    keys: [1, -1, 1],
    categories: [...WRITE, "@fast"],
    handler: deleteCommand,
  }),
  defineCommand({
    name: "exists",
    arity: -2,
    flags: ["readonly", "fast"],
    keys: [1, -1, 1],
    categories: [...READ, "@fast"],
    handler: existsCommand,
  }),
  defineCommand({
    name: "touch",
    arity: -2,
    flags: ["readonly", "fast"],
    keys: [1, -1, 1],
    categories: [...READ, "@fast"],
    handler: existsCommand,
  }),
  defineCommand({
    name: "type",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: [1, 1, 1],
    categories: [...READ, "@fast"],
    handler: (client, argv) => {
      const value = countLookup(client, client.db.get(argv[1] as string));
      client.reply.status(value === undefined ? "none" : kindOf(value));
    },
  }),
  defineCommand({
    name: "rename",
    arity: 3,
    flags: ["write"],
    keys: [1, 2, 1],
    categories: [...WRITE, "@slow"],
    handler: (client, argv) => renameGeneric(client, argv, false),
  }),
  defineCommand({
    name: "renamenx",
    arity: 3,
    flags: ["write", "fast"],
    keys: [1, 2, 1],
    categories: [...WRITE, "@fast"],
    handler: (client, argv) => renameGeneric(client, argv, true),
  }),
  defineCommand({
    name: "move",
    arity: 3,
    flags: ["write", "fast"],
    keys: [1, 1, 1],
    categories: [...WRITE, "@fast"],
    handler: moveCommand,
  }),
  defineCommand({
    name: "copy",
    arity: -3,
    flags: ["write", "denyoom"],
    keys: [1, 2, 1],
    categories: [...WRITE, "@slow"],
    handler: copyCommand,
  }),
  defineCommand({
    name: "keys",
    arity: 2,
    flags: ["readonly"],
    categories: [...READ, "@slow", "@dangerous"],
    handler: keysCommand,
  }),
  defineCommand({ name: "scan", arity: -2, flags: ["readonly"], categories: [...READ, "@slow"], handler: scanCommand }),
  defineCommand({
    name: "randomkey",
    arity: 1,
    flags: ["readonly"],
    categories: [...READ, "@slow"],
    handler: randomkeyCommand,
  }),
  defineCommand({
    name: "object",
    arity: -2,
    categories: ["@slow"],
    handler: objectCommand,
    subcommands: OBJECT_SUBCOMMANDS,
  }),
];
