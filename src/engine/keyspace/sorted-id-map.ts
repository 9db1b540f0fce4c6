// An ordered map keyed by stream ID, for pending-entries lists (Redis keeps them in radix trees):
// a Map for lookups plus a sorted key array for ordered walks and range seeks. Deletions leave holes
// in the array that later inserts compact away, so acknowledging the oldest entries stays O(1).
import type { StreamId } from "./stream-id.ts";

/** IDs in ascending order with a value each. */
export class SortedIdMap<V> {
  private keys: StreamId[] = [];
  private readonly values = new Map<StreamId, V>();
  private holes = 0;
  // Bumped whenever `keys` is rebuilt or spliced, so a walk in progress knows to seek again.
  private version = 0;

  get size(): number {
    return this.values.size;
  }

  get(id: StreamId): V | undefined {
    return this.values.get(id);
  }

  has(id: StreamId): boolean {
    return this.values.has(id);
  }

  /** Inserts or replaces. */
  set(id: StreamId, value: V): void {
    if (this.values.has(id)) {
      this.values.set(id, value);
      return;
    }
    if (this.holes > 16 && this.holes * 2 > this.keys.length) this.compact();
    this.values.set(id, value);
    const keys = this.keys;
    const last = keys[keys.length - 1];
    if (last === undefined || id > last) {
      keys.push(id);
      return;
    }
    const index = this.lowerBound(id);
    if (keys[index] === id) {
      this.holes -= 1;
      return;
    }
    keys.splice(index, 0, id);
    this.version += 1;
  }

  /** Removes; true when it was there. */
  delete(id: StreamId): boolean {
    if (!this.values.delete(id)) return false;
    this.holes += 1;
    if (this.values.size === 0) this.clear();
    return true;
  }

  clear(): void {
    this.keys = [];
    this.values.clear();
    this.holes = 0;
    this.version += 1;
  }

  /** The smallest ID, or undefined when empty. */
  firstKey(): StreamId | undefined {
    for (const key of this.keys) if (this.values.has(key)) return key;
    return undefined;
  }

  /** The largest ID, or undefined when empty. */
  lastKey(): StreamId | undefined {
    for (let index = this.keys.length - 1; index >= 0; index -= 1) {
      const key = this.keys[index] as StreamId;
      if (this.values.has(key)) return key;
    }
    return undefined;
  }

  /**
   * Calls `visit` for each ID ≥ `from` in ascending order until it returns false. The map may change
   * during the walk (entries deleted or added); the walk continues after the last ID it visited.
   */
  walkFrom(from: StreamId, visit: (id: StreamId, value: V) => boolean | void): void {
    let index = this.lowerBound(from);
    let version = this.version;
    let lastVisited: StreamId | null = null;
    for (;;) {
      if (version !== this.version) {
        version = this.version;
        index = lastVisited === null ? this.lowerBound(from) : this.upperBound(lastVisited);
      }
      const key = this.keys[index];
      if (key === undefined) return;
      index += 1;
      const value = this.values.get(key);
      if (value === undefined) continue;
      lastVisited = key;
      if (visit(key, value) === false) return;
    }
  }

  /** All entries in ascending order (a copy). */
  entries(): [StreamId, V][] {
    const out: [StreamId, V][] = [];
    for (const key of this.keys) {
      const value = this.values.get(key);
      if (value !== undefined) out.push([key, value]);
    }
    return out;
  }

  private compact(): void {
    this.keys = this.keys.filter((key) => this.values.has(key));
    this.holes = 0;
    this.version += 1;
  }

  // First index whose key is ≥ id.
  private lowerBound(id: StreamId): number {
    let low = 0;
    let high = this.keys.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.keys[middle] as StreamId) < id) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  // First index whose key is > id.
  private upperBound(id: StreamId): number {
    let low = 0;
    let high = this.keys.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.keys[middle] as StreamId) <= id) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
