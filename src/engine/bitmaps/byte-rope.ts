// A large latin1 string edited byte by byte in O(log n): the bytes live in 4 KB leaf strings and a
// balanced tree of V8 concatenations joins them, so changing one byte rebuilds one leaf and the ~17
// concatenations above it instead of copying the whole string (SETBIT on a 128 MB bitmap: about 2 µs
// instead of 190 ms). `root` is an ordinary JS string equal to the whole value; it is what the key
// stores. Strings are never changed in place, so snapshots holding an older root stay valid.
import { latin1Write } from "../persistence/rdb/latin1.ts";

/** Bytes per leaf string. */
export const ROPE_CHUNK = 4096;

const BYTE_CHARS: readonly string[] = Array.from({ length: 256 }, (_, code) => String.fromCharCode(code));
const ZERO_CHUNK = "\0".repeat(ROPE_CHUNK);

/** The smallest power of two ≥ n (n ≥ 1). */
function capacityFor(leaves: number): number {
  let capacity = 1;
  while (capacity < leaves) capacity *= 2;
  return capacity;
}

/** A string as a tree of leaves: tree[capacity + i] is leaf i, tree[n] joins tree[2n] and tree[2n+1]. */
export class ByteRope {
  private tree: string[];
  private capacity: number;
  private size: number;
  private readonly pending: number[] = [];

  private constructor(leaves: string[], size: number) {
    this.size = size;
    this.capacity = capacityFor(Math.max(1, leaves.length));
    this.tree = new Array<string>(this.capacity * 2).fill("");
    for (let index = 0; index < leaves.length; index += 1) this.tree[this.capacity + index] = leaves[index] as string;
    this.joinAll();
  }

  /** A rope over an existing string: its leaves are slices that share the string's memory. */
  static fromString(text: string): ByteRope {
    const leaves: string[] = [];
    for (let start = 0; start < text.length; start += ROPE_CHUNK) leaves.push(text.slice(start, start + ROPE_CHUNK));
    return new ByteRope(leaves, text.length);
  }

  /** Length in bytes. */
  get length(): number {
    return this.size;
  }

  /** The whole value as one string (joins pending edits first). */
  get root(): string {
    this.joinPending();
    return this.tree[1] as string;
  }

  /** The byte at `index` (< length). */
  byteAt(index: number): number {
    const leaf = this.tree[this.capacity + Math.floor(index / ROPE_CHUNK)] as string;
    return leaf.charCodeAt(index % ROPE_CHUNK);
  }

  /** Replaces the byte at `index` (< length); the root is rebuilt lazily. */
  setByte(index: number, byte: number): void {
    const leafIndex = Math.floor(index / ROPE_CHUNK);
    const slot = this.capacity + leafIndex;
    const leaf = this.tree[slot] as string;
    const at = index % ROPE_CHUNK;
    if (leaf.charCodeAt(at) === byte) return;
    this.tree[slot] = leaf.slice(0, at) + (BYTE_CHARS[byte] as string) + leaf.slice(at + 1);
    this.pending.push(slot);
  }

  /** Pads with zero bytes up to `length` (no-op when already that long). */
  grow(length: number): void {
    if (length <= this.size) return;
    const firstLeaf = Math.floor(this.size / ROPE_CHUNK);
    const leafCount = Math.ceil(length / ROPE_CHUNK);
    if (leafCount > this.capacity) {
      this.joinPending();
      const leaves = this.tree.slice(this.capacity, this.capacity + firstLeaf + 1);
      this.capacity = capacityFor(leafCount);
      const tree = new Array<string>(this.capacity * 2).fill("");
      for (let index = 0; index < leaves.length; index += 1) tree[this.capacity + index] = leaves[index] as string;
      this.tree = tree;
      this.fillZeros(firstLeaf, leafCount, length);
      this.size = length;
      this.joinAll();
      return;
    }
    this.fillZeros(firstLeaf, leafCount, length);
    this.size = length;
  }

  /** Copies bytes [start, end) into a new buffer. */
  read(start: number, end: number): Buffer {
    const out = Buffer.allocUnsafe(Math.max(0, end - start));
    let position = start;
    while (position < end) {
      const leafIndex = Math.floor(position / ROPE_CHUNK);
      const leafStart = leafIndex * ROPE_CHUNK;
      const leaf = this.tree[this.capacity + leafIndex] as string;
      const from = position - leafStart;
      const to = Math.min(leaf.length, end - leafStart);
      latin1Write(out, from === 0 && to === leaf.length ? leaf : leaf.slice(from, to), position - start);
      position = leafStart + to;
    }
    return out;
  }

  // Leaves [from, to) padded with zeros so that the last one ends at `length`; queues their paths.
  private fillZeros(from: number, to: number, length: number): void {
    for (let leafIndex = from; leafIndex < to; leafIndex += 1) {
      const slot = this.capacity + leafIndex;
      const current = this.tree[slot] as string;
      const wanted = Math.min(ROPE_CHUNK, length - leafIndex * ROPE_CHUNK);
      if (current.length === wanted) continue;
      this.tree[slot] =
        current.length === 0 && wanted === ROPE_CHUNK
          ? ZERO_CHUNK
          : current + ZERO_CHUNK.slice(0, wanted - current.length);
      this.pending.push(slot);
    }
  }

  private joinAll(): void {
    this.pending.length = 0;
    for (let node = this.capacity - 1; node >= 1; node -= 1)
      this.tree[node] = (this.tree[node * 2] as string) + (this.tree[node * 2 + 1] as string);
  }

  // Rebuilds the concatenations above every edited leaf, each node once, lowest level first.
  private joinPending(): void {
    if (this.pending.length === 0) return;
    let level = [...new Set(this.pending)];
    this.pending.length = 0;
    while (level.length > 0 && (level[0] as number) > 1) {
      const parents = new Set<number>();
      for (const node of level) parents.add(node >> 1);
      level = [...parents];
      for (const node of level) this.tree[node] = (this.tree[node * 2] as string) + (this.tree[node * 2 + 1] as string);
    }
  }
}
