// The stream type, laid out as Redis 7.0 lays it out so that everything node-dependent matches:
// entries live in nodes (Redis's radix-tree keys, each a listpack with a master entry); a node takes
// entries until its listpack would reach stream-node-max-bytes or it holds stream-node-max-entries;
// deleted entries stay as tombstones until their whole node goes; approximate trimming drops whole
// nodes only. Nodes are objects here, with their listpack size tracked element by element.
import { integerElementBytes, LISTPACK_OVERHEAD_BYTES, stringElementBytes } from "./listpack-size.ts";
import { ConsumerGroup } from "./stream-groups.ts";
import { idMs, idSeq, MAX_ID, MIN_ID, type StreamId } from "./stream-id.ts";

/** One entry; `fields` is null when the entry has its node's master fields (SAMEFIELDS). */
export interface StreamEntry {
  readonly id: StreamId;
  readonly fields: readonly string[] | null;
  readonly values: readonly string[];
  readonly deleted: boolean;
  /** Bytes of the entry in its node's listpack. */
  readonly bytes: number;
}

/** STREAM_LISTPACK_MAX_SIZE: a node never grows past 1 GB, whatever the configuration. */
export const STREAM_LISTPACK_MAX_SIZE = 1 << 30;

/** stream-node-max-bytes / stream-node-max-entries (0 = no limit). */
export interface StreamNodeLimits {
  readonly maxBytes: number;
  readonly maxEntries: number;
}

/** A trimming request (XADD / XTRIM MAXLEN or MINID). */
export interface TrimRequest {
  readonly strategy: "maxlen" | "minid";
  readonly maxlen: number;
  readonly minid: StreamId;
  /** "~": whole nodes only. */
  readonly approx: boolean;
  /** Most entries to delete; 0 = no limit. */
  readonly limit: number;
}

/** One radix-tree node of a stream: a master entry (ID and field names) and the entries after it. */
export class StreamNode {
  readonly masterId: StreamId;
  readonly masterFields: readonly string[];
  readonly entries: StreamEntry[];
  /** Entries not deleted / deleted (the master entry's count and deleted fields). */
  live = 0;
  deleted = 0;
  entryBytes = 0;
  private readonly masterFieldBytes: number;

  constructor(masterId: StreamId, masterFields: readonly string[], entries: StreamEntry[] = []) {
    this.masterId = masterId;
    this.masterFields = masterFields;
    this.entries = entries;
    let bytes = 0;
    for (const field of masterFields) bytes += stringElementBytes(field);
    this.masterFieldBytes = bytes;
  }

  /** The node's listpack size in bytes (lpBytes). */
  get bytes(): number {
    return (
      LISTPACK_OVERHEAD_BYTES +
      integerElementBytes(this.live) +
      integerElementBytes(this.deleted) +
      integerElementBytes(this.masterFields.length) +
      this.masterFieldBytes +
      integerElementBytes(0) +
      this.entryBytes
    );
  }

  /** The field names of one of this node's entries. */
  fieldsOf(entry: StreamEntry): readonly string[] {
    return entry.fields ?? this.masterFields;
  }

  /** Whether an entry with these field names would share the master's (SAMEFIELDS). */
  sharesMasterFields(pairs: readonly string[], from: number): boolean {
    const count = (pairs.length - from) / 2;
    if (count !== this.masterFields.length) return false;
    for (let index = 0; index < count; index += 1)
      if (pairs[from + index * 2] !== this.masterFields[index]) return false;
    return true;
  }

  /** Index of the first entry whose ID is ≥ id (tombstones included). */
  lowerBound(id: StreamId): number {
    const entries = this.entries;
    let low = 0;
    let high = entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((entries[middle] as StreamEntry).id < id) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Appends an entry, counting its listpack bytes. */
  push(entry: StreamEntry): void {
    this.entries.push(entry);
    this.entryBytes += entry.bytes;
    if (entry.deleted) this.deleted += 1;
    else this.live += 1;
  }

  /** A copy whose entries array can change independently (entries themselves are immutable). */
  clone(): StreamNode {
    const copy = new StreamNode(this.masterId, this.masterFields, this.entries.slice());
    copy.live = this.live;
    copy.deleted = this.deleted;
    copy.entryBytes = this.entryBytes;
    return copy;
  }
}

/** Listpack bytes of one entry (flags, ID deltas, field names unless SAMEFIELDS, values, lp-count). */
export function entryBytes(
  masterId: StreamId,
  id: StreamId,
  fields: readonly string[] | null,
  values: readonly string[],
  flags: number,
): number {
  const count = values.length;
  let bytes = integerElementBytes(flags);
  bytes += integerElementBytes(BigInt.asIntN(64, idMs(id) - idMs(masterId)));
  bytes += integerElementBytes(BigInt.asIntN(64, idSeq(id) - idSeq(masterId)));
  if (fields !== null) {
    bytes += integerElementBytes(count);
    for (const field of fields) bytes += stringElementBytes(field);
  }
  for (const value of values) bytes += stringElementBytes(value);
  const lpCount = count + 3 + (fields === null ? 0 : count + 1);
  return bytes + integerElementBytes(lpCount);
}

/** The listpack flags of an entry. */
export function entryFlags(entry: StreamEntry): number {
  return (entry.deleted ? 1 : 0) | (entry.fields === null ? 2 : 0);
}

/** Visits an entry of a range walk; return false to stop. */
export type EntryVisitor = (entry: StreamEntry, node: StreamNode) => boolean | void;

/** A Redis stream. */
export class StreamValue {
  nodes: StreamNode[] = [];
  /** Entries not deleted. */
  length = 0;
  lastId: StreamId = MIN_ID;
  /** The first entry that is not a tombstone (0-0 when empty). */
  firstId: StreamId = MIN_ID;
  maxDeletedId: StreamId = MIN_ID;
  /** All-time count of entries added. */
  entriesAdded = 0n;
  /** Consumer groups by name, null until the first one is created. */
  groups: Map<string, ConsumerGroup> | null = null;

  /** Appends an entry with the given ID (checked by the caller to be > lastId); pairs[from..] alternate field, value. */
  append(id: StreamId, pairs: readonly string[], from: number, limits: StreamNodeLimits): void {
    let totalLength = 0;
    for (let index = from; index < pairs.length; index += 1) totalLength += (pairs[index] as string).length;
    let node = this.nodes[this.nodes.length - 1];
    if (node !== undefined) {
      const maxBytes =
        limits.maxBytes === 0 || limits.maxBytes > STREAM_LISTPACK_MAX_SIZE
          ? STREAM_LISTPACK_MAX_SIZE
          : limits.maxBytes;
      if (node.bytes + totalLength >= maxBytes) node = undefined;
      else if (limits.maxEntries !== 0 && node.live + node.deleted >= limits.maxEntries) node = undefined;
    }
    let sameFields: boolean;
    if (node === undefined) {
      const fields: string[] = [];
      for (let index = from; index < pairs.length; index += 2) fields.push(pairs[index] as string);
      node = new StreamNode(id, fields);
      this.nodes.push(node);
      sameFields = true;
    } else sameFields = node.sharesMasterFields(pairs, from);
    const fields: string[] | null = sameFields ? null : [];
    const values: string[] = [];
    for (let index = from; index < pairs.length; index += 2) {
      fields?.push(pairs[index] as string);
      values.push(pairs[index + 1] as string);
    }
    node.push({
      id,
      fields,
      values,
      deleted: false,
      bytes: entryBytes(node.masterId, id, fields, values, sameFields ? 2 : 0),
    });
    this.length += 1;
    this.entriesAdded += 1n;
    this.lastId = id;
    if (this.length === 1) this.firstId = id;
  }

  /** Index of the last node whose master ID is ≤ id, or -1. */
  nodeIndexFor(id: StreamId): number {
    const nodes = this.nodes;
    let low = 0;
    let high = nodes.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((nodes[middle] as StreamNode).masterId <= id) low = middle + 1;
      else high = middle;
    }
    return low - 1;
  }

  /** Visits the entries (not tombstones) with start ≤ ID ≤ end, ascending or (rev) descending. */
  forEachInRange(start: StreamId, end: StreamId, rev: boolean, visit: EntryVisitor): void {
    if (start > end) return;
    const nodes = this.nodes;
    if (!rev) {
      let nodeIndex = Math.max(0, this.nodeIndexFor(start));
      let entryIndex = nodeIndex < nodes.length ? (nodes[nodeIndex] as StreamNode).lowerBound(start) : 0;
      for (; nodeIndex < nodes.length; nodeIndex += 1, entryIndex = 0) {
        const node = nodes[nodeIndex] as StreamNode;
        const entries = node.entries;
        for (; entryIndex < entries.length; entryIndex += 1) {
          const entry = entries[entryIndex] as StreamEntry;
          if (entry.id > end) return;
          if (entry.deleted) continue;
          if (visit(entry, node) === false) return;
        }
      }
      return;
    }
    let nodeIndex = this.nodeIndexFor(end);
    if (nodeIndex < 0) return;
    const lastNode = nodes[nodeIndex] as StreamNode;
    let entryIndex = end === MAX_ID ? lastNode.entries.length - 1 : lastNode.lowerBound(end + 1n) - 1;
    for (; nodeIndex >= 0; nodeIndex -= 1) {
      const node = nodes[nodeIndex] as StreamNode;
      const entries = node.entries;
      if (entryIndex === Infinity) entryIndex = entries.length - 1;
      for (; entryIndex >= 0; entryIndex -= 1) {
        const entry = entries[entryIndex] as StreamEntry;
        if (entry.id < start) return;
        if (entry.deleted) continue;
        if (visit(entry, node) === false) return;
      }
      entryIndex = Infinity;
    }
  }

  /** The entry with this ID unless absent or deleted, with its node. */
  find(id: StreamId): { entry: StreamEntry; node: StreamNode } | null {
    const nodeIndex = this.nodeIndexFor(id);
    if (nodeIndex < 0) return null;
    const node = this.nodes[nodeIndex] as StreamNode;
    const entry = node.entries[node.lowerBound(id)];
    if (entry === undefined || entry.id !== id || entry.deleted) return null;
    return { entry, node };
  }

  /** Deletes one entry (leaving a tombstone, or dropping its node when it was the node's last live entry); true when it existed. */
  delete(id: StreamId): boolean {
    const nodeIndex = this.nodeIndexFor(id);
    if (nodeIndex < 0) return false;
    const node = this.nodes[nodeIndex] as StreamNode;
    const index = node.lowerBound(id);
    const entry = node.entries[index];
    if (entry === undefined || entry.id !== id || entry.deleted) return false;
    if (node.live === 1) this.nodes.splice(nodeIndex, 1);
    else {
      node.entries[index] = { ...entry, deleted: true };
      node.live -= 1;
      node.deleted += 1;
    }
    this.length -= 1;
    return true;
  }

  /** The first (or last) entry ID, tombstones skipped or not; null when there is none (streamGetEdgeID). */
  edgeId(first: boolean, skipTombstones: boolean): StreamId | null {
    const nodes = this.nodes;
    for (let step = 0; step < nodes.length; step += 1) {
      const node = nodes[first ? step : nodes.length - 1 - step] as StreamNode;
      const entries = node.entries;
      for (let offset = 0; offset < entries.length; offset += 1) {
        const entry = entries[first ? offset : entries.length - 1 - offset] as StreamEntry;
        if (!skipTombstones || !entry.deleted) return entry.id;
      }
    }
    return null;
  }

  /** The last entry that is not a tombstone (streamLastValidID); 0-0 when empty. */
  lastValidId(): StreamId {
    return this.edgeId(false, true) ?? MIN_ID;
  }

  /** Trims per streamTrim; returns the number of entries removed. */
  trim(request: TrimRequest): number {
    const { strategy, maxlen, minid, approx, limit } = request;
    let deleted = 0;
    while (this.nodes.length > 0) {
      if (strategy === "maxlen" && this.length <= maxlen) break;
      const node = this.nodes[0] as StreamNode;
      const entries = node.live;
      if (limit !== 0 && deleted + entries > limit) break;
      const lastEntry = node.entries[node.entries.length - 1];
      const removeNode =
        strategy === "maxlen" ? this.length - entries >= maxlen : lastEntry === undefined || lastEntry.id < minid;
      if (removeNode) {
        this.nodes.shift();
        this.length -= entries;
        deleted += entries;
        continue;
      }
      if (approx) break;
      const list = node.entries;
      for (let index = 0; index < list.length; index += 1) {
        const entry = list[index] as StreamEntry;
        if (strategy === "maxlen" ? this.length <= maxlen : entry.id >= minid) break;
        if (entry.deleted) continue;
        list[index] = { ...entry, deleted: true };
        node.live -= 1;
        node.deleted += 1;
        this.length -= 1;
        deleted += 1;
      }
      break;
    }
    if (this.length === 0) this.firstId = MIN_ID;
    else if (deleted > 0) this.firstId = this.edgeId(true, true) ?? MIN_ID;
    return deleted;
  }

  /** Whether [start, end] (null: open) may hold a tombstone (streamRangeHasTombstones). */
  rangeHasTombstones(start: StreamId | null, end: StreamId | null): boolean {
    if (this.length === 0 || this.maxDeletedId === MIN_ID) return false;
    if (this.firstId > this.maxDeletedId) return false;
    return (start ?? MIN_ID) <= this.maxDeletedId && this.maxDeletedId <= (end ?? MAX_ID);
  }

  /** The logical read counter of `id`, or -1 when it cannot be known (streamEstimateDistanceFromFirstEverEntry). */
  estimateDistanceFromFirstEverEntry(id: StreamId): bigint {
    if (this.entriesAdded === 0n) return 0n;
    if (this.length === 0 && id <= this.lastId) return this.entriesAdded;
    if (id === this.lastId) return this.entriesAdded;
    if (id > this.lastId) return -1n;
    if (this.maxDeletedId === MIN_ID || this.maxDeletedId < this.firstId) {
      if (id < this.firstId) return this.entriesAdded - BigInt(this.length);
      if (id === this.firstId) return this.entriesAdded - BigInt(this.length) + 1n;
    }
    return -1n;
  }

  /** The group of that name, or undefined. */
  group(name: string): ConsumerGroup | undefined {
    return this.groups?.get(name);
  }

  /** Creates a group unless the name is taken; the group, or null. */
  createGroup(name: string, lastId: StreamId, entriesRead: bigint): ConsumerGroup | null {
    if (this.groups === null) this.groups = new Map();
    if (this.groups.has(name)) return null;
    const group = new ConsumerGroup(lastId, entriesRead);
    this.groups.set(name, group);
    return group;
  }

  /** A deep copy (streamDup): same nodes, counters, groups, PELs and consumers. */
  clone(): StreamValue {
    const copy = new StreamValue();
    copy.nodes = this.nodes.map((node) => node.clone());
    copy.length = this.length;
    copy.lastId = this.lastId;
    copy.firstId = this.firstId;
    copy.maxDeletedId = this.maxDeletedId;
    copy.entriesAdded = this.entriesAdded;
    if (this.groups !== null) {
      copy.groups = new Map();
      for (const [name, group] of this.groups) copy.groups.set(name, group.clone());
    }
    return copy;
  }
}
