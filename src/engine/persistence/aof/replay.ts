// Replays AOF commands through the front door: a fake client (no socket, so nothing it runs is
// propagated) calls the dispatcher like live traffic does. MULTI ... EXEC blocks run whole at EXEC.
import { ClientConnection } from "../../server/client.ts";
import type { Client, ServerContext } from "../../server/context-types.ts";

// Redis gives the AOF client the id UINT64_MAX; the largest exact integer is our equivalent.
const AOF_CLIENT_ID = Number.MAX_SAFE_INTEGER;

/** What happened to one command. */
export type ReplayOutcome = "applied" | "queued" | "unknown-command";

/** Runs AOF commands against the keyspace. */
export class AofReplayer {
  private readonly context: ServerContext;
  private readonly client: Client;
  private queue: string[][] | null = null;

  constructor(context: ServerContext) {
    this.context = context;
    this.client = new ClientConnection({
      id: AOF_CLIENT_ID,
      socket: null,
      server: context,
      limits: {
        maxBulkBytes: Number.MAX_SAFE_INTEGER,
        maxMultibulkLength: Number.MAX_SAFE_INTEGER,
        maxInlineBytes: 0,
        maxQueryBufferBytes: Number.MAX_SAFE_INTEGER,
      },
    });
  }

  /** Whether a MULTI has been read without its EXEC yet. */
  get inTransaction(): boolean {
    return this.queue !== null;
  }

  /** Starts a file: every file begins in db 0 outside a transaction (Redis creates a fresh client per file). */
  startFile(): void {
    this.queue = null;
    this.client.db = this.context.keyspace.database(0);
  }

  /** Applies (or queues) one command. */
  apply(argv: string[]): ReplayOutcome {
    const name = (argv[0] as string).toLowerCase();
    const entry = this.context.dispatcher.table.get(name);
    if (entry === undefined) return "unknown-command";
    if (name === "multi") {
      this.queue ??= [];
      return "queued";
    }
    if (this.queue !== null && name !== "exec") {
      this.queue.push(argv);
      return "queued";
    }
    if (name === "exec") {
      const queue = this.queue ?? [];
      this.queue = null;
      for (const queued of queue) this.run(queued);
      return "applied";
    }
    this.run(argv);
    return "applied";
  }

  private run(argv: string[]): void {
    const entry = this.context.dispatcher.table.get((argv[0] as string).toLowerCase());
    if (entry === undefined) return;
    this.context.dispatcher.call(this.client, entry, argv);
    this.client.reply.take();
  }
}
