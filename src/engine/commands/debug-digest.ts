// Redis's data-set digest (DEBUG DIGEST, DEBUG DIGEST-VALUE), computed the way Redis 7.0 computes it
// so two servers holding the same data print the same 40 hex digits: SHA-1 xor (order-free parts:
// keys, set members, hash fields, zset entries) and SHA-1 mix (order-bound parts: the type, list
// elements, a string's bytes), the DB number mixed in per non-empty database, "!!expire!!" xored in
// for keys with a TTL, zset scores as printf's %.17g.
import { createHash } from "node:crypto";
import type { Database } from "../keyspace/database.ts";
import type { Keyspace } from "../keyspace/keyspace.ts";
import { ListValue, StreamValue, type StoredValue } from "../keyspace/values.ts";
import { idMs, idSeq } from "../keyspace/stream-id.ts";

const DIGEST_BYTES = 20;

function sha1(data: Uint8Array): Buffer {
  return createHash("sha1").update(data).digest();
}

const bytesOf = (text: string): Buffer => Buffer.from(text, "latin1");

// digest ^= SHA1(data)
function xorDigest(digest: Uint8Array, data: Uint8Array): void {
  const hash = sha1(data);
  for (let index = 0; index < DIGEST_BYTES; index += 1)
    digest[index] = (digest[index] as number) ^ (hash[index] as number);
}

// digest = SHA1(digest ^ SHA1(data))
function mixDigest(digest: Uint8Array, data: Uint8Array): void {
  xorDigest(digest, data);
  digest.set(sha1(digest));
}

// A big-endian uint32 (htonl), as Redis mixes the type and the DB number.
function uint32(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value);
  return bytes;
}

/** printf("%.17g", value) as glibc prints it (inf, -inf, nan included). */
export function formatG17(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  const exponential = value.toExponential(16);
  const [mantissa, exponentText] = exponential.split("e") as [string, string];
  const exponent = Number(exponentText);
  const trim = (digits: string): string =>
    digits.includes(".") ? digits.replace(/0+$/, "").replace(/\.$/, "") : digits;
  if (exponent < -4 || exponent >= 17) {
    const sign = exponent < 0 ? "-" : "+";
    return `${trim(mantissa)}e${sign}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  return trim(value.toFixed(16 - exponent));
}

// Redis's OBJ_* type numbers.
function typeNumber(value: StoredValue): number {
  if (typeof value === "string") return 0;
  if (value instanceof ListValue) return 1;
  if (value instanceof Set) return 2;
  if (value instanceof Map) return 4;
  if (value instanceof StreamValue) return 6;
  return 3;
}

/** xorObjectDigest: mixes one value (and whether its key has a TTL) into `digest`. */
function mixValue(digest: Uint8Array, value: StoredValue, hasExpire: boolean): void {
  mixDigest(digest, uint32(typeNumber(value)));
  if (typeof value === "string") {
    mixDigest(digest, bytesOf(value));
  } else if (value instanceof ListValue) {
    for (const item of value.toArray()) mixDigest(digest, bytesOf(item));
  } else if (value instanceof Set) {
    for (const member of value) xorDigest(digest, bytesOf(member));
  } else if (value instanceof Map) {
    for (const [field, item] of value) {
      const element = new Uint8Array(DIGEST_BYTES);
      mixDigest(element, bytesOf(field));
      mixDigest(element, bytesOf(item));
      xorDigest(digest, element);
    }
  } else if (value instanceof StreamValue) {
    // Entries in ID order: "<ms>.<seq>" (a dot, as Redis formats it here), then each field and value.
    value.forEachInRange(0n, (1n << 128n) - 1n, false, (entry, node) => {
      mixDigest(digest, bytesOf(`${idMs(entry.id)}.${idSeq(entry.id)}`));
      const fields = node.fieldsOf(entry);
      for (let index = 0; index < entry.values.length; index += 1) {
        mixDigest(digest, bytesOf(fields[index] as string));
        mixDigest(digest, bytesOf(entry.values[index] as string));
      }
    });
  } else {
    for (const [member, score] of value.scores) {
      const element = new Uint8Array(DIGEST_BYTES);
      mixDigest(element, bytesOf(member));
      mixDigest(element, bytesOf(formatG17(score)));
      xorDigest(digest, element);
    }
  }
  if (hasExpire) xorDigest(digest, bytesOf("!!expire!!"));
}

const hex = (digest: Uint8Array): string => Buffer.from(digest).toString("hex");

/** DEBUG DIGEST-VALUE for one key of `database` (40 zeros when absent; expired keys still count). */
export function valueDigest(database: Database, key: string): string {
  const digest = new Uint8Array(DIGEST_BYTES);
  const value = database.dict.get(key);
  if (value !== undefined) mixValue(digest, value, database.expires.get(key) !== undefined);
  return hex(digest);
}

/** DEBUG DIGEST: the digest of every database (40 zeros when all are empty). */
export function datasetDigest(keyspace: Keyspace, databaseCount: number): string {
  const final = new Uint8Array(DIGEST_BYTES);
  for (let index = 0; index < databaseCount; index += 1) {
    const database = keyspace.database(index);
    if (database.dict.size === 0) continue;
    mixDigest(final, uint32(index));
    for (const [key, value] of database.dict.entries()) {
      const digest = new Uint8Array(DIGEST_BYTES);
      mixDigest(digest, bytesOf(key));
      mixValue(digest, value, database.expires.get(key) !== undefined);
      xorDigest(final, digest);
    }
  }
  return hex(final);
}
