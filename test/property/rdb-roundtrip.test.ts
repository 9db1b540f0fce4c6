// Property: encoding any data set as an RDB and decoding it returns the same data set, for every
// combination of compression, checksum and encoding thresholds; damage is always detected.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Keyspace } from "../../src/engine/keyspace/keyspace.ts";
import { ListValue, StreamValue, ZSetValue, type StoredValue } from "../../src/engine/keyspace/values.ts";
import { RdbFormatError } from "../../src/engine/persistence/rdb/errors.ts";
import { loadRdbBuffer } from "../../src/engine/persistence/rdb/rdb-loader.ts";
import { encodeSnapshotRdb } from "../../src/engine/persistence/rdb/snapshot-writer.ts";

const bytes = (maxLength: number): fc.Arbitrary<string> =>
  fc.array(fc.integer({ min: 0, max: 255 }), { maxLength }).map((codes) => String.fromCharCode(...codes));
const intText = fc.oneof(
  fc.integer({ min: -300, max: 300 }).map(String),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String),
);
const element = fc.oneof(bytes(12), intText, bytes(200), fc.constantFrom("", "a".repeat(100), "0", "-0", "007"));
const score = fc.oneof(
  fc.double({ noNaN: true }),
  fc.integer({ min: -1000, max: 1000 }),
  fc.constantFrom(Infinity, -Infinity, 0.1, 1e21),
);

const value: fc.Arbitrary<StoredValue> = fc.oneof(
  element,
  fc.array(element, { minLength: 1, maxLength: 300 }).map((items) => new ListValue(items)),
  fc
    .uniqueArray(fc.tuple(element, element), { minLength: 1, maxLength: 150, selector: ([field]) => field })
    .map((pairs) => new Map(pairs)),
  fc.uniqueArray(fc.oneof(intText, element), { minLength: 1, maxLength: 100 }).map((members) => new Set(members)),
  fc.uniqueArray(intText, { minLength: 1, maxLength: 600 }).map((members) => new Set(members)),
  fc
    .uniqueArray(fc.tuple(element, score), { minLength: 1, maxLength: 150, selector: ([member]) => member })
    .map((pairs) => {
      const zset = new ZSetValue();
      for (const [member, memberScore] of pairs) zset.add(member, memberScore);
      return zset;
    }),
);

const entry = fc.record({
  db: fc.integer({ min: 0, max: 3 }),
  key: bytes(20),
  value,
  expireAtMs: fc.option(fc.integer({ min: Date.now() + 100_000, max: Date.now() + 10 ** 10 }), { nil: undefined }),
});

const options = fc.record({
  compression: fc.boolean(),
  checksum: fc.boolean(),
  encoding: fc.record({
    hashMaxListpackEntries: fc.constantFrom(0, 4, 128),
    hashMaxListpackValue: fc.constantFrom(0, 8, 64),
    zsetMaxListpackEntries: fc.constantFrom(0, 4, 128),
    zsetMaxListpackValue: fc.constantFrom(0, 8, 64),
    setMaxIntsetEntries: fc.constantFrom(0, 8, 512),
    listMaxListpackSize: fc.constantFrom(-5, -2, -1, 1, 3, 128),
  }),
});

function describeValue(stored: StoredValue): unknown {
  if (typeof stored === "string") return stored;
  if (stored instanceof ListValue) return ["list", stored.toArray()];
  if (stored instanceof Map) return ["hash", [...stored].sort()];
  if (stored instanceof Set) return ["set", [...stored].sort()];
  if (stored instanceof StreamValue) return ["stream", stored.clone()];
  return ["zset", stored.entries().map((item) => [item.member, Object.is(item.score, -0) ? 0 : item.score])];
}

function describeKeyspace(keyspace: Keyspace): unknown[] {
  return keyspace.databases.flatMap((database) =>
    [...database.dict.entries()]
      .map(([key, stored]) => [database.index, key, describeValue(stored), database.getExpire(key) ?? null])
      .sort(),
  );
}

describe("RDB encode → decode", () => {
  it("returns the same data set", () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 25 }), options, (entries, writeOptions) => {
        const keyspace = new Keyspace(4);
        for (const item of entries) {
          const database = keyspace.database(item.db);
          database.set(item.key, item.value);
          if (item.expireAtMs !== undefined) database.setExpire(item.key, item.expireAtMs);
        }
        const file = encodeSnapshotRdb(keyspace.beginSnapshot(), writeOptions);
        const loaded = new Keyspace(4);
        const result = loadRdbBuffer(file, loaded, { fileName: "p.rdb", nowMs: Date.now() });
        expect(result.bytesConsumed).toBe(file.length);
        expect(describeKeyspace(loaded)).toEqual(describeKeyspace(keyspace));
      }),
      { numRuns: 150 },
    );
  });

  it("detects truncation and (with a checksum) any flipped byte, always as RdbFormatError", () => {
    fc.assert(
      fc.property(
        fc.array(entry, { minLength: 1, maxLength: 8 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (entries, position, mask) => {
          const keyspace = new Keyspace(4);
          for (const item of entries) keyspace.database(item.db).set(item.key, item.value);
          const file = Buffer.from(encodeSnapshotRdb(keyspace.beginSnapshot(), { compression: true, checksum: true }));
          const cut = position % file.length;
          expect(() => loadRdbBuffer(file.subarray(0, cut), new Keyspace(4), { fileName: "p.rdb", nowMs: 0 })).toThrow(
            RdbFormatError,
          );
          const flipped = Buffer.from(file);
          flipped[cut] = flipped[cut]! ^ mask;
          expect(() => loadRdbBuffer(flipped, new Keyspace(4), { fileName: "p.rdb", nowMs: 0 })).toThrow(
            RdbFormatError,
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
