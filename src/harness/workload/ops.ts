// Op generation: the seeded mix picks a command, the key picker a key, and writes get values that embed the
// op id (`w<id>|` + filler), so every written value is unique and traceable in history.
import type { Rng } from "../shared/rng.ts";
import type { OpName } from "../scenario/schema.ts";
import type { ResolvedWorkload } from "../scenario/resolved.ts";
import { createKeyPicker, type KeyPicker } from "./keys.ts";
import { materializeFill, type FilledValue, type NumberedKey } from "../shared/generated-values.ts";
import type { CommandArg } from "./resp-encoder.ts";

/** One command to send: name, arguments (+ a filled value sent as the last argument), and what history records. */
export interface GeneratedOp {
  f: OpName;
  /** The key, as prefix + index (numberedKeyText gives the string); also the first argument. */
  key: NumberedKey;
  args: Array<CommandArg>;
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
  SET: "key:",
  GET: "key:",
  DEL: "key:",
  EXPIRE: "key:",
  INCR: "ctr:",
  HSET: "hash:",
  HGET: "hash:",
  LPUSH: "list:",
  RPOP: "list:",
  SADD: "set:",
  ZADD: "zset:",
};

/** Builds a unique value of exactly `size` bytes (at least the id tag) for write `id` (preload uses tag "p"). */
export function createValue(id: number, size: number, tag = "w"): string {
  return materializeFill({ id, bytes: size }, tag);
}

/** Generates ops for one client from the workload and a seeded RNG. */
export class OpGenerator {
  readonly #workload: ResolvedWorkload;
  readonly #rng: Rng;
  readonly #keys: KeyPicker;
  readonly #cumulative: Float64Array;
  readonly #ops: OpName[];
  /** Key prefix of each entry of #ops (an array, not a keyed record: the hot path stays monomorphic). */
  readonly #prefixes: string[];
  /** The same prefixes as bytes. */
  readonly #prefixBytes: Uint8Array[];

  constructor(workload: ResolvedWorkload, rng: Rng, clientIndex: number) {
    this.#workload = workload;
    this.#rng = rng;
    this.#keys = createKeyPicker(workload.keys, rng.fork("keys"), Math.floor((clientIndex * workload.keys.count) / 64));
    this.#cumulative = new Float64Array(workload.mix.length);
    let sum = 0;
    workload.mix.forEach((entry, i) => {
      sum += entry.weight;
      this.#cumulative[i] = sum;
    });
    this.#ops = workload.mix.map((entry) => entry.op);
    this.#prefixes = this.#ops.map((op) => workload.keys.prefix + KEY_NAMESPACES[op]);
    this.#prefixBytes = this.#prefixes.map((prefix) => new Uint8Array(Buffer.from(prefix, "utf8")));
  }

  // Picks the index (in #ops) of the next command by weight.
  #pickOp(): number {
    const ops = this.#ops;
    if (ops.length === 1) return 0;
    const cumulative = this.#cumulative;
    const u = this.#rng.next() * (cumulative[cumulative.length - 1] ?? 1);
    for (let i = 0; i < cumulative.length; i++) if (u < (cumulative[i] ?? 0)) return i;
    return ops.length - 1;
  }

  // Value size drawn uniformly from [minBytes, maxBytes].
  #valueSize(): number {
    const { minBytes, maxBytes } = this.#workload.values;
    return minBytes === maxBytes ? minBytes : minBytes + this.#rng.int(maxBytes - minBytes + 1);
  }

  /** The next op for op id `id`. */
  next(id: number): GeneratedOp {
    const picked = this.#pickOp();
    const f = this.#ops[picked] as OpName;
    const index = this.#keys.next();
    const key: NumberedKey = {
      prefix: this.#prefixes[picked] as string,
      prefixBytes: this.#prefixBytes[picked] as Uint8Array,
      index,
    };
    switch (f) {
      case "SET":
        return { f, key, args: [key], value: undefined, fill: { id, bytes: this.#valueSize() } };
      case "HSET":
        return { f, key, args: [key, `f${index % 16}`], value: undefined, fill: { id, bytes: this.#valueSize() } };
      case "LPUSH":
        return { f, key, args: [key], value: undefined, fill: { id, bytes: this.#valueSize() } };
      case "SADD": {
        const value = `w${id}`;
        return { f, key, args: [key, value], value, fill: undefined };
      }
      case "ZADD": {
        const value = `w${id}`;
        return { f, key, args: [key, id, value], value, fill: undefined };
      }
      case "EXPIRE":
        return { f, key, args: [key, 3600], value: "3600", fill: undefined };
      case "HGET":
        return { f, key, args: [key, `f${index % 16}`], value: undefined, fill: undefined };
      default:
        return { f, key, args: [key], value: undefined, fill: undefined };
    }
  }
}
