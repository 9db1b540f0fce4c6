// Decimal digits of non-negative integers written straight into byte buffers, by hand: cheaper than
// String() plus an encoding write on the load generator's and the history writer's hot paths.

/** How many decimal digits a non-negative integer has (comparisons: no division in the common range). */
export function decimalDigits(value: number): number {
  if (value < 100_000) return value < 10 ? 1 : value < 100 ? 2 : value < 1000 ? 3 : value < 10_000 ? 4 : 5;
  if (value < 1_000_000_000) return value < 1_000_000 ? 6 : value < 10_000_000 ? 7 : value < 100_000_000 ? 8 : 9;
  let digits = 10;
  for (let v = Math.floor(value / 1e10); v >= 1; v = Math.floor(v / 10)) digits++;
  return digits;
}

/** Writes the `digits` decimal digits of a non-negative integer at `at` (by hand: cheaper than String + write); returns the end. */
export function writeDecimal(buffer: Uint8Array, at: number, value: number, digits: number): number {
  let digitAt = at + digits - 1;
  if (value <= 0x7fffffff) {
    // int32 arithmetic: a truncating division by a constant compiles to a multiply, not a float division.
    for (let v = value | 0; digitAt >= at; ) {
      const quotient = (v / 10) | 0;
      buffer[digitAt--] = 48 + v - quotient * 10;
      v = quotient;
    }
  } else {
    for (let v = value; digitAt >= at; v = Math.floor(v / 10)) buffer[digitAt--] = 48 + (v % 10);
  }
  return at + digits;
}
