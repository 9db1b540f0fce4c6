// The snapshot's visited-key set: Set semantics against a reference Set, also past its expected size
// (overflow), across the small and big layouts, and with its tables allocated ahead or on first use.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ShardedKeySet } from "../../../src/engine/keyspace/sharded-key-set.ts";

describe("ShardedKeySet", () => {
  it("behaves like a Set for any keys, expected sizes and add orders", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 6 }), { maxLength: 300 }), fc.nat(400), fc.boolean(), (keys, expected, allocateAhead) => {
        const set = new ShardedKeySet(expected);
        if (allocateAhead) while (set.allocateNext());
        const reference = new Set<string>();
        for (const key of keys) {
          expect(set.tryAdd(key)).toBe(!reference.has(key));
          reference.add(key);
          expect(set.size).toBe(reference.size);
        }
        for (const key of keys) expect(set.has(key)).toBe(true);
        expect(set.has("\u0000absent")).toBe(reference.has("\u0000absent"));
      }),
    );
  });

  it("holds 200k keys in the big layout, twice its expected size, and forgets them on clear()", () => {
    const set = new ShardedKeySet(100_000);
    let segments = 0;
    while (set.allocateNext()) segments += 1;
    expect(segments).toBeGreaterThan(1);
    for (let i = 0; i < 200_000; i++) set.add(`key:${i}`);
    expect(set.size).toBe(200_000);
    for (let i = 0; i < 200_000; i += 997) expect(set.has(`key:${i}`)).toBe(true);
    expect(set.has("key:200000")).toBe(false);
    expect(set.tryAdd("key:5")).toBe(false);
    set.clear();
    expect(set.size).toBe(0);
    expect(set.has("key:5")).toBe(false);
  });
});
