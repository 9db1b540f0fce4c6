// Counting and searching bits in byte buffers, for BITCOUNT and BITPOS. Bit 0 is the most
// significant bit of byte 0, as in every Redis bit command.

/** Number of set bits in each byte value. */
const BYTE_POPCOUNT = Uint8Array.from({ length: 256 }, (_, value) => {
  let count = 0;
  for (let bits = value; bits !== 0; bits &= bits - 1) count += 1;
  return count;
});

// Set bits in a 32-bit word (SWAR).
function wordPopcount(word: number): number {
  let bits = word - ((word >>> 1) & 0x55555555);
  bits = (bits & 0x33333333) + ((bits >>> 2) & 0x33333333);
  bits = (bits + (bits >>> 4)) & 0x0f0f0f0f;
  return Math.imul(bits, 0x01010101) >>> 24;
}

/** Set bits in bytes [start, end) of `bytes`. */
export function popcount(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let count = 0;
  let index = start;
  // Bytes until the address is 4-aligned, then whole words, then the tail.
  while (index < end && (bytes.byteOffset + index) % 4 !== 0)
    count += BYTE_POPCOUNT[bytes[index++] as number] as number;
  const words = Math.floor((end - index) / 4);
  if (words > 0) {
    const view = new Int32Array(bytes.buffer, bytes.byteOffset + index, words);
    for (let word = 0; word < words; word += 1) count += wordPopcount(view[word] as number);
    index += words * 4;
  }
  while (index < end) count += BYTE_POPCOUNT[bytes[index++] as number] as number;
  return count;
}

/** Set bits in one byte. */
export function bytePopcount(byte: number): number {
  return BYTE_POPCOUNT[byte & 0xff] as number;
}

/**
 * Redis's redisBitpos over bytes [start, end): the bit index (from `start`) of the first bit equal
 * to `bit`; when none is found, -1 for bit 1, and the first bit past the range for bit 0 (the
 * right of a string counts as zero padding).
 */
export function firstBit(bytes: Uint8Array, bit: 0 | 1, start = 0, end = bytes.length): number {
  const skip = bit === 1 ? 0 : 0xff;
  let index = start;
  // Skip whole 32-bit words of the skipped pattern, once the address is 4-aligned.
  while (index < end && (bytes.byteOffset + index) % 4 !== 0 && bytes[index] === skip) index += 1;
  if (index < end && (bytes.byteOffset + index) % 4 === 0) {
    const words = Math.floor((end - index) / 4);
    const view = new Int32Array(bytes.buffer, bytes.byteOffset + index, words);
    const skipWord = bit === 1 ? 0 : -1;
    let word = 0;
    while (word < words && view[word] === skipWord) word += 1;
    index += word * 4;
  }
  for (; index < end; index += 1) {
    const byte = bytes[index] as number;
    if (byte === skip) continue;
    for (let position = 0; position < 8; position += 1) {
      if (((byte >> (7 - position)) & 1) === bit) return (index - start) * 8 + position;
    }
  }
  return bit === 1 ? -1 : (end - start) * 8;
}
