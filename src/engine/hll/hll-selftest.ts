// PFSELFTEST: checks the register packing (random values written and read back through the dense
// 6-bit layout) and the estimator (ten million distinct elements added to a dense and to a sparse
// HLL side by side: the sparse one stays sparse while small, both agree, and the error stays within
// six standard errors at every power of ten). Returns null when all pass, else Redis's message.
import {
  HLL_HEADER_SIZE,
  HLL_REGISTERS,
  HLL_REGISTER_MAX,
  HLL_SPARSE,
  getDenseRegister,
  setDenseRegister,
} from "./hll-dense.ts";
import { HllValue } from "./hll-value.ts";
import { patternOfBytes } from "./murmur-hash.ts";

const REGISTER_CYCLES = 1000;
const ELEMENTS = 10_000_000;

function checkRegisters(): string | null {
  const registers = new Uint8Array(HLL_HEADER_SIZE + (HLL_REGISTERS * 6) / 8 + 1);
  const expected = new Uint8Array(HLL_REGISTERS);
  for (let cycle = 0; cycle < REGISTER_CYCLES; cycle += 1) {
    for (let index = 0; index < HLL_REGISTERS; index += 1) {
      const value = Math.floor(Math.random() * 0x80000000) & HLL_REGISTER_MAX;
      expected[index] = value;
      setDenseRegister(registers, HLL_HEADER_SIZE, index, value);
    }
    for (let index = 0; index < HLL_REGISTERS; index += 1) {
      const value = getDenseRegister(registers, HLL_HEADER_SIZE, index);
      if (value !== expected[index])
        return `ERR TESTFAILED Register ${index} should be ${expected[index] as number} but is ${value}`;
    }
  }
  return null;
}

function checkEstimates(sparseMaxBytes: number): string | null {
  const dense = HllValue.create();
  dense.toDense();
  const sparse = HllValue.create();
  sparse.sparseMaxBytes = sparseMaxBytes;
  const relativeError = 1.04 / Math.sqrt(HLL_REGISTERS);
  const seedLow = Math.floor(Math.random() * 0x80000000);
  const seedHigh = Math.floor(Math.random() * 0x80000000);
  const element = new Uint8Array(8);
  const view = new DataView(element.buffer);
  view.setUint32(4, seedHigh, true);
  const pattern = { register: 0, count: 0 };
  let checkpoint = 1;
  for (let counter = 1; counter <= ELEMENTS; counter += 1) {
    view.setUint32(0, (counter ^ seedLow) >>> 0, true);
    patternOfBytes(element, 8, pattern);
    dense.set(pattern.register, pattern.count);
    sparse.set(pattern.register, pattern.count);
    if (counter !== checkpoint) continue;
    if (counter < sparseMaxBytes / 2 && sparse.encoding !== HLL_SPARSE)
      return "ERR TESTFAILED sparse encoding not used";
    const estimate = dense.count() as number;
    if (estimate !== sparse.count()) return "ERR TESTFAILED dense/sparse disagree";
    const maxError = counter === 10 ? 1 : Math.ceil(relativeError * 6 * checkpoint);
    const error = Math.abs(checkpoint - estimate);
    if (error > maxError) return `ERR TESTFAILED Too big error. card:${checkpoint} abserr:${error}`;
    checkpoint *= 10;
  }
  return null;
}

/** Runs both checks; null when they pass. */
export function runHllSelfTest(sparseMaxBytes: number): string | null {
  return checkRegisters() ?? checkEstimates(sparseMaxBytes);
}
