// The history record of one operation (Jepsen-style ok | fail | info), as streamed to history.jsonl.gz.
// Times are microseconds relative to the run start (the `t=0` of the run's timeline and events).

/** Outcome of an op: ok (happened), fail (definitely did not), info (unknown: timeout / connection lost after send). */
export type OpType = "ok" | "fail" | "info";

/** One operation as recorded in history.jsonl.gz (one JSON object per line, plus `run`: the run id). */
export interface Op {
  /** Sequence number, unique within a run; write values embed it (`w<id>|...`). */
  id: number;
  /** Client (connection) index that issued it. */
  client: number;
  /** Command name, upper case ("SET", "INCR", ...). */
  f: string;
  key: string;
  /** For writes: the value written (SET/HSET/LPUSH/SADD member/ZADD member, EXPIRE seconds); INCR: the reply; reads (history "all"): the value read. */
  value?: string | undefined;
  type: OpType;
  /** When the command was handed to the client library (µs since run start). */
  invokeUs: number;
  /** When the reply (or error) arrived; absent when the run ended first. */
  completeUs?: number | undefined;
  /** Open loop: when the schedule intended to send it (latency is measured from here). */
  intendedUs?: number | undefined;
  /** For fail/info: the error message (first 120 characters). */
  error?: string | undefined;
}

/** Commands that change data (recorded when history is "writes"). */
export const WRITE_COMMANDS: ReadonlySet<string> = new Set([
  "SET",
  "INCR",
  "DEL",
  "HSET",
  "LPUSH",
  "RPOP",
  "SADD",
  "ZADD",
  "EXPIRE",
]);
