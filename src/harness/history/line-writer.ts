// Formats history.jsonl lines straight into bytes: the same text as JSON.stringify({run, ...op}) (same
// fields, same order), without building the line as a string first. Recording every write of a pipelined
// load as a string line (value materialised, regex-checked, concatenated, joined, then encoded to UTF-8
// by the stream) cost about 2 µs of CPU per op, as much as the rest of the load generator; written as
// bytes, generated values (`w<id>|` + filler) are a fill of one byte, workload keys (prefix + index) are
// the prefix's bytes and the index's digits, and other ASCII text is copied code unit by code unit. Text
// that JSON must escape (quotes, backslashes, control characters) or that is not ASCII goes through
// JSON.stringify, so the output stays exactly JSON's.
import { decimalDigits, writeDecimal } from "../shared/decimal-bytes.ts";
import { numberedKeyText, type FilledValue, type NumberedKey } from "../shared/generated-values.ts";
import type { Op } from "./op.ts";

/**
 * An op as the recorder receives it: a workload key may still be a NumberedKey instead of its string, and a
 * generated value a FilledValue instead of `value`; both become strings only when someone reads the op.
 */
export interface RecordedOp extends Omit<Op, "key"> {
  key: string | NumberedKey;
  /** The value written, when it is a generated one not materialised as a string (`value` is then undefined). */
  fill?: FilledValue | undefined;
}

const CHUNK_BYTES = 256 * 1024;
const MAX_SPARE_CHUNKS = 4;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const FILLER_BYTE = 0x78; // 'x', as materializeFill
/** Fillers up to this long are written by a loop, longer ones by TypedArray#fill (a call costs ~25 ns: 20 bytes of loop). */
const SHORT_FILL_BYTES = 16;
const fillBytes = Uint8Array.prototype.fill;
const copyBytes = Uint8Array.prototype.set;
const ASCII = (text: string): Uint8Array => Buffer.from(text, "latin1");
const FIELD_CLIENT = ASCII(',"client":');
const FIELD_F = ASCII(',"f":');
const FIELD_KEY = ASCII(',"key":');
/** `,"f":"<F>","key":` per command name whose JSON string is its own text (cached: a handful of names). */
const F_AND_KEY = new Map<string, Uint8Array>();
const FIELD_VALUE = ASCII(',"value":');
const FIELD_TYPE: Readonly<Record<Op["type"], Uint8Array>> = {
  ok: ASCII(',"type":"ok","invokeUs":'),
  fail: ASCII(',"type":"fail","invokeUs":'),
  info: ASCII(',"type":"info","invokeUs":'),
};
const FIELD_COMPLETE = ASCII(',"completeUs":');
const FIELD_INTENDED = ASCII(',"intendedUs":');
const FIELD_ERROR = ASCII(',"error":');

/** Accumulates history lines as UTF-8 bytes; take() hands them over. */
export class HistoryLineWriter {
  /** `{"run":<run id as JSON>,"id":` */
  readonly #head: Uint8Array;
  #buffer: Buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  #length = 0;
  /** Chunks given back by recycle(). */
  readonly #spare: Buffer[] = [];

  constructor(runJson: string) {
    this.#head = Buffer.from(`{"run":${runJson},"id":`, "utf8");
  }

  /** Bytes written and not yet taken. */
  get pendingBytes(): number {
    return this.#length;
  }

  /** Appends one line (with its newline). */
  write(op: RecordedOp): void {
    const value = op.value;
    const fill = value === undefined ? op.fill : undefined;
    // UTF-8 takes at most 3 bytes per UTF-16 code unit and JSON's \uXXXX escape 6: 6 per unit bounds both.
    const key = op.key;
    const keyLength = typeof key === "string" ? key.length : key.prefix.length + 16;
    this.#reserve(
      this.#head.length +
        200 +
        6 * (op.f.length + keyLength + (value?.length ?? 0) + (op.error?.length ?? 0)) +
        (fill === undefined ? 0 : fill.bytes + 24),
    );
    this.#bytes(this.#head);
    this.#integer(op.id);
    this.#bytes(FIELD_CLIENT);
    this.#integer(op.client);
    const fAndKey = F_AND_KEY.get(op.f) ?? this.#cacheFAndKey(op.f);
    if (fAndKey !== null) this.#bytes(fAndKey);
    else {
      this.#bytes(FIELD_F);
      this.#string(op.f);
      this.#bytes(FIELD_KEY);
    }
    if (typeof key === "string") this.#string(key);
    else this.#numberedKey(key);
    if (value !== undefined) {
      this.#bytes(FIELD_VALUE);
      this.#string(value);
    } else if (fill !== undefined) {
      this.#bytes(FIELD_VALUE);
      this.#filledValue(fill);
    }
    this.#bytes(FIELD_TYPE[op.type]);
    this.#integer(op.invokeUs);
    if (op.completeUs !== undefined) {
      this.#bytes(FIELD_COMPLETE);
      this.#integer(op.completeUs);
    }
    if (op.intendedUs !== undefined) {
      this.#bytes(FIELD_INTENDED);
      this.#integer(op.intendedUs);
    }
    if (op.error !== undefined) {
      this.#bytes(FIELD_ERROR);
      this.#string(op.error);
    }
    this.#buffer[this.#length++] = 0x7d; // }
    this.#buffer[this.#length++] = 0x0a; // \n
  }

  /** Appends a line already formatted as text (without its newline): rare records such as refused runs. */
  writeText(line: string): void {
    this.#reserve(3 * line.length + 1);
    this.#length += this.#buffer.write(line, this.#length, "utf8");
    this.#buffer[this.#length++] = 0x0a; // \n
  }

  /** The bytes written so far (null when none); later lines go to another buffer. */
  take(): Buffer | null {
    if (this.#length === 0) return null;
    const out = this.#buffer.subarray(0, this.#length);
    this.#buffer = this.#spare.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES);
    this.#length = 0;
    return out;
  }

  /**
   * Gives back a chunk from take() once its bytes are no longer needed (written out), so the next take()
   * reuses its memory instead of allocating (and page-faulting) a fresh 256 KB.
   */
  recycle(chunk: Buffer): void {
    if (chunk.byteOffset !== 0 || chunk.buffer.byteLength !== CHUNK_BYTES || this.#spare.length >= MAX_SPARE_CHUNKS)
      return;
    this.#spare.push(Buffer.from(chunk.buffer, 0, CHUNK_BYTES));
  }

  // `,"f":"<F>","key":` for a command name JSON writes as is (cached), else null (written field by field).
  #cacheFAndKey(f: string): Uint8Array | null {
    if (JSON.stringify(f) !== `"${f}"` || !/^[\x20-\x7e]*$/.test(f)) return null;
    const bytes = ASCII(`,"f":"${f}","key":`);
    if (F_AND_KEY.size < 64) F_AND_KEY.set(f, bytes);
    return bytes;
  }

  // A workload key as a JSON string: the prefix's bytes and the index's digits when the prefix is printable
  // ASCII without quotes or backslashes (checked while copying), else its text through #string.
  #numberedKey(key: NumberedKey): void {
    const buffer = this.#buffer;
    const prefix = key.prefixBytes;
    const start = this.#length;
    let position = start;
    buffer[position++] = QUOTE;
    for (let index = 0; index < prefix.length; index += 1) {
      const byte = prefix[index] as number;
      if (byte < 0x20 || byte > 0x7e || byte === QUOTE || byte === BACKSLASH) {
        this.#length = start;
        this.#string(numberedKeyText(key));
        return;
      }
      buffer[position++] = byte;
    }
    position = writeDecimal(buffer, position, key.index, decimalDigits(key.index));
    buffer[position++] = QUOTE;
    this.#length = position;
  }

  // Makes room for `bytes` more (the caller takes the buffer well before it fills, so this rarely copies).
  #reserve(bytes: number): void {
    if (this.#length + bytes <= this.#buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, 2 * (this.#length + bytes)));
    this.#buffer.copy(grown, 0, 0, this.#length);
    this.#buffer = grown;
  }

  // TypedArray.prototype.set called directly (a memcpy): for the 9-28-byte field names it measured 2.5-4x
  // faster than a byte loop, and Buffer#set's own lookup costs a third more than the direct call.
  #bytes(bytes: Uint8Array): void {
    copyBytes.call(this.#buffer, bytes, this.#length);
    this.#length += bytes.length;
  }

  // A number as JSON writes it: digits for non-negative safe integers, else String() (JSON's number text).
  #integer(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) {
      this.#length += this.#buffer.write(JSON.stringify(value), this.#length, "latin1");
      return;
    }
    this.#length = writeDecimal(this.#buffer, this.#length, value, decimalDigits(value));
  }

  // A JSON string: printable ASCII without quotes or backslashes is copied as is; anything else is JSON.stringify's.
  #string(text: string): void {
    const buffer = this.#buffer;
    const start = this.#length;
    let position = start;
    buffer[position++] = QUOTE;
    for (let index = 0; index < text.length; index += 1) {
      const code = text.charCodeAt(index);
      if (code < 0x20 || code > 0x7e || code === QUOTE || code === BACKSLASH) {
        this.#length = start + buffer.write(JSON.stringify(text), start, "utf8");
        return;
      }
      buffer[position++] = code;
    }
    buffer[position++] = QUOTE;
    this.#length = position;
  }

  // A generated value exactly as materializeFill spells it: `w<id>|`, then filler up to `bytes` in all.
  #filledValue(fill: FilledValue): void {
    const buffer = this.#buffer;
    buffer[this.#length++] = QUOTE;
    const headStart = this.#length;
    buffer[this.#length++] = 0x77; // w
    this.#integer(fill.id);
    buffer[this.#length++] = 0x7c; // |
    const rest = fill.bytes - (this.#length - headStart);
    if (rest > SHORT_FILL_BYTES) {
      // TypedArray#fill (memset) rather than Buffer#fill, whose argument checks cost a third more at 100 bytes.
      fillBytes.call(buffer, FILLER_BYTE, this.#length, this.#length + rest);
      this.#length += rest;
    } else if (rest > 0) {
      let position = this.#length;
      for (const end = position + rest; position < end; position += 1) buffer[position] = FILLER_BYTE;
      this.#length = position;
    }
    buffer[this.#length++] = QUOTE;
  }
}
