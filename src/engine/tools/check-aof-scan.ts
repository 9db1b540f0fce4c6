// The single-file check of redis-check-aof 7.0 (checkSingleAof / processRESP / processAnnotations),
// reproduced over a buffer: the same offsets, line counting, error texts and truncation points.

/** Where the scan stopped and why. */
export interface AofScanResult {
  /** Offset of the first byte after the last valid command (ok_up_to). */
  readonly okUpTo: number;
  /** The `0x<offset>: <message>` error, or "" when none. */
  readonly error: string;
  /** "AOF <name> format error" was printed (an unexpected first byte). */
  readonly formatError: boolean;
  /** --truncate-to-timestamp: offset of the first annotation past the timestamp, when one was found. */
  readonly timestampCut: number | null;
}

/** Scanner state that redis-check-aof keeps in globals across files (the line counter). */
export interface ScanCounters {
  line: number;
  /** readLong's 128-byte line buffer (its stale bytes show in one error message). */
  readonly lineBuffer: Uint8Array;
}

/** Fresh counters for a check run. */
export function createScanCounters(): ScanCounters {
  return { line: 1, lineBuffer: new Uint8Array(129) };
}

/** The timestamp rule's failures that make redis-check-aof exit. */
export class TimestampAbort extends Error {}

// fgets(buf, size): up to size-1 bytes, stopping after a newline. Returns the bytes read (null at EOF).
function fgets(buffer: Uint8Array, start: number, size: number): Uint8Array | null {
  if (start >= buffer.length) return null;
  let end = start;
  const limit = Math.min(buffer.length, start + size - 1);
  while (end < limit) {
    end += 1;
    if (buffer[end - 1] === 0x0a) break;
  }
  return buffer.subarray(start, end);
}

// printf("%02x", (char)byte) on a signed-char platform.
function hexSignedChar(byte: number): string {
  return (byte >= 0x80 ? (byte | 0xffffff00) >>> 0 : byte).toString(16).padStart(2, "0");
}

/** Scans AOF commands from `start` (after any RDB preamble). */
export function scanAofCommands(options: {
  buffer: Uint8Array;
  start: number;
  /** The path redis-check-aof names in MULTI/EXEC errors. */
  path: string;
  counters: ScanCounters;
  /** --truncate-to-timestamp value, 0 when not given. */
  toTimestamp: number;
  lastFile: boolean;
}): AofScanResult {
  const { buffer, path, counters, toTimestamp } = options;
  let cursor = options.start;
  const lineBuffer = options.counters.lineBuffer;
  let error = "";
  let epos = 0;
  let multi = 0;
  let pos = cursor;
  let hitEof = false;
  const setError = (message: string): void => {
    error = `0x${epos.toString(16).padStart(16, " ")}: ${message}`;
  };
  const consumeNewline = (bytes: Uint8Array, at: number): boolean => {
    const first = at < bytes.length ? (bytes[at] as number) : 0;
    const second = at + 1 < bytes.length ? (bytes[at + 1] as number) : 0;
    if (first !== 0x0d || second !== 0x0a) {
      setError(`Expected \\r\\n, got: ${hexSignedChar(first)}${hexSignedChar(second)}`);
      return false;
    }
    counters.line += 1;
    return true;
  };
  // readLong: a prefix byte, a strtol number, then \r\n, all within one 128-byte fgets. Redis reads
  // into a stack buffer whose bytes past the NUL show in one error message: for the argument count
  // they are those of the previous count line (observed), for a bulk length they read as zeros.
  const readLong = (prefix: string): number | null => {
    if (prefix === "$") lineBuffer.fill(0);
    epos = cursor;
    const read = fgets(buffer, cursor, 128);
    if (read === null) {
      hitEof = true;
      return null;
    }
    lineBuffer.set(read, 0);
    lineBuffer[read.length] = 0;
    const line = lineBuffer.subarray(0, Math.min(128, read.length + 2));
    cursor += read.length;
    if (read.length < 128 - 1 && read[read.length - 1] !== 0x0a) hitEof = cursor >= buffer.length;
    if (line[0] !== prefix.charCodeAt(0)) {
      setError(`Expected prefix '${prefix}', got: '${String.fromCharCode(line[0] as number)}'`);
      return null;
    }
    const text = Buffer.from(read.buffer, read.byteOffset, read.length).toString("latin1", 1);
    const match = /^\s*[+-]?\d*/.exec(text) as RegExpExecArray;
    const digits = match[0].trim();
    const value = /\d/.test(digits) ? Number(digits) : 0;
    const numberEnd = /\d/.test(digits) ? 1 + match[0].length : 1;
    if (!consumeNewline(line, numberEnd)) return null;
    return value;
  };
  const readString = (): string | null => {
    const length = readLong("$");
    if (length === null) return null;
    if (length < 0 || length > Number.MAX_SAFE_INTEGER - 2) {
      setError(`Expected to read string of ${length} bytes, which is not in the suitable range`);
      return null;
    }
    epos = cursor;
    const want = length + 2;
    const available = Math.min(want, buffer.length - cursor);
    if (available !== want) {
      cursor += available;
      hitEof = true;
      setError(`Expected to read ${want} bytes, got ${available} bytes`);
      return null;
    }
    const data = buffer.subarray(cursor, cursor + want);
    cursor += want;
    if (!consumeNewline(data, length)) return null;
    return Buffer.from(data.buffer, data.byteOffset, length).toString("latin1");
  };
  const processResp = (): boolean => {
    const argc = readLong("*");
    if (argc === null) return false;
    for (let index = 0; index < argc; index += 1) {
      const text = readString();
      if (text === null) return false;
      if (index === 0) {
        const name = text.toLowerCase();
        if (name === "multi") {
          if (multi++ !== 0) {
            setError(`Unexpected MULTI in AOF ${path}`);
            return false;
          }
        } else if (name === "exec") {
          if (--multi !== 0) {
            setError(`Unexpected EXEC in AOF ${path}`);
            return false;
          }
        }
      }
    }
    return true;
  };
  let formatError = false;
  for (;;) {
    if (multi === 0) pos = cursor;
    if (cursor >= buffer.length) {
      hitEof = true;
      break;
    }
    const first = buffer[cursor];
    if (first === 0x23) {
      epos = cursor;
      const line = fgets(buffer, cursor, 1024) as Uint8Array;
      cursor += line.length;
      const text = Buffer.from(line.buffer, line.byteOffset, line.length).toString("latin1");
      if (toTimestamp !== 0 && text.startsWith("#TS:")) {
        const match = /^[+-]?\d*/.exec(text.slice(4)) as RegExpExecArray;
        if (text[4 + match[0].length] !== "\r") throw new TimestampAbort("Invalid timestamp annotation");
        const timestamp = Number(match[0] === "" ? 0 : match[0]);
        if (timestamp <= toTimestamp) continue;
        if (epos === 0)
          throw new TimestampAbort(`AOF ${path} has nothing before timestamp ${toTimestamp}, aborting...`);
        if (!options.lastFile) {
          throw new TimestampAbort(
            `Failed to truncate AOF ${path} to timestamp ${toTimestamp} to offset ${epos} because it is not the last file.\n` +
              "If you insist, please delete all files after this file according to the manifest file and delete the corresponding records in manifest file manually. Then re-run redis-check-aof.",
          );
        }
        return { okUpTo: pos, error, formatError, timestampCut: epos };
      }
    } else if (first === 0x2a) {
      if (!processResp()) break;
    } else {
      formatError = true;
      break;
    }
  }
  if (hitEof && multi !== 0 && error === "") {
    setError("Reached EOF before reading EXEC for MULTI");
  }
  return { okUpTo: pos, error, formatError, timestampCut: null };
}
