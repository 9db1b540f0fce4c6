// A set of key names sized up front, for snapshots to remember which keys their walk has emitted.
// It never rehashes and allocates almost nothing while it fills: up to 256 open-addressing segments
// (plain arrays of strings, linear probing), each allocated on first use at the size the expected key
// count needs. A growing JS Set was the problem it solves: one Set of a million keys stalls the loop each
// time it doubles, and 256 sharded Sets all double at about the same moment, so a scavenge then copies
// megabytes of young hash tables at once (10+ ms pauses during BGSAVE). Big segments are 256 KiB arrays,
// above V8's large-object threshold, so they are born in the old generation and no scavenge ever copies
// them. Keys beyond the expected count (written during the walk) go to a small overflow Set per segment.

const MAX_SEGMENT_BITS = 8;
/** Slots of a big segment: 2^15 × 8 bytes = 256 KiB, a large object (never copied by a scavenge). */
const BIG_SEGMENT_SLOTS = 1 << 15;
/** A segment takes keys in its table up to this share of its slots; the rest overflow. */
const MAX_LOAD = 0.7;
const MIN_SLOTS = 16;

/** FNV-1a over the UTF-16 code units of `key`. */
function hashKey(key: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index++) {
    hash ^= key.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash ^ (hash >>> 15)) >>> 0;
}

// One open-addressing table plus its overflow.
class Segment {
  readonly slots: (string | undefined)[];
  readonly mask: number;
  readonly limit: number;
  used = 0;
  overflow: Set<string> | null = null;

  constructor(size: number) {
    this.slots = new Array<string | undefined>(size).fill(undefined);
    this.mask = size - 1;
    this.limit = Math.floor(size * MAX_LOAD);
  }

  has(key: string, hash: number): boolean {
    const slots = this.slots;
    for (let at = (hash >>> MAX_SEGMENT_BITS) & this.mask; ; at = (at + 1) & this.mask) {
      const slot = slots[at];
      if (slot === undefined) return this.overflow?.has(key) === true;
      if (slot === key) return true;
    }
  }

  /** Adds a key known to be absent. */
  insert(key: string, hash: number): void {
    if (this.used >= this.limit) {
      (this.overflow ??= new Set()).add(key);
      return;
    }
    const slots = this.slots;
    let at = (hash >>> MAX_SEGMENT_BITS) & this.mask;
    while (slots[at] !== undefined) at = (at + 1) & this.mask;
    slots[at] = key;
    this.used += 1;
  }
}

/** Set<string> semantics (add, has, clear, size) without rehashing pauses. */
export class ShardedKeySet {
  private segments: (Segment | undefined)[];
  private readonly segmentCount: number;
  private readonly segmentSlots: number;
  private count = 0;

  /** `expectedKeys`: how many keys the set will most likely hold (its tables are sized for it). */
  constructor(expectedKeys = 0) {
    const slotsNeeded = Math.ceil(Math.max(expectedKeys, 1) / MAX_LOAD) + 1;
    if (slotsNeeded <= BIG_SEGMENT_SLOTS) {
      // Small: one table of the size needed (young, and cheap to copy).
      let slots = MIN_SLOTS;
      while (slots < slotsNeeded) slots *= 2;
      this.segmentCount = 1;
      this.segmentSlots = slots;
    } else {
      let count = 1;
      while (count < 1 << MAX_SEGMENT_BITS && count * BIG_SEGMENT_SLOTS < slotsNeeded) count *= 2;
      let slots = BIG_SEGMENT_SLOTS;
      while (count * slots < slotsNeeded) slots *= 2;
      this.segmentCount = count;
      this.segmentSlots = slots;
    }
    this.segments = new Array<Segment | undefined>(this.segmentCount).fill(undefined);
  }

  get size(): number {
    return this.count;
  }

  /**
   * Allocates the next not yet allocated segment; false once all are. Callers that must not stall call it
   * once per event-loop turn before filling the set: a first touch of megabytes of fresh memory costs
   * page faults (tens of ms for a million keys on a VM), which then spread over many turns.
   */
  allocateNext(): boolean {
    const index = this.segments.indexOf(undefined);
    if (index < 0) return false;
    this.segments[index] = new Segment(this.segmentSlots);
    return true;
  }

  has(key: string): boolean {
    if (this.count === 0) return false;
    const hash = hashKey(key);
    const segment = this.segments[hash & (this.segmentCount - 1)];
    return segment !== undefined && segment.has(key, hash);
  }

  add(key: string): void {
    this.tryAdd(key);
  }

  /** Adds `key`; false when it was already there (one hash and one probe for both questions). */
  tryAdd(key: string): boolean {
    const hash = hashKey(key);
    const index = hash & (this.segmentCount - 1);
    let segment = this.segments[index];
    if (segment === undefined) {
      segment = new Segment(this.segmentSlots);
      this.segments[index] = segment;
    } else if (segment.has(key, hash)) return false;
    segment.insert(key, hash);
    this.count += 1;
    return true;
  }

  clear(): void {
    this.segments = new Array<Segment | undefined>(this.segmentCount).fill(undefined);
    this.count = 0;
  }
}
