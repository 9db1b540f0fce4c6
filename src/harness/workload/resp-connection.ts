// The default workload connection: a lean pipelined RESP2 client over node:net, built because ioredis cost
// too much per command to keep up with redis-benchmark (bench/harness.ts measured 0.51× at pipeline 1 and
// 0.17× at 16). Semantics match the ioredis connection: never throws; replies are ok, error replies and
// commands refused while disconnected are fail (definite), commands in flight when the connection drops or
// times out are info (indeterminate). It reconnects every 50 ms and never resends anything.
// Commands issued in one event-loop turn go out in one write per connection.
import { connect, type Socket } from "node:net";
import type { Endpoint } from "../engines/types.ts";
import type { CommandOutcome, ConnectionStateListener, WorkloadConnection } from "./connection.ts";
import { ReplyError, RespReader, type RespReply } from "./resp-reader.ts";
import type { FilledValue } from "../shared/generated-values.ts";
import { RespEncoder, type CommandArg } from "./resp-encoder.ts";
import { setEventTimeMs } from "../stats/event-clock.ts";

const RECONNECT_MS = 50;
const READ_BUFFER_BYTES = 64 * 1024;
const TIMEOUT_CHECK_MS = 50;

/** Callback form of a command completion (the executors' hot path avoids a promise per op). */
export type OutcomeCallback = (outcome: CommandOutcome) => void;

// A command waiting for its reply is just its callback (replies arrive in order).
type Pending = OutcomeCallback;

// Every outcome has the same four fields in the same order (one hidden class keeps the readers monomorphic).
const outcome = (
  type: CommandOutcome["type"],
  reply: unknown,
  error: string | undefined,
  connectionError: boolean | undefined,
): CommandOutcome => ({ type, reply, error, connectionError });
// Shared outcome for the most common reply, to spare an allocation per op (not frozen: that changes its hidden class).
const OK_OUTCOME: CommandOutcome = outcome("ok", "OK", undefined, undefined);

// Ring-buffer-free FIFO: an array with a moving head, compacted now and then.
class PendingQueue {
  #items: Pending[] = [];
  #head = 0;
  get size(): number {
    return this.#items.length - this.#head;
  }
  push(item: Pending): void {
    this.#items.push(item);
  }
  shift(): Pending | undefined {
    const item = this.#items[this.#head];
    this.#items[this.#head++] = undefined as unknown as Pending;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }
  drain(): Pending[] {
    const rest = this.#items.slice(this.#head);
    this.#items = [];
    this.#head = 0;
    return rest;
  }
}

/** A reconnecting RESP2 connection for workloads. */
export class RespConnection implements WorkloadConnection {
  readonly #endpoint: Endpoint;
  readonly #index: number;
  readonly #opTimeoutMs: number;
  readonly #onState: ConnectionStateListener | undefined;
  readonly #reader = new RespReader();
  readonly #pending = new PendingQueue();
  #socket: Socket | undefined;
  #connected = false;
  #closed = false;
  #everConnected = false;
  readonly #encoder = new RespEncoder();
  #flushScheduled = false;
  #timeoutTimer: NodeJS.Timeout | undefined;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #firstConnect: ((ok: boolean) => void) | undefined;
  /** Last time the oldest pending command changed (sent into an empty queue, or a reply arrived). */
  #progressMs = 0;

  constructor(
    endpoint: Endpoint,
    options: { index: number; opTimeoutMs: number; onState?: ConnectionStateListener | undefined },
  ) {
    this.#endpoint = endpoint;
    this.#index = options.index;
    this.#opTimeoutMs = options.opTimeoutMs;
    this.#onState = options.onState;
  }

  /** Connects; resolves true when connected, false when the first attempt failed (retries continue). */
  open(): Promise<boolean> {
    return new Promise((resolve) => {
      this.#firstConnect = resolve;
      this.#connect();
      this.#timeoutTimer = setInterval(() => this.#checkTimeouts(), TIMEOUT_CHECK_MS);
      this.#timeoutTimer.unref();
    });
  }

  // Opens a socket and wires its events.
  #connect(): void {
    if (this.#closed) return;
    // onread hands each read to us in one reused buffer: no Buffer per read and no Readable stream machinery
    // (the reader copies the few bytes of a reply split across reads).
    const socket = connect({
      host: this.#endpoint.host,
      port: this.#endpoint.port,
      onread: { buffer: this.#readBuffer, callback: this.#onReadBound },
    });
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.on("connect", () => {
      this.#connected = true;
      this.#everConnected = true;
      this.#reader.reset();
      this.#onState?.("up", this.#index);
      this.#firstConnect?.(true);
      this.#firstConnect = undefined;
    });
    socket.on("error", () => undefined);
    socket.on("close", () => this.#onClose(socket));
  }

  readonly #onReplyBound = (reply: RespReply): void => this.#onReply(reply);
  readonly #readBuffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
  readonly #onReadBound = (bytes: number, buffer: Uint8Array): boolean => {
    const now = performance.now();
    this.#progressMs = now;
    setEventTimeMs(now);
    try {
      this.#reader.feed((buffer as Buffer).subarray(0, bytes), this.#onReplyBound);
    } finally {
      setEventTimeMs(-1);
    }
    return true;
  };

  // Completes the oldest pending command with a reply.
  #onReply(reply: RespReply): void {
    const callback = this.#pending.shift();
    if (callback === undefined) return;
    if (reply === "OK") callback(OK_OUTCOME);
    else if (reply instanceof ReplyError) callback(outcome("fail", undefined, reply.message.slice(0, 120), undefined));
    else callback(outcome("ok", reply, undefined, undefined));
  }

  // Connection lost: everything in flight becomes info; reconnect later.
  #onClose(socket: Socket): void {
    if (socket !== this.#socket) return;
    const wasConnected = this.#connected;
    this.#connected = false;
    this.#socket = undefined;
    this.#encoder.clear();
    if (wasConnected && !this.#closed) this.#onState?.("down", this.#index);
    this.#failPending("connection lost after send");
    if (this.#firstConnect !== undefined && !this.#everConnected) {
      this.#firstConnect(false);
      this.#firstConnect = undefined;
    }
    if (!this.#closed) {
      this.#reconnectTimer = setTimeout(() => this.#connect(), RECONNECT_MS);
    }
  }

  // Resolves every pending command as info.
  #failPending(message: string): void {
    for (const callback of this.#pending.drain()) callback(outcome("info", undefined, message, true));
  }

  // No reply for the op timeout while commands wait means the connection is unusable: drop it (pending → info).
  // (Replies come in order, so "the oldest command waited longer than the timeout" is "no progress for that long".)
  #checkTimeouts(): void {
    if (this.#pending.size === 0 || performance.now() - this.#progressMs < this.#opTimeoutMs) return;
    const socket = this.#socket;
    this.#failPending(`timed out after ${this.#opTimeoutMs}ms`);
    socket?.destroy();
  }

  // Writes everything queued in this turn in one go.
  #flush = (): void => {
    this.#flushScheduled = false;
    if (this.#encoder.length === 0 || this.#socket === undefined) return;
    this.#socket.write(this.#encoder.take());
  };

  /** Sends with a completion callback (called exactly once, possibly synchronously when not connected). */
  sendCallback(f: string, args: ReadonlyArray<CommandArg>, callback: OutcomeCallback, fill?: FilledValue): void {
    if (!this.#connected || this.#closed) {
      callback(outcome("fail", undefined, "not connected (command not sent)", true));
      return;
    }
    this.#encoder.write(f, args, fill);
    if (this.#pending.size === 0) this.#progressMs = performance.now();
    this.#pending.push(callback);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      queueMicrotask(this.#flush);
    }
  }

  send(f: string, args: ReadonlyArray<CommandArg>, fill?: FilledValue): Promise<CommandOutcome> {
    return new Promise((resolve) => this.sendCallback(f, args, resolve, fill));
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timeoutTimer);
    clearTimeout(this.#reconnectTimer);
    this.#failPending("connection closed by the harness");
    this.#socket?.destroy();
    this.#socket = undefined;
    this.#firstConnect?.(false);
  }
}

/** Opens `count` RESP connections (waits for each first connect attempt). */
export async function openRespConnections(
  endpoint: Endpoint,
  options: { count: number; opTimeoutMs: number; onState?: ConnectionStateListener },
): Promise<RespConnection[]> {
  const connections = Array.from(
    { length: options.count },
    (_, index) => new RespConnection(endpoint, { index, opTimeoutMs: options.opTimeoutMs, onState: options.onState }),
  );
  await Promise.all(connections.map((c) => c.open()));
  return connections;
}
