// Encodes workload commands as RESP straight into a reusable Buffer (one copy out per flush). Values made of an
// id tag plus filler are written as tag + a memcpy from a filler buffer, never built as JS strings.

/** A generated value: `head` followed by filler bytes ('x') up to `bytes` in total. */
export interface FilledValue {
  head: string;
  bytes: number;
}

const FILLER_BYTE = 0x78; // 'x'
const HEADER_CACHE = new Map<string, Buffer[]>();

// "*<argc>\r\n$<len>\r\n<NAME>\r\n", cached per command name and argument count.
function getHeader(f: string, argc: number): Buffer {
  let byArgc = HEADER_CACHE.get(f);
  if (byArgc === undefined) {
    byArgc = [];
    HEADER_CACHE.set(f, byArgc);
  }
  return (byArgc[argc] ??= Buffer.from(`*${argc + 1}\r\n$${Buffer.byteLength(f)}\r\n${f}\r\n`, "utf8"));
}

/** Appends commands to a growable buffer; take() returns the bytes written since the last take(). */
export class RespEncoder {
  #buffer = Buffer.allocUnsafe(16 * 1024);
  #length = 0;

  /** Bytes waiting to be taken. */
  get length(): number {
    return this.#length;
  }

  // Makes room for `extra` more bytes.
  #reserve(extra: number): void {
    if (this.#length + extra <= this.#buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.#buffer.length * 2, this.#length + extra));
    this.#buffer.copy(grown, 0, 0, this.#length);
    this.#buffer = grown;
  }

  // Writes a type byte, a non-negative decimal and CRLF (digits written by hand: cheaper than String + write).
  #writePrefix(type: number, value: number): void {
    this.#reserve(24);
    const buffer = this.#buffer;
    buffer[this.#length++] = type;
    if (value < 10) buffer[this.#length++] = 48 + value;
    else {
      let digits = 0;
      for (let v = value; v > 0; v = Math.floor(v / 10)) digits++;
      let at = this.#length + digits - 1;
      for (let v = value; v > 0; v = Math.floor(v / 10)) buffer[at--] = 48 + (v % 10);
      this.#length += digits;
    }
    buffer[this.#length++] = 13;
    buffer[this.#length++] = 10;
  }

  // Writes one bulk string argument; short ASCII strings are copied char by char (no native call).
  #writeBulk(text: string): void {
    const length = text.length;
    if (length <= 64) {
      let ascii = true;
      for (let i = 0; i < length; i++) if (text.charCodeAt(i) > 127) { ascii = false; break; }
      if (ascii) {
        this.#writePrefix(36, length);
        this.#reserve(length + 2);
        const buffer = this.#buffer;
        let at = this.#length;
        for (let i = 0; i < length; i++) buffer[at++] = text.charCodeAt(i);
        buffer[at++] = 13;
        buffer[at++] = 10;
        this.#length = at;
        return;
      }
    }
    const bytes = Buffer.byteLength(text);
    this.#writePrefix(36, bytes);
    this.#reserve(bytes + 2);
    this.#length += this.#buffer.write(text, this.#length, "utf8");
    this.#buffer[this.#length++] = 13;
    this.#buffer[this.#length++] = 10;
  }

  /** Appends one command: name, arguments, and optionally a filled value as the last argument. */
  write(f: string, args: ReadonlyArray<string | number>, fill?: FilledValue): void {
    const header = getHeader(f, args.length + (fill === undefined ? 0 : 1));
    const headerLength = header.length;
    this.#reserve(headerLength);
    const buffer = this.#buffer;
    let at = this.#length;
    // A byte loop beats TypedArray.set for a header of a dozen bytes.
    for (let i = 0; i < headerLength; i++) buffer[at++] = header[i] as number;
    this.#length = at;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      this.#writeBulk(typeof arg === "string" ? arg : String(arg));
    }
    if (fill !== undefined) this.#writeFilled(fill);
  }

  // Writes a FilledValue bulk string: the (ASCII) head, then filler bytes.
  #writeFilled(fill: FilledValue): void {
    const head = fill.head;
    let headBytes = head.length;
    let ascii = headBytes <= 64;
    for (let i = 0; ascii && i < headBytes; i++) if (head.charCodeAt(i) > 127) ascii = false;
    if (!ascii) headBytes = Buffer.byteLength(head);
    const total = Math.max(fill.bytes, headBytes);
    this.#writePrefix(36, total);
    this.#reserve(total + 2);
    const buffer = this.#buffer;
    let at = this.#length;
    if (ascii) for (let i = 0; i < headBytes; i++) buffer[at++] = head.charCodeAt(i);
    else at += buffer.write(head, at, "utf8");
    // TypedArray fill skips Buffer.fill's argument normalisation.
    Uint8Array.prototype.fill.call(buffer, FILLER_BYTE, at, at + total - headBytes);
    at += total - headBytes;
    buffer[at++] = 13;
    buffer[at++] = 10;
    this.#length = at;
  }

  /** Returns a copy of the pending bytes and empties the encoder (the copy may be retained by the socket). */
  take(): Buffer {
    const out = Buffer.allocUnsafe(this.#length);
    out.set(this.#buffer.subarray(0, this.#length));
    this.#length = 0;
    return out;
  }

  /** Drops pending bytes (connection lost). */
  clear(): void {
    this.#length = 0;
  }
}

const FILLER_TEXT = "x".repeat(1 << 16);

/** The value string a FilledValue stands for (for history and the ioredis client). */
export function materializeFill(fill: FilledValue): string {
  if (fill.head.length >= fill.bytes) return fill.head;
  const rest = fill.bytes - fill.head.length;
  return fill.head + (rest <= FILLER_TEXT.length ? FILLER_TEXT.slice(0, rest) : "x".repeat(rest));
}
