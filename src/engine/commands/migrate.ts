// MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE] [AUTH pw] [AUTH2 user pw] [KEYS k...]
// (Redis 7.0's cluster.c): sends each key as RESTORE key ttl <DUMP payload> [REPLACE] to another
// server over a cached connection (one per host:port, SELECT sent only when the database changes,
// closed after 10 s unused), then deletes the keys the target acknowledged unless COPY, and
// propagates that as DEL. Redis blocks the whole server for the round trip; here only the calling
// client waits (server/blocking.ts), so other clients run meanwhile.
import { connect, type Socket } from "node:net";
import { ERRORS, ReplyError } from "../errors.ts";
import type { Client } from "../server/context-types.ts";
import type { ServerContext } from "../server/context-types.ts";
import { isKeyword, parseInteger } from "./arguments.ts";
import { countLookup, markDirty } from "./access.ts";
import { createDumpPayload } from "./dump-restore.ts";
import { defineCommand, type CommandSpec } from "./types.ts";

const CACHE_TTL_MS = 10_000;
const CACHE_MAX_ITEMS = 64;

/** One cached connection to a target. */
interface CachedSocket {
  readonly socket: Socket;
  lastDbid: number;
  /** Received bytes not yet consumed as reply lines. */
  pending: string;
  onData: (() => void) | null;
  closed: boolean;
  idleTimer: NodeJS.Timeout | null;
  /** Serialises migrations over this socket. */
  queue: Promise<void>;
}

const caches = new WeakMap<ServerContext, Map<string, CachedSocket>>();

function cacheOf(context: ServerContext): Map<string, CachedSocket> {
  let cache = caches.get(context);
  if (cache === undefined) {
    cache = new Map();
    caches.set(context, cache);
  }
  return cache;
}

/** INFO migrate_cached_sockets. */
export function migrateCachedSocketCount(context: ServerContext): number {
  return caches.get(context)?.size ?? 0;
}

/** An I/O failure: which step, and whether it was a timeout (no retry then). */
class MigrateIoError extends Error {
  readonly step: "connecting" | "writing" | "reading";
  readonly timedOut: boolean;
  constructor(step: "connecting" | "writing" | "reading", timedOut: boolean) {
    super(`MIGRATE ${step} ${timedOut ? "timed out" : "failed"}`);
    this.step = step;
    this.timedOut = timedOut;
  }
}

function closeCached(context: ServerContext, name: string): void {
  const cache = cacheOf(context);
  const cached = cache.get(name);
  if (cached === undefined) return;
  cache.delete(name);
  if (cached.idleTimer !== null) clearTimeout(cached.idleTimer);
  cached.closed = true;
  cached.socket.destroy();
}

function touchCached(context: ServerContext, name: string, cached: CachedSocket): void {
  if (cached.idleTimer !== null) clearTimeout(cached.idleTimer);
  cached.idleTimer = setTimeout(() => closeCached(context, name), CACHE_TTL_MS);
  cached.idleTimer.unref();
}

async function getSocket(context: ServerContext, host: string, port: string, timeoutMs: number): Promise<CachedSocket> {
  const cache = cacheOf(context);
  const name = `${host}:${port}`;
  const existing = cache.get(name);
  if (existing !== undefined && !existing.closed) return existing;
  if (cache.size >= CACHE_MAX_ITEMS) closeCached(context, cache.keys().next().value as string);
  const socket = await new Promise<Socket>((resolve, reject) => {
    const attempt = connect({ host, port: Number.parseInt(port, 10) || 0 });
    const timer = setTimeout(() => {
      attempt.destroy();
      reject(new MigrateIoError("connecting", true));
    }, timeoutMs);
    attempt.once("connect", () => {
      clearTimeout(timer);
      resolve(attempt);
    });
    attempt.once("error", () => {
      clearTimeout(timer);
      reject(new MigrateIoError("connecting", false));
    });
  });
  socket.setNoDelay(true);
  const cached: CachedSocket = {
    socket,
    lastDbid: -1,
    pending: "",
    onData: null,
    closed: false,
    idleTimer: null,
    queue: Promise.resolve(),
  };
  socket.on("data", (chunk: Buffer) => {
    cached.pending += chunk.toString("latin1");
    cached.onData?.();
  });
  const onGone = (): void => {
    cached.closed = true;
    if (cache.get(name) === cached) closeCached(context, name);
    cached.onData?.();
  };
  socket.on("error", onGone);
  socket.on("close", onGone);
  cache.set(name, cached);
  return cached;
}

function writeAll(cached: CachedSocket, data: Buffer, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    if (cached.closed) {
      reject(new MigrateIoError("writing", false));
      return;
    }
    const timer = setTimeout(() => reject(new MigrateIoError("writing", true)), timeoutMs);
    cached.socket.write(data, (error) => {
      clearTimeout(timer);
      if (error === undefined || error === null) resolve();
      else reject(new MigrateIoError("writing", false));
    });
  });
}

// One reply line (without CRLF), as connSyncReadLine.
function readLine(cached: CachedSocket, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cached.onData = null;
      reject(new MigrateIoError("reading", true));
    }, timeoutMs);
    const check = (): void => {
      const end = cached.pending.indexOf("\r\n");
      if (end !== -1) {
        clearTimeout(timer);
        cached.onData = null;
        const line = cached.pending.slice(0, end);
        cached.pending = cached.pending.slice(end + 2);
        resolve(line);
      } else if (cached.closed) {
        clearTimeout(timer);
        cached.onData = null;
        reject(new MigrateIoError("reading", false));
      }
    };
    cached.onData = check;
    check();
  });
}

function encodeCommand(argv: readonly string[]): string {
  let out = `*${argv.length}\r\n`;
  for (const arg of argv) out += `$${arg.length}\r\n${arg}\r\n`;
  return out;
}

/** What one migration attempt needs. */
interface MigrationPlan {
  readonly host: string;
  readonly port: string;
  readonly dbid: number;
  readonly timeoutMs: number;
  readonly copy: boolean;
  readonly replace: boolean;
  readonly auth: readonly string[] | null;
  /** Keys with their TTL (ms, 0 = none) and DUMP payload. */
  readonly keys: readonly { key: string; ttl: number; payload: string }[];
}

/** The outcome handed back to the client. */
type MigrationResult =
  | { kind: "ok"; acknowledged: string[] }
  | { kind: "target-error"; message: string; acknowledged: string[] }
  | { kind: "io-error"; step: "connecting" | "writing" | "reading"; acknowledged: string[] };

async function attempt(context: ServerContext, plan: MigrationPlan, acknowledged: string[]): Promise<MigrationResult> {
  const cached = await getSocket(context, plan.host, plan.port, plan.timeoutMs);
  const name = `${plan.host}:${plan.port}`;
  touchCached(context, name, cached);
  const select = cached.lastDbid !== plan.dbid;
  let out = "";
  if (plan.auth !== null) out += encodeCommand(["AUTH", ...plan.auth]);
  if (select) out += encodeCommand(["SELECT", String(plan.dbid)]);
  for (const entry of plan.keys)
    out += encodeCommand([
      "RESTORE",
      entry.key,
      String(entry.ttl),
      entry.payload,
      ...(plan.replace ? ["REPLACE"] : []),
    ]);
  const data = Buffer.from(out, "latin1");
  for (let offset = 0; offset < data.length; offset += 64 * 1024)
    await writeAll(cached, data.subarray(offset, offset + 64 * 1024), plan.timeoutMs);
  const authReply = plan.auth !== null ? await readLine(cached, plan.timeoutMs) : "";
  const selectReply = select ? await readLine(cached, plan.timeoutMs) : "";
  let targetError: string | null = null;
  for (const entry of plan.keys) {
    let reply: string;
    try {
      reply = await readLine(cached, plan.timeoutMs);
    } catch (error) {
      // Replies already read stand; a socket error before the first one may be retried.
      closeCached(context, name);
      if (targetError !== null) return { kind: "target-error", message: targetError, acknowledged };
      if (acknowledged.length === 0) throw error;
      return { kind: "io-error", step: "reading", acknowledged };
    }
    const failed = authReply.startsWith("-")
      ? authReply
      : selectReply.startsWith("-")
        ? selectReply
        : reply.startsWith("-")
          ? reply
          : null;
    if (failed !== null) {
      if (targetError === null) {
        cached.lastDbid = -1;
        targetError = `ERR Target instance replied with error: ${failed.slice(1)}`;
      }
    } else if (!plan.copy) acknowledged.push(entry.key);
  }
  if (targetError !== null) return { kind: "target-error", message: targetError, acknowledged };
  cached.lastDbid = plan.dbid;
  return { kind: "ok", acknowledged };
}

async function runMigration(context: ServerContext, plan: MigrationPlan): Promise<MigrationResult> {
  const acknowledged: string[] = [];
  try {
    return await attempt(context, plan, acknowledged);
  } catch (error) {
    if (!(error instanceof MigrateIoError)) throw error;
    if (error.step !== "connecting") closeCached(context, `${plan.host}:${plan.port}`);
    if (error.step === "connecting" || error.timedOut) return { kind: "io-error", step: error.step, acknowledged };
  }
  // One retry on a socket error (a cached socket the target closed is common).
  try {
    return await attempt(context, plan, acknowledged);
  } catch (error) {
    if (!(error instanceof MigrateIoError)) throw error;
    if (error.step !== "connecting") closeCached(context, `${plan.host}:${plan.port}`);
    return { kind: "io-error", step: error.step, acknowledged };
  }
}

// The reply and local deletions of a finished migration, run as the calling client.
function finishMigration(client: Client, result: MigrationResult): void {
  const db = client.db;
  const deleted: string[] = [];
  for (const key of result.acknowledged) {
    if (db.delete(key)) {
      markDirty(client);
      deleted.push(key);
    }
  }
  client.propagate(...(deleted.length > 0 ? [["DEL", ...deleted]] : []));
  if (result.kind === "ok") client.reply.ok();
  else if (result.kind === "target-error") client.reply.error(result.message);
  else if (result.step === "connecting") client.reply.error("IOERR error or timeout connecting to the client");
  else client.reply.error(`IOERR error or timeout ${result.step} to target instance`);
}

function migrateCommand(client: Client, argv: string[]): void {
  let copy = false;
  let replace = false;
  let auth: string[] | null = null;
  let keyNames = [argv[3] as string];
  for (let index = 6; index < argv.length; index += 1) {
    const word = argv[index] as string;
    const more = argv.length - 1 - index;
    if (isKeyword(word, "COPY")) copy = true;
    else if (isKeyword(word, "REPLACE")) replace = true;
    else if (isKeyword(word, "AUTH")) {
      if (more < 1) throw new ReplyError(ERRORS.syntax);
      auth = [argv[index + 1] as string];
      index += 1;
    } else if (isKeyword(word, "AUTH2")) {
      if (more < 2) throw new ReplyError(ERRORS.syntax);
      auth = [argv[index + 1] as string, argv[index + 2] as string];
      index += 2;
    } else if (isKeyword(word, "KEYS")) {
      if ((argv[3] as string).length !== 0)
        throw new ReplyError("ERR When using MIGRATE KEYS option, the key argument must be set to the empty string");
      keyNames = argv.slice(index + 1);
      break;
    } else throw new ReplyError(ERRORS.syntax);
  }
  let timeoutMs = parseInteger(argv[5] as string);
  const dbid = parseInteger(argv[4] as string);
  if (timeoutMs <= 0) timeoutMs = 1000;
  const db = client.db;
  const now = Date.now();
  const keys: { key: string; ttl: number; payload: string }[] = [];
  let found = 0;
  for (const key of keyNames) {
    const value = countLookup(client, db.get(key));
    if (value === undefined) continue;
    found += 1;
    const expireAt = db.getExpire(key);
    let ttl = 0;
    if (expireAt !== undefined) {
      ttl = expireAt - now;
      if (ttl < 0) continue;
      if (ttl < 1) ttl = 1;
    }
    keys.push({ key, ttl, payload: createDumpPayload(value, client.server.settings) });
  }
  if (found === 0) {
    client.reply.status("NOKEY");
    return;
  }
  const blocking = client.server.blocking;
  if (!blocking.mayBlock(client))
    throw new ReplyError("ERR MIGRATE inside MULTI is not supported by this engine: it waits for the target's replies");
  const plan: MigrationPlan = {
    host: argv[1] as string,
    port: argv[2] as string,
    dbid,
    timeoutMs,
    copy,
    replace,
    auth,
    keys,
  };
  blocking.block(client, { keys: [], deadlineMs: 0, tryServe: () => false }, argv);
  const context = client.server;
  const name = `${plan.host}:${plan.port}`;
  const cache = cacheOf(context);
  // Migrations over one connection run one after the other, as Redis's synchronous I/O does.
  const previous = cache.get(name)?.queue ?? Promise.resolve();
  const run = previous.then(() => runMigration(context, plan));
  const done = run.then(
    (result) => {
      if (blocking.completeExternally(client, (served) => finishMigration(served, result))) return;
      // The client left meanwhile: the acknowledged keys still move.
      finishMigration(client, result);
      for (const command of client.propagateAs ?? []) context.dispatcher.propagate(client.dbIndex, command);
      client.propagateAs = null;
    },
    (error: unknown) => {
      context.log.warning(`MIGRATE failed: ${String(error)}`);
      blocking.completeExternally(client, (served) =>
        served.reply.error("IOERR error or timeout reading to target instance"),
      );
    },
  );
  const cached = cache.get(name);
  if (cached !== undefined) cached.queue = done;
}

/** MIGRATE spec. */
export const MIGRATE_COMMANDS: readonly CommandSpec[] = [
  defineCommand({
    name: "migrate",
    arity: -6,
    flags: ["write"],
    keys: [3, 3, 1],
    categories: ["@keyspace", "@write", "@slow", "@dangerous"],
    handler: migrateCommand,
    getKeys: (argv) => {
      const keysAt = argv.findIndex((word, index) => index >= 6 && isKeyword(word, "KEYS"));
      return keysAt === -1 ? [argv[3] as string] : argv.slice(keysAt + 1);
    },
  }),
];
