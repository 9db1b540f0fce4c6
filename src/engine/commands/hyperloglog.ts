// HyperLogLog commands: PFADD PFCOUNT PFMERGE PFDEBUG PFSELFTEST, on string values laid out
// byte for byte as Redis 7.0 lays them out (hll/hll-value.ts). Propagation follows Redis: PFADD and
// PFMERGE verbatim when they changed something; PFCOUNT of one key when it refreshed the cached
// cardinality in the header (so a replayed AOF rebuilds the same bytes); PFDEBUG GETREG / TODENSE
// when they converted a sparse value to dense.
import { ReplyError } from "../errors.ts";
import { markRawString } from "../bitmaps/string-annotations.ts";
import { HLL_REGISTERS, HLL_SPARSE, estimateFromHistogram } from "../hll/hll-dense.ts";
import { runHllSelfTest } from "../hll/hll-selftest.ts";
import { HllValue, isHllString } from "../hll/hll-value.ts";
import { patternOfString } from "../hll/murmur-hash.ts";
import { countLookup, markDirty } from "./access.ts";
import { defineCommand, type CommandSpec } from "./types.ts";
import type { Client } from "../server/context-types.ts";

const INVALID_HLL = "INVALIDOBJ Corrupted HLL object detected";
const NOT_HLL = "WRONGTYPE Key is not a valid HyperLogLog string value.";

/** hll-sparse-max-bytes as configured (Redis's default 3000). */
export function sparseMaxBytes(client: Client): number {
  const text = client.server.accepted.get("hll-sparse-max-bytes");
  const value = text === undefined ? NaN : Number(text);
  return Number.isFinite(value) ? value : 3000;
}

// A string key that must hold a valid HLL: WRONGTYPE (the usual text) for other kinds, Redis's own
// WRONGTYPE text for strings that are not HLLs.
function hllAt(client: Client, value: string | undefined): HllValue | undefined {
  if (value === undefined) return undefined;
  if (!isHllString(value)) throw new ReplyError(NOT_HLL);
  const hll = HllValue.fromString(value);
  hll.sparseMaxBytes = sparseMaxBytes(client);
  return hll;
}

// Stores an edited HLL (keeping the key's TTL) and records that Redis would hold it raw.
function store(client: Client, key: string, hll: HllValue): void {
  client.db.set(key, hll.toString(), true);
  markRawString(client.server.keyspace, client.db, key);
}

const pattern = { register: 0, count: 0 };

function pfaddCommand(client: Client, argv: string[]): void {
  const key = argv[1] as string;
  let hll = hllAt(client, client.db.getString(key));
  let updated = 0;
  if (hll === undefined) {
    hll = HllValue.create();
    hll.sparseMaxBytes = sparseMaxBytes(client);
    updated += 1;
  }
  for (let index = 2; index < argv.length; index += 1) {
    patternOfString(argv[index] as string, pattern);
    const result = hll.set(pattern.register, pattern.count);
    if (result === -1) {
      // Redis keeps what the earlier elements changed, without counting it as a write.
      store(client, key, hll);
      throw new ReplyError(INVALID_HLL);
    }
    updated += result;
  }
  if (updated > 0) {
    hll.invalidateCache();
    store(client, key, hll);
    markDirty(client, updated);
  } else {
    markRawString(client.server.keyspace, client.db, key);
  }
  client.reply.integer(updated > 0 ? 1 : 0);
}

function pfcountCommand(client: Client, argv: string[]): void {
  if (argv.length > 2) {
    const max = new Uint8Array(HLL_REGISTERS);
    for (let index = 1; index < argv.length; index += 1) {
      const hll = hllAt(client, countLookup(client, client.db.getString(argv[index] as string)));
      if (hll !== undefined && !hll.mergeInto(max)) throw new ReplyError(INVALID_HLL);
    }
    const histogram = new Int32Array(64);
    for (const value of max) histogram[value] = (histogram[value] as number) + 1;
    client.reply.integer(estimateFromHistogram(histogram));
    return;
  }
  const key = argv[1] as string;
  const hll = hllAt(client, countLookup(client, client.db.getString(key)));
  if (hll === undefined) {
    client.reply.integer(0);
    return;
  }
  const cached = hll.cachedCardinality();
  if (cached !== null) {
    markRawString(client.server.keyspace, client.db, key);
    client.reply.integer(cached);
    return;
  }
  const cardinality = hll.count();
  if (cardinality === null) throw new ReplyError(INVALID_HLL);
  hll.setCachedCardinality(cardinality);
  store(client, key, hll);
  markDirty(client);
  client.reply.integer(cardinality);
}

function pfmergeCommand(client: Client, argv: string[]): void {
  const max = new Uint8Array(HLL_REGISTERS);
  let useDense = false;
  for (let index = 1; index < argv.length; index += 1) {
    const hll = hllAt(client, countLookup(client, client.db.getString(argv[index] as string)));
    if (hll === undefined) continue;
    if (hll.encoding !== HLL_SPARSE) useDense = true;
    if (!hll.mergeInto(max)) throw new ReplyError(INVALID_HLL);
  }
  const key = argv[1] as string;
  let target = hllAt(client, client.db.getString(key));
  if (target === undefined) {
    target = HllValue.create();
    target.sparseMaxBytes = sparseMaxBytes(client);
  }
  if (useDense && !target.toDense()) throw new ReplyError(INVALID_HLL);
  for (let register = 0; register < HLL_REGISTERS; register += 1) {
    const value = max[register] as number;
    if (value !== 0) target.set(register, value);
  }
  target.invalidateCache();
  store(client, key, target);
  markDirty(client);
  client.reply.ok();
}

function pfdebugCommand(client: Client, argv: string[]): void {
  const subcommand = argv[1] as string;
  const key = argv[2] as string;
  const value = client.db.getString(key);
  if (value === undefined) throw new ReplyError("ERR The specified key does not exist");
  const hll = hllAt(client, value) as HllValue;
  markRawString(client.server.keyspace, client.db, key);
  const name = subcommand.toLowerCase();
  if (name === "getreg" || name === "todense") {
    const converted = hll.encoding === HLL_SPARSE;
    if (converted) {
      if (!hll.toDense()) throw new ReplyError(INVALID_HLL);
      store(client, key, hll);
      markDirty(client);
    }
    if (name === "todense") {
      client.reply.integer(converted ? 1 : 0);
      return;
    }
    const registers = hll.registers();
    client.reply.array(registers.length);
    for (const register of registers) client.reply.integer(register);
  } else if (name === "decode") {
    if (hll.encoding !== HLL_SPARSE) throw new ReplyError("ERR HLL encoding is not sparse");
    client.reply.bulk(hll.decode());
  } else if (name === "encoding") {
    client.reply.status(hll.encoding === HLL_SPARSE ? "sparse" : "dense");
  } else {
    throw new ReplyError(`ERR Unknown PFDEBUG subcommand '${subcommand}'`);
  }
}

function pfselftestCommand(client: Client): void {
  const failure = runHllSelfTest(sparseMaxBytes(client));
  if (failure !== null) throw new ReplyError(failure);
  client.reply.ok();
}

/** HyperLogLog command specs. */
export const HYPERLOGLOG_COMMANDS: readonly CommandSpec[] = [
  defineCommand({
    name: "pfadd",
    arity: -2,
    flags: ["write", "denyoom", "fast"],
    keys: [1, 1, 1],
    categories: ["@write", "@hyperloglog", "@fast"],
    handler: pfaddCommand,
  }),
  defineCommand({
    name: "pfcount",
    arity: -2,
    flags: ["readonly"],
    keys: [1, -1, 1],
    categories: ["@read", "@hyperloglog", "@slow"],
    handler: pfcountCommand,
  }),
  defineCommand({
    name: "pfmerge",
    arity: -2,
    flags: ["write", "denyoom"],
    keys: [1, -1, 1],
    categories: ["@write", "@hyperloglog", "@slow"],
    handler: pfmergeCommand,
  }),
  defineCommand({
    name: "pfdebug",
    arity: 3,
    flags: ["write", "denyoom", "admin"],
    keys: [2, 2, 1],
    categories: ["@write", "@hyperloglog", "@admin", "@slow", "@dangerous"],
    handler: pfdebugCommand,
  }),
  defineCommand({
    name: "pfselftest",
    arity: 1,
    flags: ["admin"],
    categories: ["@hyperloglog", "@admin", "@slow", "@dangerous"],
    handler: (client) => pfselftestCommand(client),
  }),
];
