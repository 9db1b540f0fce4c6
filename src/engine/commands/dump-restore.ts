// DUMP and RESTORE (Redis 7.0's cluster.c): a value serialized as in an RDB file (type byte + value,
// the encoder and decoder of persistence/rdb), then the RDB version as 2 bytes little endian and a
// CRC64 of everything before it as 8 bytes little endian. Payloads are exchangeable with
// redis-server 7.0 in both directions. RESTORE propagates with an absolute TTL (… ABSTTL), or as
// DEL when the TTL already passed and REPLACE removed a key.
import { ERRORS, ReplyError } from "../errors.ts";
import { isEmptyCollection, type StoredValue } from "../keyspace/values.ts";
import { RdbByteReader } from "../persistence/rdb/byte-reader.ts";
import { RdbByteWriter } from "../persistence/rdb/byte-writer.ts";
import { crc64 } from "../persistence/rdb/crc64.ts";
import { RDB_VERSION } from "../persistence/rdb/format.ts";
import { isValueType, readValue } from "../persistence/rdb/value-decoder.ts";
import { writeKeyValue } from "../persistence/rdb/value-encoder.ts";
import type { ServerSettings } from "../config/settings.ts";
import type { Client } from "../server/context-types.ts";
import { isKeyword, parseInteger } from "./arguments.ts";
import { countLookup, markDirty } from "./access.ts";
import { restoreAccess } from "./object-access.ts";
import { defineCommand, type CommandSpec } from "./types.ts";

const latin1 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");

/** The DUMP payload of a value (latin1 string, one char per byte). */
export function createDumpPayload(value: StoredValue, settings: ServerSettings): string {
  const writer = new RdbByteWriter({ compression: settings.rdbcompression });
  // writeKeyValue writes type, key, value: with an empty key the key is one length byte (0) to drop.
  writeKeyValue(writer, "", value, settings);
  const record = writer.take();
  const body = Buffer.alloc(record.length - 1 + 2);
  body[0] = record[0] as number;
  Buffer.from(record.buffer, record.byteOffset + 2, record.length - 2).copy(body, 1);
  body.writeUInt16LE(RDB_VERSION, body.length - 2);
  const checksum = Buffer.alloc(8);
  checksum.writeBigUInt64LE(crc64(body));
  return latin1(Buffer.concat([body, checksum]));
}

/** Whether a payload's footer holds a version this server reads and a matching CRC64 (Redis's verifyDumpPayload). */
export function verifyDumpPayload(payload: Buffer, skipChecksum = false): boolean {
  if (payload.length < 10) return false;
  const version = payload.readUInt16LE(payload.length - 10);
  if (version > RDB_VERSION) return false;
  if (skipChecksum) return true;
  return crc64(payload.subarray(0, payload.length - 8)) === payload.readBigUInt64LE(payload.length - 8);
}

/** Decodes a verified payload's value; null when it is malformed ("Bad data format"). */
export function decodeDumpPayload(payload: Buffer): StoredValue | null {
  const reader = new RdbByteReader(payload.subarray(0, payload.length - 10));
  try {
    const type = reader.byte("the value type");
    if (!isValueType(type)) return null;
    const value = readValue(reader, type);
    return typeof value !== "string" && isEmptyCollection(value) ? null : value;
  } catch {
    return null;
  }
}

function dumpCommand(client: Client, argv: string[]): void {
  const value = countLookup(client, client.db.get(argv[1] as string));
  if (value === undefined) client.reply.nil();
  else client.reply.bulk(createDumpPayload(value, client.server.settings));
}

// RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]
function restoreCommand(client: Client, argv: string[]): void {
  let replace = false;
  let absTtl = false;
  let idleSeconds = -1;
  let frequency = -1;
  for (let index = 4; index < argv.length; index += 1) {
    const word = argv[index] as string;
    const more = argv.length - index - 1;
    if (isKeyword(word, "REPLACE")) replace = true;
    else if (isKeyword(word, "ABSTTL")) absTtl = true;
    else if (isKeyword(word, "IDLETIME") && more >= 1 && frequency === -1) {
      idleSeconds = parseInteger(argv[index + 1] as string);
      if (idleSeconds < 0) throw new ReplyError("ERR Invalid IDLETIME value, must be >= 0");
      index += 1;
    } else if (isKeyword(word, "FREQ") && more >= 1 && idleSeconds === -1) {
      frequency = parseInteger(argv[index + 1] as string);
      if (frequency < 0 || frequency > 255) throw new ReplyError("ERR Invalid FREQ value, must be >= 0 and <= 255");
      index += 1;
    } else throw new ReplyError(ERRORS.syntax);
  }
  const key = argv[1] as string;
  const db = client.db;
  if (!replace && db.has(key)) throw new ReplyError("BUSYKEY Target key name already exists.");
  let ttl = parseInteger(argv[2] as string);
  if (ttl < 0) throw new ReplyError("ERR Invalid TTL value, must be >= 0");
  const payload = Buffer.from(argv[3] as string, "latin1");
  if (!verifyDumpPayload(payload, client.server.skipDumpChecksum))
    throw new ReplyError("ERR DUMP payload version or checksum are wrong");
  const value = decodeDumpPayload(payload);
  if (value === null) throw new ReplyError("ERR Bad data format");
  const deleted = replace && db.delete(key);
  const now = Date.now();
  if (ttl !== 0 && !absTtl) ttl += now;
  if (ttl !== 0 && ttl <= now && !client.server.loading) {
    // Already expired: nothing is created; a key REPLACE removed is propagated as DEL.
    if (deleted) {
      client.propagate(["DEL", key]);
      markDirty(client);
    }
    client.reply.ok();
    return;
  }
  db.set(key, value);
  if (ttl !== 0) {
    db.setExpire(key, ttl);
    if (!absTtl) {
      const rewritten = [...argv];
      rewritten[2] = String(ttl);
      rewritten.push("ABSTTL");
      client.propagate(rewritten);
    }
  }
  restoreAccess(client, key, idleSeconds, frequency);
  markDirty(client);
  client.reply.ok();
}

/** DUMP and RESTORE specs. */
export const DUMP_RESTORE_COMMANDS: readonly CommandSpec[] = [
  defineCommand({
    name: "dump",
    arity: 2,
    flags: ["readonly"],
    keys: [1, 1, 1],
    categories: ["@keyspace", "@read", "@slow"],
    handler: dumpCommand,
  }),
  defineCommand({
    name: "restore",
    arity: -4,
    flags: ["write", "denyoom"],
    keys: [1, 1, 1],
    categories: ["@keyspace", "@write", "@slow", "@dangerous"],
    handler: restoreCommand,
  }),
];
