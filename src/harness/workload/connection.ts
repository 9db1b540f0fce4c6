// Workload connections over ioredis. send() never throws: replies become ok, error replies and "not sent"
// become fail (definite), timeouts and connections lost after sending become info (indeterminate).
// Connections reconnect forever (every 50 ms) so the workload survives the server dying and coming back;
// unfulfilled commands are NOT resent after a reconnect (that would turn one write into two).
import { Redis, type RedisOptions } from "ioredis";
import type { OpType } from "../history/op.ts";
import type { Endpoint } from "../engines/types.ts";
import { materializeFill, numberedKeyText, type FilledValue } from "../shared/generated-values.ts";
import type { CommandArg } from "./resp-encoder.ts";

/** Result of one command. `sent` is false when the command never left the client (definite fail). */
export interface CommandOutcome {
  type: OpType;
  reply?: unknown;
  error?: string | undefined;
  /** True when the failure came from the connection (so a closed loop backs off), not from the server. */
  connectionError?: boolean | undefined;
}

/** Anything the executors can send commands through (ioredis here, fakes in tests). */
export interface WorkloadConnection {
  /** Sends f with args, plus `fill` (a generated value) as the last argument when given. */
  send(f: string, args: ReadonlyArray<CommandArg>, fill?: FilledValue): Promise<CommandOutcome>;
  /** Optional callback form (no promise per op): the executors prefer it when present. */
  sendCallback?(
    f: string,
    args: ReadonlyArray<CommandArg>,
    callback: (outcome: CommandOutcome) => void,
    fill?: FilledValue,
  ): void;
  close(): Promise<void>;
}

/** Listener for connection state changes (down = lost, up = ready again). */
export type ConnectionStateListener = (state: "up" | "down", index: number) => void;

const NOT_SENT_PATTERNS = [/isn't writeable/i, /enableOfflineQueue/i, /ECONNREFUSED/, /Connection is closed/];

/** Classifies an ioredis rejection into fail (definite) or info (indeterminate). */
export function classifyError(error: unknown, wasConnected: boolean): CommandOutcome {
  const err = error as { name?: string; message?: string };
  const message = (err.message ?? String(error)).slice(0, 120);
  if (err.name === "ReplyError") return { type: "fail", error: message };
  if (/timed out/i.test(message)) return { type: "info", error: message, connectionError: true };
  // Rejected before it could be written: the server never saw it.
  if (!wasConnected && NOT_SENT_PATTERNS.some((p) => p.test(message)))
    return { type: "fail", error: message, connectionError: true };
  return { type: "info", error: message, connectionError: true };
}

// An ioredis-backed connection.
class IoredisConnection implements WorkloadConnection {
  readonly #redis: Redis;
  #connected = false;
  #closing = false;

  constructor(
    endpoint: Endpoint,
    options: { index: number; opTimeoutMs: number; onState?: ConnectionStateListener | undefined },
  ) {
    const redisOptions: RedisOptions = {
      host: endpoint.host,
      port: endpoint.port,
      lazyConnect: true,
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.opTimeoutMs,
      connectTimeout: 1000,
      enableAutoPipelining: true,
      enableReadyCheck: true,
      retryStrategy: () => 50,
      reconnectOnError: () => false,
    };
    // ioredis 6 typings reject a RedisOptions value under exactOptionalPropertyTypes (replyMapping?: ...); the object is valid.
    this.#redis = new Redis({ ...redisOptions, protocol: 2 } as unknown as number);
    this.#redis.on("ready", () => {
      this.#connected = true;
      options.onState?.("up", options.index);
    });
    this.#redis.on("close", () => {
      if (this.#connected && !this.#closing) options.onState?.("down", options.index);
      this.#connected = false;
    });
    this.#redis.on("error", () => undefined);
  }

  /** Connects (resolves true when ready, false after a failed first attempt: retries continue). */
  async open(): Promise<boolean> {
    try {
      await this.#redis.connect();
      return true;
    } catch {
      return false;
    }
  }

  send(f: string, args: ReadonlyArray<CommandArg>, fill?: FilledValue): Promise<CommandOutcome> {
    const wasConnected = this.#connected;
    const texts = args.map((arg) => (typeof arg === "object" ? numberedKeyText(arg) : arg));
    const all = fill === undefined ? texts : [...texts, materializeFill(fill)];
    return this.#redis.call(f, ...all).then(
      (reply) => ({ type: "ok" as const, reply }),
      (error: unknown) => classifyError(error, wasConnected && this.#connected),
    );
  }

  async close(): Promise<void> {
    this.#closing = true;
    this.#redis.disconnect(false);
  }
}

/** Opens `count` connections to an endpoint (waits for the first connect attempt of each). */
export async function openConnections(
  endpoint: Endpoint,
  options: { count: number; opTimeoutMs: number; onState?: ConnectionStateListener },
): Promise<WorkloadConnection[]> {
  const connections = Array.from(
    { length: options.count },
    (_, index) =>
      new IoredisConnection(endpoint, { index, opTimeoutMs: options.opTimeoutMs, onState: options.onState }),
  );
  await Promise.all(connections.map((c) => c.open()));
  return connections;
}
