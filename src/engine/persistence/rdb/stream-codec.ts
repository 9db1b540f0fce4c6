// Streams in the RDB (rdb.c, Redis 7.0): type 19 STREAM_LISTPACKS_2, which 7.0 writes, and type 15
// STREAM_LISTPACKS (Redis 5-6.2), which it still loads.
//
//   node count, then per node: the master ID as a 16-byte big-endian string and the node's listpack:
//     live count | deleted count | master field count | master fields... | 0
//     then per entry: flags | ms delta | seq delta | [field count] | field, value, ... (values alone with
//     the master's fields) | lp-count
//     (flags: 1 deleted, 2 same fields as the master entry; deltas are signed 64-bit, mod 2^64)
//   length, last ID (ms, seq); v2 only: first ID, max deleted ID, entries added (lengths, 64-bit)
//   group count, then per group: name, last ID, v2: entries read (-1 written as 2^64-1),
//     PEL: count, per entry raw 16-byte ID + delivery time (8-byte LE ms) + delivery count,
//     consumers: count, per consumer name + seen time (8-byte LE ms) + PEL of raw IDs.
import { StreamNack, sortedGroups } from "../../keyspace/stream-groups.ts";
import { idMs, idSeq, makeId, type StreamId } from "../../keyspace/stream-id.ts";
import { entryBytes, entryFlags, StreamNode, StreamValue, type StreamEntry } from "../../keyspace/stream-value.ts";
import type { RdbByteReader } from "./byte-reader.ts";
import type { RdbByteWriter } from "./byte-writer.ts";
import { RdbDecodeProblem } from "./errors.ts";
import { RDB_64BITLEN, RDB_TYPE_STREAM_LISTPACKS_2 } from "./format.ts";
import { decodeListpack, ListpackBuilder } from "./listpack.ts";

const FLAG_DELETED = 1;
const FLAG_SAMEFIELDS = 2;

// An RDB length that may use all 64 bits (IDs, counters).
function writeLength64(writer: RdbByteWriter, value: bigint): void {
  if (value <= 0xffffffffn) {
    writer.rdbLength(Number(value));
    return;
  }
  const bytes = Buffer.allocUnsafe(9);
  bytes[0] = RDB_64BITLEN;
  bytes.writeBigUInt64BE(BigInt.asUintN(64, value), 1);
  writer.bytes(bytes);
}

function readLength64(reader: RdbByteReader, what: string): bigint {
  if (reader.buffer[reader.position] === RDB_64BITLEN) {
    reader.position += 1;
    return reader.bytes(8, what).readBigUInt64BE(0);
  }
  return BigInt(reader.plainLength(what));
}

function rawId(id: StreamId): Buffer {
  const bytes = Buffer.allocUnsafe(16);
  bytes.writeBigUInt64BE(idMs(id), 0);
  bytes.writeBigUInt64BE(idSeq(id), 8);
  return bytes;
}

function readRawId(reader: RdbByteReader, what: string): StreamId {
  const bytes = reader.bytes(16, what);
  return makeId(bytes.readBigUInt64BE(0), bytes.readBigUInt64BE(8));
}

/** The listpack of one node, element for element as streamAppendItem builds it. */
export function encodeNode(node: StreamNode): Uint8Array {
  const builder = new ListpackBuilder();
  builder.append(String(node.live));
  builder.append(String(node.deleted));
  builder.append(String(node.masterFields.length));
  for (const field of node.masterFields) builder.append(field);
  builder.append("0");
  const masterMs = idMs(node.masterId);
  const masterSeq = idSeq(node.masterId);
  for (const entry of node.entries) {
    builder.append(String(entryFlags(entry)));
    builder.append(String(BigInt.asIntN(64, idMs(entry.id) - masterMs)));
    builder.append(String(BigInt.asIntN(64, idSeq(entry.id) - masterSeq)));
    const count = entry.values.length;
    const fields = entry.fields;
    if (fields !== null) builder.append(String(count));
    for (let index = 0; index < count; index += 1) {
      if (fields !== null) builder.append(fields[index] as string);
      builder.append(entry.values[index] as string);
    }
    builder.append(String(count + 3 + (entry.fields === null ? 0 : count + 1)));
  }
  return builder.finish();
}

/** Writes a stream value (after its type byte and key) as type 19. */
export function writeStream(writer: RdbByteWriter, stream: StreamValue): void {
  writer.rdbLength(stream.nodes.length);
  for (const node of stream.nodes) {
    writer.rdbStringBytes(rawId(node.masterId));
    writer.rdbStringBytes(encodeNode(node));
  }
  writer.rdbLength(stream.length);
  for (const id of [stream.lastId, stream.firstId, stream.maxDeletedId]) {
    writeLength64(writer, idMs(id));
    writeLength64(writer, idSeq(id));
  }
  writeLength64(writer, stream.entriesAdded);
  const groups = sortedGroups(stream.groups);
  writer.rdbLength(groups.length);
  for (const [name, group] of groups) {
    writer.rdbString(name);
    writeLength64(writer, idMs(group.lastId));
    writeLength64(writer, idSeq(group.lastId));
    writeLength64(writer, BigInt.asUintN(64, group.entriesRead));
    writer.rdbLength(group.pel.size);
    group.pel.walkFrom(0n, (id, nack) => {
      writer.bytes(rawId(id));
      writer.int64LE(nack.deliveryTime);
      writeLength64(writer, BigInt(nack.deliveryCount));
    });
    const consumers = group.sortedConsumers();
    writer.rdbLength(consumers.length);
    for (const consumer of consumers) {
      writer.rdbString(consumer.name);
      writer.int64LE(consumer.seenTime);
      writer.rdbLength(consumer.pel.size);
      consumer.pel.walkFrom(0n, (id) => {
        writer.bytes(rawId(id));
      });
    }
  }
}

// Reads the integer element at `index` of a node's listpack.
function integerAt(elements: readonly string[], index: number, what: string): bigint {
  const text = elements[index];
  if (text === undefined || !/^-?\d+$/.test(text))
    throw new RdbDecodeProblem(
      `stream listpack ${what} is ${text === undefined ? "missing" : `'${text}', not an integer`}`,
    );
  return BigInt(text);
}

// One node's listpack back into a StreamNode (streamValidateListpackIntegrity's checks on the way).
function decodeNode(masterId: StreamId, blob: Uint8Array): StreamNode {
  const elements = decodeListpack(blob);
  if (elements.length === 0) throw new RdbDecodeProblem("empty listpack inside stream");
  const live = integerAt(elements, 0, "entry count");
  const deleted = integerAt(elements, 1, "deleted count");
  const masterCount = Number(integerAt(elements, 2, "master field count"));
  if (masterCount < 0 || 3 + masterCount >= elements.length)
    throw new RdbDecodeProblem(`stream listpack master entry of ${masterCount} fields runs past the end`);
  const masterFields = elements.slice(3, 3 + masterCount);
  let at = 3 + masterCount;
  if (integerAt(elements, at, "master entry terminator") !== 0n)
    throw new RdbDecodeProblem("stream listpack master entry does not end with 0");
  at += 1;
  const node = new StreamNode(masterId, masterFields);
  const masterMs = idMs(masterId);
  const masterSeq = idSeq(masterId);
  const total = live + deleted;
  for (let count = 0n; count < total; count += 1n) {
    const flags = Number(integerAt(elements, at, "entry flags"));
    const id = makeId(
      masterMs + integerAt(elements, at + 1, "ms delta"),
      masterSeq + integerAt(elements, at + 2, "seq delta"),
    );
    at += 3;
    const sameFields = (flags & FLAG_SAMEFIELDS) !== 0;
    let fieldCount = masterCount;
    if (!sameFields) {
      fieldCount = Number(integerAt(elements, at, "entry field count"));
      at += 1;
    }
    // Same fields: the values alone; otherwise field and value interleaved.
    const width = sameFields ? 1 : 2;
    if (fieldCount < 0 || at + fieldCount * width > elements.length)
      throw new RdbDecodeProblem("stream entry runs past the end of the listpack");
    const fields: string[] | null = sameFields ? null : [];
    const values: string[] = [];
    for (let index = 0; index < fieldCount; index += 1) {
      if (fields !== null) fields.push(elements[at++] as string);
      values.push(elements[at++] as string);
    }
    const lpCount = integerAt(elements, at, "entry lp-count");
    at += 1;
    if (lpCount !== BigInt(fieldCount + 3 + (fields === null ? 0 : fieldCount + 1)))
      throw new RdbDecodeProblem(`stream entry lp-count ${lpCount} does not match its ${fieldCount} fields`);
    const entry: StreamEntry = {
      id,
      fields,
      values,
      deleted: (flags & FLAG_DELETED) !== 0,
      bytes: entryBytes(masterId, id, fields, values, flags),
    };
    node.push(entry);
  }
  if (at !== elements.length)
    throw new RdbDecodeProblem(`stream listpack has ${elements.length - at} elements after its last entry`);
  if (BigInt(node.live) !== live || BigInt(node.deleted) !== deleted) {
    throw new RdbDecodeProblem(
      `stream listpack header counts ${live} live and ${deleted} deleted entries but flags say ${node.live} and ${node.deleted}`,
    );
  }
  return node;
}

/** Reads a stream value of type 15 or 19 at the reader's position. */
export function readStream(reader: RdbByteReader, type: number): StreamValue {
  const stream = new StreamValue();
  const nodeCount = reader.plainLength("stream node count");
  for (let index = 0; index < nodeCount; index += 1) {
    const key = reader.blob("a stream node key");
    if (key.length !== 16)
      throw new RdbDecodeProblem(`stream node key is ${key.length} bytes, not the 16 of a stream ID`);
    const view = Buffer.from(key.buffer, key.byteOffset, key.byteLength);
    const masterId = makeId(view.readBigUInt64BE(0), view.readBigUInt64BE(8));
    const node = decodeNode(masterId, reader.blob("a stream node listpack"));
    const previous = stream.nodes[stream.nodes.length - 1];
    if (previous !== undefined && previous.masterId >= masterId)
      throw new RdbDecodeProblem("stream nodes are not in ascending ID order (or a node key repeats)");
    stream.nodes.push(node);
  }
  stream.length = Number(readLength64(reader, "stream length"));
  stream.lastId = makeId(readLength64(reader, "stream last ID"), readLength64(reader, "stream last ID"));
  if (type === RDB_TYPE_STREAM_LISTPACKS_2) {
    stream.firstId = makeId(readLength64(reader, "stream first ID"), readLength64(reader, "stream first ID"));
    stream.maxDeletedId = makeId(
      readLength64(reader, "stream max deleted ID"),
      readLength64(reader, "stream max deleted ID"),
    );
    stream.entriesAdded = readLength64(reader, "stream entries added");
  } else {
    stream.entriesAdded = BigInt(stream.length);
    stream.firstId = stream.edgeId(true, true) ?? 0n;
  }
  if (stream.length > 0 && stream.nodes.length === 0)
    throw new RdbDecodeProblem("stream length inconsistent with its nodes");
  const groupCount = reader.plainLength("stream group count");
  for (let index = 0; index < groupCount; index += 1) readGroup(reader, type, stream);
  return stream;
}

function readGroup(reader: RdbByteReader, type: number, stream: StreamValue): void {
  const name = reader.string("a consumer group name");
  const lastId = makeId(readLength64(reader, "group last ID"), readLength64(reader, "group last ID"));
  const entriesRead =
    type === RDB_TYPE_STREAM_LISTPACKS_2
      ? BigInt.asIntN(64, readLength64(reader, "group entries read"))
      : stream.estimateDistanceFromFirstEverEntry(lastId);
  const group = stream.createGroup(name, lastId, entriesRead);
  if (group === null) throw new RdbDecodeProblem(`duplicated consumer group name ${JSON.stringify(name)}`);
  const pelSize = reader.plainLength("group PEL size");
  for (let index = 0; index < pelSize; index += 1) {
    const id = readRawId(reader, "a PEL entry ID");
    const deliveryTime = reader.int64LE("a PEL delivery time");
    const count = readLength64(reader, "a PEL delivery count");
    if (group.pel.has(id)) throw new RdbDecodeProblem("duplicated global PEL entry in a consumer group");
    group.pel.set(
      id,
      new StreamNack(deliveryTime, count <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(count) : count, null),
    );
  }
  const consumerCount = reader.plainLength("group consumer count");
  for (let index = 0; index < consumerCount; index += 1) {
    const consumerName = reader.string("a consumer name");
    const consumer = group.createConsumer(consumerName, 0);
    if (consumer === null) throw new RdbDecodeProblem(`duplicate stream consumer ${JSON.stringify(consumerName)}`);
    consumer.seenTime = reader.int64LE("a consumer seen time");
    const ownSize = reader.plainLength("consumer PEL size");
    for (let entry = 0; entry < ownSize; entry += 1) {
      const id = readRawId(reader, "a consumer PEL entry ID");
      const nack = group.pel.get(id);
      if (nack === undefined) throw new RdbDecodeProblem("consumer PEL entry not found in the group's PEL");
      if (nack.consumer !== null)
        throw new RdbDecodeProblem("stream consumer PEL entry already has a consumer assigned");
      nack.consumer = consumer;
      consumer.pel.set(id, nack);
    }
  }
}
