// Incremental RESP2 reply reader for the workload connection: feeds chunks, emits one value per complete reply.
// Replies: string (simple/bulk), number (integer), null (nil bulk/array), ReplyError (error), array.

/** An error reply from the server (definite failure). */
export class ReplyError extends Error {
  override readonly name = "ReplyError";
}

/** One decoded reply. */
export type RespReply = string | number | null | ReplyError | RespReply[];

const CR = 13;
/** The buffer held between chunks when no reply is left incomplete. */
const EMPTY = Buffer.alloc(0);

/** Parses replies out of a byte stream that arrives in arbitrary chunks. */
export class RespReader {
  #buffer: Buffer = EMPTY;
  #offset = 0;

  /**
   * Appends a chunk and calls onReply for every complete reply, in order. The chunk may be a reused read
   * buffer: the bytes of an incomplete reply at its end are copied before returning.
   */
  feed(chunk: Buffer, onReply: (reply: RespReply) => void): void {
    if (this.#offset < this.#buffer.length) {
      this.#buffer = Buffer.concat([this.#buffer.subarray(this.#offset), chunk]);
    } else {
      this.#buffer = chunk;
    }
    this.#offset = 0;
    for (;;) {
      const start = this.#offset;
      const reply = this.#parse();
      if (reply === INCOMPLETE) {
        // Usually every reply was complete: keep no bytes (and allocate no Buffer) then.
        this.#buffer = start >= this.#buffer.length ? EMPTY : Buffer.from(this.#buffer.subarray(start));
        this.#offset = 0;
        return;
      }
      onReply(reply);
    }
  }

  /** Drops buffered bytes (after a reconnect). */
  reset(): void {
    this.#buffer = EMPTY;
    this.#offset = 0;
  }

  // Reads one line (without CRLF) starting at offset, or INCOMPLETE.
  #line(): string | typeof INCOMPLETE {
    const buffer = this.#buffer;
    const end = buffer.indexOf(CR, this.#offset);
    if (end < 0 || end + 1 >= buffer.length) return INCOMPLETE;
    const text = buffer.toString("latin1", this.#offset + 1, end);
    this.#offset = end + 2;
    return text;
  }

  // Parses one reply at the offset.
  #parse(): RespReply | typeof INCOMPLETE {
    const buffer = this.#buffer;
    const at = this.#offset;
    if (at >= buffer.length) return INCOMPLETE;
    const type = buffer[at];
    // Fast path for "+OK\r\n", by far the most common reply of write workloads.
    if (
      type === 43 &&
      buffer[at + 1] === 79 &&
      buffer[at + 2] === 75 &&
      buffer[at + 3] === CR &&
      at + 4 < buffer.length
    ) {
      this.#offset = at + 5;
      return "OK";
    }
    const line = this.#line();
    if (line === INCOMPLETE) return INCOMPLETE;
    switch (type) {
      case 43:
        return line; // '+'
      case 45:
        return new ReplyError(line); // '-'
      case 58:
        return Number(line); // ':'
      case 36: {
        // '$'
        const length = Number(line);
        if (length < 0) return null;
        if (this.#offset + length + 2 > this.#buffer.length) return INCOMPLETE;
        const text = this.#buffer.toString("utf8", this.#offset, this.#offset + length);
        this.#offset += length + 2;
        return text;
      }
      case 42: {
        // '*'
        const count = Number(line);
        if (count < 0) return null;
        const items: RespReply[] = [];
        for (let i = 0; i < count; i++) {
          const item = this.#parse();
          if (item === INCOMPLETE) return INCOMPLETE;
          items.push(item);
        }
        return items;
      }
      default:
        return new ReplyError(`protocol error: unexpected type byte ${type ?? -1}`);
    }
  }
}

const INCOMPLETE: unique symbol = Symbol("incomplete");
