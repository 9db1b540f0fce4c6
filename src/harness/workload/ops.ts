// Op generation: the seeded mix picks a command, the key picker a key, and writes get values that embed the
// op id (`w<id>|` + filler), so every written value is unique and traceable in history.
import type { Rng } from "../shared/rng.ts";
import type { OpName } from "../scenario/schema.ts";
import type { ResolvedWorkload } from "../scenario/resolved.ts";
import { createKeyPicker, type KeyPicker } from "./keys.ts";
import { materializeFill, type FilledValue } from "./resp-encoder.ts";

/** One command to send: name, arguments (+ a filled value sent as the last argument), and what history records. */
export interface GeneratedOp {
  f: OpName;
  key: string;
  args: Array<string | number>;
  /** The written value, when it is not a FilledValue (SADD/ZADD members, EXPIRE seconds). */
  value: string | undefined;
  /** A generated value (`w<id>|` + filler), sent as the last argument without building the string. */
  fill?: FilledValue | undefined;
}

/** The value an op writes, as a string (materialising a FilledValue), or undefined for reads. */
export function getOpValue(op: GeneratedOp): string | undefined {
  return op.value ?? (op.fill === undefined ? undefined : materializeFill(op.fill));
}

/** Key namespace per data type, so e.g. INCR never hits a non-numeric string. */
export const KEY_NAMESPACES: Readonly<Record<OpName, string>> = {
  SET: "key:", GET: "key:", DEL: "key:", EXPIRE: "key:", INCR: "ctr:", HSET: "hash:", HGET: "hash:", LPUSH: "list:", RPOP: "list:", SADD: "set:", ZADD: "zset:",
};

const FILLER = "x".repeat(1 << 16);

/** Builds a unique value of exactly `size` bytes (at least the id tag) for write `id`. */
export function createValue(id: number, size: number, tag = "w"): string {
  const head = `${tag}${id}|`;
  return size <= head.length ? head : head + FILLER.slice(0, size - head.length);
}

// Key strings per namespace, built once and shared by every generator (flat strings encode faster).
const KEY_CACHE = new Map<string, string[]>();
const MAX_CACHED_KEYS = 2_000_000;

// The key string for a namespace prefix and index.
function getKey(prefix: string, index: number): string {
  let cache = KEY_CACHE.get(prefix);
  if (cache === undefined) {
    cache = [];
    KEY_CACHE.set(prefix, cache);
  }
  if (index >= MAX_CACHED_KEYS) return prefix + index;
  return (cache[index] ??= prefix + index);
}

/** Generates ops for one client from the workload and a seeded RNG. */
export class OpGenerator {
  readonly #workload: ResolvedWorkload;
  readonly #rng: Rng;
  readonly #keys: KeyPicker;
  readonly #cumulative: Float64Array;
  readonly #ops: OpName[];
  readonly #prefixes: Record<OpName, string>;

  constructor(workload: ResolvedWorkload, rng: Rng, clientIndex: number) {
    this.#workload = workload;
    this.#rng = rng;
    this.#keys = createKeyPicker(workload.keys, rng.fork("keys"), Math.floor((clientIndex * workload.keys.count) / 64));
    this.#cumulative = new Float64Array(workload.mix.length);
    let sum = 0;
    workload.mix.forEach((entry, i) => { sum += entry.weight; this.#cumulative[i] = sum; });
    this.#ops = workload.mix.map((entry) => entry.op);
    this.#prefixes = Object.fromEntries(Object.entries(KEY_NAMESPACES).map(([op, ns]) => [op, workload.keys.prefix + ns])) as Record<OpName, string>;
  }

  // Picks the next command name by weight.
  #pickOp(): OpName {
    const ops = this.#ops;
    if (ops.length === 1) return ops[0] as OpName;
    const cumulative = this.#cumulative;
    const u = this.#rng.next() * (cumulative[cumulative.length - 1] ?? 1);
    for (let i = 0; i < cumulative.length; i++) if (u < (cumulative[i] ?? 0)) return ops[i] as OpName;
    return ops[ops.length - 1] as OpName;
  }

  // Value size drawn uniformly from [minBytes, maxBytes].
  #valueSize(): number {
    const { minBytes, maxBytes } = this.#workload.values;
    return minBytes === maxBytes ? minBytes : minBytes + this.#rng.int(maxBytes - minBytes + 1);
  }

  /** The next op for op id `id`. */
  next(id: number): GeneratedOp {
    const f = this.#pickOp();
    const index = this.#keys.next();
    const key = getKey(this.#prefixes[f], index);
    switch (f) {
      case "SET": return { f, key, args: [key], value: undefined, fill: { head: `w${id}|`, bytes: this.#valueSize() } };
      case "HSET": return { f, key, args: [key, `f${index % 16}`], value: undefined, fill: { head: `w${id}|`, bytes: this.#valueSize() } };
      case "LPUSH": return { f, key, args: [key], value: undefined, fill: { head: `w${id}|`, bytes: this.#valueSize() } };
      case "SADD": { const value = `w${id}`; return { f, key, args: [key, value], value }; }
      case "ZADD": { const value = `w${id}`; return { f, key, args: [key, id, value], value }; }
      case "EXPIRE": return { f, key, args: [key, 3600], value: "3600" };
      case "HGET": return { f, key, args: [key, `f${index % 16}`], value: undefined };
      default: return { f, key, args: [key], value: undefined };
    }
  }
}
