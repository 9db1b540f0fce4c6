// The engine's core shapes, types only: the server context (everything a command may reach), one
// client's connection state, a command's spec and the registries the context holds (dispatcher,
// blocking, ACL users, MONITOR, tracking, Pub/Sub). Every server and command module takes its types
// from here, and the classes that build them (context.ts, client.ts, dispatcher.ts, blocking.ts,
// acl-users.ts, monitor.ts, tracking.ts, pubsub.ts) implement them, so no module needs another's
// class for a type and the imports stay free of cycles. This file imports types only, from modules
// that never import it back.
import type { Socket } from "node:net";
import type { ServerSettings } from "../config/settings.ts";
import type { Database } from "../keyspace/database.ts";
import type { Keyspace } from "../keyspace/keyspace.ts";
import type { Logger } from "../log.ts";
import type { PersistenceHooks } from "../persistence/hooks.ts";
import type { RespParser } from "../resp/parser.ts";
import type { ReplyWriter } from "../resp/reply-writer.ts";
import type { ErrorCodeCounts } from "./error-stats.ts";
import type { Monitoring } from "./monitoring.ts";
import type { WatchRegistry } from "./watch-registry.ts";

// --- Commands -------------------------------------------------------------------------------

/** Command flags as COMMAND INFO prints them (subset the engine uses). */
export type CommandFlag =
  | "write"
  | "readonly"
  | "denyoom"
  | "admin"
  | "pubsub"
  | "noscript"
  | "blocking"
  | "loading"
  | "stale"
  | "skip_monitor"
  | "fast"
  | "no_auth"
  | "no_multi"
  | "allow_busy";

/** A command handler: reads argv, writes replies to client.reply, throws ReplyError on errors. */
export type CommandHandler = (client: Client, argv: string[]) => void;

/** One entry of the command table. */
export interface CommandSpec {
  /** Lowercase name. */
  readonly name: string;
  /** Redis arity: N = exactly N arguments (name included), -N = at least N. */
  readonly arity: number;
  readonly flags: readonly CommandFlag[];
  /** Key positions (1-based; 0 = no keys; lastKey -1 = last argument). */
  readonly firstKey: number;
  readonly lastKey: number;
  readonly step: number;
  /** ACL categories for COMMAND INFO (e.g. "@string", "@write"). */
  readonly categories?: readonly string[];
  readonly handler: CommandHandler;
  /** Subcommands (CONFIG GET, CLIENT SETNAME, ...) for COMMAND INFO/DOCS. */
  readonly subcommands?: readonly CommandSpec[];
  /** Key names of commands whose keys move (movablekeys: SORT, LMPOP, ZUNIONSTORE, ...), for COMMAND GETKEYS. */
  readonly getKeys?: (argv: readonly string[]) => string[];
}

/** A command table entry with its flags resolved to booleans once (hot path). */
export interface TableEntry {
  readonly spec: CommandSpec;
  readonly isWrite: boolean;
  /** Flagged fast: its latency samples go to the "fast-command" event. */
  readonly isFast: boolean;
  readonly noAuth: boolean;
  readonly allowedWhileLoading: boolean;
  readonly noMulti: boolean;
  /** May grow memory: refused with -OOM when over maxmemory with nothing to evict. */
  readonly denyOom: boolean;
  /** DEBUG and MODULE: gated by enable-debug-command / enable-module-command. */
  readonly isProtected: boolean;
  /** Subcommands by lowercase name (OBJECT ENCODING, ...), validated before the handler runs; null when none. */
  readonly subcommands: ReadonlyMap<string, CommandSpec> | null;
  readonly stats: { calls: number; usec: number; rejectedCalls: number; failedCalls: number };
}

/** Executes commands for clients; owns the dispatch table and transaction propagation (server/dispatcher.ts). */
export interface Dispatcher {
  readonly table: Map<string, TableEntry>;
  /** Runs one request from a client, writing its reply. */
  execute(client: Client, argv: string[]): void;
  /** Runs a resolved command (also used by EXEC for queued commands); propagates writes. */
  call(client: Client, entry: TableEntry, argv: string[]): void;
  /** Sends a write to persistence, or buffers it while an EXEC runs. */
  propagate(dbIndex: number, argv: readonly string[]): void;
  /** True while an EXEC runs its queue (blocking commands then reply as their timeout). */
  readonly inTransaction: boolean;
  /** True while EXEC runs its queue (Redis's server.in_exec: rewrites asked for then are scheduled). */
  readonly inExec: boolean;
  /** Starts buffering propagation for an EXEC. */
  beginTransaction(): void;
  /** Ends an EXEC: one write propagates alone, several are wrapped in MULTI/EXEC. */
  endTransaction(): void;
}

// --- Clients --------------------------------------------------------------------------------

/** A queued MULTI command. */
export type QueuedCommand = string[];

/** A client's tracking settings (null on the client when tracking is off; server/tracking.ts). */
export interface TrackingState {
  /** Client id invalidations go to; 0 = the client itself. */
  redirect: number;
  bcast: boolean;
  /** BCAST prefixes ("" matches every key). */
  readonly prefixes: string[];
  optin: boolean;
  optout: boolean;
  noloop: boolean;
  /** The redirect target disconnected. */
  brokenRedirect: boolean;
  /** CLIENT CACHING yes|no was given for the next command. */
  cachingGiven: boolean;
}

/** Connection state of one client (built by server/client.ts). */
export interface Client {
  readonly id: number;
  readonly socket: Socket | null;
  readonly parser: RespParser;
  readonly reply: ReplyWriter;
  readonly server: ServerContext;
  readonly createdAtMs: number;
  readonly remoteAddress: string;
  readonly localAddress: string;
  db: Database;
  name: string;
  libName: string;
  libVersion: string;
  authenticated: boolean;
  lastInteractionMs: number;
  lastCommand: string;
  /** Commands queued by MULTI, or null outside a transaction. */
  multi: QueuedCommand[] | null;
  /** A queued command was rejected: EXEC must abort. */
  multiError: boolean;
  /** A watched key changed: EXEC must fail. */
  dirtyCas: boolean;
  /** Keys this client WATCHes, per database. */
  readonly watched: Map<Database, Set<string>>;
  /** Set by handlers that rewrite what is propagated (SET EX → SET PXAT, ...); null = argv as is. */
  propagateAs: string[][] | null;
  /** Set by handlers whose command must be propagated even if `dirty` did not move (FLUSHALL, as Redis's forceCommandPropagation). */
  forcePropagation: boolean;
  /** Close once pending replies are written (QUIT, protocol errors). */
  closeAfterReply: boolean;
  /** The server's per-client command callback for the parser (created once, on first data). */
  onCommand: ((argv: string[]) => void) | null;
  /** Blocked by a blocking command (server/blocking.ts): its further commands wait in pendingCommands. */
  blocked: boolean;
  /** Commands received while blocked, run once it is unblocked. */
  pendingCommands: string[][];
  /** A protocol error found in input received while blocked: answered (and the client closed) after pendingCommands. */
  pendingProtocolError: string | null;
  /** True for the fake client that replays the AOF. */
  readonly isFake: boolean;
  /** Pub/Sub channels and patterns subscribed to (RESP2 subscribed mode while any; server/pubsub.ts). */
  readonly subscribedChannels: Set<string>;
  readonly subscribedPatterns: Set<string>;
  /** In MONITOR mode (server/monitor.ts). */
  monitoring: boolean;
  /** The ACL user this connection is authenticated as (server/acl-users.ts). */
  user: string;
  /** CLIENT TRACKING settings, null when off (server/tracking.ts). */
  tracking: TrackingState | null;
  /** True when connected through the unix socket (a local connection). */
  readonly viaUnixSocket: boolean;
  /** Index of the selected database. */
  readonly dbIndex: number;
  /** Replaces what the current command propagates (called by handlers). */
  propagate(...commands: string[][]): void;
  /** The CLIENT LIST / CLIENT INFO line. */
  describe(now: number): string;
}

// --- Blocking -------------------------------------------------------------------------------

/** What a blocking command hands to block(). */
export interface BlockRequest {
  /** Keys of the client's current database; a key named twice counts once. */
  readonly keys: readonly string[];
  /** Absolute unix time in ms when the wait ends, or 0 to wait forever (parseBlockTimeout gives it). */
  readonly deadlineMs: number;
  /** Serves the client from `key` and returns true, or returns false to keep waiting. */
  tryServe(client: Client, key: string): boolean;
  /** The reply when the wait times out (default: null array). */
  onTimeout?(client: Client): void;
}

/** A served or timed-out client's command, blocked time and serving time, for SLOWLOG and stats. */
export type UnblockListener = (
  client: Client,
  argv: readonly string[],
  times: { blockedMs: number; servedUs: number },
) => void;

/** Blocked clients, the keys they wait on, and the keys made ready since the last pass (server/blocking.ts). */
export interface BlockingRegistry {
  /** Set by the server: runs the client's pending commands and flushes its replies. */
  resumeClient: (client: Client) => void;
  /** Number of blocked clients (INFO blocked_clients). */
  readonly blockedCount: number;
  /** Blocked clients with a deadline (INFO clients_in_timeout_table). */
  readonly withTimeoutCount: number;
  /** Whether keys were signalled since the last pass. */
  readonly hasReadyKeys: boolean;
  isBlocked(client: Client): boolean;
  mayBlock(client: Client): boolean;
  onUnblock(listener: UnblockListener): void;
  block(client: Client, request: BlockRequest, argv?: readonly string[]): void;
  signalKeyReady(database: Database, key: string): void;
  signalDatabaseReady(database: Database): void;
  serveReadyKeys(): void;
  unblockByRequest(client: Client, withError: boolean): boolean;
  removeClient(client: Client): void;
  completeExternally(client: Client, serve: (client: Client) => void): boolean;
}

// --- Per-server registries (built by server/context.ts) -------------------------------------

/** One user. */
export interface AclUser {
  readonly name: string;
  enabled: boolean;
  nopass: boolean;
  /** SHA-256 hex digests of the passwords, in the order they were added. */
  passwords: string[];
  /** The command permission +@all / -@all set, before `commandRules`. */
  allCommands: boolean;
  /** +/- rules after the last +@all / -@all, in order (the last matching one decides). */
  commandRules: AclCommandRule[];
  allKeys: boolean;
  allChannels: boolean;
}

/** One +/- ACL command rule: a command (`get`), a subcommand (`config|get`) or a category (`@read`). */
export interface AclCommandRule {
  readonly allow: boolean;
  readonly target: string;
}

/** Why a command is refused for a user (Redis's ACL_DENIED_*), or null when allowed. */
export type AclDenial = "command" | "key" | "channel";

/** The ACL users of one server (server/acl-users.ts). */
export interface AclUsers {
  /** True once any user lacks a permission: the dispatcher checks permissions only then. */
  restricted: boolean;
  /** The user named `name`, or undefined. */
  get(name: string): AclUser | undefined;
  /** Whether a new connection is authenticated as default without AUTH. */
  defaultUserNeedsNoAuth(): boolean;
  checkPassword(name: string, password: string): boolean;
  /** ACL USERS. */
  names(): string[];
  /** ACL LIST. */
  describeAll(): string[];
  /** ACL SETUSER; throws AclRuleError for a rule it cannot apply. */
  setUser(name: string, rules: readonly string[]): void;
  /** ACL DELUSER; returns how many were deleted. */
  deleteUsers(names: readonly string[]): number;
  /** Why the command is refused for the client's user, or null when allowed. */
  check(client: Client, name: string, fullName: string, noAuth: boolean, hasKeys: boolean): AclDenial | null;
}

/** The MONITOR clients of one server (server/monitor.ts). */
export interface Monitors {
  readonly isEmpty: boolean;
  /** MONITOR: the client receives the command feed from now on. */
  add(client: Client): void;
  /** RESET or disconnect: the client leaves the feed. */
  remove(client: Client): void;
  /** Sends one executed command to every monitor (Redis's replicationFeedMonitors). */
  feed(client: Client, entry: TableEntry, argv: readonly string[]): void;
}

/** Tracked keys and BCAST prefixes of one server (server/tracking.ts). */
export interface Tracking {
  /** Whether any client has tracking on (the dispatcher's fast check). */
  readonly active: boolean;
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
  ): void;
  /** CLIENT TRACKING OFF, RESET or disconnect. */
  disable(client: Client): void;
  /** A BCAST prefix overlapping one of `prefixes` (Redis refuses those), or null. */
  findOverlap(client: Client, prefixes: readonly string[]): [string, string] | null;
  beginCommand(client: Client): void;
  endCommand(client: Client, spec: CommandSpec, argv: readonly string[], inTransaction: boolean): void;
}

/** Channels and patterns with their subscribers, for one server (server/pubsub.ts). */
export interface PubSub {
  /** SUBSCRIBE of one channel; false when the client already had it. */
  subscribe(client: Client, channel: string): boolean;
  unsubscribe(client: Client, channel: string): boolean;
  psubscribe(client: Client, pattern: string): boolean;
  punsubscribe(client: Client, pattern: string): boolean;
  /** Disconnect or RESET: the client leaves every channel and pattern. */
  dropClient(client: Client): void;
  /** PUBLISH: delivers the message; returns the number of receivers. */
  publish(channel: string, message: string): number;
  /** PUBSUB CHANNELS [pattern]. */
  activeChannels(pattern: string | null): string[];
  /** PUBSUB NUMSUB's count for one channel. */
  subscriberCount(channel: string): number;
  /** PUBSUB NUMPAT. */
  readonly patternCount: number;
}

// --- The server context ---------------------------------------------------------------------

/** Counters INFO stats prints. */
export interface ServerStats {
  totalConnectionsReceived: number;
  totalCommandsProcessed: number;
  rejectedConnections: number;
  keyspaceHits: number;
  keyspaceMisses: number;
  totalNetInputBytes: number;
  totalNetOutputBytes: number;
  totalErrorReplies: number;
  /** Keys removed by maxmemory eviction (evicted_keys). */
  evictedKeys: number;
  /** Per command: calls and microseconds. */
  commands: Map<string, { calls: number; usec: number; rejectedCalls: number; failedCalls: number }>;
  /** Error replies by code (INFO errorstats). */
  errorCodes: ErrorCodeCounts;
}

/** Shared state of one server process: passed explicitly, never global (built by server/context.ts). */
export interface ServerContext {
  readonly settings: ServerSettings;
  readonly accepted: Map<string, string>;
  readonly configFile: string | undefined;
  readonly keyspace: Keyspace;
  readonly log: Logger;
  readonly clients: Map<number, Client>;
  readonly startedAtMs: number;
  readonly runId: string;
  readonly stats: ServerStats;
  /** The command table by name, as registered (before rename-command). */
  readonly commands: ReadonlyMap<string, CommandSpec>;
  readonly dispatcher: Dispatcher;
  readonly watches: WatchRegistry;
  /** Clients blocked on keys (BLPOP, BZPOPMIN, XREAD BLOCK, ...). */
  readonly blocking: BlockingRegistry;
  /** SLOWLOG and the latency monitor. */
  readonly monitoring: Monitoring;
  readonly acl: AclUsers;
  readonly monitors: Monitors;
  readonly tracking: Tracking;
  readonly pubsub: PubSub;
  persistence: PersistenceHooks;
  /** True while the data set is being loaded: most commands get -LOADING. */
  loading: boolean;
  /** Set when a shutdown began. */
  shuttingDown: boolean;
  /** Port actually bound (differs from settings.port when 0 was asked). */
  boundPort: number;
  nextClientId: number;
  /** Per-key access data was asked for (OBJECT IDLETIME/FREQ, RESTORE IDLETIME/FREQ): keep tracking it. */
  accessTrackingRequested: boolean;
  /** DEBUG SET-SKIP-CHECKSUM-VALIDATION: RESTORE skips the payload's CRC64 check. */
  skipDumpChecksum: boolean;
  /** DEBUG SET-ACTIVE-EXPIRE: false stops the cron's active expiry (keys then expire lazily only). */
  activeExpireEnabled: boolean;
  /** A SIGTERM/SIGINT shutdown waiting for the next cron tick (Redis's shutdown_asap) with its flags; SHUTDOWN ABORT clears it. */
  pendingSignalShutdown: { signal: string; save: boolean | undefined; force: boolean } | null;
  /** DEBUG PAUSE-CRON: true stops the periodic tasks until set back. */
  cronPaused: boolean;
  /** Requests a shutdown; installed by the server. Rejects when the final save failed (the server keeps running). */
  requestShutdown: (save: boolean | undefined, force?: boolean) => Promise<void>;
  /** Sends a client's pending replies at the end of this event-loop turn (replies written outside a command). */
  wakeClient: (client: Client) => void;
}
