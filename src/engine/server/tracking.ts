// CLIENT TRACKING (Redis's client-side caching support): keys read by tracking clients are
// remembered and an invalidation is sent when they change (default mode), or every change under a
// client's prefixes is sent (BCAST). Messages are RESP3 pushes (`invalidate` [keys]); a RESP2 client
// redirects them to another connection, which receives them as Pub/Sub messages on
// __redis__:invalidate while it is in subscribed mode. As Redis, the table is keyed by key name only
// (all databases share it), a FLUSHDB/FLUSHALL (or SWAPDB, here) invalidates everything with a null,
// and OPTIN/OPTOUT with CLIENT CACHING, NOLOOP and REDIRECT behave as documented for Redis 7.0.
import type { Keyspace } from "../keyspace/keyspace.ts";
import type { Client, CommandSpec, ServerContext, Tracking } from "./context-types.ts";

const INVALIDATE_CHANNEL = "__redis__:invalidate";

/** Tracked keys and BCAST prefixes of one server. */
export class KeyTracking implements Tracking {
  /** Key → ids of clients that may have cached it (default mode). */
  private readonly table = new Map<string, Set<number>>();
  /** BCAST prefix → ids of the clients registered for it. */
  private readonly prefixes = new Map<string, Set<number>>();
  private readonly context: ServerContext;
  /** Clients with tracking on: the keyspace hook does nothing while 0. */
  private trackingClients = 0;
  /** The client whose command is running, and invalidations for it held until its reply is written. */
  private current: Client | null = null;
  private readonly heldForCurrent: (string | null)[] = [];
  private depth = 0;
  private flushSent = false;

  constructor(context: ServerContext, keyspace: Keyspace) {
    this.context = context;
    keyspace.onTouch((_database, key) => {
      if (this.trackingClients === 0) return;
      if (key === null) this.invalidateAll();
      else this.invalidateKey(key);
    });
  }

  /** Whether any client has tracking on (the dispatcher's fast check). */
  get active(): boolean {
    return this.trackingClients > 0;
  }

  /** CLIENT TRACKING ON with its options (validated by the caller). */
  enable(
    client: Client,
    options: {
      redirect: number;
      bcast: boolean;
      prefixes: readonly string[];
      optin: boolean;
      optout: boolean;
      noloop: boolean;
    },
  ): void {
    let state = client.tracking;
    if (state === null) {
      state = {
        redirect: 0,
        bcast: false,
        prefixes: [],
        optin: false,
        optout: false,
        noloop: false,
        brokenRedirect: false,
        cachingGiven: false,
      };
      client.tracking = state;
      this.trackingClients += 1;
    }
    state.redirect = options.redirect;
    state.bcast = options.bcast;
    state.optin = options.optin;
    state.optout = options.optout;
    state.noloop = options.noloop;
    state.brokenRedirect = false;
    if (options.bcast) {
      const wanted = options.prefixes.length === 0 ? [""] : options.prefixes;
      for (const prefix of wanted) {
        if (!state.prefixes.includes(prefix)) state.prefixes.push(prefix);
        let ids = this.prefixes.get(prefix);
        if (ids === undefined) {
          ids = new Set();
          this.prefixes.set(prefix, ids);
        }
        ids.add(client.id);
      }
    }
  }

  /** CLIENT TRACKING OFF (also RESET and disconnect). */
  disable(client: Client): void {
    const state = client.tracking;
    if (state === null) return;
    for (const prefix of state.prefixes) {
      const ids = this.prefixes.get(prefix);
      ids?.delete(client.id);
      if (ids?.size === 0) this.prefixes.delete(prefix);
    }
    client.tracking = null;
    this.trackingClients -= 1;
  }

  /** A prefix of `prefixes` that overlaps another one or one the client has, as [new, existing]; null when none. */
  findOverlap(client: Client, prefixes: readonly string[]): [string, string] | null {
    const existing = client.tracking?.prefixes ?? [];
    for (let index = 0; index < prefixes.length; index += 1) {
      const prefix = prefixes[index] as string;
      for (const other of existing)
        if (other !== prefix && (other.startsWith(prefix) || prefix.startsWith(other))) return [prefix, other];
      for (let next = index + 1; next < prefixes.length; next += 1) {
        const other = prefixes[next] as string;
        if (other !== prefix && (other.startsWith(prefix) || prefix.startsWith(other))) return [prefix, other];
      }
    }
    return null;
  }

  /**
   * Before a command runs: its client, so invalidations it causes for itself follow its reply (and
   * NOLOOP can skip them). EXEC's queued commands nest inside EXEC: held messages wait for its reply.
   */
  beginCommand(client: Client): void {
    if (this.depth === 0) this.current = client;
    this.depth += 1;
  }

  /** After a command ran: remembers the keys a tracking client read, then sends what was held for it. */
  endCommand(client: Client, spec: CommandSpec, argv: readonly string[], inTransaction: boolean): void {
    const state = client.tracking;
    if (state !== null) {
      if (!state.bcast && spec.flags.includes("readonly") && spec.firstKey > 0) {
        const skip = (state.optin && !state.cachingGiven) || (state.optout && state.cachingGiven);
        if (!skip) this.rememberKeys(client.id, spec, argv);
      }
      // CLIENT CACHING applies to the next command, or to a whole MULTI/EXEC.
      if (spec.name !== "client" && client.multi === null && !inTransaction) state.cachingGiven = false;
    }
    this.depth -= 1;
    if (this.depth > 0) return;
    this.current = null;
    this.flushSent = false;
    if (this.heldForCurrent.length > 0) {
      const held = this.heldForCurrent.splice(0);
      for (const key of held) this.send(client, key);
    }
  }

  private rememberKeys(id: number, spec: CommandSpec, argv: readonly string[]): void {
    const last = spec.lastKey < 0 ? argv.length + spec.lastKey : spec.lastKey;
    for (let index = spec.firstKey; index <= last && index < argv.length; index += Math.max(1, spec.step)) {
      const key = argv[index] as string;
      let ids = this.table.get(key);
      if (ids === undefined) {
        ids = new Set();
        this.table.set(key, ids);
      }
      ids.add(id);
    }
  }

  // A key changed: default-mode clients that read it, and BCAST clients with a matching prefix.
  private invalidateKey(key: string): void {
    const ids = this.table.get(key);
    if (ids !== undefined) {
      this.table.delete(key);
      for (const id of ids) {
        const target = this.context.clients.get(id);
        if (target === undefined || target.tracking === null || target.tracking.bcast) continue;
        this.deliver(target, key);
      }
    }
    if (this.prefixes.size === 0) return;
    for (const [prefix, prefixIds] of this.prefixes) {
      if (!key.startsWith(prefix)) continue;
      for (const id of prefixIds) {
        const target = this.context.clients.get(id);
        if (target !== undefined && target.tracking !== null) this.deliver(target, key);
      }
    }
  }

  // FLUSHDB / FLUSHALL: every tracking client is told that everything is invalid (a null), and the table
  // goes. FLUSHALL empties each database in turn: one message per command (or per turn outside one).
  private invalidateAll(): void {
    if (this.flushSent) return;
    this.flushSent = true;
    queueMicrotask(() => {
      this.flushSent = false;
    });
    for (const client of this.context.clients.values()) if (client.tracking !== null) this.send(client, null);
    this.table.clear();
  }

  private deliver(target: Client, key: string): void {
    if (target === this.current) {
      if (target.tracking?.noloop === true) return;
      this.heldForCurrent.push(key);
      return;
    }
    this.send(target, key);
  }

  // Redis's sendTrackingMessage: to the redirect target (a Pub/Sub message when it is RESP2 in subscribed
  // mode) or to the client itself when RESP3; a RESP2 client without a redirect cannot be told.
  private send(client: Client, key: string | null): void {
    const state = client.tracking;
    if (state === null) return;
    let target = client;
    if (state.redirect !== 0) {
      const redirected = this.context.clients.get(state.redirect);
      if (redirected === undefined) {
        state.brokenRedirect = true;
        if (client.reply.protocol === 3) {
          client.reply.push(2);
          client.reply.bulk("tracking-redir-broken");
          client.reply.integer(state.redirect);
          this.context.wakeClient(client);
        }
        return;
      }
      target = redirected;
    }
    const reply = target.reply;
    if (reply.protocol === 3) {
      reply.push(2);
      reply.bulk("invalidate");
    } else if (state.redirect !== 0 && (target.subscribedChannels.size > 0 || target.subscribedPatterns.size > 0)) {
      reply.push(3);
      reply.bulk("message");
      reply.bulk(INVALIDATE_CHANNEL);
    } else {
      return;
    }
    if (key === null) reply.nil();
    else {
      reply.array(1);
      reply.bulk(key);
    }
    this.context.wakeClient(target);
  }
}
