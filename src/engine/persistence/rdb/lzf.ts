// LZF compression as liblzf formats it (the format Redis stores compressed strings in).
// A control byte c < 32 starts a run of c+1 literal bytes; otherwise it is a back reference of
// length (c >> 5) + 2 (when c >> 5 == 7 the next byte adds to the length) at distance
// ((c & 0x1f) << 8) + next byte + 1 behind the output position.

const HASH_LOG = 14;
const HASH_SIZE = 1 << HASH_LOG;
const MAX_LITERAL = 32;
const MAX_OFFSET = 1 << 13;
const MAX_REFERENCE = (1 << 8) + (1 << 3);

// Reused between calls (the engine is single-threaded); entries hold position + 1, 0 = empty.
const hashTable = new Int32Array(HASH_SIZE);
let tableGeneration = 0;
const tableStamp = new Int32Array(HASH_SIZE);

/**
 * Compresses input[0, inputLength) into output[0, outputLength) (default: the whole arrays; explicit
 * lengths spare the caller a subarray per call); returns the compressed length, or 0 when the result
 * would not fit (the caller then stores the data uncompressed, as Redis does).
 */
export function lzfCompress(
  input: Uint8Array,
  output: Uint8Array,
  inputLength = input.length,
  outputLength = output.length,
): number {
  if (inputLength === 0) return 0;
  tableGeneration += 1;
  if (tableGeneration === 0x7fffffff) {
    tableStamp.fill(0);
    tableGeneration = 1;
  }
  const generation = tableGeneration;
  let inIndex = 0;
  let outIndex = 1; // room for the first literal control byte
  let literal = 0;
  if (outputLength < 2) return 0;
  while (inIndex < inputLength - 2) {
    const hash =
      (((input[inIndex]! << 16) | (input[inIndex + 1]! << 8) | input[inIndex + 2]!) * 2654435761) >>> (32 - HASH_LOG);
    const candidate = tableStamp[hash] === generation ? hashTable[hash]! : -1;
    hashTable[hash] = inIndex;
    tableStamp[hash] = generation;
    const distance = inIndex - candidate - 1;
    if (
      candidate >= 0 &&
      distance < MAX_OFFSET &&
      input[candidate] === input[inIndex] &&
      input[candidate + 1] === input[inIndex + 1] &&
      input[candidate + 2] === input[inIndex + 2]
    ) {
      let matchLength = 2;
      const maxLength = Math.min(inputLength - inIndex - 2, MAX_REFERENCE);
      // The match may overlap the current position; liblzf allows it.
      do matchLength += 1;
      while (matchLength < maxLength && input[candidate + matchLength] === input[inIndex + matchLength]);
      // Close the literal run.
      if (literal === 0) outIndex -= 1;
      else output[outIndex - literal - 1] = literal - 1;
      const encodedLength = matchLength - 2;
      if (outIndex + 3 + 1 >= outputLength) return 0;
      if (encodedLength < 7) {
        output[outIndex++] = (distance >>> 8) + (encodedLength << 5);
      } else {
        output[outIndex++] = (distance >>> 8) + (7 << 5);
        output[outIndex++] = encodedLength - 7;
      }
      output[outIndex++] = distance & 0xff;
      literal = 0;
      outIndex += 1; // control byte of the next literal run
      inIndex += matchLength;
      if (inIndex >= inputLength - 2) break;
      // Hash the last two positions of the match so later data can refer into it.
      for (let back = inIndex - 2; back < inIndex; back += 1) {
        const h =
          (((input[back]! << 16) | (input[back + 1]! << 8) | input[back + 2]!) * 2654435761) >>> (32 - HASH_LOG);
        hashTable[h] = back;
        tableStamp[h] = generation;
      }
      continue;
    }
    if (outIndex >= outputLength) return 0;
    literal += 1;
    output[outIndex++] = input[inIndex++]!;
    if (literal === MAX_LITERAL) {
      output[outIndex - literal - 1] = literal - 1;
      literal = 0;
      outIndex += 1;
    }
  }
  while (inIndex < inputLength) {
    if (outIndex >= outputLength) return 0;
    literal += 1;
    output[outIndex++] = input[inIndex++]!;
    if (literal === MAX_LITERAL) {
      output[outIndex - literal - 1] = literal - 1;
      literal = 0;
      outIndex += 1;
    }
  }
  if (literal === 0) outIndex -= 1;
  else output[outIndex - literal - 1] = literal - 1;
  return outIndex;
}

/**
 * Decompresses input into a new array of exactly `expectedLength` bytes.
 * Throws a RangeError naming the problem when the data is malformed or the length does not match.
 */
export function lzfDecompress(input: Uint8Array, expectedLength: number): Uint8Array {
  const output = new Uint8Array(expectedLength);
  lzfDecompressInto(input, 0, input.length, output, expectedLength);
  return output;
}

/**
 * Decompresses input[inputStart, inputEnd) into output[0, expectedLength) (output may be longer:
 * a reused scratch buffer). Throws a RangeError naming the problem when the data is malformed.
 */
export function lzfDecompressInto(
  input: Uint8Array,
  inputStart: number,
  inputEnd: number,
  output: Uint8Array,
  expectedLength: number,
): void {
  let inIndex = inputStart;
  let outIndex = 0;
  while (inIndex < inputEnd) {
    const control = input[inIndex++]!;
    if (control < 32) {
      const count = control + 1;
      if (outIndex + count > expectedLength) throw new RangeError("LZF literal run overflows the declared length");
      if (inIndex + count > inputEnd) throw new RangeError("LZF literal run past the end of the compressed data");
      if (count < 16) {
        for (let index = 0; index < count; index += 1) output[outIndex + index] = input[inIndex + index]!;
      } else output.set(input.subarray(inIndex, inIndex + count), outIndex);
      inIndex += count;
      outIndex += count;
      continue;
    }
    let length = control >>> 5;
    if (length === 7) {
      if (inIndex >= inputEnd) throw new RangeError("LZF back reference cut short");
      length += input[inIndex++]!;
    }
    if (inIndex >= inputEnd) throw new RangeError("LZF back reference cut short");
    const from = outIndex - ((control & 0x1f) << 8) - input[inIndex++]! - 1;
    length += 2;
    if (from < 0) throw new RangeError("LZF back reference before the start of the output");
    if (outIndex + length > expectedLength) throw new RangeError("LZF back reference overflows the declared length");
    for (let index = 0; index < length; index += 1) output[outIndex + index] = output[from + index]!;
    outIndex += length;
  }
  if (outIndex !== expectedLength)
    throw new RangeError(`LZF data decompressed to ${outIndex} bytes, expected ${expectedLength}`);
}
