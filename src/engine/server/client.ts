// One connected client: its socket, parser, reply buffer, selected database, auth and MULTI state
// (the fields are described on the Client type, server/context-types.ts).
import type { Socket } from "node:net";
import type { Database } from "../keyspace/database.ts";
import { RespParser, type ParserLimits } from "../resp/parser.ts";
import { ReplyWriter } from "../resp/reply-writer.ts";
import type { Client, QueuedCommand, ServerContext, TrackingState } from "./context-types.ts";

/** Connection state of one client: a network connection, or the fake client that replays the AOF. */
export class ClientConnection implements Client {
  readonly id: number;
  readonly socket: Socket | null;
  readonly parser: RespParser;
  readonly reply = new ReplyWriter();
  readonly server: ServerContext;
  readonly createdAtMs: number;
  readonly remoteAddress: string;
  readonly localAddress: string;
  db: Database;
  name = "";
  libName = "";
  libVersion = "";
  authenticated: boolean;
  lastInteractionMs: number;
  lastCommand = "NULL";
  /** Commands queued by MULTI, or null outside a transaction. */
  multi: QueuedCommand[] | null = null;
  /** A queued command was rejected: EXEC must abort. */
  multiError = false;
  /** A watched key changed: EXEC must fail. */
  dirtyCas = false;
  /** Keys this client WATCHes, per database. */
  readonly watched = new Map<Database, Set<string>>();
  /** Set by handlers that rewrite what is propagated (SET EX → SET PXAT, ...); null = argv as is. */
  propagateAs: string[][] | null = null;
  /** Set by handlers whose command must be propagated even if `dirty` did not move (FLUSHALL, as Redis's forceCommandPropagation). */
  forcePropagation = false;
  /** Close once pending replies are written (QUIT, protocol errors). */
  closeAfterReply = false;
  /** The server's per-client command callback for the parser (created once, on first data). */
  onCommand: ((argv: string[]) => void) | null = null;
  /** Blocked by a blocking command (server/blocking.ts): its further commands wait in pendingCommands. */
  blocked = false;
  /** Commands received while blocked, run once it is unblocked. */
  pendingCommands: string[][] = [];
  /** A protocol error found in input received while blocked: answered (and the client closed) after pendingCommands. */
  pendingProtocolError: string | null = null;
  /** True for the fake client that replays the AOF. */
  readonly isFake: boolean;
  /** Pub/Sub channels and patterns subscribed to (RESP2 subscribed mode while any; server/pubsub.ts). */
  readonly subscribedChannels = new Set<string>();
  readonly subscribedPatterns = new Set<string>();
  /** In MONITOR mode (server/monitor.ts). */
  monitoring = false;
  /** The ACL user this connection is authenticated as (server/acl-users.ts). */
  user = "default";
  /** CLIENT TRACKING settings, null when off (server/tracking.ts). */
  tracking: TrackingState | null = null;

  /** True when connected through the unix socket (a local connection). */
  readonly viaUnixSocket: boolean;

  constructor(options: {
    id: number;
    socket: Socket | null;
    server: ServerContext;
    limits: ParserLimits;
    unixSocketPath?: string;
  }) {
    this.id = options.id;
    this.socket = options.socket;
    this.server = options.server;
    this.parser = new RespParser(options.limits);
    this.db = options.server.keyspace.database(0);
    this.authenticated = options.server.acl.defaultUserNeedsNoAuth();
    this.createdAtMs = Date.now();
    this.lastInteractionMs = this.createdAtMs;
    this.isFake = options.socket === null;
    const unixPath = options.unixSocketPath;
    this.viaUnixSocket = unixPath !== undefined;
    if (unixPath !== undefined) {
      // As Redis: a unix-socket client's addr and laddr are the socket path with port 0.
      this.remoteAddress = `${unixPath}:0`;
      this.localAddress = `${unixPath}:0`;
    } else {
      this.remoteAddress =
        options.socket === null ? "" : `${options.socket.remoteAddress ?? "?"}:${options.socket.remotePort ?? 0}`;
      this.localAddress =
        options.socket === null ? "" : `${options.socket.localAddress ?? "?"}:${options.socket.localPort ?? 0}`;
    }
  }

  /** Index of the selected database. */
  get dbIndex(): number {
    return this.db.index;
  }

  /** Replaces what the current command propagates (called by handlers). */
  propagate(...commands: string[][]): void {
    this.propagateAs = commands;
  }

  /** The CLIENT LIST / CLIENT INFO line. */
  describe(now: number): string {
    const age = Math.floor((now - this.createdAtMs) / 1000);
    const idle = Math.floor((now - this.lastInteractionMs) / 1000);
    const flags = flagLetters(this);
    const fd =
      this.socket === null ? -1 : ((this.socket as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1);
    return (
      `id=${this.id} addr=${this.remoteAddress} laddr=${this.localAddress} fd=${fd} name=${this.name} age=${age} idle=${idle} ` +
      `flags=${flags} db=${this.dbIndex} sub=${this.subscribedChannels.size} psub=${this.subscribedPatterns.size} ssub=0 multi=${this.multi === null ? -1 : this.multi.length} ` +
      `qbuf=${this.parser.bufferedBytes} qbuf-free=0 argv-mem=0 multi-mem=0 rbs=16384 rbp=0 obl=0 oll=0 omem=0 ` +
      `tot-mem=0 events=r cmd=${this.lastCommand} user=${this.user} redir=${this.tracking === null ? -1 : this.tracking.redirect} resp=${this.reply.protocol}`
    );
  }
}

// CLIENT LIST's flags, in Redis's order: O (monitor), P (Pub/Sub), x (MULTI), t/R/B (tracking,
// broken redirect, BCAST), b (blocked), d (watched key changed), c (close after reply), U (unix socket); N for none.
function flagLetters(client: Client): string {
  let flags = "";
  if (client.monitoring) flags += "O";
  if (client.subscribedChannels.size > 0 || client.subscribedPatterns.size > 0) flags += "P";
  if (client.multi !== null) flags += "x";
  if (client.blocked) flags += "b";
  if (client.tracking !== null) {
    flags += "t";
    if (client.tracking.brokenRedirect) flags += "R";
    if (client.tracking.bcast) flags += "B";
  }
  if (client.dirtyCas) flags += "d";
  if (client.closeAfterReply) flags += "c";
  if (client.viaUnixSocket) flags += "U";
  return flags === "" ? "N" : flags;
}
