// A raw RESP2/RESP3 test client: sends argv arrays (or raw bytes) over one socket and decodes each
// reply into a plain tagged value, so tests compare servers' exact replies without a client library
// reshaping them.
import { connect, type Socket } from "node:net";

/** One decoded reply. Strings are latin1 (one char per byte). */
export type Reply =
  | { type: "status"; value: string }
  | { type: "error"; value: string }
  | { type: "integer"; value: string }
  | { type: "bulk"; value: string }
  | { type: "nil" }
  | { type: "nilarray" }
  | { type: "array"; value: Reply[] }
  | { type: "push"; value: Reply[] }
  | { type: "map"; value: [Reply, Reply][] }
  | { type: "set"; value: Reply[] }
  | { type: "double"; value: string }
  | { type: "boolean"; value: boolean }
  | { type: "verbatim"; value: string }
  | { type: "bignum"; value: string };

/** Incremental decoder: feed bytes, take complete replies. */
export class ReplyDecoder {
  private buffer: Buffer = Buffer.alloc(0);

  feed(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
  }

  /** The next complete reply, or undefined when more bytes are needed. */
  next(): Reply | undefined {
    const result = this.parse(0);
    if (result === undefined) return undefined;
    this.buffer = this.buffer.subarray(result.end);
    return result.reply;
  }

  private line(offset: number): { text: string; end: number } | undefined {
    const index = this.buffer.indexOf("\r\n", offset, "latin1");
    if (index === -1) return undefined;
    return { text: this.buffer.toString("latin1", offset + 1, index), end: index + 2 };
  }

  private parse(offset: number): { reply: Reply; end: number } | undefined {
    if (offset >= this.buffer.length) return undefined;
    const prefix = String.fromCharCode(this.buffer[offset] as number);
    const line = this.line(offset);
    if (line === undefined) return undefined;
    switch (prefix) {
      case "+":
        return { reply: { type: "status", value: line.text }, end: line.end };
      case "-":
        return { reply: { type: "error", value: line.text }, end: line.end };
      case ":":
        return { reply: { type: "integer", value: line.text }, end: line.end };
      case ",":
        return { reply: { type: "double", value: line.text }, end: line.end };
      case "(":
        return { reply: { type: "bignum", value: line.text }, end: line.end };
      case "#":
        return { reply: { type: "boolean", value: line.text === "t" }, end: line.end };
      case "_":
        return { reply: { type: "nil" }, end: line.end };
      case "$":
      case "=": {
        const length = Number(line.text);
        if (length < 0) return { reply: { type: "nil" }, end: line.end };
        if (line.end + length + 2 > this.buffer.length) return undefined;
        const value = this.buffer.toString("latin1", line.end, line.end + length);
        return {
          reply: prefix === "$" ? { type: "bulk", value } : { type: "verbatim", value },
          end: line.end + length + 2,
        };
      }
      case "*":
      case "~":
      case ">": {
        const count = Number(line.text);
        if (count < 0) return { reply: { type: "nilarray" }, end: line.end };
        const items: Reply[] = [];
        let end = line.end;
        for (let index = 0; index < count; index += 1) {
          const item = this.parse(end);
          if (item === undefined) return undefined;
          items.push(item.reply);
          end = item.end;
        }
        return {
          reply:
            prefix === "~"
              ? { type: "set", value: items }
              : prefix === ">"
                ? { type: "push", value: items }
                : { type: "array", value: items },
          end,
        };
      }
      case "%": {
        const count = Number(line.text);
        const pairs: [Reply, Reply][] = [];
        let end = line.end;
        for (let index = 0; index < count; index += 1) {
          const key = this.parse(end);
          if (key === undefined) return undefined;
          const value = this.parse(key.end);
          if (value === undefined) return undefined;
          pairs.push([key.reply, value.reply]);
          end = value.end;
        }
        return { reply: { type: "map", value: pairs }, end };
      }
      default:
        throw new Error(`Unexpected RESP prefix ${JSON.stringify(prefix)} at byte ${offset}`);
    }
  }
}

/** Encodes argv as a RESP multibulk request (latin1). */
export function encodeCommand(argv: readonly string[]): Buffer {
  let out = `*${argv.length}\r\n`;
  for (const arg of argv) out += `$${Buffer.byteLength(arg, "latin1")}\r\n${arg}\r\n`;
  return Buffer.from(out, "latin1");
}

/** A connection that answers commands in order. */
export class RespConnection {
  private readonly socket: Socket;
  private readonly decoder = new ReplyDecoder();
  private readonly waiting: { resolve: (reply: Reply) => void; reject: (error: Error) => void }[] = [];
  private readonly unclaimed: Reply[] = [];
  private closedError: Error | null = null;
  /** Resolves when the server closed the connection. */
  readonly closed: Promise<void>;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on("data", (chunk: Buffer) => {
      this.decoder.feed(chunk);
      for (;;) {
        const reply = this.decoder.next();
        if (reply === undefined) break;
        const waiter = this.waiting.shift();
        // A reply nobody waits for yet (a Pub/Sub message, the rest of a multi-reply SUBSCRIBE) is kept for the next wait.
        if (waiter === undefined) this.unclaimed.push(reply);
        else waiter.resolve(reply);
      }
    });
    this.closed = new Promise((resolve) => {
      socket.on("close", () => {
        this.closedError = new Error("connection closed");
        for (const waiter of this.waiting.splice(0)) waiter.reject(this.closedError);
        resolve();
      });
    });
    socket.on("error", () => socket.destroy());
  }

  /** Connects to 127.0.0.1:port. */
  static open(port: number): Promise<RespConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: "127.0.0.1", port }, () => {
        socket.off("error", reject);
        socket.setNoDelay(true);
        resolve(new RespConnection(socket));
      });
      socket.once("error", reject);
    });
  }

  /** Sends one command and waits for its reply. */
  call(...argv: string[]): Promise<Reply> {
    return this.send(encodeCommand(argv));
  }

  /** Sends several commands in one write and waits for all replies. */
  pipeline(commands: readonly (readonly string[])[]): Promise<Reply[]> {
    return Promise.all(
      commands.map((argv, index) =>
        this.expect(index === commands.length - 1 ? Buffer.concat(commands.map(encodeCommand)) : null),
      ),
    );
  }

  /** Writes raw bytes expecting one reply. */
  send(bytes: Buffer): Promise<Reply> {
    return this.expect(bytes);
  }

  /** Writes raw bytes without expecting replies. */
  write(bytes: Buffer | string): void {
    this.socket.write(bytes);
  }

  /** Waits for the next reply (after raw writes). */
  nextReply(): Promise<Reply> {
    return this.expect(null);
  }

  close(): void {
    this.socket.destroy();
  }

  private expect(bytes: Buffer | null): Promise<Reply> {
    const early = this.unclaimed.shift();
    if (early !== undefined) {
      if (bytes !== null) this.socket.write(bytes);
      return Promise.resolve(early);
    }
    if (this.closedError !== null) return Promise.reject(this.closedError);
    const promise = new Promise<Reply>((resolve, reject) => this.waiting.push({ resolve, reject }));
    if (bytes !== null) this.socket.write(bytes);
    return promise;
  }
}
