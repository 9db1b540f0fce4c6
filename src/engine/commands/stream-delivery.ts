// Reading a stream for XREAD and for a consumer group (streamReplyWithRange and
// streamReplyWithRangeFromConsumerPEL): entries after an ID, the group's last-delivered ID and read
// counter moved forward, pending entries created or handed to the reading consumer, and the commands
// that carry those changes to the AOF (XCLAIM ... LASTID, XGROUP SETID ... ENTRIESREAD, CREATECONSUMER).
import type { ReplyWriter } from "../resp/reply-writer.ts";
import { incrementCount, StreamNack, type ConsumerGroup, type StreamConsumer } from "../keyspace/stream-groups.ts";
import { formatId, MAX_ID, type StreamId } from "../keyspace/stream-id.ts";
import type { StreamValue } from "../keyspace/stream-value.ts";
import { encodeEntry } from "./stream-reply.ts";

/** One entry read: its ID and field/value pairs, or null pairs for a pending ID whose entry is gone. */
export interface ReadItem {
  readonly id: StreamId;
  readonly pairs: string[] | null;
}

/** The entries read from one stream, under its key. */
export interface ReadResult {
  readonly key: string;
  readonly items: ReadItem[];
}

/** A group read in progress: where it is, who reads, and the commands to propagate. */
export interface GroupRead {
  readonly key: string;
  readonly groupName: string;
  readonly group: ConsumerGroup;
  readonly consumer: StreamConsumer;
  readonly noack: boolean;
  readonly now: number;
  /** Commands for the AOF, appended to. */
  readonly propagate: string[][];
}

/** XCLAIM <key> <group> <consumer> 0 <id> TIME <ms> RETRYCOUNT <n> FORCE JUSTID LASTID <group last id> (streamPropagateXCLAIM). */
export function xclaimPropagation(
  key: string,
  groupName: string,
  group: ConsumerGroup,
  idText: string,
  nack: StreamNack,
): string[] {
  return [
    "XCLAIM",
    key,
    groupName,
    nack.consumer?.name ?? "",
    "0",
    idText,
    "TIME",
    String(nack.deliveryTime),
    "RETRYCOUNT",
    String(nack.deliveryCount),
    "FORCE",
    "JUSTID",
    "LASTID",
    formatId(group.lastId),
  ];
}

/** XGROUP SETID <key> <group> <last id> ENTRIESREAD <n> (streamPropagateGroupID). */
export function setIdPropagation(key: string, groupName: string, group: ConsumerGroup): string[] {
  return ["XGROUP", "SETID", key, groupName, formatId(group.lastId), "ENTRIESREAD", String(group.entriesRead)];
}

/** Entries with ID ≥ start, at most `count` (0 = all), no group involved. */
export function readPlain(stream: StreamValue, start: StreamId, count: number): ReadItem[] {
  const items: ReadItem[] = [];
  stream.forEachInRange(start, MAX_ID, false, (entry, node) => {
    items.push({ id: entry.id, pairs: encodeEntry(entry, node) });
    return count === 0 || items.length < count;
  });
  return items;
}

/** New entries for a group (ID ≥ start): moves the group forward and records pending entries unless NOACK. */
export function readForGroup(stream: StreamValue, read: GroupRead, start: StreamId, count: number): ReadItem[] {
  const { group, consumer } = read;
  const items: ReadItem[] = [];
  let propagateLastId = false;
  stream.forEachInRange(start, MAX_ID, false, (entry, node) => {
    if (entry.id > group.lastId) {
      if (group.entriesRead !== -1n && !stream.rangeHasTombstones(entry.id, null)) group.entriesRead += 1n;
      else if (stream.entriesAdded !== 0n) group.entriesRead = stream.estimateDistanceFromFirstEverEntry(entry.id);
      group.lastId = entry.id;
      if (read.noack) propagateLastId = true;
    }
    items.push({ id: entry.id, pairs: encodeEntry(entry, node) });
    if (!read.noack) {
      let nack = group.pel.get(entry.id);
      if (nack === undefined) {
        nack = new StreamNack(read.now, 1, consumer);
        group.pel.set(entry.id, nack);
      } else {
        nack.consumer?.pel.delete(entry.id);
        nack.consumer = consumer;
        nack.deliveryTime = read.now;
        nack.deliveryCount = 1;
      }
      consumer.pel.set(entry.id, nack);
      read.propagate.push(xclaimPropagation(read.key, read.groupName, group, formatId(entry.id), nack));
    }
    return count === 0 || items.length < count;
  });
  if (propagateLastId) read.propagate.push(setIdPropagation(read.key, read.groupName, group));
  return items;
}

/** A consumer's own pending entries with ID ≥ start (history): each delivered again, gone ones as null. */
export function readHistory(
  stream: StreamValue,
  consumer: StreamConsumer,
  start: StreamId,
  count: number,
  now: number,
): ReadItem[] {
  const items: ReadItem[] = [];
  consumer.pel.walkFrom(start, (id, nack) => {
    if (count !== 0 && items.length >= count) return false;
    const found = stream.find(id);
    if (found === null) items.push({ id, pairs: null });
    else {
      items.push({ id, pairs: encodeEntry(found.entry, found.node) });
      nack.deliveryTime = now;
      nack.deliveryCount = incrementCount(nack.deliveryCount);
    }
    return true;
  });
  return items;
}

/** Writes read items as an array of [id, [field, value, ...]] (null pairs as a null array). */
export function replyItems(reply: ReplyWriter, items: readonly ReadItem[]): void {
  reply.array(items.length);
  for (const item of items) {
    reply.array(2);
    reply.bulk(formatId(item.id));
    if (item.pairs === null) reply.nilArray();
    else reply.bulkArray(item.pairs);
  }
}

/** XREAD / XREADGROUP's reply: per stream [key, items] (RESP2), or a map key → items (RESP3). */
export function replyReadResults(reply: ReplyWriter, results: readonly ReadResult[]): void {
  if (reply.protocol === 3) reply.map(results.length);
  else reply.array(results.length);
  for (const result of results) {
    if (reply.protocol === 2) reply.array(2);
    reply.bulk(result.key);
    replyItems(reply, result.items);
  }
}
