// Byte-range commands on strings: APPEND STRLEN SETRANGE GETRANGE (and its old name SUBSTR).
import { constants as bufferConstants } from "node:buffer";
import { ReplyError } from "../errors.ts";
import { parseInteger } from "./arguments.ts";
import { markDirty } from "./access.ts";
import { lookupString } from "./strings.ts";
import { markRawString } from "../bitmaps/string-annotations.ts";
import { defineCommand, type CommandSpec } from "./types.ts";
import type { Client } from "../server/context-types.ts";

const MAX_STRING_LENGTH = bufferConstants.MAX_STRING_LENGTH;

function checkStringLength(client: Client, total: number): void {
  if (!client.isFake && total > client.server.settings.protoMaxBulkLen) {
    throw new ReplyError("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
  }
  // Values are JS strings, and V8 caps a string 24 bytes short of Redis's 512 MB: refuse plainly
  // instead of failing inside the command (docs/engine.md, "Known differences").
  if (total > MAX_STRING_LENGTH) {
    throw new ReplyError(
      `ERR string of ${total} bytes exceeds the longest string persistlab-server can hold (${MAX_STRING_LENGTH} bytes, V8's limit; Redis allows ${client.server.settings.protoMaxBulkLen})`,
    );
  }
}

function appendCommand(client: Client, argv: string[]): void {
  const key = argv[1] as string;
  const addition = argv[2] as string;
  const db = client.db;
  const current = db.getString(key);
  if (current === undefined) {
    db.set(key, addition);
    markDirty(client);
    client.reply.integer(addition.length);
    return;
  }
  checkStringLength(client, current.length + addition.length);
  const next = current + addition;
  db.set(key, next, true);
  markRawString(client.server.keyspace, db, key);
  markDirty(client);
  client.reply.integer(next.length);
}

function setrangeCommand(client: Client, argv: string[]): void {
  const key = argv[1] as string;
  const offset = parseInteger(argv[2] as string);
  const patch = argv[3] as string;
  if (offset < 0) throw new ReplyError("ERR offset is out of range");
  const db = client.db;
  const current = db.getString(key);
  if (current === undefined && patch.length === 0) {
    client.reply.integer(0);
    return;
  }
  if (current !== undefined && patch.length === 0) {
    client.reply.integer(current.length);
    return;
  }
  checkStringLength(client, offset + patch.length);
  const base = current ?? "";
  const padded = base.length < offset ? base + "\0".repeat(offset - base.length) : base;
  const next = padded.slice(0, offset) + patch + padded.slice(offset + patch.length);
  db.set(key, next, true);
  markRawString(client.server.keyspace, db, key);
  markDirty(client);
  client.reply.integer(next.length);
}

// Redis 7.0's GETRANGE clamping, including its quirk: both ends negative past the start give the first byte.
function getrangeCommand(client: Client, argv: string[]): void {
  let start = parseInteger(argv[2] as string);
  let end = parseInteger(argv[3] as string);
  const value = lookupString(client, argv[1] as string);
  if (value === undefined) {
    client.reply.bulk("");
    return;
  }
  const length = value.length;
  if (start < 0 && end < 0 && start > end) {
    client.reply.bulk("");
    return;
  }
  if (start < 0) start = length + start;
  if (end < 0) end = length + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= length) end = length - 1;
  if (start > end || length === 0) client.reply.bulk("");
  else client.reply.bulk(value.slice(start, end + 1));
}

/** Range command specs. */
export const STRING_RANGE_COMMANDS: readonly CommandSpec[] = [
  defineCommand({
    name: "append",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    keys: [1, 1, 1],
    categories: ["@write", "@string", "@fast"],
    handler: appendCommand,
  }),
  defineCommand({
    name: "strlen",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: [1, 1, 1],
    categories: ["@read", "@string", "@fast"],
    handler: (client, argv) => client.reply.integer(lookupString(client, argv[1] as string)?.length ?? 0),
  }),
  defineCommand({
    name: "setrange",
    arity: 4,
    flags: ["write", "denyoom"],
    keys: [1, 1, 1],
    categories: ["@write", "@string", "@slow"],
    handler: setrangeCommand,
  }),
  defineCommand({
    name: "getrange",
    arity: 4,
    flags: ["readonly"],
    keys: [1, 1, 1],
    categories: ["@read", "@string", "@slow"],
    handler: getrangeCommand,
  }),
  defineCommand({
    name: "substr",
    arity: 4,
    flags: ["readonly"],
    keys: [1, 1, 1],
    categories: ["@read", "@string", "@slow"],
    handler: getrangeCommand,
  }),
];
