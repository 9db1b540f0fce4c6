// Command generators for bitmaps, BITFIELD, HyperLogLog and geo in the differential test (joined
// into the stream by differential-commands.ts): small key spaces per family, a few keys of other
// types for WRONGTYPE, offsets that cross the rope threshold (64 KB) and the hll-sparse-max-bytes
// promotion, corrupted HLLs, and geo points near the poles, the antimeridian and the equator.
import fc from "fast-check";

const pick = <T>(...values: T[]): fc.Arbitrary<T> => fc.constantFrom(...values);
const cmd = (...parts: (fc.Arbitrary<string> | string)[]): fc.Arbitrary<string[]> =>
  fc.tuple(...parts.map((part) => (typeof part === "string" ? fc.constant(part) : part)));
const optional = (base: fc.Arbitrary<string[]>, options: fc.Arbitrary<string[]>, max = 3): fc.Arbitrary<string[]> =>
  fc.tuple(base, fc.array(options, { maxLength: max })).map(([head, rest]) => [...head, ...rest.flat()]);
const many = <T>(item: fc.Arbitrary<T>, min = 1, max = 4): fc.Arbitrary<T[]> =>
  fc.array(item, { minLength: min, maxLength: max });

const otherKey = pick("s0", "h0", "z0", "missing");
const keyOf = (family: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.oneof({ weight: 9, arbitrary: family }, { weight: 1, arbitrary: otherKey });

const bitKey = pick("b0", "b1", "b2");
const smallOffset = fc.integer({ min: 0, max: 200 }).map(String);
const offset = fc.oneof(
  { weight: 8, arbitrary: smallOffset },
  { weight: 1, arbitrary: pick("524288", "600001", "8388607", "4294967296", "-1", "x", "007", "") },
);
const bitValue = pick("0", "1", "1", "2", "-1", "x");
const index = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -30, max: 30 }).map(String) },
  { weight: 1, arbitrary: pick("9223372036854775807", "-9223372036854775808", "x") },
);
const unit = pick("BIT", "BYTE", "bit", "bad");
const bitString = pick("", "\u00ff\u00f0\u0000", "foobar", "\u0000\u0000\u0001", "12", "\u00aa".repeat(40));

const bitmaps: fc.Arbitrary<string[]>[] = [
  cmd("SETBIT", keyOf(bitKey), offset, bitValue),
  cmd("SETBIT", bitKey, smallOffset, pick("0", "1")),
  cmd("GETBIT", keyOf(bitKey), offset),
  cmd("SET", bitKey, bitString),
  cmd("BITCOUNT", keyOf(bitKey)),
  optional(
    cmd("BITCOUNT", keyOf(bitKey), index, index),
    unit.map((word) => [word]),
    1,
  ),
  cmd("BITCOUNT", keyOf(bitKey), index),
  cmd("BITPOS", keyOf(bitKey), pick("0", "1", "2")),
  optional(
    cmd("BITPOS", keyOf(bitKey), pick("0", "1"), index),
    fc.oneof(
      index.map((end) => [end]),
      fc.tuple(index, unit).map((pair) => [...pair]),
    ),
    1,
  ),
  fc
    .tuple(pick("AND", "OR", "XOR", "NOT", "nand"), keyOf(bitKey), many(keyOf(bitKey), 1, 3))
    .map(([op, target, sources]) => ["BITOP", op, target, ...sources]),
  cmd("GET", bitKey),
  cmd("OBJECT", "ENCODING", bitKey),
];

const fieldType = pick("i1", "u1", "i5", "u8", "i8", "u16", "i32", "u63", "i64", "u64", "i0", "x8");
const fieldOffset = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 100 }).map(String) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 12 }).map((n) => `#${n}`) },
  { weight: 1, arbitrary: pick("-1", "#-1", "#", "600000") },
);
const fieldValue = pick("0", "1", "-1", "100", "255", "-129", "9223372036854775807", "-9223372036854775808", "x");
const fieldOperation = fc.oneof(
  fc.tuple(fieldType, fieldOffset).map(([type, at]) => ["GET", type, at]),
  fc.tuple(fieldType, fieldOffset, fieldValue).map(([type, at, value]) => ["SET", type, at, value]),
  fc.tuple(fieldType, fieldOffset, fieldValue).map(([type, at, value]) => ["INCRBY", type, at, value]),
  pick("WRAP", "SAT", "FAIL", "bad").map((mode) => ["OVERFLOW", mode]),
  pick(["GET"], ["SET", "u8"], ["bogus"]),
);

const bitfields: fc.Arbitrary<string[]>[] = [
  fc
    .tuple(pick("BITFIELD", "BITFIELD_RO"), keyOf(bitKey), fc.array(fieldOperation, { maxLength: 4 }))
    .map(([name, key, operations]) => [name, key, ...operations.flat()]),
];

const hllKey = pick("p0", "p1", "p2");
const element = fc.oneof(
  fc.integer({ min: 0, max: 400 }).map((n) => `e${n}`),
  pick("", "a", "b", "\u0000\u00ff"),
);
const manyElements = fc
  .integer({ min: 150, max: 700 })
  .map((count) => Array.from({ length: count }, (_, n) => `m${n}`));

const hyperloglogs: fc.Arbitrary<string[]>[] = [
  fc.tuple(keyOf(hllKey), fc.array(element, { maxLength: 6 })).map(([key, elements]) => ["PFADD", key, ...elements]),
  fc.tuple(hllKey, manyElements).map(([key, elements]) => ["PFADD", key, ...elements]),
  fc.tuple(many(keyOf(hllKey), 1, 3)).map(([keys]) => ["PFCOUNT", ...keys]),
  fc.tuple(keyOf(hllKey), many(keyOf(hllKey), 0, 3)).map(([target, sources]) => ["PFMERGE", target, ...sources]),
  cmd("PFDEBUG", pick("ENCODING", "TODENSE", "DECODE", "GETREG", "bad"), keyOf(hllKey)),
  cmd("SETRANGE", hllKey, pick("4", "15", "17", "30"), pick("\u0005", "\u0000", "\u00ff", "x")),
  cmd("APPEND", hllKey, pick("hello", "\u0000")),
  cmd("GET", hllKey),
  cmd("CONFIG", "SET", "hll-sparse-max-bytes", pick("3000", "40", "300")),
];

const geoKey = pick("g0", "g1");
const place = pick("Palermo", "Catania", "a", "b", "c", "pole", "east", "west", "0");
const longitude = pick("13.361389", "15.087269", "-73.9454966", "179.99", "-180", "180", "0", "-0.5", "45", "200", "x");
const latitude = pick(
  "38.115556",
  "37.502669",
  "40.747533",
  "85.05112878",
  "-85.05112878",
  "0",
  "-37.2",
  "85.1",
  "nan",
);
const distanceUnit = pick("m", "km", "mi", "ft", "parsec");
const radius = pick("0", "1", "50", "200", "500", "5000", "-1", "x");
const searchOption = fc.oneof(
  pick(["WITHDIST"], ["WITHHASH"], ["WITHCOORD"], ["ASC"], ["DESC"], ["ANY"], ["bad"]),
  pick("1", "2", "5", "0", "-1").map((count) => ["COUNT", count]),
);

const geos: fc.Arbitrary<string[]>[] = [
  fc
    .tuple(
      keyOf(geoKey),
      fc.array(pick("NX", "XX", "CH"), { maxLength: 2 }),
      many(fc.tuple(longitude, latitude, place), 1, 3),
    )
    .map(([key, options, points]) => ["GEOADD", key, ...options, ...points.flat()]),
  fc.tuple(keyOf(geoKey), many(place, 1, 3)).map(([key, members]) => ["GEOPOS", key, ...members]),
  fc.tuple(keyOf(geoKey), many(place, 1, 3)).map(([key, members]) => ["GEOHASH", key, ...members]),
  optional(
    cmd("GEODIST", keyOf(geoKey), place, place),
    distanceUnit.map((u) => [u]),
    1,
  ),
  optional(
    cmd(pick("GEORADIUS", "GEORADIUS_RO"), keyOf(geoKey), longitude, latitude, radius, distanceUnit),
    searchOption,
    3,
  ),
  optional(
    cmd(pick("GEORADIUSBYMEMBER", "GEORADIUSBYMEMBER_RO"), keyOf(geoKey), place, radius, distanceUnit),
    searchOption,
    3,
  ),
  optional(
    cmd("GEORADIUS", keyOf(geoKey), longitude, latitude, radius, "km", pick("STORE", "STOREDIST"), geoKey),
    pick(["ASC"], ["COUNT", "1"], ["WITHDIST"]),
    1,
  ),
  optional(
    fc
      .tuple(
        keyOf(geoKey),
        fc.oneof(
          place.map((m) => ["FROMMEMBER", m]),
          fc.tuple(longitude, latitude).map(([lon, lat]) => ["FROMLONLAT", lon, lat]),
        ),
        fc.oneof(
          radius.map((r) => ["BYRADIUS", r, "km"]),
          fc.tuple(radius, radius).map(([w, h]) => ["BYBOX", w, h, "km"]),
        ),
      )
      .map(([key, from, by]) => ["GEOSEARCH", key, ...from, ...by]),
    searchOption,
    3,
  ),
  optional(
    fc
      .tuple(geoKey, keyOf(geoKey), place, radius)
      .map(([target, source, member, r]) => [
        "GEOSEARCHSTORE",
        target,
        source,
        "FROMMEMBER",
        member,
        "BYRADIUS",
        r,
        "km",
      ]),
    pick(["STOREDIST"], ["ASC"], ["COUNT", "1"], ["WITHDIST"]),
    1,
  ),
  cmd("ZRANGE", geoKey, "0", "-1", "WITHSCORES"),
];

/** Each family's generators, for the differential stream. */
export const BIT_FAMILIES = { bitmaps, bitfields, hyperloglogs, geos } as const;
