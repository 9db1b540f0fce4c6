// A set of key names split over many small Sets by a string hash, so that growing it never rehashes
// one big table at once: a single Set of a million keys stalls the event loop for tens of ms each
// time it doubles, while 256 shards each double at 1/256 of the size, spread over the walk.
// Snapshots use it to remember which keys their walk has emitted.

const SHARD_BITS = 8;
const SHARD_MASK = (1 << SHARD_BITS) - 1;

/** FNV-1a over the UTF-16 code units of `key`, folded to a shard index. */
function shardOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index++) {
    hash ^= key.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash ^ (hash >>> SHARD_BITS) ^ (hash >>> 16)) & SHARD_MASK;
}

/** Set<string> semantics (add, has, clear, size) with bounded growth pauses. */
export class ShardedKeySet {
  private shards: Set<string>[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  has(key: string): boolean {
    if (this.count === 0) return false;
    return this.shards[shardOf(key)]?.has(key) === true;
  }

  add(key: string): void {
    if (this.shards.length === 0) this.shards = Array.from({ length: SHARD_MASK + 1 }, () => new Set<string>());
    const shard = this.shards[shardOf(key)] as Set<string>;
    const before = shard.size;
    shard.add(key);
    this.count += shard.size - before;
  }

  clear(): void {
    this.shards = [];
    this.count = 0;
  }
}
