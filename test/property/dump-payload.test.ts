// Property: a DUMP payload of any value verifies and decodes back to the same value (with and
// without compression); a payload with any byte changed is refused by the CRC64, and a payload whose
// CRC64 is made to match damaged bytes decodes or is refused ("Bad data format") but never throws.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createDumpPayload, decodeDumpPayload, verifyDumpPayload } from "../../src/engine/commands/dump-restore.ts";
import { loadConfig } from "../../src/engine/config/load-config.ts";
import { ListValue, ZSetValue, type StoredValue } from "../../src/engine/keyspace/values.ts";
import { crc64 } from "../../src/engine/persistence/rdb/crc64.ts";

const bytes = (maxLength: number): fc.Arbitrary<string> =>
  fc.array(fc.integer({ min: 0, max: 255 }), { maxLength }).map((codes) => String.fromCharCode(...codes));
const element = fc.oneof(
  bytes(12),
  fc.integer({ min: -300, max: 300 }).map(String),
  bytes(120),
  fc.constantFrom("", "a".repeat(100), "9223372036854775807", "-0"),
);

const value: fc.Arbitrary<StoredValue> = fc.oneof(
  element,
  fc.array(element, { minLength: 1, maxLength: 200 }).map((items) => new ListValue(items)),
  fc
    .uniqueArray(fc.tuple(element, element), { minLength: 1, maxLength: 100, selector: ([field]) => field })
    .map((pairs) => new Map(pairs)),
  fc.uniqueArray(element, { minLength: 1, maxLength: 100 }).map((members) => new Set(members)),
  fc
    .uniqueArray(fc.tuple(element, fc.oneof(fc.double({ noNaN: true }), fc.integer())), {
      minLength: 1,
      maxLength: 100,
      selector: ([member]) => member,
    })
    .map((pairs) => {
      const zset = new ZSetValue();
      for (const [member, score] of pairs) zset.add(member, score);
      return zset;
    }),
);

/** A comparable form of a value (sets and hashes sorted). */
function canonical(stored: StoredValue | null): unknown {
  if (stored === null || typeof stored === "string") return stored;
  if (stored instanceof ListValue) return { list: stored.toArray() };
  if (stored instanceof Map) return { hash: [...stored].sort() };
  if (stored instanceof Set) return { set: [...stored].sort() };
  if (!(stored instanceof ZSetValue)) throw new Error("the generator makes no streams");
  return { zset: stored.entries().map((entry) => [entry.member, Object.is(entry.score, -0) ? 0 : entry.score]) };
}

const settingsWith = (compression: boolean) => {
  const settings = loadConfig([]).settings;
  settings.rdbcompression = compression;
  return settings;
};

describe("DUMP payloads", () => {
  it("round-trip every value, with and without compression", () => {
    fc.assert(
      fc.property(value, fc.boolean(), (stored, compression) => {
        const payload = Buffer.from(createDumpPayload(stored, settingsWith(compression)), "latin1");
        expect(verifyDumpPayload(payload)).toBe(true);
        expect(canonical(decodeDumpPayload(payload))).toEqual(canonical(stored));
      }),
      { seed: 2512, numRuns: 300 },
    );
  });

  it("refuse a changed byte by checksum, and never throw on damage behind a matching checksum", () => {
    fc.assert(
      fc.property(value, fc.nat(), fc.integer({ min: 1, max: 255 }), (stored, at, flip) => {
        const payload = Buffer.from(createDumpPayload(stored, settingsWith(true)), "latin1");
        const damaged = Buffer.from(payload);
        const index = at % (damaged.length - 10);
        damaged[index] = (damaged[index] as number) ^ flip;
        expect(verifyDumpPayload(damaged)).toBe(false);
        damaged.writeBigUInt64LE(crc64(damaged.subarray(0, damaged.length - 8)), damaged.length - 8);
        expect(verifyDumpPayload(damaged)).toBe(true);
        expect(() => decodeDumpPayload(damaged)).not.toThrow();
      }),
      { seed: 2513, numRuns: 300 },
    );
  });
});
