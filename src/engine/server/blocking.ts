// Blocked clients (Redis's blocked.c): a command that finds nothing to serve parks its client on
// one or more keys until a write makes one of them ready, a timeout passes, CLIENT UNBLOCK, or the
// client disconnects. Generic: it knows nothing of lists, sorted sets or streams.
//
// How a command uses it (BLPOP, BZPOPMIN, XREAD BLOCK, ...):
//
//   const deadlineMs = parseBlockTimeout(argv[argv.length - 1]);       // seconds as a double; 0 = forever
//   if (served now) { reply; return; }                                 // behave as the non-blocking form
//   if (!blocking.mayBlock(client)) { client.reply.nilArray(); return; } // MULTI, AOF replay: reply as a timeout
//   blocking.block(client, { keys, deadlineMs, tryServe, onTimeout? }); // no reply now
//
// - tryServe(client, key) runs later, as the blocked client (client.db is the database it blocked
//   in), when `key` was signalled ready. It either serves the client (writes its reply, makes its
//   writes, names what to propagate with client.propagate(...), returns true) or returns false to
//   keep waiting (the key holds nothing for it, or the wrong type). A ReplyError thrown from it is
//   the client's reply, and the client is unblocked (BLMOVE whose destination is not a list).
//   What it propagates goes to the AOF as one command, or wrapped in MULTI/EXEC when several; with
//   no client.propagate(...) and a write made, the blocked command's own argv is propagated.
// - A key is signalled ready by every write to it: the keyspace touch hook (which WATCH and the
//   snapshots also use) calls signalKeyReady, so LPUSH, ZADD, XADD, RENAME, SORT ... STORE, RESTORE,
//   SWAPDB (all keys of the database) need no code of their own. signalKeyReady is also exported
//   for a write that bypasses the hook.
// - Serving happens after the current command (after the whole EXEC for a transaction), key by key
//   in the order they were signalled, and for each key client by client in the order they blocked,
//   as Redis's handleClientsBlockedOnKeys. A served write that readies more keys (BLMOVE's push) is
//   served in the same pass.
// - A timeout calls onTimeout (default: the null array, as Redis's replyToBlockedClientTimedOut).
//   CLIENT UNBLOCK id TIMEOUT does the same; CLIENT UNBLOCK id ERROR replies
//   "-UNBLOCKED client unblocked via CLIENT UNBLOCK".
// - While blocked, the client's further commands wait in client.pendingCommands (Redis leaves them
//   in the query buffer); they run once it is unblocked.
import { ReplyError } from "../errors.ts";
import { parseFloatArg } from "../commands/arguments.ts";
import type { Database } from "../keyspace/database.ts";
import { recordErrorCode } from "./error-stats.ts";
import type { BlockingRegistry, BlockRequest, Client, ServerContext, UnblockListener } from "./context-types.ts";

/** One blocked client's state. */
interface BlockedState {
  readonly client: Client;
  readonly database: Database;
  readonly keys: readonly string[];
  readonly request: BlockRequest;
  /** The blocked command's argv (propagated when tryServe writes without naming a command). */
  readonly argv: readonly string[];
  readonly blockedAtMs: number;
  timer: NodeJS.Timeout | null;
}

const UNBLOCKED_ERROR = "UNBLOCKED client unblocked via CLIENT UNBLOCK";

/**
 * Parses a blocking timeout in seconds (a double) as Redis's getTimeoutFromObjectOrReply: the
 * absolute deadline in unix ms, or 0 for "forever".
 */
export function parseBlockTimeout(text: string, now: number = Date.now()): number {
  const seconds = parseFloatArg(text, "ERR timeout is not a float or out of range");
  const ms = Math.ceil(seconds * 1000);
  // Redis casts to a long long: past its range (inf included) x86 gives LLONG_MIN, so "negative".
  if (ms < 0 || !(ms < 2 ** 63)) throw new ReplyError("ERR timeout is negative");
  return ms === 0 ? 0 : ms + now;
}

/** Parses a timeout in integer milliseconds (XREAD BLOCK, WAIT) the same way. */
export function parseBlockTimeoutMs(text: string, now: number = Date.now()): number {
  if (!/^-?\d+$/.test(text)) throw new ReplyError("ERR timeout is not an integer or out of range");
  const ms = Number(text);
  if (!Number.isSafeInteger(ms) && BigInt(text) > 9223372036854775807n)
    throw new ReplyError("ERR timeout is not an integer or out of range");
  if (ms < 0) throw new ReplyError("ERR timeout is negative");
  return ms === 0 ? 0 : ms + now;
}

/** Blocked clients, the keys they wait on, and the keys made ready since the last pass. */
export class BlockedClients implements BlockingRegistry {
  private readonly context: ServerContext;
  private readonly blocked = new Map<Client, BlockedState>();
  /** Per database: key → clients blocked on it, in the order they blocked. */
  private readonly waiters = new Map<Database, Map<string, Set<Client>>>();
  /** Keys signalled since the last pass, in signal order (Redis's server.ready_keys). */
  private ready: { database: Database; key: string }[] = [];
  private readonly readySet = new Map<Database, Set<string>>();
  private serving = false;
  private readonly unblockListeners: UnblockListener[] = [];
  /** Set by the server: runs the client's pending commands and flushes its replies. */
  resumeClient: (client: Client) => void = () => {};

  constructor(context: ServerContext) {
    this.context = context;
    context.keyspace.onTouch((database, key) => {
      if (this.blocked.size === 0) return;
      if (key === null) this.signalDatabaseReady(database);
      else this.signalKeyReady(database, key);
    });
  }

  /** Number of blocked clients (INFO blocked_clients). */
  get blockedCount(): number {
    return this.blocked.size;
  }

  /** Blocked clients with a deadline (INFO clients_in_timeout_table). */
  get withTimeoutCount(): number {
    let count = 0;
    for (const state of this.blocked.values()) if (state.request.deadlineMs !== 0) count += 1;
    return count;
  }

  /** Whether the client is blocked. */
  isBlocked(client: Client): boolean {
    return this.blocked.has(client);
  }

  /**
   * Whether the client may block now: not inside EXEC (Redis's CLIENT_DENY_BLOCKING, where a
   * blocking command replies as its timeout), and not the AOF-loading client.
   */
  mayBlock(client: Client): boolean {
    return !client.isFake && !this.context.dispatcher.inTransaction;
  }

  /** Registers a listener told of each unblock (served, timed out, CLIENT UNBLOCK). */
  onUnblock(listener: UnblockListener): void {
    this.unblockListeners.push(listener);
  }

  /** Parks the client until a key is ready, the deadline passes or it is unblocked. */
  block(client: Client, request: BlockRequest, argv: readonly string[] = []): void {
    if (this.blocked.has(client)) throw new Error(`client ${client.id} is already blocked`);
    const database = client.db;
    const keys = [...new Set(request.keys)];
    const state: BlockedState = { client, database, keys, request, argv, blockedAtMs: Date.now(), timer: null };
    this.blocked.set(client, state);
    client.blocked = true;
    let byKey = this.waiters.get(database);
    if (byKey === undefined) {
      byKey = new Map();
      this.waiters.set(database, byKey);
    }
    for (const key of keys) {
      let clients = byKey.get(key);
      if (clients === undefined) {
        clients = new Set();
        byKey.set(key, clients);
      }
      clients.add(client);
    }
    if (request.deadlineMs !== 0) this.armTimer(state);
  }

  /** Marks a key ready when clients wait on it; served after the current command. */
  signalKeyReady(database: Database, key: string): void {
    if (this.waiters.get(database)?.has(key) !== true) return;
    let keys = this.readySet.get(database);
    if (keys === undefined) {
      keys = new Set();
      this.readySet.set(database, keys);
    }
    if (keys.has(key)) return;
    keys.add(key);
    this.ready.push({ database, key });
  }

  /** Marks every waited-on key of a database ready (FLUSHDB, SWAPDB). */
  signalDatabaseReady(database: Database): void {
    const byKey = this.waiters.get(database);
    if (byKey === undefined) return;
    for (const key of byKey.keys()) this.signalKeyReady(database, key);
  }

  /** True when a pass has work (the dispatcher checks this after every command). */
  get hasReadyKeys(): boolean {
    return this.ready.length !== 0;
  }

  /** Serves clients blocked on the keys signalled so far; new signals made meanwhile are served too. */
  serveReadyKeys(): void {
    if (this.serving) return;
    this.serving = true;
    try {
      while (this.ready.length !== 0) {
        const batch = this.ready;
        this.ready = [];
        for (const { database, key } of batch) {
          this.readySet.get(database)?.delete(key);
          const clients = this.waiters.get(database)?.get(key);
          if (clients === undefined) continue;
          for (const client of [...clients]) {
            const state = this.blocked.get(client);
            if (state !== undefined) this.tryServe(state, key);
          }
        }
      }
    } finally {
      this.serving = false;
    }
  }

  /**
   * CLIENT UNBLOCK: ends a client's wait with its timeout reply, or with the UNBLOCKED error.
   * Returns false when the client is not blocked.
   */
  unblockByRequest(client: Client, withError: boolean): boolean {
    const state = this.blocked.get(client);
    if (state === undefined) return false;
    if (withError) {
      this.context.stats.totalErrorReplies += 1;
      recordErrorCode(this.context.stats.errorCodes, UNBLOCKED_ERROR);
      client.reply.error(UNBLOCKED_ERROR);
    } else this.replyTimeout(state);
    this.finish(state);
    return true;
  }

  /** Forgets a disconnected client (no reply). */
  removeClient(client: Client): void {
    const state = this.blocked.get(client);
    if (state !== undefined) this.release(state);
  }

  /**
   * Ends a wait from outside, for a command that waits on something other than keys (MIGRATE's
   * network round trip): `serve` runs as the client, as tryServe does. False when not blocked.
   */
  completeExternally(client: Client, serve: (client: Client) => void): boolean {
    const state = this.blocked.get(client);
    if (state === undefined) return false;
    this.runServe(state, () => {
      serve(client);
      return true;
    });
    if (this.hasReadyKeys) this.serveReadyKeys();
    return true;
  }

  // Runs one blocked client's tryServe as that client: reply, writes and propagation as a command's.
  private tryServe(state: BlockedState, key: string): void {
    this.runServe(state, () => state.request.tryServe(state.client, key));
  }

  private runServe(state: BlockedState, attempt: () => boolean): void {
    const client = state.client;
    const context = this.context;
    const dispatcher = context.dispatcher;
    const keyspace = context.keyspace;
    const dirtyBefore = keyspace.dirty;
    client.propagateAs = null;
    const startedAt = performance.now();
    let served: boolean;
    dispatcher.beginTransaction();
    try {
      try {
        served = attempt();
      } catch (error) {
        if (!(error instanceof ReplyError)) throw error;
        context.stats.totalErrorReplies += 1;
        recordErrorCode(context.stats.errorCodes, error.message);
        // As Redis's updateStatsOnUnblock: an error ends the blocked command as a failed call.
        const failed = context.stats.commands.get((state.argv[0] ?? "").toLowerCase());
        if (failed !== undefined) failed.failedCalls += 1;
        client.reply.error(error.message);
        served = true;
      }
      if (served && (keyspace.dirty !== dirtyBefore || client.forcePropagation)) {
        for (const command of client.propagateAs ?? [state.argv]) dispatcher.propagate(client.dbIndex, command);
      }
    } finally {
      client.propagateAs = null;
      client.forcePropagation = false;
      dispatcher.endTransaction();
    }
    if (served) this.finish(state, Math.round((performance.now() - startedAt) * 1000));
  }

  private replyTimeout(state: BlockedState): void {
    if (state.request.onTimeout === undefined) state.client.reply.nilArray();
    else state.request.onTimeout(state.client);
  }

  private armTimer(state: BlockedState): void {
    const delay = Math.max(0, state.request.deadlineMs - Date.now());
    // setTimeout takes at most 2^31-1 ms; a longer wait re-arms itself.
    state.timer = setTimeout(
      () => {
        state.timer = null;
        if (this.blocked.get(state.client) !== state) return;
        if (Date.now() < state.request.deadlineMs) {
          this.armTimer(state);
          return;
        }
        this.replyTimeout(state);
        this.finish(state);
      },
      Math.min(delay, 2147483647),
    );
  }

  // The client is done waiting (served, timed out, unblocked): forget it and run what it queued.
  private finish(state: BlockedState, servedUs = 0): void {
    this.release(state);
    const times = { blockedMs: Date.now() - state.blockedAtMs, servedUs };
    for (const listener of this.unblockListeners) listener(state.client, state.argv, times);
    this.resumeClient(state.client);
  }

  private release(state: BlockedState): void {
    const client = state.client;
    if (state.timer !== null) clearTimeout(state.timer);
    state.timer = null;
    this.blocked.delete(client);
    client.blocked = false;
    const byKey = this.waiters.get(state.database);
    if (byKey === undefined) return;
    for (const key of state.keys) {
      const clients = byKey.get(key);
      if (clients === undefined) continue;
      clients.delete(client);
      if (clients.size === 0) byKey.delete(key);
    }
    if (byKey.size === 0) this.waiters.delete(state.database);
  }
}
