// The key → value and key → expiry dicts of a database: a Map split into 1024 shards by a hash of the
// key. A V8 Map rehashes its whole table in one call when it grows or shrinks past a power of two,
// which blocks the event loop for as long as copying every entry takes: 14 ms at 64k keys, 250 ms at
// 1M, 680 ms at 2M on this project's VM (Redis avoids the same pause with incremental rehashing). A
// shard holds about 1/1024 of the keys, so its rehash copies a thousand entries at 1M keys and stays
// under a millisecond up to tens of millions. Shards are created on first use, so small databases cost
// little. Iterators chain the shards' live iterators and keep a Map iterator's guarantees: an entry
// present for the whole walk is visited exactly once, whatever is inserted or deleted meanwhile.

const SHARD_BITS = 10;
/** How many shards every ShardedMap has. */
export const SHARD_COUNT = 1 << SHARD_BITS;
const SHARD_MASK = SHARD_COUNT - 1;
/** Keys longer than this are hashed on their first and last HASHED_EDGE code units (plus length). */
const HASHED_EDGE = 32;

/** The shard of `key` (0 .. SHARD_COUNT-1): FNV-1a over (at most) its first and last 32 code units and its length. */
export function shardOf(key: string): number {
  const length = key.length;
  let hash = 0x811c9dc5 ^ length;
  if (length <= 2 * HASHED_EDGE) {
    for (let index = 0; index < length; index++) hash = Math.imul(hash ^ key.charCodeAt(index), 0x01000193);
  } else {
    for (let index = 0; index < HASHED_EDGE; index++) hash = Math.imul(hash ^ key.charCodeAt(index), 0x01000193);
    for (let index = length - HASHED_EDGE; index < length; index++)
      hash = Math.imul(hash ^ key.charCodeAt(index), 0x01000193);
  }
  return (hash ^ (hash >>> 16)) & SHARD_MASK;
}

type Walk = "keys" | "values" | "entries";

// Walks the shards in order with each shard's own live iterator (of the same kind), taken when the walk
// reaches it.
class ShardedIterator<V, R> implements IterableIterator<R> {
  private shard = -1;
  private inner: Iterator<R> | null = null;
  private readonly shards: readonly (Map<string, V> | undefined)[];
  private readonly walk: Walk;

  constructor(shards: readonly (Map<string, V> | undefined)[], walk: Walk) {
    this.shards = shards;
    this.walk = walk;
  }

  next(): IteratorResult<R> {
    for (;;) {
      if (this.inner !== null) {
        const step = this.inner.next();
        if (step.done !== true) return step;
        this.inner = null;
      }
      this.shard += 1;
      if (this.shard >= SHARD_COUNT) return { done: true, value: undefined };
      const map = this.shards[this.shard];
      if (map !== undefined && map.size !== 0) this.inner = map[this.walk]() as unknown as Iterator<R>;
    }
  }

  [Symbol.iterator](): IterableIterator<R> {
    return this;
  }
}

/** The subset of Map<string, V> the keyspace uses, without whole-table rehash pauses. */
export class ShardedMap<V> implements Iterable<[string, V]> {
  private readonly shards: (Map<string, V> | undefined)[] = new Array<Map<string, V> | undefined>(SHARD_COUNT).fill(
    undefined,
  );
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(key: string): V | undefined {
    const shard = this.shards[shardOf(key)];
    return shard === undefined ? undefined : shard.get(key);
  }

  has(key: string): boolean {
    const shard = this.shards[shardOf(key)];
    return shard !== undefined && shard.has(key);
  }

  set(key: string, value: V): this {
    const index = shardOf(key);
    let shard = this.shards[index];
    if (shard === undefined) {
      shard = new Map();
      this.shards[index] = shard;
    }
    const before = shard.size;
    shard.set(key, value);
    this.count += shard.size - before;
    return this;
  }

  delete(key: string): boolean {
    const shard = this.shards[shardOf(key)];
    if (shard === undefined || !shard.delete(key)) return false;
    this.count -= 1;
    return true;
  }

  /** Shard `index`'s live Map, or undefined while no key ever went there (walks in shard order use it). */
  shardAt(index: number): Map<string, V> | undefined {
    return this.shards[index];
  }

  /** Empties every shard (live iterators then end, as a Map's do). */
  clear(): void {
    for (const shard of this.shards) shard?.clear();
    this.count = 0;
  }

  keys(): IterableIterator<string> {
    return new ShardedIterator<V, string>(this.shards, "keys");
  }

  values(): IterableIterator<V> {
    return new ShardedIterator<V, V>(this.shards, "values");
  }

  entries(): IterableIterator<[string, V]> {
    return new ShardedIterator<V, [string, V]>(this.shards, "entries");
  }

  [Symbol.iterator](): IterableIterator<[string, V]> {
    return this.entries();
  }
}
