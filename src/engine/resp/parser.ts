// Incremental RESP2 request parser: bytes in, commands (arrays of latin1 strings) out.
// Handles multibulk and inline requests across chunk boundaries with Redis 7.0's rules and error
// texts, and enforces the protocol limits (bulk length, multibulk length, inline size, query
// buffer, stricter sizes before AUTH) so one client can never make the server buffer more.
// Large bulk arguments are assembled in one preallocated buffer, never by repeated concatenation.
// Chunks are not retained after feed() returns (the server may reuse its read buffer).
import { splitArgs } from "../util/split-args.ts";

/** Limits a parser enforces; values as Redis's proto-max-bulk-len and client-query-buffer-limit. */
export interface ParserLimits {
  readonly maxBulkBytes: number;
  readonly maxMultibulkLength: number;
  readonly maxInlineBytes: number;
  readonly maxQueryBufferBytes: number;
}

/** Redis's defaults (512 MB bulk, INT_MAX arguments, 64 KB inline, 1 GB query buffer). */
export const DEFAULT_PARSER_LIMITS: ParserLimits = {
  maxBulkBytes: 512 * 1024 * 1024,
  maxMultibulkLength: 2147483647,
  maxInlineBytes: 64 * 1024,
  maxQueryBufferBytes: 1024 * 1024 * 1024,
};

/** A protocol error: the connection gets `-ERR <message>` and is then closed. */
export class ProtocolError extends Error {
  override readonly name = "ProtocolError";
}

/** The client's pending input passed client-query-buffer-limit: Redis closes it without a reply. */
export class QueryBufferLimitError extends Error {
  override readonly name = "QueryBufferLimitError";
}

const CR = 13;
const LF = 10;
/** Bulk arguments at least this long are assembled in their own buffer. */
const BIG_BULK_BYTES = 32 * 1024;
/** Before AUTH, Redis refuses more than 10 arguments and bulks over 16 KB. */
const UNAUTHENTICATED_MAX_ARGUMENTS = 10;
const UNAUTHENTICATED_MAX_BULK = 16384;
const EMPTY = Buffer.alloc(0);

/** Feeds chunks, yields complete commands; keeps only the incomplete tail between calls. */
export class RespParser {
  /** Set by the owner while the client still has to authenticate (stricter limits apply). */
  unauthenticated = false;
  private buffer: Buffer = EMPTY;
  private offset = 0;
  // State of a multibulk request in progress.
  private pendingArgs: string[] | null = null;
  private pendingCount = 0;
  private pendingBulkLength = -1;
  // A large bulk being assembled: its bytes (plus CRLF) and how many arrived.
  private bigBulk: Buffer | null = null;
  private bigBulkFilled = 0;
  private readonly limits: ParserLimits;

  constructor(limits: ParserLimits = DEFAULT_PARSER_LIMITS) {
    this.limits = limits;
  }

  /** Bytes received but not yet parsed into commands. */
  get bufferedBytes(): number {
    return this.buffer.length - this.offset + this.bigBulkFilled;
  }

  /**
   * Appends a chunk and calls onCommand for each complete command. Throws ProtocolError on bad
   * input (after the commands before it ran) and QueryBufferLimitError when too much is pending.
   */
  feed(chunk: Buffer, onCommand: (argv: string[]) => void): void {
    let input = chunk;
    if (this.bigBulk !== null) {
      const consumed = this.fillBigBulk(input);
      if (this.bigBulk !== null) {
        this.checkQueryBuffer();
        return;
      }
      input = input.subarray(consumed);
      if (this.pendingArgs !== null && this.pendingArgs.length === this.pendingCount) {
        const argv = this.pendingArgs;
        this.pendingArgs = null;
        onCommand(argv);
      }
    }
    if (this.offset >= this.buffer.length) this.buffer = input;
    else if (input.length > 0) this.buffer = Buffer.concat([this.buffer.subarray(this.offset), input]);
    else this.buffer = this.buffer.subarray(this.offset);
    this.offset = 0;
    for (;;) {
      const argv = this.parseOne();
      if (argv === null) break;
      if (argv.length > 0) onCommand(argv);
    }
    if (this.offset >= this.buffer.length) {
      this.buffer = EMPTY;
      this.offset = 0;
    } else {
      // Keep a copy of the incomplete tail: the chunk may be a read buffer the server reuses.
      this.buffer = Buffer.from(this.buffer.subarray(this.offset));
      this.offset = 0;
    }
    this.checkQueryBuffer();
  }

  private checkQueryBuffer(): void {
    if (this.bufferedBytes > this.limits.maxQueryBufferBytes)
      throw new QueryBufferLimitError("query buffer limit exceeded");
  }

  // Copies bytes of a pending large bulk; returns how many bytes of input it consumed.
  private fillBigBulk(input: Buffer): number {
    const big = this.bigBulk as Buffer;
    const wanted = big.length - this.bigBulkFilled;
    const taken = Math.min(wanted, input.length);
    input.copy(big, this.bigBulkFilled, 0, taken);
    this.bigBulkFilled += taken;
    if (this.bigBulkFilled === big.length) {
      (this.pendingArgs as string[]).push(sliceLatin1(big, 0, big.length - 2));
      this.bigBulk = null;
      this.bigBulkFilled = 0;
      this.pendingBulkLength = -1;
    }
    return taken;
  }

  private parseOne(): string[] | null {
    const buffer = this.buffer;
    if (this.pendingArgs === null) {
      if (this.offset >= buffer.length) return null;
      if (buffer[this.offset] !== 0x2a /* '*' */) return this.parseInline();
      const lineEnd = buffer.indexOf(CR, this.offset);
      if (lineEnd === -1 || lineEnd + 1 >= buffer.length) {
        if (buffer.length - this.offset > this.limits.maxInlineBytes)
          throw new ProtocolError("Protocol error: too big mbulk count string");
        return null;
      }
      const count = parseLength(buffer, this.offset + 1, lineEnd);
      if (count === null && hasNul(buffer, this.offset, lineEnd))
        return this.waitForLine("Protocol error: too big mbulk count string");
      if (count === null || count > this.limits.maxMultibulkLength)
        throw new ProtocolError("Protocol error: invalid multibulk length");
      if (count > UNAUTHENTICATED_MAX_ARGUMENTS && this.unauthenticated)
        throw new ProtocolError("Protocol error: unauthenticated multibulk length");
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
        const lineEnd = buffer.indexOf(CR, this.offset);
        if (lineEnd === -1 || lineEnd + 1 >= buffer.length) {
          if (buffer.length - this.offset > this.limits.maxInlineBytes)
            throw new ProtocolError("Protocol error: too big bulk count string");
          return null;
        }
        if (hasNul(buffer, this.offset, lineEnd)) return this.waitForLine("Protocol error: too big bulk count string");
        if (buffer[this.offset] !== 0x24 /* '$' */) {
          throw new ProtocolError(
            `Protocol error: expected '$', got '${String.fromCharCode(buffer[this.offset] ?? 0)}'`,
          );
        }
        const length = parseLength(buffer, this.offset + 1, lineEnd);
        if (length === null || length < 0 || length > this.limits.maxBulkBytes)
          throw new ProtocolError("Protocol error: invalid bulk length");
        if (length > UNAUTHENTICATED_MAX_BULK && this.unauthenticated)
          throw new ProtocolError("Protocol error: unauthenticated bulk length");
        this.pendingBulkLength = length;
        this.offset = lineEnd + 2;
      }
      const end = this.offset + this.pendingBulkLength;
      if (end + 2 > buffer.length) {
        if (this.pendingBulkLength >= BIG_BULK_BYTES) {
          // Assemble the rest of this argument in place instead of concatenating chunks.
          this.bigBulk = Buffer.allocUnsafe(this.pendingBulkLength + 2);
          this.bigBulkFilled = 0;
          this.fillBigBulk(buffer.subarray(this.offset));
          this.offset = buffer.length;
        }
        return null;
      }
      args.push(sliceLatin1(buffer, this.offset, end));
      this.offset = end + 2;
      this.pendingBulkLength = -1;
    }
    this.pendingArgs = null;
    return args;
  }

  // Redis finds line ends with strchr, which stops at a NUL byte: such a line is "not complete yet".
  private waitForLine(tooBig: string): null {
    if (this.buffer.length - this.offset > this.limits.maxInlineBytes) throw new ProtocolError(tooBig);
    return null;
  }

  // Inline commands: one line of space-separated words, with Redis's quoting rules.
  private parseInline(): string[] | null {
    const buffer = this.buffer;
    const lineEnd = buffer.indexOf(LF, this.offset);
    if (lineEnd === -1) {
      if (buffer.length - this.offset > this.limits.maxInlineBytes)
        throw new ProtocolError("Protocol error: too big inline request");
      return null;
    }
    if (hasNul(buffer, this.offset, lineEnd)) return this.waitForLine("Protocol error: too big inline request");
    let end = lineEnd;
    if (end > this.offset && buffer[end - 1] === CR) end -= 1;
    const line = sliceLatin1(buffer, this.offset, end);
    this.offset = lineEnd + 1;
    const words = splitArgs(line);
    if (words === null) throw new ProtocolError("Protocol error: unbalanced quotes in request");
    return words;
  }
}

// Whether a NUL byte occurs in buffer[start, end).
function hasNul(buffer: Buffer, start: number, end: number): boolean {
  for (let index = start; index < end; index += 1) if (buffer[index] === 0) return true;
  return false;
}

type Latin1Slicer = (buffer: Buffer, start: number, end: number) => string;
// Node's Buffer has a fast internal latin1Slice; other runtimes get the public toString.
const nativeLatin1 = (Buffer.prototype as unknown as { latin1Slice?: (start: number, end: number) => string })
  .latin1Slice;
const sliceLatin1: Latin1Slicer =
  nativeLatin1 === undefined
    ? (buffer, start, end) => buffer.toString("latin1", start, end)
    : (buffer, start, end) => nativeLatin1.call(buffer, start, end);

/**
 * Parses a header length like Redis's string2ll: "0", or an optional '-' then a digit 1-9 and
 * more digits, within int64. Null when invalid; lengths beyond 2^53 come back as MAX_SAFE_INTEGER.
 */
export function parseLength(buffer: Buffer, start: number, end: number): number | null {
  const size = end - start;
  if (size <= 0 || size > 20) return null;
  let index = start;
  const negative = buffer[index] === 0x2d;
  if (negative) index += 1;
  const first = (buffer[index] ?? 0) - 48;
  if (index >= end || first < 0 || first > 9) return null;
  if (first === 0) return end - index === 1 && !negative ? 0 : null;
  let value = 0;
  for (; index < end; index += 1) {
    const digit = (buffer[index] ?? 0) - 48;
    if (digit < 0 || digit > 9) return null;
    value = value * 10 + digit;
  }
  if (value > Number.MAX_SAFE_INTEGER) {
    const exact = BigInt(buffer.toString("latin1", negative ? start + 1 : start, end));
    if (exact > 9223372036854775807n + (negative ? 1n : 0n)) return null;
    return negative ? -Number.MAX_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
  }
  return negative ? -value : value;
}
