// Reply shapes shared by the stream commands: an entry as [id, [field, value, ...]], ranges of entries,
// and the lag of a consumer group (streamReplyWithCGLag).
import type { ConsumerGroup } from "../keyspace/stream-groups.ts";
import { formatId } from "../keyspace/stream-id.ts";
import type { StreamEntry, StreamNode, StreamValue } from "../keyspace/stream-value.ts";
import type { ReplyWriter } from "../resp/reply-writer.ts";

/** The encoded reply of one entry. */
export function encodeEntry(entry: StreamEntry, node: StreamNode): string[] {
  const fields = node.fieldsOf(entry);
  const flat: string[] = new Array<string>(entry.values.length * 2);
  for (let index = 0; index < entry.values.length; index += 1) {
    flat[index * 2] = fields[index] as string;
    flat[index * 2 + 1] = entry.values[index] as string;
  }
  return flat;
}

/** Writes one entry as a two-element array. */
export function replyEntry(reply: ReplyWriter, entry: StreamEntry, node: StreamNode): void {
  reply.array(2);
  reply.bulk(formatId(entry.id));
  reply.bulkArray(encodeEntry(entry, node));
}

/** Writes entries collected by a range walk as one array. */
export function replyEntries(reply: ReplyWriter, entries: readonly { entry: StreamEntry; node: StreamNode }[]): void {
  reply.array(entries.length);
  for (const { entry, node } of entries) replyEntry(reply, entry, node);
}

/** Collects up to `count` (0 = all) entries of [start, end]. */
export function collectRange(
  stream: StreamValue,
  start: bigint,
  end: bigint,
  count: number,
  rev: boolean,
): { entry: StreamEntry; node: StreamNode }[] {
  const out: { entry: StreamEntry; node: StreamNode }[] = [];
  stream.forEachInRange(start, end, rev, (entry, node) => {
    out.push({ entry, node });
    return count === 0 || out.length < count;
  });
  return out;
}

/** The group's lag (entries not yet delivered), or null when it cannot be known. */
export function groupLag(stream: StreamValue, group: ConsumerGroup): bigint | null {
  if (stream.entriesAdded === 0n) return 0n;
  if (group.entriesRead !== -1n && !stream.rangeHasTombstones(group.lastId, null))
    return stream.entriesAdded - group.entriesRead;
  const read = stream.estimateDistanceFromFirstEverEntry(group.lastId);
  return read === -1n ? null : stream.entriesAdded - read;
}

/** Writes an integer or a null (RESP2 "$-1"). */
export function replyIntegerOrNil(reply: ReplyWriter, value: bigint | null): void {
  if (value === null) reply.nil();
  else reply.integer(value);
}
