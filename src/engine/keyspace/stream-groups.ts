// Consumer groups of a stream (Redis's streamCG / streamConsumer / streamNACK): each group has a last
// delivered ID, a read counter, a pending-entries list (PEL) of delivered but unacknowledged IDs and
// its consumers; each consumer has its own PEL sharing the group's NACK objects.
import { SortedIdMap } from "./sorted-id-map.ts";
import type { StreamId } from "./stream-id.ts";

/** SCG_INVALID_ENTRIES_READ: the group's read counter is unknown. */
export const INVALID_ENTRIES_READ = -1n;

/** A delivery count: a number, or a bigint once beyond 2^53 (RETRYCOUNT and RDB values are 64-bit). */
export type DeliveryCount = number | bigint;

/** Adds one to a delivery count. */
export function incrementCount(count: DeliveryCount): DeliveryCount {
  if (typeof count === "bigint") return BigInt.asUintN(64, count + 1n);
  return count < Number.MAX_SAFE_INTEGER ? count + 1 : BigInt(count) + 1n;
}

/** One pending entry: when it was last delivered, how often, and to whom (null only while loading or FORCE-created). */
export class StreamNack {
  deliveryTime: number;
  deliveryCount: DeliveryCount;
  consumer: StreamConsumer | null;

  constructor(deliveryTime: number, deliveryCount: DeliveryCount, consumer: StreamConsumer | null) {
    this.deliveryTime = deliveryTime;
    this.deliveryCount = deliveryCount;
    this.consumer = consumer;
  }
}

/** A consumer of a group. */
export class StreamConsumer {
  readonly name: string;
  seenTime: number;
  readonly pel = new SortedIdMap<StreamNack>();

  constructor(name: string, seenTime: number) {
    this.name = name;
    this.seenTime = seenTime;
  }
}

/** A consumer group. */
export class ConsumerGroup {
  lastId: StreamId;
  /** Logical reads counter, INVALID_ENTRIES_READ when unknown. */
  entriesRead: bigint;
  readonly pel = new SortedIdMap<StreamNack>();
  readonly consumers = new Map<string, StreamConsumer>();

  constructor(lastId: StreamId, entriesRead: bigint) {
    this.lastId = lastId;
    this.entriesRead = entriesRead;
  }

  /** Consumers in name order (byte order, as Redis's radix tree keeps them). */
  sortedConsumers(): StreamConsumer[] {
    return [...this.consumers.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Creates a consumer unless it exists; the new consumer, or null. */
  createConsumer(name: string, now: number): StreamConsumer | null {
    if (this.consumers.has(name)) return null;
    const consumer = new StreamConsumer(name, now);
    this.consumers.set(name, consumer);
    return consumer;
  }

  /** Deletes a consumer and its pending entries (from the group PEL too); returns how many it had. */
  deleteConsumer(consumer: StreamConsumer): number {
    const pending = consumer.pel.size;
    consumer.pel.walkFrom(0n, (id) => {
      this.pel.delete(id);
    });
    this.consumers.delete(consumer.name);
    return pending;
  }

  /** Removes one pending entry from the group and its consumer; true when it was pending. */
  acknowledge(id: StreamId): boolean {
    const nack = this.pel.get(id);
    if (nack === undefined) return false;
    this.pel.delete(id);
    nack.consumer?.pel.delete(id);
    return true;
  }

  /** A deep copy (NACKs stay shared between the copy's group PEL and its consumers' PELs). */
  clone(): ConsumerGroup {
    const copy = new ConsumerGroup(this.lastId, this.entriesRead);
    const nacks = new Map<StreamNack, StreamNack>();
    for (const [id, nack] of this.pel.entries()) {
      const duplicate = new StreamNack(nack.deliveryTime, nack.deliveryCount, null);
      nacks.set(nack, duplicate);
      copy.pel.set(id, duplicate);
    }
    for (const consumer of this.consumers.values()) {
      const duplicate = new StreamConsumer(consumer.name, consumer.seenTime);
      for (const [id, nack] of consumer.pel.entries()) {
        const shared = nacks.get(nack);
        if (shared === undefined) continue;
        shared.consumer = duplicate;
        duplicate.pel.set(id, shared);
      }
      copy.consumers.set(consumer.name, duplicate);
    }
    return copy;
  }
}

/** Groups in name order (byte order). */
export function sortedGroups(groups: ReadonlyMap<string, ConsumerGroup> | null): [string, ConsumerGroup][] {
  if (groups === null) return [];
  return [...groups.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
