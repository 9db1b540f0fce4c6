// The network server: accepts connections on the bound addresses, feeds bytes to each client's
// parser, runs commands, and sends replies, holding them back until persistence says the writes
// before them are durable (the durability rule). Also runs the cron and the graceful shutdown.
import { chmodSync, rmSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";

import { FatalPersistenceError } from "../errors.ts";
import { runActiveExpiryCycle } from "../keyspace/active-expiry.ts";
import { ProtocolError, QueryBufferLimitError, type ParserLimits } from "../resp/parser.ts";
import { ClientConnection } from "./client.ts";
import { releaseClientModes } from "./client-modes.ts";
import { isLocalPeer } from "./local-client.ts";
import { adoptWithSharedReadBuffer } from "./shared-read-buffer.ts";
import type { Client, Dispatcher, ServerContext } from "./context-types.ts";
import type { WatchRegistry } from "./watch-registry.ts";

/** How long start-up loading holds client input before answering it with -LOADING. */
const HOLD_INPUT_WHILE_LOADING_MS = 1000;

/** Bytes of unread replies an unauthenticated client may accumulate before it is closed. */
const UNAUTHENTICATED_OUTPUT_LIMIT = 1024;

const PROTECTED_MODE_DENIED =
  "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. " +
  "In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you " +
  "may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the " +
  "loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible " +
  "from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode " +
  "by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you " +
  "started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Setup a an authentication password " +
  "for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n";

/** Replies held until a durability promise resolves. */
interface HeldBatch {
  readonly outputs: { client: Client; data: string | string[] }[];
  ready: boolean;
}

/** The running server. */
export class NetworkServer {
  private readonly context: ServerContext;
  private readonly dispatcher: Dispatcher;
  private readonly watches: WatchRegistry;
  private readonly listeners: Server[] = [];
  private readonly dirtyClients = new Set<Client>();
  private readonly heldBatches: HeldBatch[] = [];
  private turnScheduled = false;
  private cronTimer: NodeJS.Timeout | null = null;
  private readonly expiryCursors = new Map<number, Iterator<string>>();
  /** Bytes that arrived while a shutdown was under way: run if the shutdown fails. */
  private deferredInput: { client: Client; chunk: Buffer }[] = [];

  constructor(options: { context: ServerContext; dispatcher: Dispatcher; watches: WatchRegistry }) {
    this.context = options.context;
    this.dispatcher = options.dispatcher;
    this.watches = options.watches;
    this.context.blocking.resumeClient = (client) => this.resumeUnblocked(client);
  }

  /** Binds every `bind` address on the port; resolves with the bound port. */
  async listen(): Promise<number> {
    const settings = this.context.settings;
    let port = settings.port;
    for (const rawAddress of settings.bind) {
      // "-addr" is optional, as in Redis: an address this host does not have is skipped.
      const optional = rawAddress.startsWith("-");
      const address = optional ? rawAddress.slice(1) : rawAddress;
      // Paused on connect so accept() can re-wrap the socket with a shared read buffer first.
      const server = createServer({ noDelay: true, pauseOnConnect: true }, (socket) => this.accept(socket));
      try {
        await new Promise<void>((resolve, reject) => {
          server.once("error", reject);
          const host = address === "*" ? "0.0.0.0" : address === "::*" ? "::" : address;
          server.listen({ port, host, exclusive: true, ipv6Only: host.includes(":") }, () => {
            server.off("error", reject);
            resolve();
          });
        });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (optional && (code === "EADDRNOTAVAIL" || code === "EAFNOSUPPORT" || code === "EPROTONOSUPPORT")) {
          this.context.log.notice(`Skipping optional bind address ${address}: ${code}`);
          continue;
        }
        throw error;
      }
      const bound = server.address();
      if (bound !== null && typeof bound === "object") port = bound.port;
      this.listeners.push(server);
    }
    this.context.boundPort = port;
    await this.listenOnUnixSocket();
    return port;
  }

  // `unixsocket <path>` / `unixsocketperm <octal>`: a second listener on a unix domain socket.
  private async listenOnUnixSocket(): Promise<void> {
    const path = this.context.accepted.get("unixsocket") ?? "";
    if (path === "") return;
    rmSync(path, { force: true });
    const server = createServer({ pauseOnConnect: true }, (socket) => this.accept(socket, path));
    await new Promise<void>((resolve, reject) => {
      server.once("error", (error: NodeJS.ErrnoException) =>
        reject(
          new Error(
            `Failed opening Unix socket: ${error.code ?? error.message} (unixsocket ${path}): check the directory exists and is writable.`,
          ),
        ),
      );
      server.listen({ path, exclusive: true }, () => resolve());
    });
    const perm = Number.parseInt(this.context.accepted.get("unixsocketperm") ?? "0", 8);
    if (Number.isInteger(perm) && perm > 0) chmodSync(path, perm);
    this.listeners.push(server);
    this.unixSocketPath = path;
    this.context.log.notice(`The server is now ready to accept connections at ${path}`);
  }

  private unixSocketPath: string | null = null;

  /** Starts the periodic tasks (active expiry, persistence cron, client timeouts). */
  startCron(): void {
    const tick = (): void => {
      if (!this.context.cronPaused) {
        const pending = this.context.pendingSignalShutdown;
        if (pending !== null && !this.context.shuttingDown) {
          // As Redis's serverCron: one attempt; a failed final save leaves the server running.
          this.context.pendingSignalShutdown = null;
          this.context.requestShutdown(pending.save, pending.force).catch(() => {
            this.context.log.warning(
              `${pending.signal} received but errors trying to shut down the server, check the logs for more information`,
            );
          });
        }
        if (this.context.activeExpireEnabled) runActiveExpiryCycle(this.context.keyspace, this.expiryCursors);
        this.context.persistence.cron();
        this.closeIdleClients();
      }
      this.cronTimer = setTimeout(tick, Math.max(1, Math.floor(1000 / this.context.settings.hz)));
    };
    this.cronTimer = setTimeout(tick, Math.floor(1000 / this.context.settings.hz));
  }

  /** Stops accepting, closes every client, stops the cron. */
  async close(): Promise<void> {
    if (this.cronTimer !== null) clearTimeout(this.cronTimer);
    // Listeners first: a client that sees its connection drop and reconnects at once must be refused.
    const closed = Promise.all(
      this.listeners.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
    );
    for (const client of this.context.clients.values()) client.socket?.destroy();
    await closed;
    if (this.unixSocketPath !== null) rmSync(this.unixSocketPath, { force: true });
  }

  /** After a failed shutdown (final save refused): runs what arrived meanwhile and serves again. */
  resumeAfterFailedShutdown(): void {
    const deferred = this.deferredInput;
    this.deferredInput = [];
    for (const { client, chunk } of deferred) {
      if (client.socket !== null && !client.socket.destroyed) this.onData(client, chunk);
    }
  }

  /** Flushes replies of clients that produced output outside a socket read (e.g. after loading). */
  markDirty(client: Client): void {
    this.dirtyClients.add(client);
    this.scheduleTurnEnd();
  }

  private accept(accepted: Socket, unixSocketPath?: string): void {
    const context = this.context;
    if (context.clients.size >= context.settings.maxclients) {
      context.stats.rejectedConnections += 1;
      accepted.resume();
      accepted.end("-ERR max number of clients reached\r\n");
      return;
    }
    let client: Client | null = null;
    const fast = adoptWithSharedReadBuffer(accepted, (chunk) => {
      if (client !== null) this.onData(client, chunk);
    });
    const socket = fast ?? accepted;
    // As Redis 7.0's clientAcceptHandler: protected mode with no password refuses non-local peers.
    if (context.settings.protectedMode && context.settings.requirepass === "" && !isLocalPeer(socket.remoteAddress)) {
      context.stats.rejectedConnections += 1;
      socket.resume();
      socket.end(PROTECTED_MODE_DENIED);
      return;
    }
    context.stats.totalConnectionsReceived += 1;
    const limits: ParserLimits = {
      maxBulkBytes: context.settings.protoMaxBulkLen,
      maxMultibulkLength: 2147483647,
      maxInlineBytes: 64 * 1024,
      maxQueryBufferBytes: context.settings.clientQueryBufferLimit,
    };
    const connected = new ClientConnection({
      id: context.nextClientId++,
      socket,
      server: context,
      limits,
      ...(unixSocketPath === undefined ? {} : { unixSocketPath }),
    });
    client = connected;
    connected.parser.unauthenticated = !connected.authenticated;
    context.clients.set(connected.id, connected);
    if (unixSocketPath === undefined) socket.setNoDelay(true);
    if (unixSocketPath === undefined && context.settings.tcpKeepalive > 0)
      socket.setKeepAlive(true, context.settings.tcpKeepalive * 1000);
    if (fast === null) {
      socket.on("data", (chunk: Buffer) => this.onData(connected, chunk));
      socket.resume();
    }
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      context.clients.delete(connected.id);
      this.watches.unwatchAll(connected);
      context.blocking.removeClient(connected);
      releaseClientModes(connected);
    });
  }

  /**
   * Start-up load begins: like Redis, which serves clients during a load only from its periodic
   * progress callback, input is held (not answered -LOADING) until the load ends or has run for
   * HOLD_INPUT_WHILE_LOADING_MS; a short load is then invisible to clients.
   */
  beginStartupLoad(): void {
    this.holdingInput = true;
    this.holdTimer = setTimeout(() => this.releaseHeldInput(), HOLD_INPUT_WHILE_LOADING_MS);
  }

  /** The start-up load ended: held input runs now. */
  endStartupLoad(): void {
    this.releaseHeldInput();
  }

  private releaseHeldInput(): void {
    if (this.holdTimer !== null) clearTimeout(this.holdTimer);
    this.holdTimer = null;
    this.holdingInput = false;
    const held = [...this.heldInput];
    this.heldInput.clear();
    for (const [client, chunks] of held) {
      for (const chunk of chunks) if (client.socket !== null && !client.socket.destroyed) this.onData(client, chunk);
    }
  }

  private holdingInput = false;
  private holdTimer: NodeJS.Timeout | null = null;
  private readonly heldInput = new Map<Client, Buffer[]>();

  private onData(client: Client, chunk: Buffer): void {
    if (this.holdingInput) {
      // The shared read buffer is reused after this callback: keep a copy.
      const chunks = this.heldInput.get(client) ?? [];
      chunks.push(Buffer.from(chunk));
      this.heldInput.set(client, chunks);
      return;
    }
    if (client.closeAfterReply || client.pendingProtocolError !== null) return;
    // Once a shutdown began (SIGTERM, SHUTDOWN) nothing more executes: a write run now could be
    // acknowledged after the AOF was closed for good. The bytes wait; they run if the shutdown fails.
    if (this.context.shuttingDown) {
      this.deferredInput.push({ client, chunk: Buffer.from(chunk) });
      return;
    }
    this.context.stats.totalNetInputBytes += chunk.length;
    client.lastInteractionMs = Date.now();
    try {
      client.parser.feed(
        chunk,
        (client.onCommand ??= (argv: string[]): void => {
          if (client.closeAfterReply || this.context.shuttingDown) return;
          // A blocked client's commands wait (in order) until it is unblocked, as in Redis's query buffer.
          if (client.blocked || client.pendingCommands.length !== 0) {
            client.pendingCommands.push(argv);
            return;
          }
          this.dispatcher.execute(client, argv);
          client.parser.unauthenticated = !client.authenticated;
        }),
      );
    } catch (error) {
      if (error instanceof QueryBufferLimitError) {
        this.context.log.warning(
          `Closing client that reached max query buffer length: id=${client.id} addr=${client.remoteAddress} qbuf=${client.parser.bufferedBytes}`,
        );
        client.socket?.destroy();
        return;
      }
      if (!(error instanceof ProtocolError)) {
        // A bug must cost one connection, never the server.
        this.context.log.warning(
          `Internal error serving client id=${client.id}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
        client.reply.error("ERR internal error");
        client.closeAfterReply = true;
        this.dirtyClients.add(client);
        this.scheduleTurnEnd();
        return;
      }
      this.context.log.verbose(
        `Protocol error (${error.message}) from client: id=${client.id} addr=${client.remoteAddress}`,
      );
      // A blocked client's input waits (Redis parses it only once unblocked): so does its protocol error.
      if (client.blocked || client.pendingCommands.length !== 0) {
        client.pendingProtocolError = error.message;
        return;
      }
      client.reply.error("ERR " + error.message);
      client.closeAfterReply = true;
    }
    this.dirtyClients.add(client);
    this.scheduleTurnEnd();
  }

  // Like Redis's beforeSleep: once per event-loop turn, ask persistence whether the writes of this
  // turn are durable, then send (or hold) every client's replies.
  private scheduleTurnEnd(): void {
    if (this.turnScheduled) return;
    this.turnScheduled = true;
    setImmediate(() => this.endTurn());
  }

  private endTurn(): void {
    this.turnScheduled = false;
    const outputs: { client: Client; data: string | string[] }[] = [];
    for (const client of this.dirtyClients) {
      const data = client.reply.take();
      if (data !== "" || client.closeAfterReply) outputs.push({ client, data });
    }
    this.dirtyClients.clear();
    if (outputs.length === 0) return;
    const durable = this.context.persistence.beforeReplies();
    if (durable === null && this.heldBatches.length === 0) {
      for (const output of outputs) this.send(output.client, output.data);
      return;
    }
    const batch: HeldBatch = { outputs, ready: durable === null };
    this.heldBatches.push(batch);
    const release = (): void => {
      batch.ready = true;
      while (this.heldBatches.length > 0 && (this.heldBatches[0] as HeldBatch).ready) {
        const next = this.heldBatches.shift() as HeldBatch;
        for (const output of next.outputs) this.send(output.client, output.data);
      }
    };
    if (durable === null) release();
    else
      durable.then(release, (error: unknown) => {
        // A write or fsync failure under appendfsync always is fatal in Redis: never acknowledge.
        const lines =
          error instanceof FatalPersistenceError
            ? error.logLines
            : [`Can't persist writes (${String(error)}): exiting without acknowledging them.`];
        for (const line of lines) this.context.log.warning(line);
        process.exit(1);
      });
  }

  private send(client: Client, data: string | string[]): void {
    const socket = client.socket;
    if (socket === null || socket.destroyed) return;
    if (typeof data === "string") {
      if (data !== "") {
        this.context.stats.totalNetOutputBytes += data.length;
        socket.write(data, "latin1");
      }
    } else {
      for (const chunk of data) {
        this.context.stats.totalNetOutputBytes += chunk.length;
        socket.write(chunk, "latin1");
      }
    }
    if (client.closeAfterReply) {
      // A full close, as Redis's: a peer still sending then gets a reset instead of writing on forever.
      socket.end(() => socket.destroy());
      return;
    }
    // As Redis 7.0.15 (CVE-2025-21605): a client that has not authenticated may not hold more than
    // 1 KB of unread replies.
    if (!client.authenticated && socket.writableLength > UNAUTHENTICATED_OUTPUT_LIMIT) {
      this.context.log.warning(
        `Client id=${client.id} addr=${client.remoteAddress} closed for overcoming of output buffer limits (unauthenticated).`,
      );
      socket.destroy();
    }
  }

  // An unblocked client: its reply goes out this turn, then the commands it sent while blocked run.
  private resumeUnblocked(client: Client): void {
    this.dirtyClients.add(client);
    this.scheduleTurnEnd();
    if (client.pendingCommands.length !== 0 || client.pendingProtocolError !== null)
      setImmediate(() => this.runPendingCommands(client));
  }

  private runPendingCommands(client: Client): void {
    const pending = client.pendingCommands;
    while (!client.blocked && pending.length !== 0) {
      if (client.closeAfterReply || this.context.shuttingDown || client.socket === null || client.socket.destroyed) {
        pending.length = 0;
        break;
      }
      this.dispatcher.execute(client, pending.shift() as string[]);
      client.parser.unauthenticated = !client.authenticated;
    }
    if (!client.blocked && pending.length === 0 && client.pendingProtocolError !== null) {
      client.reply.error("ERR " + client.pendingProtocolError);
      client.pendingProtocolError = null;
      client.closeAfterReply = true;
    }
    this.dirtyClients.add(client);
    this.scheduleTurnEnd();
  }

  private closeIdleClients(): void {
    const timeout = this.context.settings.timeout;
    if (timeout <= 0) return;
    const now = Date.now();
    for (const client of this.context.clients.values()) {
      if (now - client.lastInteractionMs > timeout * 1000 && client.multi === null && !client.blocked)
        client.socket?.destroy();
    }
  }
}
