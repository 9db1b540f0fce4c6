// Incremental RESP2 request parser: bytes in, commands (arrays of latin1 strings) out.
// Handles multibulk and inline requests across chunk boundaries and enforces the protocol limits
// (bulk length, multibulk length, query buffer) so one client can never make the server buffer more.

/** Limits a parser enforces; values as Redis's proto-max-bulk-len and client-query-buffer-limit. */
export interface ParserLimits {
  readonly maxBulkBytes: number;
  readonly maxMultibulkLength: number;
  readonly maxInlineBytes: number;
  readonly maxQueryBufferBytes: number;
}

/** Redis's defaults (512 MB bulk, 1 GB query buffer, 64 KB inline). */
export const DEFAULT_PARSER_LIMITS: ParserLimits = {
  maxBulkBytes: 512 * 1024 * 1024,
  maxMultibulkLength: 1024 * 1024 * 1024,
  maxInlineBytes: 64 * 1024,
  maxQueryBufferBytes: 1024 * 1024 * 1024,
};

/** A protocol error: the connection gets this text as an error reply and is then closed. */
export class ProtocolError extends Error {
  override readonly name = "ProtocolError";
}

const CR = 13;
const LF = 10;

/** Feeds chunks, yields complete commands; keeps only the incomplete tail between calls. */
export class RespParser {
  private buffer: Buffer = Buffer.alloc(0);
  private offset = 0;
  // State of a multibulk request in progress.
  private pendingArgs: string[] | null = null;
  private pendingCount = 0;
  private pendingBulkLength = -1;
  private readonly limits: ParserLimits;

  constructor(limits: ParserLimits = DEFAULT_PARSER_LIMITS) {
    this.limits = limits;
  }

  /** Bytes buffered but not yet parsed into commands. */
  get bufferedBytes(): number {
    return this.buffer.length - this.offset;
  }

  /** Appends a chunk and calls onCommand for each complete command; throws ProtocolError on bad input. */
  feed(chunk: Buffer, onCommand: (argv: string[]) => void): void {
    if (this.offset >= this.buffer.length) {
      this.buffer = chunk;
    } else {
      this.buffer = Buffer.concat([this.buffer.subarray(this.offset), chunk]);
    }
    this.offset = 0;
    for (;;) {
      const argv = this.parseOne();
      if (argv === null) break;
      if (argv.length > 0) onCommand(argv);
    }
    if (this.offset >= this.buffer.length) {
      this.buffer = EMPTY;
      this.offset = 0;
    } else if (this.buffer.length - this.offset > this.limits.maxQueryBufferBytes) {
      throw new ProtocolError("Protocol error: query buffer limit exceeded");
    }
  }

  private parseOne(): string[] | null {
    const buffer = this.buffer;
    if (this.pendingArgs === null) {
      if (this.offset >= buffer.length) return null;
      if (buffer[this.offset] !== 0x2a /* '*' */) return this.parseInline();
      const lineEnd = buffer.indexOf(CR, this.offset);
      if (lineEnd === -1 || lineEnd + 1 >= buffer.length) {
        if (buffer.length - this.offset > this.limits.maxInlineBytes) {
          throw new ProtocolError("Protocol error: too big mbulk count string");
        }
        return null;
      }
      const count = parseInteger(buffer, this.offset + 1, lineEnd);
      if (count === null || count > this.limits.maxMultibulkLength) {
        throw new ProtocolError("Protocol error: invalid multibulk length");
      }
      this.offset = lineEnd + 2;
      if (count <= 0) return [];
      this.pendingArgs = [];
      this.pendingCount = count;
      this.pendingBulkLength = -1;
    }
    const args = this.pendingArgs;
    while (args.length < this.pendingCount) {
      if (this.pendingBulkLength === -1) {
        if (this.offset >= buffer.length) return null;
        if (buffer[this.offset] !== 0x24 /* '$' */) {
          throw new ProtocolError(`Protocol error: expected '$', got '${String.fromCharCode(buffer[this.offset] ?? 0)}'`);
        }
        const lineEnd = buffer.indexOf(CR, this.offset);
        if (lineEnd === -1 || lineEnd + 1 >= buffer.length) {
          if (buffer.length - this.offset > this.limits.maxInlineBytes) {
            throw new ProtocolError("Protocol error: too big bulk count string");
          }
          return null;
        }
        const length = parseInteger(buffer, this.offset + 1, lineEnd);
        if (length === null || length < 0 || length > this.limits.maxBulkBytes) {
          throw new ProtocolError("Protocol error: invalid bulk length");
        }
        this.pendingBulkLength = length;
        this.offset = lineEnd + 2;
      }
      const end = this.offset + this.pendingBulkLength;
      if (end + 2 > buffer.length) return null;
      args.push(sliceLatin1(buffer, this.offset, end));
      this.offset = end + 2;
      this.pendingBulkLength = -1;
    }
    this.pendingArgs = null;
    return args;
  }

  // Inline commands: one line of space-separated words, with Redis's quoting rules.
  private parseInline(): string[] | null {
    const buffer = this.buffer;
    const lineEnd = buffer.indexOf(LF, this.offset);
    if (lineEnd === -1) {
      if (buffer.length - this.offset > this.limits.maxInlineBytes) {
        throw new ProtocolError("Protocol error: too big inline request");
      }
      return null;
    }
    let end = lineEnd;
    if (end > this.offset && buffer[end - 1] === CR) end -= 1;
    const line = sliceLatin1(buffer, this.offset, end);
    this.offset = lineEnd + 1;
    const words = splitArgs(line);
    if (words === null) throw new ProtocolError("Protocol error: unbalanced quotes in request");
    return words;
  }
}

const EMPTY = Buffer.alloc(0);

type Latin1Slicer = (buffer: Buffer, start: number, end: number) => string;
// Node's Buffer has a fast internal latin1Slice; other runtimes get the public toString.
const nativeLatin1 = (Buffer.prototype as unknown as { latin1Slice?: (start: number, end: number) => string }).latin1Slice;
const sliceLatin1: Latin1Slicer =
  nativeLatin1 === undefined
    ? (buffer, start, end) => buffer.toString("latin1", start, end)
    : (buffer, start, end) => nativeLatin1.call(buffer, start, end);

// Parses a decimal integer between start and end; null when not a valid integer.
function parseInteger(buffer: Buffer, start: number, end: number): number | null {
  if (start >= end || end - start > 20) return null;
  let index = start;
  let negative = false;
  if (buffer[index] === 0x2d) {
    negative = true;
    index += 1;
    if (index >= end) return null;
  }
  let value = 0;
  for (; index < end; index += 1) {
    const digit = (buffer[index] ?? 0) - 48;
    if (digit < 0 || digit > 9) return null;
    value = value * 10 + digit;
  }
  return negative ? -value : value;
}

/** Splits a line into arguments like Redis's sdssplitargs: quotes, escapes; null when quotes are unbalanced. */
export function splitArgs(line: string): string[] | null {
  const result: string[] = [];
  let index = 0;
  const length = line.length;
  for (;;) {
    while (index < length && isSpace(line.charCodeAt(index))) index += 1;
    if (index >= length) return result;
    let current = "";
    let inDouble = false;
    let inSingle = false;
    let done = false;
    while (!done) {
      if (inDouble) {
        if (index >= length) return null;
        const ch = line[index] ?? "";
        if (ch === "\\" && line[index + 1] === "x" && isHex(line[index + 2]) && isHex(line[index + 3])) {
          current += String.fromCharCode(parseInt(line.slice(index + 2, index + 4), 16));
          index += 3;
        } else if (ch === "\\" && index + 1 < length) {
          index += 1;
          const escaped = line[index] ?? "";
          current += ESCAPES[escaped] ?? escaped;
        } else if (ch === '"') {
          if (index + 1 < length && !isSpace(line.charCodeAt(index + 1))) return null;
          done = true;
        } else {
          current += ch;
        }
      } else if (inSingle) {
        if (index >= length) return null;
        const ch = line[index] ?? "";
        if (ch === "\\" && line[index + 1] === "'") {
          index += 1;
          current += "'";
        } else if (ch === "'") {
          if (index + 1 < length && !isSpace(line.charCodeAt(index + 1))) return null;
          done = true;
        } else {
          current += ch;
        }
      } else {
        if (index >= length) {
          done = true;
          break;
        }
        const ch = line[index] ?? "";
        if (isSpace(ch.charCodeAt(0))) {
          done = true;
        } else if (ch === '"') {
          inDouble = true;
        } else if (ch === "'") {
          inSingle = true;
        } else {
          current += ch;
        }
      }
      index += 1;
    }
    result.push(current);
  }
}

const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", b: "\b", a: "\x07" };

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 11 || code === 12;
}

function isHex(ch: string | undefined): boolean {
  return ch !== undefined && /^[0-9a-fA-F]$/.test(ch);
}
