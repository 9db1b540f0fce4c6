// Bitmap commands on string values: SETBIT GETBIT BITCOUNT BITPOS BITOP, with Redis 7.0's argument
// order, errors and BIT|BYTE ranges. Writes propagate verbatim (Redis does too) and leave the value
// "raw" for OBJECT ENCODING; large values are edited through a rope (bitmaps/bitmap-value.ts).
import { ERRORS, ReplyError } from "../errors.ts";
import { bytePopcount, firstBit, popcount } from "../bitmaps/bit-scan.ts";
import { BitmapEdit, byteSourceOf, scanBlocks, type ByteSource } from "../bitmaps/bitmap-value.ts";
import { markRawString } from "../bitmaps/string-annotations.ts";
import { latin1Slice } from "../persistence/rdb/latin1.ts";
import { isKeyword, parseBigInteger } from "./arguments.ts";
import { markDirty } from "./access.ts";
import { lookupString } from "./strings.ts";
import { defineCommand, type CommandSpec } from "./types.ts";
import type { Client } from "../server/context-types.ts";

const OFFSET_ERROR = "ERR bit offset is not an integer or out of range";
const BIT_VALUE_ERROR = "ERR bit is not an integer or out of range";

/**
 * Redis's getBitOffsetFromArgument: a bit offset ≥ 0 whose byte is below proto-max-bulk-len (not
 * enforced for the AOF loader); with `bits` > 0 the "#N" form means N × bits.
 */
export function parseBitOffset(client: Client, text: string, bits = 0): bigint {
  const hashed = bits > 0 && text.startsWith("#");
  let offset = parseBigInteger(hashed ? text.slice(1) : text, OFFSET_ERROR);
  if (hashed) offset = BigInt.asIntN(64, offset * BigInt(bits));
  if (offset < 0n || (!client.isFake && offset >> 3n >= BigInt(client.server.settings.protoMaxBulkLen)))
    throw new ReplyError(OFFSET_ERROR);
  return offset;
}

function setbitCommand(client: Client, argv: string[]): void {
  const key = argv[1] as string;
  const offset = parseBitOffset(client, argv[2] as string);
  const on = parseBigInteger(argv[3] as string, BIT_VALUE_ERROR);
  if ((on & ~1n) !== 0n) throw new ReplyError(BIT_VALUE_ERROR);
  const edit = BitmapEdit.open(client, key, offset);
  const byteIndex = Number(offset >> 3n);
  const shift = 7 - Number(offset & 7n);
  const byte = edit.byteAt(byteIndex);
  const previous = (byte >> shift) & 1;
  if (edit.resized || previous !== Number(on)) {
    edit.setByte(byteIndex, (byte & ~(1 << shift)) | (Number(on) << shift));
    markDirty(client);
  }
  edit.commit();
  client.reply.integer(previous);
}

function getbitCommand(client: Client, argv: string[]): void {
  const key = argv[1] as string;
  const offset = parseBitOffset(client, argv[2] as string);
  const value = lookupString(client, key);
  if (value === undefined) {
    client.reply.integer(0);
    return;
  }
  const byteIndex = offset >> 3n;
  if (byteIndex >= BigInt(value.length)) {
    client.reply.integer(0);
    return;
  }
  const byte = byteSourceOf(client, key, value).byteAt(Number(byteIndex));
  client.reply.integer((byte >> (7 - Number(offset & 7n))) & 1);
}

/** A resolved byte range with the masks of bits outside a BIT range in its first and last bytes. */
interface BitRange {
  readonly start: number;
  readonly end: number;
  /** Bits of the first byte before the range start (BIT ranges only). */
  readonly firstMask: number;
  /** Bits of the last byte after the range end (BIT ranges only). */
  readonly lastMask: number;
}

// Redis's start/end normalisation for BITCOUNT and BITPOS (negative from the end, clamped), then
// BIT offsets turned into bytes plus edge masks. Null when start > end.
function resolveRange(start: bigint, end: bigint, length: number, isBit: boolean): BitRange | null {
  const total = BigInt(length) * (isBit ? 8n : 1n);
  if (start < 0n) start += total;
  if (end < 0n) end += total;
  if (start < 0n) start = 0n;
  if (end < 0n) end = 0n;
  if (end >= total) end = total - 1n;
  if (start > end) return null;
  if (!isBit) return { start: Number(start), end: Number(end), firstMask: 0, lastMask: 0 };
  const firstMask = ~((1 << (8 - Number(start & 7n))) - 1) & 0xff;
  const lastMask = (1 << (7 - Number(end & 7n))) - 1;
  return { start: Number(start >> 3n), end: Number(end >> 3n), firstMask, lastMask };
}

function parseUnit(text: string): boolean {
  if (isKeyword(text, "BIT")) return true;
  if (isKeyword(text, "BYTE")) return false;
  throw new ReplyError(ERRORS.syntax);
}

function bitcountCommand(client: Client, argv: string[]): void {
  const key = argv[1] as string;
  const value = lookupString(client, key);
  if (value === undefined) {
    client.reply.integer(0);
    return;
  }
  let range: BitRange | null;
  if (argv.length === 4 || argv.length === 5) {
    const start = parseBigInteger(argv[2] as string);
    const end = parseBigInteger(argv[3] as string);
    if (start < 0n && end < 0n && start > end) {
      client.reply.integer(0);
      return;
    }
    const isBit = argv.length === 5 ? parseUnit(argv[4] as string) : false;
    range = resolveRange(start, end, value.length, isBit);
  } else if (argv.length === 2) {
    range = value.length === 0 ? null : { start: 0, end: value.length - 1, firstMask: 0, lastMask: 0 };
  } else {
    throw new ReplyError(ERRORS.syntax);
  }
  if (range === null) {
    client.reply.integer(0);
    return;
  }
  const source = byteSourceOf(client, key, value);
  let count = 0;
  scanBlocks(source, range.start, range.end + 1, (block) => {
    count += popcount(block);
  });
  if (range.firstMask !== 0) count -= bytePopcount(source.byteAt(range.start) & range.firstMask);
  if (range.lastMask !== 0) count -= bytePopcount(source.byteAt(range.end) & range.lastMask);
  client.reply.integer(count);
}

// The first `bit` in bytes [range.start, range.end], with the bits outside a BIT range forced to the
// opposite value; relative to range.start, -1 / past-the-end as redisBitpos answers.
function searchRange(source: ByteSource, range: BitRange, bit: 0 | 1): number {
  const force = (byte: number, mask: number): number => (bit === 1 ? byte & ~mask : byte | mask) & 0xff;
  let found = -1;
  scanBlocks(source, range.start, range.end + 1, (block, offset) => {
    if (offset === range.start && range.firstMask !== 0) block[0] = force(block[0] as number, range.firstMask);
    const last = range.end - offset;
    if (last < block.length && range.lastMask !== 0) block[last] = force(block[last] as number, range.lastMask);
    const position = firstBit(block, bit);
    if (position !== -1 && position !== block.length * 8) {
      found = (offset - range.start) * 8 + position;
      return true;
    }
    return false;
  });
  if (found !== -1) return found;
  return bit === 1 ? -1 : (range.end - range.start + 1) * 8;
}

function bitposCommand(client: Client, argv: string[]): void {
  const key = argv[1] as string;
  const bitValue = parseBigInteger(argv[2] as string);
  if (bitValue !== 0n && bitValue !== 1n) throw new ReplyError("ERR The bit argument must be 1 or 0.");
  const bit = Number(bitValue) as 0 | 1;
  const value = lookupString(client, key);
  if (value === undefined) {
    client.reply.integer(bit === 1 ? -1 : 0);
    return;
  }
  let range: BitRange | null;
  let endGiven = false;
  if (argv.length >= 4 && argv.length <= 6) {
    const start = parseBigInteger(argv[3] as string);
    const isBit = argv.length === 6 ? parseUnit(argv[5] as string) : false;
    let end: bigint;
    if (argv.length >= 5) {
      end = parseBigInteger(argv[4] as string);
      endGiven = true;
    } else {
      end = isBit ? BigInt(value.length) * 8n + 7n : BigInt(value.length) - 1n;
    }
    range = resolveRange(start, end, value.length, isBit);
  } else if (argv.length === 3) {
    range = value.length === 0 ? null : { start: 0, end: value.length - 1, firstMask: 0, lastMask: 0 };
  } else {
    throw new ReplyError(ERRORS.syntax);
  }
  if (range === null) {
    client.reply.integer(-1);
    return;
  }
  const position = searchRange(byteSourceOf(client, key, value), range, bit);
  if (endGiven && bit === 0 && position === (range.end - range.start + 1) * 8) client.reply.integer(-1);
  else client.reply.integer(position === -1 ? -1 : position + range.start * 8);
}

type BitOperation = "AND" | "OR" | "XOR" | "NOT";

function parseOperation(text: string): BitOperation {
  for (const name of ["AND", "OR", "XOR", "NOT"] as const) if (isKeyword(text, name)) return name;
  throw new ReplyError(ERRORS.syntax);
}

// The bytes of op applied to the sources, each zero-padded to the longest.
function combine(operation: BitOperation, sources: readonly Uint8Array[], length: number): Buffer {
  const first = sources[0] as Uint8Array;
  const out = Buffer.alloc(length);
  out.set(first);
  if (operation === "NOT") {
    for (let index = 0; index < length; index += 1) out[index] = ~(out[index] as number) & 0xff;
    return out;
  }
  for (let source = 1; source < sources.length; source += 1) {
    const bytes = sources[source] as Uint8Array;
    if (operation === "AND") {
      for (let index = 0; index < bytes.length; index += 1)
        out[index] = (out[index] as number) & (bytes[index] as number);
      out.fill(0, bytes.length);
    } else if (operation === "OR") {
      for (let index = 0; index < bytes.length; index += 1)
        out[index] = (out[index] as number) | (bytes[index] as number);
    } else {
      for (let index = 0; index < bytes.length; index += 1)
        out[index] = (out[index] as number) ^ (bytes[index] as number);
    }
  }
  return out;
}

function bitopCommand(client: Client, argv: string[]): void {
  const operation = parseOperation(argv[1] as string);
  if (operation === "NOT" && argv.length !== 4)
    throw new ReplyError("ERR BITOP NOT must be called with a single source key.");
  const target = argv[2] as string;
  const sources: Uint8Array[] = [];
  let length = 0;
  for (let index = 3; index < argv.length; index += 1) {
    const key = argv[index] as string;
    const value = lookupString(client, key);
    if (value === undefined) {
      sources.push(new Uint8Array(0));
      continue;
    }
    const source = byteSourceOf(client, key, value);
    sources.push(source.read(0, source.length));
    length = Math.max(length, value.length);
  }
  const db = client.db;
  if (length === 0) {
    if (db.delete(target)) markDirty(client);
    client.reply.integer(0);
    return;
  }
  const result = combine(operation, sources, length);
  db.set(target, latin1Slice(result, 0, length));
  markRawString(client.server.keyspace, db, target);
  markDirty(client);
  client.reply.integer(length);
}

const READ = ["@read", "@bitmap", "@slow"] as const;
const WRITE = ["@write", "@bitmap", "@slow"] as const;

/** Bitmap command specs. */
export const BITMAP_COMMANDS: readonly CommandSpec[] = [
  defineCommand({
    name: "setbit",
    arity: 4,
    flags: ["write", "denyoom"],
    keys: [1, 1, 1],
    categories: WRITE,
    handler: setbitCommand,
  }),
  defineCommand({
    name: "getbit",
    arity: 3,
    flags: ["readonly", "fast"],
    keys: [1, 1, 1],
    categories: ["@read", "@bitmap", "@fast"],
    handler: getbitCommand,
  }),
  defineCommand({
    name: "bitcount",
    arity: -2,
    flags: ["readonly"],
    keys: [1, 1, 1],
    categories: READ,
    handler: bitcountCommand,
  }),
  defineCommand({
    name: "bitpos",
    arity: -3,
    flags: ["readonly"],
    keys: [1, 1, 1],
    categories: READ,
    handler: bitposCommand,
  }),
  defineCommand({
    name: "bitop",
    arity: -4,
    flags: ["write", "denyoom"],
    keys: [2, -1, 1],
    categories: WRITE,
    handler: bitopCommand,
  }),
];
