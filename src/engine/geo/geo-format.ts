// Number formats of the geo replies and errors, digit for digit as Redis 7.0 prints them:
// distances with 4 decimals (fixedpoint_d2string: llrint of d × 10^4), coordinates as a long double
// "%.17Lf" with trailing zeros removed, and printf's "%f" in the invalid-coordinates error.
import { formatLongDoubleHuman, type LongDouble } from "../commands/long-double.ts";

// Rounds to the nearest integer, ties to even (C's llrint in the default rounding mode).
function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction < 0.5) return floor;
  if (fraction > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** A distance as Redis's addReplyDoubleDistance prints it: 4 decimals. */
export function formatDistance(distance: number): string {
  if (distance === 0) return "0.0000";
  const scaled = roundHalfEven(distance * 10000);
  const digits = BigInt(Math.abs(scaled)).toString().padStart(5, "0");
  return (scaled < 0 ? "-" : "") + digits.slice(0, -4) + "." + digits.slice(-4);
}

/** The exact binary value of a finite double as a long double. */
export function doubleAsLongDouble(value: number): LongDouble {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const negative = view.getUint32(0) >>> 31 === 1;
  const exponentBits = (view.getUint32(0) >>> 20) & 0x7ff;
  const fraction = (BigInt(view.getUint32(0) & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  if (exponentBits === 0) return { negative, mantissa: fraction, exponent: -1074 };
  return { negative, mantissa: fraction | (1n << 52n), exponent: exponentBits - 1075 };
}

/** A coordinate as addReplyHumanLongDouble prints it ("%.17Lf", trailing zeros removed). */
export function formatCoordinate(value: number): string {
  return formatLongDoubleHuman(doubleAsLongDouble(value));
}

/** printf("%f"): 6 decimals of the exact value, ties to even; "inf" / "-inf" / "nan". */
export function formatPrintfFixed(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value < 0 ? "-inf" : "inf";
  const { negative, mantissa, exponent } = doubleAsLongDouble(value);
  const scale = 1_000_000n;
  let scaled: bigint;
  if (exponent >= 0) scaled = (mantissa << BigInt(exponent)) * scale;
  else {
    const denominator = 1n << BigInt(-exponent);
    const numerator = mantissa * scale;
    scaled = numerator / denominator;
    const twice = (numerator % denominator) * 2n;
    if (twice > denominator || (twice === denominator && (scaled & 1n) === 1n)) scaled += 1n;
  }
  const text = scaled.toString().padStart(7, "0");
  return (negative ? "-" : "") + text.slice(0, -6) + "." + text.slice(-6);
}
