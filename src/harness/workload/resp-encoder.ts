// Encodes workload commands as RESP straight into a reusable Buffer (one copy out per flush). Values made of an
// id tag plus filler are written as tag + a memcpy from a filler buffer, never built as JS strings.

/** A generated value: `head` followed by filler bytes ('x') up to `bytes` in total. */
export interface FilledValue {
  head: string;
  bytes: number;
}

const FILLER_BYTE = 0x78; // 'x'
const FILLER = Buffer.alloc(1 << 16, FILLER_BYTE);
const HEADER_CACHE = new Map<string, Buffer>();

// "*<argc>\r\n$<len>\r\n<NAME>\r\n", cached per command name and argument count.
function getHeader(f: string, argc: number): Buffer {
  const cacheKey = `${f} ${argc}`;
  let header = HEADER_CACHE.get(cacheKey);
  if (header === undefined) {
    header = Buffer.from(`*${argc + 1}\r\n$${f.length}\r\n${f}\r\n`, "latin1");
    HEADER_CACHE.set(cacheKey, header);
  }
  return header;
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

  // Writes an ASCII decimal and CRLF after a type byte.
  #writePrefix(type: number, value: number): void {
    const text = String(value);
    this.#reserve(text.length + 3);
    this.#buffer[this.#length++] = type;
    this.#length += this.#buffer.write(text, this.#length, "latin1");
    this.#buffer[this.#length++] = 13;
    this.#buffer[this.#length++] = 10;
  }

  // Writes one bulk string argument.
  #writeBulk(text: string): void {
    const bytes = Buffer.byteLength(text);
    this.#writePrefix(36, bytes);
    this.#reserve(bytes + 2);
    this.#length += bytes === text.length ? this.#buffer.write(text, this.#length, "latin1") : this.#buffer.write(text, this.#length, "utf8");
    this.#buffer[this.#length++] = 13;
    this.#buffer[this.#length++] = 10;
  }

  /** Appends one command: name, arguments, and optionally a filled value as the last argument. */
  write(f: string, args: ReadonlyArray<string | number>, fill?: FilledValue): void {
    const header = getHeader(f, args.length + (fill === undefined ? 0 : 1));
    this.#reserve(header.length);
    header.copy(this.#buffer, this.#length);
    this.#length += header.length;
    for (const arg of args) this.#writeBulk(typeof arg === "string" ? arg : String(arg));
    if (fill !== undefined) {
      const headBytes = Buffer.byteLength(fill.head);
      const total = Math.max(fill.bytes, headBytes);
      this.#writePrefix(36, total);
      this.#reserve(total + 2);
      this.#length += this.#buffer.write(fill.head, this.#length, "utf8");
      let rest = total - headBytes;
      while (rest > 0) {
        const chunk = Math.min(rest, FILLER.length);
        FILLER.copy(this.#buffer, this.#length, 0, chunk);
        this.#length += chunk;
        rest -= chunk;
      }
      this.#buffer[this.#length++] = 13;
      this.#buffer[this.#length++] = 10;
    }
  }

  /** Returns a copy of the pending bytes and empties the encoder (the copy may be retained by the socket). */
  take(): Buffer {
    const out = Buffer.allocUnsafe(this.#length);
    this.#buffer.copy(out, 0, 0, this.#length);
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
