// Per-key register view of a history for the durability checker: SET writes a value, DEL writes
// "absent"; the real-time order between two writes (A older than B when A completed before B was invoked).
import type { Op } from "../history/op.ts";

/** A candidate for the state of one key: a real write from the history, or a synthetic starting state. */
export interface RegisterWrite {
  /** Op id, or -1 for a synthetic state. */
  id: number;
  key: string;
  /** The value written; null for DEL (and for the initial absence). */
  value: string | null;
  /** Acknowledged: the engine replied OK (synthetic states that were read back count as acknowledged). */
  acked: boolean;
  type: Op["type"] | "initial" | "recovered";
  invokeUs: number;
  /** Reply time; +Infinity when there was no reply (the write may take effect at any later moment). */
  completeUs: number;
}

/** Commands the register view understands; any other write makes the key unchecked. */
export const REGISTER_COMMANDS: ReadonlySet<string> = new Set(["SET", "DEL"]);

/** Write commands that change a key in a way SET/DEL values cannot describe (the key is then not checked). */
export const OPAQUE_WRITE_COMMANDS: ReadonlySet<string> = new Set([
  "INCR",
  "HSET",
  "LPUSH",
  "RPOP",
  "SADD",
  "ZADD",
  "EXPIRE",
  "APPEND",
  "INCRBY",
  "DECR",
  "GETSET",
  "MSET",
]);

/** Whether write a is real-time older than write b (a's reply came before b was sent). */
export function isOlder(a: RegisterWrite, b: RegisterWrite): boolean {
  return a.completeUs < b.invokeUs;
}

/** Converts a history op into a register write (SET/DEL only; undefined otherwise). */
export function toRegisterWrite(op: Op): RegisterWrite | undefined {
  const command = op.f.toUpperCase();
  if (!REGISTER_COMMANDS.has(command)) return undefined;
  const value = command === "DEL" ? null : (op.value ?? null);
  if (command === "SET" && value === null) return undefined;
  return {
    id: op.id,
    key: op.key,
    value,
    acked: op.type === "ok" && op.completeUs !== undefined,
    type: op.type,
    invokeUs: op.invokeUs,
    completeUs: op.type === "ok" && op.completeUs !== undefined ? op.completeUs : Number.POSITIVE_INFINITY,
  };
}

/** A round's writes by key: register writes, INCR-only keys (counters), and keys no view can follow. */
export interface GroupedWrites {
  byKey: Map<string, RegisterWrite[]>;
  /** Keys written only by INCR in the window (no SET/DEL/other writes): their INCR ops in history order. */
  counters: Map<string, Op[]>;
  opaqueKeys: Set<string>;
  /** Keys given a time to live in the window (EXPIRE): they may vanish by themselves later. */
  volatileKeys: Set<string>;
}

/** Commands that give a key a time to live. */
const TTL_COMMANDS: ReadonlySet<string> = new Set(["EXPIRE"]);

/**
 * Groups the writes invoked in (fromUs, toUs] by key; keys touched by other write commands are listed apart
 * (`isCounterCommand`: commands followed by the counter view, for keys written by nothing else in the window).
 */
export function groupWritesByKey(
  history: readonly Op[],
  fromUs: number,
  toUs: number,
  isCounterCommand: (command: string) => boolean = () => false,
): GroupedWrites {
  const byKey = new Map<string, RegisterWrite[]>();
  const counters = new Map<string, Op[]>();
  const opaqueKeys = new Set<string>();
  const volatileKeys = new Set<string>();
  for (const op of history) {
    if (op.invokeUs <= fromUs || op.invokeUs > toUs) continue;
    const write = toRegisterWrite(op);
    if (write === undefined) {
      const command = op.f.toUpperCase();
      if (TTL_COMMANDS.has(command)) volatileKeys.add(op.key);
      if (isCounterCommand(command)) {
        const list = counters.get(op.key);
        if (list === undefined) counters.set(op.key, [op]);
        else list.push(op);
      } else if (OPAQUE_WRITE_COMMANDS.has(command)) opaqueKeys.add(op.key);
      continue;
    }
    const list = byKey.get(write.key);
    if (list === undefined) byKey.set(write.key, [write]);
    else list.push(write);
  }
  // A key mixing counter commands with other writes in one window is followed by neither view.
  for (const key of counters.keys()) {
    if (byKey.has(key) || opaqueKeys.has(key)) {
      counters.delete(key);
      opaqueKeys.add(key);
    }
  }
  return { byKey, counters, opaqueKeys, volatileKeys };
}
