// Set commands: SADD SREM SMEMBERS SISMEMBER SMISMEMBER SCARD SPOP (propagated as SREM/DEL)
// SRANDMEMBER SMOVE SINTER SUNION SDIFF (+STORE) SINTERCARD SSCAN. Intset-encoded sets list their
// members in ascending numeric order, as Redis's intsets do.
import { ERRORS, ReplyError } from "../errors.ts";
import { isCompact, noteSetAdd, encodingOf } from "../keyspace/encoding.ts";
import { matchGlob } from "../util/glob.ts";
import { parsePositiveCount, parseRangedInteger } from "./arguments.ts";
import { countLookup, deleteIfEmpty, markDirty, touchForWrite } from "./access.ts";
import { pickDistinct, pickOne, randomIndex } from "./random-pick.ts";
import { parkScan, parseScanCursor, parseScanOptions, resumeScan, takeFrom } from "./scan-cursor.ts";
import { defineCommand, type CommandSpec } from "./types.ts";
import type { SetValue } from "../keyspace/values.ts";
import type { Client } from "../server/context-types.ts";

const LONG_MAX = 9223372036854775807n;
/** SPOP with a count that leaves at most count/5 members rebuilds the set (Redis's SPOP_MOVE_STRATEGY_MUL). */
const SPOP_MOVE_STRATEGY_MUL = 5;

function readSet(client: Client, key: string): SetValue | undefined {
  return countLookup(client, client.db.getSet(key));
}

/** Members in the order Redis lists them: ascending numbers for intsets, insertion order otherwise. */
function orderedMembers(client: Client, set: SetValue): string[] {
  const members = [...set];
  if (encodingOf(set, client.server.settings) === "intset") members.sort(compareIntegers);
  return members;
}

function compareIntegers(a: string, b: string): number {
  const left = BigInt(a);
  const right = BigInt(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Adds members to a set value, tracking its encoding; returns how many were new. */
function addMembers(client: Client, set: SetValue, members: readonly string[], from = 0): number {
  let added = 0;
  const settings = client.server.settings;
  for (let index = from; index < members.length; index += 1) {
    const member = members[index] as string;
    if (set.has(member)) continue;
    set.add(member);
    noteSetAdd(set, settings, member);
    added += 1;
  }
  return added;
}

function saddCommand(client: Client, argv: string[]): void {
  const key = argv[1] as string;
  const db = client.db;
  let set = db.getSet(key);
  if (set === undefined) {
    set = new Set();
    db.set(key, set);
  } else if (argv.slice(2).some((member) => !(set as SetValue).has(member))) touchForWrite(db, key);
  const added = addMembers(client, set, argv, 2);
  markDirty(client, added);
  client.reply.integer(added);
}

function sremCommand(client: Client, argv: string[]): void {
  const key = argv[1] as string;
  const db = client.db;
  const set = db.getSet(key);
  let removed = 0;
  if (set !== undefined) {
    for (let index = 2; index < argv.length; index += 1) {
      const member = argv[index] as string;
      if (!set.has(member)) continue;
      if (removed === 0) touchForWrite(db, key);
      set.delete(member);
      removed += 1;
      if (set.size === 0) break;
    }
    deleteIfEmpty(db, key, set);
  }
  markDirty(client, removed);
  client.reply.integer(removed);
}

function spopCommand(client: Client, argv: string[]): void {
  if (argv.length > 3) throw new ReplyError(ERRORS.syntax);
  const key = argv[1] as string;
  const db = client.db;
  if (argv.length === 2) {
    const set = db.getSet(key);
    if (set === undefined) {
      client.reply.nil();
      return;
    }
    touchForWrite(db, key);
    const member = pickOne(set, set.size) as string;
    set.delete(member);
    deleteIfEmpty(db, key, set);
    markDirty(client);
    client.propagate(["SREM", key, member]);
    client.reply.bulk(member);
    return;
  }
  const count = parsePositiveCount(argv[2] as string);
  const set = db.getSet(key);
  if (set === undefined || count === 0) {
    client.reply.set(0);
    return;
  }
  touchForWrite(db, key);
  if (count >= set.size) {
    const members = orderedMembers(client, set);
    db.delete(key);
    markDirty(client);
    client.propagate(["DEL", key]);
    client.reply.set(members.length);
    for (const member of members) client.reply.bulk(member);
    return;
  }
  const popped = pickDistinct(set, set.size, count);
  for (const member of popped) set.delete(member);
  if (set.size * SPOP_MOVE_STRATEGY_MUL <= count) {
    // Redis rebuilds the set from the few remaining members here, so its encoding is chosen afresh.
    const rebuilt = new Set<string>();
    addMembers(client, rebuilt, [...set]);
    db.set(key, rebuilt, true);
  }
  markDirty(client, popped.length);
  client.propagate(["SREM", key, ...popped]);
  client.reply.set(popped.length);
  for (const member of popped) client.reply.bulk(member);
}

function srandmemberCommand(client: Client, argv: string[]): void {
  if (argv.length > 3) throw new ReplyError(ERRORS.syntax);
  const key = argv[1] as string;
  if (argv.length === 2) {
    const set = readSet(client, key);
    client.reply.bulkOrNil(set === undefined ? undefined : pickOne(set, set.size));
    return;
  }
  const count = parseRangedInteger(argv[2] as string, -LONG_MAX, LONG_MAX);
  const set = readSet(client, key);
  if (set === undefined || count === 0n) {
    client.reply.array(0);
    return;
  }
  if (count < 0n) {
    const members = [...set];
    const total = Number(-count);
    client.reply.array(total);
    for (let index = 0; index < total; index += 1) client.reply.bulk(members[randomIndex(members.length)] as string);
    return;
  }
  const chosen = count >= BigInt(set.size) ? orderedMembers(client, set) : pickDistinct(set, set.size, Number(count));
  client.reply.array(chosen.length);
  for (const member of chosen) client.reply.bulk(member);
}

function smoveCommand(client: Client, argv: string[]): void {
  const sourceKey = argv[1] as string;
  const destinationKey = argv[2] as string;
  const member = argv[3] as string;
  const db = client.db;
  const source = db.get(sourceKey);
  if (source === undefined) {
    client.reply.integer(0);
    return;
  }
  const sourceSet = db.getSet(sourceKey) as SetValue;
  let destination = db.getSet(destinationKey);
  if (sourceSet === destination) {
    client.reply.integer(sourceSet.has(member) ? 1 : 0);
    return;
  }
  if (!sourceSet.has(member)) {
    client.reply.integer(0);
    return;
  }
  touchForWrite(db, sourceKey);
  sourceSet.delete(member);
  deleteIfEmpty(db, sourceKey, sourceSet);
  // As Redis: the destination counts as modified (WATCH, snapshots) only when the member is new to it.
  if (destination === undefined) {
    destination = new Set();
    db.set(destinationKey, destination);
    addMembers(client, destination, [member]);
  } else if (!destination.has(member)) {
    touchForWrite(db, destinationKey);
    addMembers(client, destination, [member]);
  }
  markDirty(client);
  client.reply.integer(1);
}

type SetOperation = "inter" | "union" | "diff";

/** Looks up every key (WRONGTYPE for any non-set), missing keys as undefined. */
function lookupSets(client: Client, keys: readonly string[]): (SetValue | undefined)[] {
  return keys.map((key) => readSet(client, key));
}

function computeSetOperation(operation: SetOperation, sets: readonly (SetValue | undefined)[], limit = 0): Set<string> {
  const result = new Set<string>();
  if (operation === "union") {
    for (const set of sets) if (set !== undefined) for (const member of set) result.add(member);
    return result;
  }
  if (operation === "diff") {
    const first = sets[0];
    if (first === undefined) return result;
    outer: for (const member of first) {
      for (let index = 1; index < sets.length; index += 1) if (sets[index]?.has(member) === true) continue outer;
      result.add(member);
    }
    return result;
  }
  if (sets.some((set) => set === undefined)) return result;
  const ordered = [...(sets as SetValue[])].sort((a, b) => a.size - b.size);
  const smallest = ordered[0];
  if (smallest === undefined) return result;
  outer: for (const member of smallest) {
    for (let index = 1; index < ordered.length; index += 1)
      if (!(ordered[index] as SetValue).has(member)) continue outer;
    result.add(member);
    if (limit > 0 && result.size >= limit) break;
  }
  return result;
}

function setOperationCommand(client: Client, argv: string[], operation: SetOperation): void {
  const sets = lookupSets(client, argv.slice(1));
  const result = computeSetOperation(operation, sets);
  const members = [...result];
  if (isIntsetCandidate(client, result)) members.sort(compareIntegers);
  client.reply.set(members.length);
  for (const member of members) client.reply.bulk(member);
}

// A result set Redis builds as an intset (all integers, within set-max-intset-entries) lists sorted.
function isIntsetCandidate(client: Client, result: Set<string>): boolean {
  return encodingOf(result, client.server.settings) === "intset";
}

function setOperationStoreCommand(client: Client, argv: string[], operation: SetOperation): void {
  const destination = argv[1] as string;
  const sets = argv.slice(2).map((key) => client.db.getSet(key));
  const result = computeSetOperation(operation, sets);
  const db = client.db;
  if (result.size === 0) {
    if (db.delete(destination)) markDirty(client);
    client.reply.integer(0);
    return;
  }
  const stored = new Set<string>();
  addMembers(client, stored, [...result]);
  db.set(destination, stored);
  markDirty(client);
  client.reply.integer(stored.size);
}

function sintercardCommand(client: Client, argv: string[]): void {
  const keyCount = Number(parseRangedInteger(argv[1] as string, 1n, LONG_MAX, "ERR numkeys should be greater than 0"));
  if (keyCount > argv.length - 2) throw new ReplyError("ERR Number of keys can't be greater than number of args");
  let limit = 0;
  for (let index = 2 + keyCount; index < argv.length; index += 1) {
    const option = (argv[index] as string).toUpperCase();
    if (option === "LIMIT" && index + 1 < argv.length) {
      limit = parsePositiveCount(argv[index + 1] as string, "ERR LIMIT can't be negative");
      index += 1;
    } else throw new ReplyError(ERRORS.syntax);
  }
  const sets = lookupSets(client, argv.slice(2, 2 + keyCount));
  client.reply.integer(computeSetOperation("inter", sets, limit).size);
}

function sscanCommand(client: Client, argv: string[]): void {
  const cursor = parseScanCursor(argv[2] as string);
  const set = client.db.getSet(argv[1] as string);
  const reply = client.reply;
  if (set === undefined) {
    reply.array(2);
    reply.bulk("0");
    reply.array(0);
    return;
  }
  const options = parseScanOptions(argv, 3, false);
  let items: string[];
  let next = "0";
  if (isCompact(set, client.server.settings)) items = orderedMembers(client, set);
  else {
    const iterator = resumeScan(client.server, cursor, set, () => set.values());
    const taken = takeFrom(iterator, options.count);
    items = taken.items;
    if (!taken.done) next = parkScan(client.server, set, iterator);
  }
  const pattern = options.pattern;
  const matched = pattern === null ? items : items.filter((member) => matchGlob(pattern, member));
  reply.array(2);
  reply.bulk(next);
  reply.bulkArray(matched);
}

function smismemberCommand(client: Client, argv: string[]): void {
  const set = readSet(client, argv[1] as string);
  client.reply.array(argv.length - 2);
  for (let index = 2; index < argv.length; index += 1)
    client.reply.integer(set?.has(argv[index] as string) === true ? 1 : 0);
}

const WRITE = ["@write", "@set"] as const;
const READ = ["@read", "@set"] as const;

function spec(
  name: string,
  arity: number,
  flags: readonly ("write" | "readonly" | "denyoom" | "fast")[],
  keys: readonly [number, number, number],
  handler: (client: Client, argv: string[]) => void,
): CommandSpec {
  const write = flags.includes("write");
  const fast = flags.includes("fast");
  return defineCommand({
    name,
    arity,
    flags,
    keys,
    categories: [...(write ? WRITE : READ), fast ? "@fast" : "@slow"],
    handler,
  });
}

/** Set command specs. */
export const SET_COMMANDS: readonly CommandSpec[] = [
  spec("sadd", -3, ["write", "denyoom", "fast"], [1, 1, 1], saddCommand),
  spec("srem", -3, ["write", "fast"], [1, 1, 1], sremCommand),
  spec("smembers", 2, ["readonly"], [1, 1, 1], (client, argv) => {
    const set = readSet(client, argv[1] as string);
    const members = set === undefined ? [] : orderedMembers(client, set);
    client.reply.set(members.length);
    for (const member of members) client.reply.bulk(member);
  }),
  spec("sismember", 3, ["readonly", "fast"], [1, 1, 1], (client, argv) =>
    client.reply.integer(readSet(client, argv[1] as string)?.has(argv[2] as string) === true ? 1 : 0),
  ),
  spec("smismember", -3, ["readonly", "fast"], [1, 1, 1], smismemberCommand),
  spec("scard", 2, ["readonly", "fast"], [1, 1, 1], (client, argv) =>
    client.reply.integer(readSet(client, argv[1] as string)?.size ?? 0),
  ),
  spec("spop", -2, ["write", "fast"], [1, 1, 1], spopCommand),
  spec("srandmember", -2, ["readonly"], [1, 1, 1], srandmemberCommand),
  spec("smove", 4, ["write", "fast"], [1, 2, 1], smoveCommand),
  spec("sinter", -2, ["readonly"], [1, -1, 1], (client, argv) => setOperationCommand(client, argv, "inter")),
  spec("sunion", -2, ["readonly"], [1, -1, 1], (client, argv) => setOperationCommand(client, argv, "union")),
  spec("sdiff", -2, ["readonly"], [1, -1, 1], (client, argv) => setOperationCommand(client, argv, "diff")),
  spec("sinterstore", -3, ["write", "denyoom"], [1, -1, 1], (client, argv) =>
    setOperationStoreCommand(client, argv, "inter"),
  ),
  spec("sunionstore", -3, ["write", "denyoom"], [1, -1, 1], (client, argv) =>
    setOperationStoreCommand(client, argv, "union"),
  ),
  spec("sdiffstore", -3, ["write", "denyoom"], [1, -1, 1], (client, argv) =>
    setOperationStoreCommand(client, argv, "diff"),
  ),
  defineCommand({
    name: "sintercard",
    arity: -3,
    flags: ["readonly"],
    keys: [0, 0, 0],
    categories: [...READ, "@slow"],
    handler: sintercardCommand,
  }),
  spec("sscan", -3, ["readonly"], [1, 1, 1], sscanCommand),
];
