// The bitmap helpers against plain Buffer mirrors: popcount and firstBit (word-skipping, any
// alignment) agree with a bit-by-bit count and search; a ByteRope stays equal to a Buffer through
// random edits, growth past its capacity and ranged reads, and never changes a root it handed out.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { firstBit, popcount } from "../../../src/engine/bitmaps/bit-scan.ts";
import { ByteRope, ROPE_CHUNK } from "../../../src/engine/bitmaps/byte-rope.ts";

function naiveFirstBit(bytes: Uint8Array, bit: 0 | 1, start: number, end: number): number {
  for (let position = start * 8; position < end * 8; position += 1) {
    if ((((bytes[position >> 3] as number) >> (7 - (position & 7))) & 1) === bit) return position - start * 8;
  }
  return bit === 1 ? -1 : (end - start) * 8;
}

describe("bit scanning", () => {
  it("popcount and firstBit match a bit-by-bit reference at any offset", () => {
    const bytes = fc
      .uint8Array({ maxLength: 80 })
      .chain((data) =>
        fc.tuple(
          fc.constant(data),
          fc.nat({ max: data.length }),
          fc.nat({ max: data.length }),
          fc.nat({ max: 3 }),
          fc.constantFrom<0 | 1>(0, 1),
          fc.constantFrom(0, 0xff),
        ),
      );
    fc.assert(
      fc.property(bytes, ([data, a, b, shift, bit, fill]) => {
        // Mostly-uniform data exercises the word-skipping path; `shift` changes the alignment.
        const buffer = new Uint8Array(data.length + shift);
        buffer.fill(fill);
        for (let index = 0; index < data.length; index += 3) buffer[shift + index] = data[index] as number;
        const view = buffer.subarray(shift);
        const [start, end] = a <= b ? [a, b] : [b, a];
        let ones = 0;
        for (let index = start; index < end; index += 1)
          for (let value = view[index] as number; value !== 0; value &= value - 1) ones += 1;
        expect(popcount(view, start, end)).toBe(ones);
        expect(firstBit(view, bit, start, end)).toBe(naiveFirstBit(view, bit, start, end));
      }),
      { seed: 42, numRuns: 500 },
    );
  });
});

describe("ByteRope", () => {
  it("stays equal to a Buffer through random byte edits, growth and ranged reads", () => {
    const initial = Buffer.alloc(3 * ROPE_CHUNK + 17, 0x5a);
    const mirror: number[] = [...initial];
    const rope = ByteRope.fromString(initial.toString("latin1"));
    let seed = 3;
    const random = (bound: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % bound;
    };
    const roots: [string, string][] = [];
    for (let step = 0; step < 3000; step += 1) {
      if (step % 500 === 0) {
        const grown = mirror.length + random(9 * ROPE_CHUNK);
        rope.grow(grown);
        while (mirror.length < grown) mirror.push(0);
      }
      const index = random(mirror.length);
      const byte = random(256);
      rope.setByte(index, byte);
      mirror[index] = byte;
      if (step % 300 === 0) {
        const root = rope.root;
        roots.push([root, Buffer.from(mirror).toString("latin1")]);
        const from = random(mirror.length);
        const to = from + random(mirror.length - from);
        expect(Buffer.from(rope.read(from, to))).toEqual(Buffer.from(mirror.slice(from, to)));
        expect(rope.byteAt(index)).toBe(byte);
      }
    }
    expect(rope.length).toBe(mirror.length);
    expect(rope.root).toBe(Buffer.from(mirror).toString("latin1"));
    // Earlier roots (what a snapshot may still hold) kept their contents.
    for (const [root, expected] of roots) expect(root === expected).toBe(true);
  });
});
