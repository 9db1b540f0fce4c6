// Reader for the LD_PRELOAD shim's journal: validates each length-prefixed, CRC-32-checked record and
// skips torn or garbled ones (the writer may be SIGKILLed mid-record). Format: native/powerloss/powerloss.c.
import { readFile } from "node:fs/promises";

/** Journal record kinds (one letter on disk). */
export const JOURNAL_OPS = {
  H: "hello",
  O: "open",
  D: "open-dir",
  W: "write",
  S: "fsync",
  Y: "fsync-dir",
  F: "sync-file-range",
  R: "rename",
  U: "unlink",
  T: "truncate",
  C: "close",
  G: "sync-all",
} as const;

/** A journal record kind. */
export type JournalOp = (typeof JOURNAL_OPS)[keyof typeof JOURNAL_OPS];

/**
 * One decoded record. Field meaning by op (a, b, c, res as written by the shim):
 * open: a=flags b=created(0|1) c=size after open; write: a=offset (-1 unknown) b=bytes;
 * fsync/fsync-dir: a=0 fsync|1 fdatasync b=size after c=latency ns res=0|-errno;
 * rename: path→path2, dev/ino = moved file, a=inode replaced (0 none), b=1 for a directory, extra=shadow link;
 * unlink: dev/ino = removed file, extra=shadow link; truncate: a=new length; sync-file-range: a=offset b=bytes c=flags.
 */
export interface JournalEvent {
  op: JournalOp;
  /** Wall-clock time (CLOCK_REALTIME) in µs since the Unix epoch. */
  timeUs: number;
  pid: number;
  tid: number;
  fd: number;
  /** "dev:ino" of the file concerned, or "" when unknown. */
  inode: string;
  a: number;
  b: number;
  c: number;
  res: number;
  path: string;
  path2: string;
  extra: string;
}

/** A parsed journal: valid events in order, plus how many bytes/records had to be skipped. */
export interface Journal {
  events: JournalEvent[];
  tornRecords: number;
}

const HEADER_BYTES = 15;
const AT = 0x40;
const NEWLINE = 0x0a;
const FIELD_COUNT = 14;

const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[i] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE 802.3, reflected, as zlib's crc32) of a byte range. */
export function computeCrc32(bytes: Uint8Array, start: number, end: number): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = (CRC_TABLE[(c ^ (bytes[i] ?? 0)) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Parses journal bytes; never throws on damaged input (damaged records are counted in tornRecords). */
export function parseJournal(bytes: Uint8Array): Journal {
  const events: JournalEvent[] = [];
  let tornRecords = 0;
  let position = 0;
  const text = {
    decode: (slice: Uint8Array): string =>
      Buffer.from(slice.buffer, slice.byteOffset, slice.byteLength).toString("utf8"),
  };
  while (position < bytes.length) {
    const parsed = parseRecordAt(bytes, position, text);
    if (parsed !== undefined) {
      if (parsed.event !== undefined) events.push(parsed.event);
      position = parsed.next;
      continue;
    }
    tornRecords++;
    const newline = bytes.indexOf(NEWLINE, position);
    position = newline < 0 ? bytes.length : newline + 1;
  }
  return { events, tornRecords };
}

/** Reads and parses a journal file; a missing file is an empty journal. */
export async function readJournal(logPath: string): Promise<Journal> {
  try {
    return parseJournal(await readFile(logPath));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { events: [], tornRecords: 0 };
    throw error;
  }
}

function parseRecordAt(
  bytes: Uint8Array,
  start: number,
  text: { decode(slice: Uint8Array): string },
): { event: JournalEvent | undefined; next: number } | undefined {
  if (bytes[start] !== AT || start + HEADER_BYTES > bytes.length) return undefined;
  const header = text.decode(bytes.subarray(start, start + HEADER_BYTES));
  const match = /^@([0-9a-f]{4}) ([0-9a-f]{8}) $/.exec(header);
  if (match === null) return undefined;
  const length = Number.parseInt(match[1] ?? "", 16);
  const crc = Number.parseInt(match[2] ?? "", 16);
  const payloadStart = start + HEADER_BYTES;
  const payloadEnd = payloadStart + length;
  if (payloadEnd >= bytes.length || bytes[payloadEnd] !== NEWLINE) return undefined;
  if (computeCrc32(bytes, payloadStart, payloadEnd) !== crc) return undefined;
  return { event: decodePayload(text.decode(bytes.subarray(payloadStart, payloadEnd))), next: payloadEnd + 1 };
}

function decodePayload(payload: string): JournalEvent | undefined {
  const fields = payload.split("\t");
  if (fields.length !== FIELD_COUNT) return undefined;
  const [code, timeNs, pid, tid, fd, dev, ino, a, b, c, res, path, path2, extra] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const op = JOURNAL_OPS[code as keyof typeof JOURNAL_OPS];
  if (op === undefined) return undefined;
  return {
    op,
    // ns since the epoch exceed 2^53: drop the last three digits as text instead of dividing a float.
    timeUs: Number(timeNs.length > 3 ? timeNs.slice(0, -3) : "0"),
    pid: Number(pid),
    tid: Number(tid),
    fd: Number(fd),
    inode: ino === "0" || ino === "" ? "" : `${dev}:${ino}`,
    a: Number(a),
    b: Number(b),
    c: Number(c),
    res: Number(res),
    path,
    path2,
    extra,
  };
}
