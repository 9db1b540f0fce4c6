// The number of radix-tree nodes Redis's rax would use for a stream's node keys (XINFO STREAM
// radix-tree-nodes): keys are 16-byte big-endian IDs; a run of bytes shared by every key below a point
// is one compressed node, a point where keys part is one branching node, each key ends in a leaf node,
// and an empty tree is its root alone. Exact for trees built by appends, as streams are.
import type { StreamId } from "./stream-id.ts";

const KEY_BYTES = 16;

function toBytes(id: StreamId): Uint8Array {
  const bytes = new Uint8Array(KEY_BYTES);
  let rest = id;
  for (let index = KEY_BYTES - 1; index >= 0; index -= 1) {
    bytes[index] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return bytes;
}

// Nodes under a point at `depth`, for keys[from, to) (sorted, distinct, sharing bytes [0, depth)).
function countNodes(keys: readonly Uint8Array[], from: number, to: number, depth: number): number {
  if (depth === KEY_BYTES) return 1;
  const first = keys[from] as Uint8Array;
  const last = keys[to - 1] as Uint8Array;
  let shared = 0;
  while (depth + shared < KEY_BYTES && first[depth + shared] === last[depth + shared]) shared += 1;
  if (shared > 0) return 1 + countNodes(keys, from, to, depth + shared);
  let nodes = 1;
  let start = from;
  while (start < to) {
    const byte = (keys[start] as Uint8Array)[depth];
    let end = start + 1;
    while (end < to && (keys[end] as Uint8Array)[depth] === byte) end += 1;
    nodes += countNodes(keys, start, end, depth + 1);
    start = end;
  }
  return nodes;
}

/** Rax nodes holding these keys (ascending, distinct). */
export function raxNodeCount(ids: readonly StreamId[]): number {
  if (ids.length === 0) return 1;
  const keys = ids.map(toBytes);
  return countNodes(keys, 0, keys.length, 0);
}
