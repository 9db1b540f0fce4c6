// The database dict: Map semantics against a reference Map for any sequence of operations, and the
// live-iterator guarantee SCAN and snapshots rely on (an entry present for the whole walk is visited
// exactly once, whatever is inserted or deleted meanwhile).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ShardedMap } from "../../../src/engine/keyspace/sharded-map.ts";

const operation = fc.oneof(
  fc.record({ kind: fc.constant("set" as const), key: fc.string({ maxLength: 80 }), value: fc.integer() }),
  fc.record({ kind: fc.constant("delete" as const), key: fc.string({ maxLength: 80 }) }),
  fc.record({ kind: fc.constant("clear" as const) }),
);

describe("ShardedMap", () => {
  it("behaves like a Map for any operations (get, has, size, and the entries iterated)", () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 300 }), (operations) => {
        const map = new ShardedMap<number>();
        const reference = new Map<string, number>();
        for (const step of operations) {
          if (step.kind === "set") {
            map.set(step.key, step.value);
            reference.set(step.key, step.value);
          } else if (step.kind === "delete") {
            expect(map.delete(step.key)).toBe(reference.delete(step.key));
          } else {
            map.clear();
            reference.clear();
          }
          expect(map.size).toBe(reference.size);
        }
        for (const [key, value] of reference) {
          expect(map.get(key)).toBe(value);
          expect(map.has(key)).toBe(true);
        }
        expect(map.has("\u0000absent")).toBe(reference.has("\u0000absent"));
        const sorted = (entries: Iterable<[string, number]>): [string, number][] =>
          [...entries].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
        expect(sorted(map.entries())).toEqual(sorted(reference.entries()));
        expect([...map.keys()].sort()).toEqual([...reference.keys()].sort());
        expect([...map.values()].sort()).toEqual([...reference.values()].sort());
      }),
    );
  });

  it("spreads keys over many shards and visits every key present for the whole walk exactly once, while others come and go", () => {
    const map = new ShardedMap<number>();
    for (let i = 0; i < 20_000; i++) map.set(`key:${i}`, i);
    const seen = new Map<string, number>();
    let step = 0;
    for (const key of map.keys()) {
      seen.set(key, (seen.get(key) ?? 0) + 1);
      // Churn while walking: delete odd keys, add new ones, re-add a deleted one.
      if (step % 3 === 0) map.delete(`key:${((step * 7) % 20_000) | 1}`);
      map.set(`new:${step}`, step);
      if (step % 5 === 0) map.set(`key:${((step * 11) % 20_000) | 1}`, -1);
      step += 1;
      if (step > 200_000) throw new Error("the walk does not end");
    }
    for (let i = 0; i < 20_000; i += 2) expect(seen.get(`key:${i}`)).toBe(1);
  });

  it("ends live iterators on clear()", () => {
    const map = new ShardedMap<number>();
    for (let i = 0; i < 5000; i++) map.set(`k${i}`, i);
    const iterator = map.keys();
    iterator.next();
    map.clear();
    expect(iterator.next().done).toBe(true);
    expect(map.size).toBe(0);
  });
});
