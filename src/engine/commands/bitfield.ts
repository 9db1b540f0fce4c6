// BITFIELD and BITFIELD_RO: GET / SET / INCRBY of i1..i64 and u1..u63 fields at bit offsets (or #N
// field indexes), OVERFLOW WRAP | SAT | FAIL applying to the operations after it. All arguments are
// parsed before anything runs; writes grow the string once to the farthest bit written, and only
// operations that changed a value (or a key created or grown) count as changes, as in Redis 7.0.
import { ERRORS, ReplyError } from "../errors.ts";
import {
  checkSigned,
  checkUnsigned,
  readSigned,
  readUnsigned,
  writeBits,
  type OverflowMode,
} from "../bitmaps/bitfield-math.ts";
import { BitmapEdit, byteSourceOf } from "../bitmaps/bitmap-value.ts";
import { parseBigInteger } from "./arguments.ts";
import { markDirty } from "./access.ts";
import { parseBitOffset } from "./bitmaps.ts";
import { lookupString } from "./strings.ts";
import { defineCommand, type CommandSpec } from "./types.ts";
import type { Client } from "../server/context-types.ts";

const TYPE_ERROR = "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";
const SIGNED_TYPE = /^i(0|[1-9]\d*)$/;
const UNSIGNED_TYPE = /^u(0|[1-9]\d*)$/;

interface FieldOperation {
  readonly kind: "GET" | "SET" | "INCRBY";
  readonly signed: boolean;
  readonly bits: number;
  readonly offset: bigint;
  /** SET value or INCRBY increment (0 for GET). */
  readonly argument: bigint;
  readonly overflow: OverflowMode;
}

function parseType(text: string): { signed: boolean; bits: number } {
  const signed = SIGNED_TYPE.test(text);
  if (!signed && !UNSIGNED_TYPE.test(text)) throw new ReplyError(TYPE_ERROR);
  const bits = Number(text.slice(1));
  if (bits < 1 || bits > (signed ? 64 : 63)) throw new ReplyError(TYPE_ERROR);
  return { signed, bits };
}

function parseOperations(client: Client, argv: readonly string[]): FieldOperation[] {
  const operations: FieldOperation[] = [];
  let overflow: OverflowMode = "WRAP";
  for (let index = 2; index < argv.length; index += 1) {
    const remaining = argv.length - index - 1;
    const name = (argv[index] as string).toUpperCase();
    let kind: FieldOperation["kind"];
    if (name === "GET" && remaining >= 2) kind = "GET";
    else if (name === "SET" && remaining >= 3) kind = "SET";
    else if (name === "INCRBY" && remaining >= 3) kind = "INCRBY";
    else if (name === "OVERFLOW" && remaining >= 1) {
      const mode = (argv[index + 1] as string).toUpperCase();
      if (mode !== "WRAP" && mode !== "SAT" && mode !== "FAIL")
        throw new ReplyError("ERR Invalid OVERFLOW type specified");
      overflow = mode;
      index += 1;
      continue;
    } else throw new ReplyError(ERRORS.syntax);
    const { signed, bits } = parseType(argv[index + 1] as string);
    const offset = parseBitOffset(client, argv[index + 2] as string, bits);
    const argument = kind === "GET" ? 0n : parseBigInteger(argv[index + 3] as string);
    operations.push({ kind, signed, bits, offset, argument, overflow });
    index += kind === "GET" ? 2 : 3;
  }
  return operations;
}

// GET on a read-only lookup: bytes past the end read as zero.
function replyGet(client: Client, operation: FieldOperation, byteAt: (index: number) => number): void {
  const offset = Number(operation.offset);
  client.reply.integer(
    operation.signed ? readSigned(byteAt, offset, operation.bits) : readUnsigned(byteAt, offset, operation.bits),
  );
}

// One SET or INCRBY on the edited string; returns whether it changed the stored field.
function applyWrite(client: Client, operation: FieldOperation, edit: BitmapEdit): boolean {
  const { bits, overflow } = operation;
  const offset = Number(operation.offset);
  const byteAt = (index: number): number => edit.byteAt(index);
  let oldValue: bigint;
  let newValue: bigint;
  let reply: bigint;
  let check;
  if (operation.signed) {
    oldValue = readSigned(byteAt, offset, bits);
    if (operation.kind === "INCRBY") {
      check = checkSigned(oldValue, operation.argument, bits, overflow);
      newValue = check.overflow ? check.limit : oldValue + operation.argument;
      reply = newValue;
    } else {
      check = checkSigned(operation.argument, 0n, bits, overflow);
      newValue = check.overflow ? check.limit : operation.argument;
      reply = oldValue;
    }
  } else {
    oldValue = readUnsigned(byteAt, offset, bits);
    if (operation.kind === "INCRBY") {
      check = checkUnsigned(oldValue, operation.argument, bits, overflow);
      newValue = check.overflow ? check.limit : BigInt.asUintN(64, oldValue + operation.argument);
      reply = newValue;
    } else {
      const value = BigInt.asUintN(64, operation.argument);
      check = checkUnsigned(value, 0n, bits, overflow);
      newValue = check.overflow ? check.limit : value;
      reply = oldValue;
    }
  }
  if (check.overflow && overflow === "FAIL") {
    client.reply.nil();
    return false;
  }
  client.reply.integer(BigInt.asIntN(64, reply));
  writeBits(byteAt, (index, byte) => edit.setByte(index, byte), offset, bits, newValue);
  return edit.resized || oldValue !== newValue;
}

function bitfieldGeneric(client: Client, argv: string[], readOnly: boolean): void {
  const key = argv[1] as string;
  const operations = parseOperations(client, argv);
  const writes = operations.filter((operation) => operation.kind !== "GET");
  if (writes.length === 0) {
    const value = lookupString(client, key);
    const source = value === undefined ? null : byteSourceOf(client, key, value);
    const byteAt = source === null ? () => 0 : (index: number) => source.byteAt(index);
    client.reply.array(operations.length);
    for (const operation of operations) replyGet(client, operation, byteAt);
    return;
  }
  if (readOnly) throw new ReplyError("ERR BITFIELD_RO only supports the GET subcommand");
  let highest = 0n;
  for (const operation of writes)
    if (operation.offset + BigInt(operation.bits) - 1n > highest)
      highest = operation.offset + BigInt(operation.bits) - 1n;
  const edit = BitmapEdit.open(client, key, highest);
  client.reply.array(operations.length);
  let changes = 0;
  for (const operation of operations) {
    if (operation.kind === "GET") replyGet(client, operation, (index) => edit.byteAt(index));
    else if (applyWrite(client, operation, edit)) changes += 1;
  }
  edit.commit();
  if (changes > 0) markDirty(client, changes);
}

/** BITFIELD command specs. */
export const BITFIELD_COMMANDS: readonly CommandSpec[] = [
  defineCommand({
    name: "bitfield",
    arity: -2,
    flags: ["write", "denyoom"],
    keys: [1, 1, 1],
    categories: ["@write", "@bitmap", "@slow"],
    handler: (client, argv) => bitfieldGeneric(client, argv, false),
  }),
  defineCommand({
    name: "bitfield_ro",
    arity: -2,
    flags: ["readonly", "fast"],
    keys: [1, 1, 1],
    categories: ["@read", "@bitmap", "@fast"],
    handler: (client, argv) => bitfieldGeneric(client, argv, true),
  }),
];
