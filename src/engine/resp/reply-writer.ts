// Reply encoding for one client: RESP2 or RESP3 frames appended to a latin1 string buffer.
// Values in the engine are latin1 strings (one char per byte), so encoding is a concatenation.

/** Protocol version negotiated with HELLO. */
export type ProtocolVersion = 2 | 3;

/** Elements joined at once by bulkArray, and the precomputed "$<n>\r\n" headers of short values. */
const BULK_SLICE = 4096;
const BULK_HEADERS: readonly string[] = Array.from({ length: 256 }, (_, length) => "$" + length + "\r\n");

/** Output past this many chars moves to a list of chunks (V8 strings stop at ~512 MB). */
const SPILL_CHARS = 8 * 1024 * 1024;

/** Accumulates encoded replies until the server flushes them to the socket. */
export class ReplyWriter {
  /** Encoded, not yet flushed output (latin1); large outputs continue in `spilled`. */
  out = "";
  private spilled: string[] | null = null;
  /** Number of top-level replies written (MULTI/EXEC and pipelining bookkeeping). */
  protocol: ProtocolVersion = 2;

  /** Takes the pending output (one string, or chunks for very large output) and resets the buffer. */
  take(): string | string[] {
    const out = this.out;
    this.out = "";
    if (this.spilled === null) return out;
    const chunks = this.spilled;
    this.spilled = null;
    if (out !== "") chunks.push(out);
    return chunks;
  }

  // Appends encoded bytes, moving the buffer aside once it is large.
  private add(text: string): void {
    this.out += text;
    if (this.out.length > SPILL_CHARS) {
      (this.spilled ??= []).push(this.out);
      this.out = "";
    }
  }

  /** +OK */
  ok(): void {
    this.add("+OK\r\n");
  }

  /** Simple string (must not contain CR/LF). */
  status(text: string): void {
    this.add("+" + text + "\r\n");
  }

  /** Error reply; `message` starts with the code (`ERR ...`, `WRONGTYPE ...`). */
  error(message: string): void {
    this.add("-" + message.replace(/[\r\n]/g, " ") + "\r\n");
  }

  /** Integer reply. */
  integer(value: number | bigint): void {
    this.add(":" + String(value) + "\r\n");
  }

  /** Bulk string (binary-safe latin1). */
  bulk(value: string): void {
    this.add("$" + value.length + "\r\n" + value + "\r\n");
  }

  /** Bulk string or null. */
  bulkOrNil(value: string | undefined | null): void {
    if (value === undefined || value === null) this.nil();
    else this.add("$" + value.length + "\r\n" + value + "\r\n");
  }

  /** Null bulk (RESP2 `$-1`, RESP3 `_`). */
  nil(): void {
    this.add(this.protocol === 3 ? "_\r\n" : "$-1\r\n");
  }

  /** Null array (RESP2 `*-1`, RESP3 `_`). */
  nilArray(): void {
    this.add(this.protocol === 3 ? "_\r\n" : "*-1\r\n");
  }

  /** Array header; the caller writes `length` elements next. */
  array(length: number): void {
    this.add("*" + length + "\r\n");
  }

  /** Map header (RESP3) or flat array of 2×pairs (RESP2). */
  map(pairs: number): void {
    this.add(this.protocol === 3 ? "%" + pairs + "\r\n" : "*" + pairs * 2 + "\r\n");
  }

  /** Set header (RESP3) or array (RESP2). */
  set(length: number): void {
    this.add(this.protocol === 3 ? "~" + length + "\r\n" : "*" + length + "\r\n");
  }

  /** Double (RESP3) or bulk string in Redis's score format (RESP2). */
  double(value: number): void {
    const text = formatDouble(value);
    if (this.protocol === 3) this.add("," + text + "\r\n");
    else this.bulk(text);
  }

  /** Array of bulk strings (large arrays are joined in slices: one flat string each, fewer copies). */
  bulkArray(values: readonly string[]): void {
    const count = values.length;
    if (count <= 16) {
      let out = "*" + count + "\r\n";
      for (const value of values) out += "$" + value.length + "\r\n" + value + "\r\n";
      this.add(out);
      return;
    }
    this.add("*" + count + "\r\n");
    for (let start = 0; start < count; start += BULK_SLICE) {
      const end = Math.min(count, start + BULK_SLICE);
      const parts = new Array<string>((end - start) * 3);
      let index = 0;
      for (let item = start; item < end; item += 1) {
        const value = values[item] as string;
        parts[index++] =
          value.length < BULK_HEADERS.length ? (BULK_HEADERS[value.length] as string) : "$" + value.length + "\r\n";
        parts[index++] = value;
        parts[index++] = "\r\n";
      }
      this.add(parts.join(""));
    }
  }

  /** Verbatim text (RESP3 `=`) or bulk (RESP2), as INFO and CLIENT INFO reply. */
  verbatim(text: string): void {
    if (this.protocol === 3) this.add("=" + (text.length + 4) + "\r\ntxt:" + text + "\r\n");
    else this.bulk(text);
  }

  /** Push header (RESP3 `>`: Pub/Sub messages, invalidations) or array (RESP2); `length` elements follow. */
  push(length: number): void {
    this.add((this.protocol === 3 ? ">" : "*") + length + "\r\n");
  }

  /** Raw pre-encoded frame. */
  raw(frame: string): void {
    this.add(frame);
  }
}

/** Formats a double as Redis 7.0 replies with it: printf("%.17g"), with inf/-inf spelled out. */
export function formatDouble(value: number): string {
  if (value === Infinity) return "inf";
  if (value === -Infinity) return "-inf";
  if (Number.isNaN(value)) return "nan";
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const exponential = value.toExponential(16);
  const mark = exponential.indexOf("e");
  const exponent = Number(exponential.slice(mark + 1));
  if (exponent < -4 || exponent >= 17) {
    const digits = stripFractionZeros(exponential.slice(0, mark));
    const sign = exponent < 0 ? "-" : "+";
    const magnitude = Math.abs(exponent);
    return digits + "e" + sign + (magnitude < 10 ? "0" + magnitude : String(magnitude));
  }
  return stripFractionZeros(value.toFixed(16 - exponent));
}

function stripFractionZeros(text: string): string {
  if (!text.includes(".")) return text;
  let end = text.length;
  while (text.charCodeAt(end - 1) === 48) end -= 1;
  if (text.charCodeAt(end - 1) === 46) end -= 1;
  return text.slice(0, end);
}
