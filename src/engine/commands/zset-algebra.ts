// Sorted-set algebra (Redis 7.0's zunionInterDiffGenericCommand): ZUNION, ZINTER, ZDIFF,
// ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE, ZINTERCARD. Inputs may be sorted sets or sets (members
// score 1); WEIGHTS multiply, AGGREGATE SUM|MIN|MAX combines (a NaN from inf-inf or 0*inf is 0).
// The *STORE forms propagate as sent: on replay they read the same inputs.
import { ERRORS, ReplyError } from "../errors.ts";
import { markConverted } from "../keyspace/encoding.ts";
import { ZSetValue } from "../keyspace/values.ts";
import type { Client } from "../server/context-types.ts";
import { isKeyword, parseFloatArg, parseInteger, parsePositiveCount } from "./arguments.ts";
import { countLookup, markDirty } from "./access.ts";
import { numkeysKeys } from "./multi-key-pop.ts";
import { replyEntries } from "./sorted-sets.ts";
import { defineCommand, type CommandSpec } from "./types.ts";

type Operation = "union" | "inter" | "diff";
type Aggregate = "sum" | "min" | "max";

/** One input: its members with scores (a set's members score 1), and its weight. */
interface Source {
  readonly scores: ReadonlyMap<string, number>;
  weight: number;
}

const EMPTY: ReadonlyMap<string, number> = new Map();

function readSource(client: Client, key: string): Source {
  const value = countLookup(client, client.db.get(key));
  if (value === undefined) return { scores: EMPTY, weight: 1 };
  if (value instanceof ZSetValue) return { scores: value.scores, weight: 1 };
  if (value instanceof Set) return { scores: new Map([...value].map((member) => [member, 1])), weight: 1 };
  throw new ReplyError(ERRORS.wrongType);
}

function aggregateInto(current: number, value: number, aggregate: Aggregate): number {
  if (aggregate === "sum") {
    const sum = current + value;
    return Number.isNaN(sum) ? 0 : sum;
  }
  if (aggregate === "min") return value < current ? value : current;
  return value > current ? value : current;
}

const weighted = (score: number, weight: number): number => {
  const value = score * weight;
  return Number.isNaN(value) ? 0 : value;
};

/** Parsed arguments of one call. */
interface AlgebraCall {
  readonly sources: Source[];
  aggregate: Aggregate;
  withScores: boolean;
  /** ZINTERCARD LIMIT (0 = none). */
  limit: number;
}

// numkeys key... then WEIGHTS / AGGREGATE / WITHSCORES / LIMIT as the command allows, with Redis's
// order of checks: numkeys, the inputs' types, then the options.
function parseCall(
  client: Client,
  argv: readonly string[],
  numkeysIndex: number,
  operation: Operation,
  stores: boolean,
  cardinalityOnly: boolean,
): AlgebraCall {
  const name = (argv[0] as string).toLowerCase();
  const numkeys = parseInteger(argv[numkeysIndex] as string);
  if (numkeys < 1) throw new ReplyError(`ERR at least 1 input key is needed for '${name}' command`);
  if (numkeys > argv.length - (numkeysIndex + 1)) throw new ReplyError(ERRORS.syntax);
  const sources: Source[] = [];
  for (let index = 0; index < numkeys; index += 1)
    sources.push(readSource(client, argv[numkeysIndex + 1 + index] as string));
  const call: AlgebraCall = { sources, aggregate: "sum", withScores: false, limit: 0 };
  let index = numkeysIndex + 1 + numkeys;
  while (index < argv.length) {
    const remaining = argv.length - index;
    const word = argv[index] as string;
    if (operation !== "diff" && !cardinalityOnly && remaining >= numkeys + 1 && isKeyword(word, "WEIGHTS")) {
      for (let source = 0; source < numkeys; source += 1) {
        (sources[source] as Source).weight = parseFloatArg(
          argv[index + 1 + source] as string,
          "ERR weight value is not a float",
        );
      }
      index += numkeys + 1;
    } else if (operation !== "diff" && !cardinalityOnly && remaining >= 2 && isKeyword(word, "AGGREGATE")) {
      const mode = argv[index + 1] as string;
      if (isKeyword(mode, "SUM")) call.aggregate = "sum";
      else if (isKeyword(mode, "MIN")) call.aggregate = "min";
      else if (isKeyword(mode, "MAX")) call.aggregate = "max";
      else throw new ReplyError(ERRORS.syntax);
      index += 2;
    } else if (!stores && !cardinalityOnly && isKeyword(word, "WITHSCORES")) {
      call.withScores = true;
      index += 1;
    } else if (cardinalityOnly && remaining >= 2 && isKeyword(word, "LIMIT")) {
      call.limit = parsePositiveCount(argv[index + 1] as string, "ERR LIMIT can't be negative");
      index += 2;
    } else throw new ReplyError(ERRORS.syntax);
  }
  return call;
}

// Smallest input first (a stable sort, as glibc's qsort is for these sizes).
const bySize = (sources: readonly Source[]): Source[] => [...sources].sort((a, b) => a.scores.size - b.scores.size);

function intersect(call: AlgebraCall, onMember: (member: string, score: number) => boolean): void {
  const sources = bySize(call.sources);
  const first = sources[0] as Source;
  if (first.scores.size === 0) return;
  for (const [member, score] of first.scores) {
    let total = weighted(score, first.weight);
    let everywhere = true;
    for (let index = 1; index < sources.length; index += 1) {
      const source = sources[index] as Source;
      const other = source.scores.get(member);
      if (other === undefined) {
        everywhere = false;
        break;
      }
      total = aggregateInto(total, other * source.weight, call.aggregate);
    }
    if (everywhere && !onMember(member, total)) return;
  }
}

function unite(call: AlgebraCall): Map<string, number> {
  const result = new Map<string, number>();
  for (const source of bySize(call.sources)) {
    for (const [member, score] of source.scores) {
      const value = weighted(score, source.weight);
      const current = result.get(member);
      result.set(member, current === undefined ? value : aggregateInto(current, value, call.aggregate));
    }
  }
  return result;
}

function difference(call: AlgebraCall): Map<string, number> {
  const [first, ...others] = call.sources as [Source, ...Source[]];
  const result = new Map<string, number>();
  for (const [member, score] of first.scores) {
    if (!others.some((other) => other.scores.has(member))) result.set(member, score);
  }
  return result;
}

function compute(call: AlgebraCall, operation: Operation): ZSetValue {
  let members: Map<string, number>;
  if (operation === "union") members = unite(call);
  else if (operation === "diff") members = difference(call);
  else {
    members = new Map();
    intersect(call, (member, score) => {
      members.set(member, score);
      return true;
    });
  }
  const result = new ZSetValue();
  for (const [member, score] of members) result.add(member, score);
  return result;
}

function algebraCommand(client: Client, argv: string[], operation: Operation, stores: boolean): void {
  const call = parseCall(client, argv, stores ? 2 : 1, operation, stores, false);
  const result = compute(call, operation);
  if (!stores) {
    replyEntries(client, result.entries(), call.withScores);
    return;
  }
  const destination = argv[1] as string;
  const db = client.db;
  if (result.length > 0) {
    // As zsetConvertToListpackIfNeeded: a result over the listpack limits stays a skiplist.
    const settings = client.server.settings;
    if (
      result.length > settings.zsetMaxListpackEntries ||
      result.entries().some((entry) => entry.member.length > settings.zsetMaxListpackValue)
    ) {
      markConverted(result);
    }
    db.set(destination, result);
    markDirty(client);
  } else if (db.delete(destination)) markDirty(client);
  client.reply.integer(result.length);
}

function zintercardCommand(client: Client, argv: string[]): void {
  const call = parseCall(client, argv, 1, "inter", false, true);
  let cardinality = 0;
  intersect(call, () => {
    cardinality += 1;
    return call.limit === 0 || cardinality < call.limit;
  });
  client.reply.integer(cardinality);
}

function spec(
  name: string,
  write: boolean,
  numkeysIndex: number,
  handler: (client: Client, argv: string[]) => void,
): CommandSpec {
  return defineCommand({
    name,
    arity: write ? -4 : -3,
    flags: write ? ["write", "denyoom"] : ["readonly"],
    keys: write ? [1, 1, 1] : [0, 0, 0],
    categories: [write ? "@write" : "@read", "@sortedset", "@slow"],
    handler,
    getKeys: (argv) => numkeysKeys(argv, numkeysIndex, write ? 1 : undefined),
  });
}

/** Sorted-set algebra specs. */
export const ZSET_ALGEBRA_COMMANDS: readonly CommandSpec[] = [
  spec("zunionstore", true, 2, (client, argv) => algebraCommand(client, argv, "union", true)),
  spec("zinterstore", true, 2, (client, argv) => algebraCommand(client, argv, "inter", true)),
  spec("zdiffstore", true, 2, (client, argv) => algebraCommand(client, argv, "diff", true)),
  spec("zunion", false, 1, (client, argv) => algebraCommand(client, argv, "union", false)),
  spec("zinter", false, 1, (client, argv) => algebraCommand(client, argv, "inter", false)),
  spec("zdiff", false, 1, (client, argv) => algebraCommand(client, argv, "diff", false)),
  spec("zintercard", false, 1, zintercardCommand),
];
