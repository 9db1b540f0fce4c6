// The stream value on its own: node listpack sizes equal the encoded listpacks byte for byte (so nodes
// split where Redis splits them), radix-tree node counts equal the ones redis-server 7.0.15 reported for
// the same keys, trimming and deletion keep Redis's tombstone rules, and pending-entry maps stay ordered
// while entries come and go during a walk.
import { describe, expect, it } from "vitest";
import { SortedIdMap } from "../../../src/engine/keyspace/sorted-id-map.ts";
import { makeId, parseStreamId } from "../../../src/engine/keyspace/stream-id.ts";
import { raxNodeCount } from "../../../src/engine/keyspace/stream-rax.ts";
import { StreamValue } from "../../../src/engine/keyspace/stream-value.ts";
import { encodeNode } from "../../../src/engine/persistence/rdb/stream-codec.ts";

const LIMITS = { maxBytes: 0, maxEntries: 0 };

describe("stream nodes", () => {
  it("track their listpack size exactly, whatever the field and value encodings", () => {
    const stream = new StreamValue();
    const values = [
      "",
      "0",
      "127",
      "128",
      "-1",
      "4095",
      "-4096",
      "4096",
      "32767",
      "-32769",
      "8388607",
      "2147483647",
      "9223372036854775807",
      "-9223372036854775808",
      "9223372036854775808",
      "007",
      "x".repeat(63),
      "y".repeat(64),
      "z".repeat(4095),
      "w".repeat(4096),
      "\u0000\u00ff",
    ];
    let seq = 0n;
    for (const value of values) {
      stream.append(makeId(5n, (seq += 1n)), ["f", value], 0, LIMITS);
      stream.append(makeId(5n, (seq += 1n)), [value, "v", "g", value], 0, LIMITS);
    }
    // Deltas that wrap around 64 bits, and a deleted entry (its flag changes, its size does not).
    stream.append(makeId((1n << 64n) - 1n, 0n), ["f", "v"], 0, LIMITS);
    stream.delete(makeId(5n, 3n));
    const node = stream.nodes[0];
    expect(stream.nodes).toHaveLength(1);
    expect(node?.bytes).toBe(encodeNode(node!).length);
  });

  it("split on stream-node-max-entries and on stream-node-max-bytes as streamAppendItem does", () => {
    const byEntries = new StreamValue();
    for (let index = 1n; index <= 10n; index += 1n)
      byEntries.append(makeId(index, 0n), ["f", "v"], 0, { maxBytes: 4096, maxEntries: 4 });
    expect(byEntries.nodes.map((node) => node.entries.length)).toEqual([4, 4, 2]);
    const byBytes = new StreamValue();
    for (let index = 1n; index <= 6n; index += 1n)
      byBytes.append(makeId(index, 0n), ["f", "v".repeat(40)], 0, { maxBytes: 100, maxEntries: 100 });
    // The first node holds the master entry and one 40-byte value (≈ 60 bytes); 60 + 41 ≥ 100 starts the next.
    expect(byBytes.nodes.every((node) => node.entries.length === 1)).toBe(true);
  });
});

describe("radix-tree-nodes", () => {
  it("matches what redis-server 7.0.15 reports for the same node keys", () => {
    const odd = (count: number): bigint[] =>
      Array.from({ length: count }, (_, index) => makeId(BigInt(index * 2 + 1), 0n));
    // Measured: XINFO STREAM after XADD 1-0..N-0 with stream-node-max-entries 2 (node keys 1, 3, 5, ...).
    expect(raxNodeCount([])).toBe(1);
    expect(raxNodeCount(odd(1))).toBe(2);
    expect(raxNodeCount(odd(2))).toBe(6);
    expect(raxNodeCount(odd(50))).toBe(102);
    expect(raxNodeCount(odd(150))).toBe(304);
    expect(raxNodeCount(odd(500))).toBe(1006);
  });
});

describe("trimming and deletion", () => {
  it("MAXLEN ~ drops whole nodes only; = marks tombstones in the first node", () => {
    const stream = new StreamValue();
    for (let index = 1n; index <= 10n; index += 1n)
      stream.append(makeId(index, 0n), ["f", "v"], 0, { maxBytes: 4096, maxEntries: 4 });
    expect(stream.trim({ strategy: "maxlen", maxlen: 5, minid: 0n, approx: true, limit: 0 })).toBe(4);
    expect(stream.length).toBe(6);
    expect(stream.trim({ strategy: "maxlen", maxlen: 5, minid: 0n, approx: false, limit: 0 })).toBe(1);
    expect(stream.nodes[0]?.deleted).toBe(1);
    expect(stream.firstId).toBe(makeId(6n, 0n));
  });

  it("keeps a node whose live entries all went while its last entry is a tombstone at or past MINID", () => {
    const stream = new StreamValue();
    for (let index = 1n; index <= 3n; index += 1n) stream.append(makeId(index, 0n), ["f", "v"], 0, LIMITS);
    stream.delete(makeId(3n, 0n));
    expect(stream.trim({ strategy: "minid", maxlen: 0, minid: makeId(3n, 0n), approx: false, limit: 0 })).toBe(2);
    expect(stream.length).toBe(0);
    expect(stream.nodes).toHaveLength(1);
    expect(stream.nodes[0]?.live).toBe(0);
  });

  it("drops a node when its last live entry is deleted", () => {
    const stream = new StreamValue();
    for (let index = 1n; index <= 3n; index += 1n)
      stream.append(makeId(index, 0n), ["f", "v"], 0, { maxBytes: 0, maxEntries: 2 });
    expect(stream.delete(makeId(3n, 0n))).toBe(true);
    expect(stream.nodes).toHaveLength(1);
    expect(stream.delete(makeId(3n, 0n))).toBe(false);
  });
});

describe("stream IDs", () => {
  it("parse as string2ull / strtoull do", () => {
    const parse = (text: string): string | null => {
      const parsed = parseStreamId(text, { strict: true, missingSeq: 0n });
      return parsed === null ? null : `${parsed.id >> 64n}-${parsed.id & ((1n << 64n) - 1n)}`;
    };
    expect(parse("5")).toBe("5-0");
    expect(parse("007-1")).toBe("7-1");
    expect(parse(" 12-1")).toBe("12-1");
    expect(parse("+3-1")).toBe("3-1");
    expect(parse("1--0")).toBe("1-0");
    expect(parse("1--5")).toBeNull();
    expect(parse("18446744073709551615-18446744073709551615")).toBe("18446744073709551615-18446744073709551615");
    expect(parse("18446744073709551616-0")).toBeNull();
    expect(parse("-")).toBeNull();
    expect(parse("0x10")).toBeNull();
    expect(parse("")).toBeNull();
  });
});

describe("SortedIdMap", () => {
  it("walks in order while entries are deleted and added during the walk", () => {
    const map = new SortedIdMap<string>();
    for (const id of [5n, 1n, 3n, 9n, 7n]) map.set(id, String(id));
    const seen: bigint[] = [];
    map.walkFrom(2n, (id) => {
      seen.push(id);
      if (id === 3n) {
        map.delete(5n);
        map.set(4n, "4");
        map.set(8n, "8");
      }
    });
    expect(seen).toEqual([3n, 4n, 7n, 8n, 9n]);
    expect(map.entries().map(([id]) => id)).toEqual([1n, 3n, 4n, 7n, 8n, 9n]);
    for (const id of [1n, 3n, 4n, 7n]) map.delete(id);
    expect([map.firstKey(), map.lastKey(), map.size]).toEqual([8n, 9n, 2]);
  });
});
