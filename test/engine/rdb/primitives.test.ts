// The RDB primitives on their own: CRC64 (Jones, as Redis), LZF, listpack, intset, ziplist and
// zipmap blobs, and the string encodings of the byte writer/reader.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RdbByteReader } from "../../../src/engine/persistence/rdb/byte-reader.ts";
import { RdbByteWriter } from "../../../src/engine/persistence/rdb/byte-writer.ts";
import { createCrc64, crc64, crc64Value, updateCrc64 } from "../../../src/engine/persistence/rdb/crc64.ts";
import { RdbDecodeProblem } from "../../../src/engine/persistence/rdb/errors.ts";
import { decodeIntset, encodeIntset, toIntsetValues } from "../../../src/engine/persistence/rdb/intset.ts";
import { decodeListpack, encodeListpack } from "../../../src/engine/persistence/rdb/listpack.ts";
import { lzfCompress, lzfDecompress } from "../../../src/engine/persistence/rdb/lzf.ts";
import { decodeZiplist, encodeZiplist } from "../../../src/engine/persistence/rdb/ziplist.ts";
import { decodeZipmap, encodeZipmap } from "../../../src/engine/persistence/rdb/zipmap.ts";

const latin1String = (options: { maxLength?: number; minLength?: number } = {}): fc.Arbitrary<string> =>
  fc
    .array(fc.integer({ min: 0, max: 255 }), { maxLength: options.maxLength ?? 64, minLength: options.minLength ?? 0 })
    .map((codes) => String.fromCharCode(...codes));

describe("crc64", () => {
  it("gives Redis's check value for 123456789 (crc64.c: 0xe9c6d914c4b8d9ca)", () => {
    expect(crc64(Buffer.from("123456789")).toString(16)).toBe("e9c6d914c4b8d9ca");
    expect(crc64(new Uint8Array(0))).toBe(0n);
  });

  it("is the same fed in pieces as at once", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 0, max: 300 }), (bytes, cut) => {
        const split = Math.min(cut, bytes.length);
        const state = createCrc64();
        updateCrc64(state, bytes, 0, split);
        updateCrc64(state, bytes, split, bytes.length);
        return crc64Value(state) === crc64(bytes);
      }),
    );
  });
});

describe("lzf", () => {
  it("round-trips any input it manages to compress", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...[0, 1, 2, 97, 98, 255]), { maxLength: 3000 }), (codes) => {
        const input = Uint8Array.from(codes);
        const output = new Uint8Array(input.length + 16);
        const length = lzfCompress(input, output);
        if (length === 0) return input.length < 4;
        return Buffer.from(lzfDecompress(output.subarray(0, length), input.length)).equals(Buffer.from(input));
      }),
      { numRuns: 300 },
    );
  });

  it("compresses repetitive data well and refuses outputs that do not fit", () => {
    const input = Buffer.from("abc".repeat(2000));
    const output = new Uint8Array(input.length);
    const length = lzfCompress(input, output);
    expect(length).toBeGreaterThan(0);
    expect(length).toBeLessThan(200);
    expect(lzfCompress(Buffer.from("abcdefgh"), new Uint8Array(4))).toBe(0);
  });

  it("rejects malformed data with a clear error", () => {
    expect(() => lzfDecompress(Uint8Array.from([5, 1, 2]), 6)).toThrow(/past the end/);
    expect(() => lzfDecompress(Uint8Array.from([0x20, 0x10]), 4)).toThrow(/before the start/);
    expect(() => lzfDecompress(Uint8Array.from([0, 65]), 5)).toThrow(/expected 5/);
  });
});

describe("listpack", () => {
  it("stores canonical integers as integers with the smallest encoding, strings by length", () => {
    const blob = Buffer.from(
      encodeListpack([
        "5",
        "-1",
        "4095",
        "-4096",
        "32767",
        "8388607",
        "2147483647",
        "9223372036854775807",
        "07",
        "abc",
      ]),
    );
    expect(blob.readUInt32LE(0)).toBe(blob.length);
    expect(blob.readUInt16LE(4)).toBe(10);
    expect(blob[6]).toBe(5); // 7-bit uint
    expect(blob[8]! >> 5).toBe(0b110); // 13-bit int for -1
    expect(blob[blob.length - 1]).toBe(0xff);
    expect(decodeListpack(blob)).toEqual([
      "5",
      "-1",
      "4095",
      "-4096",
      "32767",
      "8388607",
      "2147483647",
      "9223372036854775807",
      "07",
      "abc",
    ]);
  });

  it("round-trips any elements, including long strings (12- and 32-bit lengths, multi-byte backlen)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(latin1String(), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String)), {
          maxLength: 40,
        }),
        (elements) => {
          return JSON.stringify(decodeListpack(encodeListpack(elements))) === JSON.stringify(elements);
        },
      ),
    );
    const long = ["a".repeat(100), "b".repeat(5000), "c".repeat(20_000)];
    expect(decodeListpack(encodeListpack(long))).toEqual(long);
  });

  it("reports corruption as RdbDecodeProblem", () => {
    const blob = Buffer.from(encodeListpack(["a", "b"]));
    expect(() => decodeListpack(blob.subarray(0, blob.length - 1))).toThrow(RdbDecodeProblem);
    const wrongCount = Buffer.from(blob);
    wrongCount.writeUInt16LE(3, 4);
    expect(() => decodeListpack(wrongCount)).toThrow(/says 3 elements/);
  });
});

describe("intset", () => {
  it("picks the narrowest width and sorts", () => {
    for (const [members, width] of [
      [["3", "1", "-2"], 2],
      [["1", "70000"], 4],
      [["1", "-9223372036854775808"], 8],
    ] as const) {
      const blob = Buffer.from(encodeIntset(toIntsetValues(members)!));
      expect(blob.readUInt32LE(0)).toBe(width);
      expect(decodeIntset(blob)).toEqual([...members].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)));
    }
    expect(toIntsetValues(["1", "x"])).toBeNull();
    expect(toIntsetValues(["01"])).toBeNull();
  });

  it("rejects unsorted or badly sized blobs", () => {
    const blob = Buffer.from(encodeIntset([1, 2]));
    blob.writeInt16LE(5, 8);
    expect(() => decodeIntset(blob)).toThrow(/sorted/);
    expect(() => decodeIntset(blob.subarray(0, 11))).toThrow(/bytes/);
  });
});

describe("ziplist and zipmap (formats of older Redis)", () => {
  it("round-trip with every integer encoding and long strings", () => {
    const elements = [
      "0",
      "12",
      "13",
      "-128",
      "127",
      "32767",
      "-8388608",
      "2147483647",
      "9223372036854775807",
      "",
      "s".repeat(63),
      "m".repeat(300),
      "l".repeat(20_000),
    ];
    expect(decodeZiplist(encodeZiplist(elements))).toEqual(elements);
    const pairs: [string, string][] = [
      ["k", "v"],
      ["long", "x".repeat(400)],
    ];
    expect(decodeZipmap(encodeZipmap(pairs))).toEqual(pairs);
  });
});

describe("byte writer and reader", () => {
  it("round-trips strings with int, LZF and raw encodings and lengths of every width", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(latin1String({ maxLength: 400 }), fc.integer().map(String), fc.constant("a".repeat(70_000))),
          { maxLength: 20 },
        ),
        fc.boolean(),
        (texts, compression) => {
          const writer = new RdbByteWriter({ compression });
          for (const text of texts) writer.rdbString(text);
          writer.rdbLength(2 ** 33);
          const reader = new RdbByteReader(writer.take());
          const back = texts.map(() => reader.string());
          return JSON.stringify(back) === JSON.stringify(texts) && reader.length() === 2 ** 33;
        },
      ),
    );
  });

  it("int-encodes exactly the canonical 32-bit integers", () => {
    const encodedLength = (text: string): number => {
      const writer = new RdbByteWriter({ compression: false });
      writer.rdbString(text);
      return writer.length;
    };
    expect(encodedLength("-128")).toBe(2);
    expect(encodedLength("32767")).toBe(3);
    expect(encodedLength("2147483647")).toBe(5);
    expect(encodedLength("2147483648")).toBe(11);
    expect(encodedLength("007")).toBe(4);
    expect(encodedLength("-0")).toBe(3);
  });
});
