// Redis's geohash: longitude and latitude scaled into `step`-bit integers over the Web Mercator
// ranges (latitude ±85.05112878, longitude ±180) and interleaved, latitude on the even bits; with
// step 26 the 52-bit result is the sorted-set score GEOADD stores. Hashes of up to 52 bits fit a JS
// number exactly; scores that are not such integers (a zset written by ZADD) go through BigInt.

export const GEO_STEP_MAX = 26;
export const GEO_LAT_MIN = -85.05112878;
export const GEO_LAT_MAX = 85.05112878;
export const GEO_LONG_MIN = -180;
export const GEO_LONG_MAX = 180;

/** A hash of `step` bits per coordinate (bits = 2 × step wide). step 0 with bits 0 is "no area". */
export interface GeoHashBits {
  readonly bits: bigint;
  readonly step: number;
}

/** Longitude and latitude bounds of a hash's cell. */
export interface GeoHashArea {
  readonly hash: GeoHashBits;
  readonly longitudeMin: number;
  readonly longitudeMax: number;
  readonly latitudeMin: number;
  readonly latitudeMax: number;
}

/** A coordinate range. */
export interface CoordinateRange {
  readonly min: number;
  readonly max: number;
}

export const LONGITUDE_RANGE: CoordinateRange = { min: GEO_LONG_MIN, max: GEO_LONG_MAX };
export const LATITUDE_RANGE: CoordinateRange = { min: GEO_LAT_MIN, max: GEO_LAT_MAX };

const TWO_32 = 4294967296;

// Spreads the low 16 bits of v to the even bits of a 32-bit word.
function spread16(value: number): number {
  let v = value & 0xffff;
  v = (v | (v << 8)) & 0x00ff00ff;
  v = (v | (v << 4)) & 0x0f0f0f0f;
  v = (v | (v << 2)) & 0x33333333;
  v = (v | (v << 1)) & 0x55555555;
  return v >>> 0;
}

// Gathers the even bits of a 32-bit word into its low 16 bits.
function compact16(value: number): number {
  let v = value & 0x55555555;
  v = (v | (v >>> 1)) & 0x33333333;
  v = (v | (v >>> 2)) & 0x0f0f0f0f;
  v = (v | (v >>> 4)) & 0x00ff00ff;
  v = (v | (v >>> 8)) & 0x0000ffff;
  return v;
}

/** interleave64: x on the even bits, y on the odd bits (both < 2^32). */
export function interleave(x: number, y: number): bigint {
  const xLow = BigInt(spread16(x)) | (BigInt(spread16(x >>> 16)) << 32n);
  const yLow = BigInt(spread16(y)) | (BigInt(spread16(y >>> 16)) << 32n);
  return xLow | (yLow << 1n);
}

/** deinterleave64: [even bits, odd bits] of a 64-bit value, each as a uint32. */
export function deinterleave(bits: bigint): [number, number] {
  const low = Number(bits & 0xffffffffn);
  const high = Number((bits >> 32n) & 0xffffffffn);
  return deinterleaveHalves(low, high);
}

function deinterleaveHalves(low: number, high: number): [number, number] {
  const x = (compact16(low) | (compact16(high) << 16)) >>> 0;
  const y = (compact16(low >>> 1) | (compact16(high >>> 1) << 16)) >>> 0;
  return [x, y];
}

/** geohashEncode: null when the point is outside the ranges. */
export function encodeGeohash(
  longitude: number,
  latitude: number,
  step: number,
  longRange = LONGITUDE_RANGE,
  latRange = LATITUDE_RANGE,
): GeoHashBits | null {
  if (longitude > GEO_LONG_MAX || longitude < GEO_LONG_MIN || latitude > GEO_LAT_MAX || latitude < GEO_LAT_MIN)
    return null;
  if (latitude < latRange.min || latitude > latRange.max || longitude < longRange.min || longitude > longRange.max)
    return null;
  let latOffset = (latitude - latRange.min) / (latRange.max - latRange.min);
  let longOffset = (longitude - longRange.min) / (longRange.max - longRange.min);
  latOffset *= 2 ** step;
  longOffset *= 2 ** step;
  return { bits: interleave(Math.trunc(latOffset) >>> 0, Math.trunc(longOffset) >>> 0), step };
}

/** geohashAlign52Bits: the hash shifted to 52 bits (the score GEOADD stores). */
export function align52(hash: GeoHashBits): bigint {
  return BigInt.asUintN(64, hash.bits << BigInt(52 - hash.step * 2));
}

/** geohashDecode: the cell of a hash. */
export function decodeGeohash(hash: GeoHashBits, longRange = LONGITUDE_RANGE, latRange = LATITUDE_RANGE): GeoHashArea {
  const [latBits, longBits] = deinterleave(hash.bits);
  return areaOf(hash, latBits, longBits, longRange, latRange);
}

function areaOf(
  hash: GeoHashBits,
  latBits: number,
  longBits: number,
  longRange: CoordinateRange,
  latRange: CoordinateRange,
): GeoHashArea {
  const latScale = latRange.max - latRange.min;
  const longScale = longRange.max - longRange.min;
  const cells = 2 ** hash.step;
  return {
    hash,
    latitudeMin: latRange.min + (latBits / cells) * latScale,
    latitudeMax: latRange.min + (((latBits + 1) >>> 0) / cells) * latScale,
    longitudeMin: longRange.min + (longBits / cells) * longScale,
    longitudeMax: longRange.min + (((longBits + 1) >>> 0) / cells) * longScale,
  };
}

/** The center of a cell, clamped to the valid ranges: [longitude, latitude]. */
export function areaCenter(area: GeoHashArea): [number, number] {
  let longitude = (area.longitudeMin + area.longitudeMax) / 2;
  if (longitude > GEO_LONG_MAX) longitude = GEO_LONG_MAX;
  if (longitude < GEO_LONG_MIN) longitude = GEO_LONG_MIN;
  let latitude = (area.latitudeMin + area.latitudeMax) / 2;
  if (latitude > GEO_LAT_MAX) latitude = GEO_LAT_MAX;
  if (latitude < GEO_LAT_MIN) latitude = GEO_LAT_MIN;
  return [longitude, latitude];
}

const TWO_63 = 2 ** 63;
const INT64_INDEFINITE = 1n << 63n;

/**
 * C's (uint64_t) cast of a double as gcc compiles it on x86-64: below 2^63 a signed truncation
 * (out of range, NaN and -inf give 2^63), from 2^63 on a truncation of value - 2^63 plus 2^63 (values
 * of 2^64 and more, and +inf, give 0). Scores written by ZADD can be anything.
 */
export function doubleToUint64(value: number): bigint {
  const truncateSigned = (part: number): bigint => {
    if (Number.isNaN(part) || part <= -TWO_63 - 1024 || part >= TWO_63) return INT64_INDEFINITE;
    return BigInt.asUintN(64, BigInt(Math.trunc(part)));
  };
  if (!(value >= TWO_63)) return truncateSigned(value);
  const shifted = truncateSigned(value - TWO_63);
  return BigInt.asUintN(64, shifted ^ INT64_INDEFINITE);
}

const SCORE_HASH = { bits: 0n, step: GEO_STEP_MAX } as const;

/** decodeGeohash of a zset score (a 52-bit hash as a double): [longitude, latitude]. */
export function decodeScore(score: number): [number, number] {
  let latBits: number;
  let longBits: number;
  if (Number.isInteger(score) && score >= 0 && score < 2 ** 53) {
    [latBits, longBits] = deinterleaveHalves(score % TWO_32, Math.floor(score / TWO_32));
  } else {
    [latBits, longBits] = deinterleave(doubleToUint64(score));
  }
  return areaCenter(areaOf(SCORE_HASH, latBits, longBits, LONGITUDE_RANGE, LATITUDE_RANGE));
}

// geohash_move_x / geohash_move_y: the neighbor cell d steps east (x) or north (y) at the same step.
function moveX(hash: GeoHashBits, d: number): GeoHashBits {
  if (d === 0) return hash;
  let x = hash.bits & 0xaaaaaaaaaaaaaaaan;
  const y = hash.bits & 0x5555555555555555n;
  const zz = 0x5555555555555555n >> BigInt(64 - hash.step * 2);
  if (d > 0) x = x + (zz + 1n);
  else {
    x = x | zz;
    x = x - (zz + 1n);
  }
  x = BigInt.asUintN(64, x) & (0xaaaaaaaaaaaaaaaan >> BigInt(64 - hash.step * 2));
  return { bits: x | y, step: hash.step };
}

function moveY(hash: GeoHashBits, d: number): GeoHashBits {
  if (d === 0) return hash;
  const x = hash.bits & 0xaaaaaaaaaaaaaaaan;
  let y = hash.bits & 0x5555555555555555n;
  const zz = 0xaaaaaaaaaaaaaaaan >> BigInt(64 - hash.step * 2);
  if (d > 0) y = y + (zz + 1n);
  else {
    y = y | zz;
    y = y - (zz + 1n);
  }
  y = BigInt.asUintN(64, y) & (0x5555555555555555n >> BigInt(64 - hash.step * 2));
  return { bits: x | y, step: hash.step };
}

/** The eight neighbors of a cell. */
export interface GeoHashNeighbors {
  north: GeoHashBits;
  east: GeoHashBits;
  west: GeoHashBits;
  south: GeoHashBits;
  northEast: GeoHashBits;
  southEast: GeoHashBits;
  northWest: GeoHashBits;
  southWest: GeoHashBits;
}

/** geohashNeighbors. */
export function neighborsOf(hash: GeoHashBits): GeoHashNeighbors {
  return {
    east: moveX(hash, 1),
    west: moveX(hash, -1),
    south: moveY(hash, -1),
    north: moveY(hash, 1),
    northWest: moveY(moveX(hash, -1), 1),
    northEast: moveY(moveX(hash, 1), 1),
    southEast: moveY(moveX(hash, 1), -1),
    southWest: moveY(moveX(hash, -1), -1),
  };
}

/** The "no area" hash (GZERO). */
export const NO_AREA: GeoHashBits = { bits: 0n, step: 0 };
