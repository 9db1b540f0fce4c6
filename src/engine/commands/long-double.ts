// x87 80-bit long double arithmetic for INCRBYFLOAT and HINCRBYFLOAT, which Redis computes with
// strtold, + and printf("%.17Lf"): exact BigInt rationals rounded to a 64-bit mantissa, so replies
// match Redis digit for digit (10.5 + 0.1 gives "10.6", not double's "10.59999999999999964").

/** A finite long double: sign × mantissa × 2^exponent, mantissa < 2^64 (0n for zero). */
export interface LongDouble {
  readonly negative: boolean;
  readonly mantissa: bigint;
  readonly exponent: number;
}

const MANTISSA_BITS = 64;
const MAX_EXPONENT = 16384; // 2^16384 overflows (LDBL_MAX ≈ 1.19e4932)
const MIN_EXPONENT = -16445; // below the smallest subnormal rounds to 0

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const HEX = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;

/** Parses like Redis's string2ld (strtold, no leading space, whole string); null when not a valid float or ±inf/NaN/out of range. */
export function parseLongDouble(text: string): LongDouble | null {
  if (text.length === 0 || text.length >= 5 * 1024) return null;
  const decimal = DECIMAL.exec(text);
  if (decimal !== null) {
    const [, sign, whole = "", fraction = "", exponentText] = decimal;
    if (whole === "" && fraction === "") return null;
    const digits = BigInt((whole + fraction).replace(/^0+/, "") || "0");
    let exponent10 = (exponentText === undefined ? 0 : clampExponent(exponentText)) - fraction.length;
    return fromRational(sign === "-", digits, exponent10, 10);
  }
  const hex = HEX.exec(text);
  if (hex !== null) {
    const [, sign, whole = "", fraction = "", exponentText] = hex;
    if (whole === "" && fraction === "") return null;
    const digits = BigInt("0x" + ((whole + fraction).replace(/^0+/, "") || "0"));
    const exponent2 = (exponentText === undefined ? 0 : clampExponent(exponentText)) - fraction.length * 4;
    return fromRational(sign === "-", digits, exponent2, 2);
  }
  return null;
}

/** a + b rounded to a long double; null on overflow to ±inf. */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble | null {
  if (a.mantissa === 0n)
    return b.mantissa === 0n ? { negative: a.negative && b.negative, mantissa: 0n, exponent: 0 } : b;
  if (b.mantissa === 0n) return a;
  const exponent = Math.min(a.exponent, b.exponent);
  const aScaled = (a.negative ? -a.mantissa : a.mantissa) << BigInt(a.exponent - exponent);
  const bScaled = (b.negative ? -b.mantissa : b.mantissa) << BigInt(b.exponent - exponent);
  const sum = aScaled + bScaled;
  if (sum === 0n) return { negative: false, mantissa: 0n, exponent: 0 };
  const negative = sum < 0n;
  return roundBinary(negative, negative ? -sum : sum, exponent);
}

/** printf("%.17Lf") with trailing zeros (and a bare dot) removed, "-0" as "0": Redis's LD_STR_HUMAN. */
export function formatLongDoubleHuman(value: LongDouble): string {
  const scale = 10n ** 17n;
  let scaled: bigint;
  if (value.exponent >= 0) scaled = (value.mantissa << BigInt(value.exponent)) * scale;
  else scaled = divideRoundHalfEven(value.mantissa * scale, 1n << BigInt(-value.exponent));
  const whole = (scaled / scale).toString();
  const fraction = (scaled % scale).toString().padStart(17, "0").replace(/0+$/, "");
  const text = (value.negative ? "-" : "") + whole + (fraction === "" ? "" : "." + fraction);
  return text === "-0" ? "0" : text;
}

// Exponents far outside the long double range only need to stay far outside it.
function clampExponent(text: string): number {
  const value = Number(text);
  return Math.max(-100_000, Math.min(100_000, value));
}

// sign × digits × base^exponent rounded to a 64-bit mantissa (base 10 or 2).
function fromRational(negative: boolean, digits: bigint, exponent: number, base: 10 | 2): LongDouble | null {
  if (digits === 0n) return { negative, mantissa: 0n, exponent: 0 };
  const digitCount = base === 10 ? digits.toString().length : digits.toString(2).length;
  const magnitude = base === 10 ? (digitCount + exponent) * 3.33 : digitCount + exponent;
  if (magnitude > MAX_EXPONENT + 16) return null;
  if (magnitude < MIN_EXPONENT - 16) return null; // underflow to zero: strtold sets ERANGE, Redis refuses
  if (base === 2) return roundBinary(negative, digits, exponent);
  if (exponent >= 0) return roundBinary(negative, digits * 10n ** BigInt(exponent), 0);
  // digits / 10^-exponent: shift left enough to keep 66+ significant bits, then divide.
  const denominator = 10n ** BigInt(-exponent);
  const shift = Math.max(0, MANTISSA_BITS + 2 + denominator.toString(2).length - digits.toString(2).length);
  const numerator = digits << BigInt(shift);
  const quotient = numerator / denominator;
  const sticky = numerator % denominator !== 0n;
  return roundBinary(negative, (quotient << 1n) | (sticky ? 1n : 0n), -shift - 1);
}

// Rounds value × 2^exponent to 64 significant bits, half to even; value's low bit may be a sticky bit.
function roundBinary(negative: boolean, value: bigint, exponent: number): LongDouble | null {
  const bits = value.toString(2).length;
  let mantissa = value;
  let shift = bits - MANTISSA_BITS;
  // Subnormals keep fewer bits: the exponent of the lowest bit may not go below MIN_EXPONENT.
  if (exponent + shift < MIN_EXPONENT) shift = MIN_EXPONENT - exponent;
  if (shift > 0) {
    mantissa = divideRoundHalfEven(value, 1n << BigInt(shift));
    exponent += shift;
    if (mantissa.toString(2).length > MANTISSA_BITS) {
      mantissa >>= 1n;
      exponent += 1;
    }
  }
  if (mantissa === 0n) return null;
  if (mantissa.toString(2).length + exponent > MAX_EXPONENT) return null;
  return { negative, mantissa, exponent };
}

function divideRoundHalfEven(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  const twice = (numerator % denominator) * 2n;
  if (twice > denominator || (twice === denominator && (quotient & 1n) === 1n)) return quotient + 1n;
  return quotient;
}
