// Command dispatch: lookup → arity → auth/loading/MISCONF checks → MULTI queueing → handler →
// propagation of writes to persistence. The only place that turns a ReplyError into `-ERR ...`.
import { ERRORS, ReplyError } from "../errors.ts";
import type {
  AclUsers,
  Client,
  CommandSpec,
  Dispatcher,
  Monitors,
  ServerContext,
  TableEntry,
  Tracking,
} from "./context-types.ts";
import { allowProtectedAction } from "./local-client.ts";
import { OOM_ERROR, performEvictions } from "./maxmemory.ts";
import { recordErrorCode } from "./error-stats.ts";
import { inSubscribedMode, SUBSCRIBED_MODE_COMMANDS } from "../commands/pubsub.ts";

/** Builds the dispatch table from command specs. */
export function createTable(specs: readonly CommandSpec[], context: ServerContext): Map<string, TableEntry> {
  const table = new Map<string, TableEntry>();
  for (const spec of specs) {
    const stats = { calls: 0, usec: 0, rejectedCalls: 0, failedCalls: 0 };
    context.stats.commands.set(spec.name, stats);
    table.set(spec.name, {
      spec,
      isWrite: spec.flags.includes("write"),
      isFast: spec.flags.includes("fast"),
      noAuth: spec.flags.includes("no_auth"),
      allowedWhileLoading: spec.flags.includes("loading"),
      noMulti: spec.flags.includes("no_multi"),
      isProtected: PROTECTED_COMMANDS.has(spec.name),
      denyOom: spec.flags.includes("denyoom"),
      subcommands:
        spec.subcommands === undefined || spec.subcommands.length === 0
          ? null
          : new Map(spec.subcommands.map((sub) => [sub.name, sub])),
      stats,
    });
  }
  return table;
}

// Redis's CMD_PROTECTED commands: DEBUG, and MODULE LOAD / LOADEX / UNLOAD (LIST and HELP are not).
const PROTECTED_COMMANDS = new Set(["debug", "module"]);
const PROTECTED_MODULE_SUBCOMMANDS = new Set(["load", "loadex", "unload"]);

function isProtectedCall(name: string, argv: readonly string[]): boolean {
  return name === "debug" || PROTECTED_MODULE_SUBCOMMANDS.has((argv[1] ?? "").toLowerCase());
}

/** Redis's checkGoodReplicasStatus for a master with no replicas: min-replicas-to-write and -max-lag both set. */
function lacksGoodReplicas(context: ServerContext): boolean {
  const minimum = context.accepted.get("min-replicas-to-write");
  if (minimum === undefined || minimum === "0") return false;
  return (context.accepted.get("min-replicas-max-lag") ?? "10") !== "0";
}

// Commands that are containers of subcommands in Redis 7.0's table (the engine parses some itself).
const CONTAINER_COMMANDS = new Set([
  "acl",
  "client",
  "command",
  "config",
  "function",
  "latency",
  "memory",
  "module",
  "object",
  "pubsub",
  "script",
  "slowlog",
  "xgroup",
  "xinfo",
]);

/** Redis's cmd->fullname: `config|get` for a subcommand, else the command's name. */
function fullCommandName(entry: TableEntry, argv: readonly string[]): string {
  if (entry.subcommands === null && !CONTAINER_COMMANDS.has(entry.spec.name)) return entry.spec.name;
  if (argv.length < 2) return entry.spec.name;
  return `${entry.spec.name}|${(argv[1] as string).toLowerCase()}`;
}

/** NOPERM texts of Redis 7.0 (getAclErrorMessage). */
function aclDenialMessage(denial: "command" | "key" | "channel", command: string): string {
  if (denial === "command") return `NOPERM this user has no permissions to run the '${command}' command`;
  if (denial === "key") return "NOPERM this user has no permissions to access one of the keys used as arguments";
  return "NOPERM this user has no permissions to access one of the channels used as arguments";
}

// Commands that run immediately even inside MULTI.
const MULTI_IMMEDIATE = new Set(["exec", "discard", "multi", "watch", "unwatch", "quit", "reset"]);

/** Propagation buffer of an EXEC in progress: writes are wrapped in MULTI/EXEC when more than one. */
interface TransactionPropagation {
  readonly commands: { dbIndex: number; argv: readonly string[] }[];
}

/** Executes commands for clients; owns the dispatch table and transaction propagation. */
export class CommandDispatcher implements Dispatcher {
  readonly table: Map<string, TableEntry>;
  // Command names as clients spell them ("SET", "set", "Set") → entry, so the hot path skips toLowerCase.
  private readonly spellings = new Map<string, TableEntry>();
  private readonly context: ServerContext;
  private transaction: TransactionPropagation | null = null;
  private readonly acl: AclUsers;
  private readonly monitors: Monitors;
  private readonly tracking: Tracking;

  constructor(context: ServerContext, specs: readonly CommandSpec[]) {
    this.context = context;
    this.acl = context.acl;
    this.monitors = context.monitors;
    this.tracking = context.tracking;
    this.table = createTable(specs, context);
  }

  /** Runs one request from a client, writing its reply. */
  execute(client: Client, argv: string[]): void {
    const context = this.context;
    context.stats.totalCommandsProcessed += 1;
    const spelled = argv[0] as string;
    let entry = this.spellings.get(spelled);
    let name: string;
    if (entry === undefined) {
      name = spelled.toLowerCase();
      entry = this.table.get(name);
      if (entry !== undefined && this.spellings.size < 4096) this.spellings.set(spelled, entry);
    } else name = entry.spec.name;
    const reply = client.reply;
    if (entry === undefined) {
      this.reject(client, ERRORS.unknownCommand(argv[0] as string, argv.slice(1)));
      return;
    }
    const arity = entry.spec.arity;
    if ((arity > 0 && argv.length !== arity) || argv.length < -arity) {
      this.reject(client, ERRORS.arity(name), entry);
      return;
    }
    if (entry.subcommands !== null) {
      const subName = (argv[1] as string).toLowerCase();
      const sub = entry.subcommands.get(subName);
      if (sub === undefined) {
        this.reject(client, ERRORS.unknownSubcommand(argv[1] as string, name), entry);
        return;
      }
      if ((sub.arity > 0 && argv.length !== sub.arity) || argv.length < -sub.arity) {
        this.reject(client, ERRORS.arity(`${name}|${subName}`), entry);
        return;
      }
    }
    // As Redis's processCommand: DEBUG and MODULE (protected commands) only where
    // enable-debug-command / enable-module-command allow them, checked before auth.
    if (entry.isProtected && isProtectedCall(entry.spec.name, argv) && !this.allowProtectedCommand(client, entry)) {
      const isDebug = entry.spec.name === "debug";
      this.reject(
        client,
        `ERR ${isDebug ? "DEBUG" : "MODULE"} command not allowed. If the ${isDebug ? "enable-debug-command" : "enable-module-command"} option is set to "local", ` +
          "you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.",
        entry,
      );
      return;
    }
    if (!client.authenticated && !entry.noAuth) {
      this.reject(client, ERRORS.noAuth, entry);
      return;
    }
    // As Redis's ACLCheckAllPerm (only once some user lacks a permission).
    if (this.acl.restricted && !client.isFake) {
      const denial = this.acl.check(client, name, fullCommandName(entry, argv), entry.noAuth, entry.spec.firstKey > 0);
      if (denial !== null) {
        this.reject(client, aclDenialMessage(denial, fullCommandName(entry, argv)), entry);
        return;
      }
    }
    if (context.loading && !entry.allowedWhileLoading) {
      this.reject(client, ERRORS.loading, entry);
      return;
    }
    // As Redis's processCommand: evict down to maxmemory first; when that cannot be done, refuse
    // commands that may grow memory (denyoom, anything queued into MULTI, EXEC of such commands).
    if (
      context.settings.maxmemory > 0 &&
      !client.isFake &&
      !performEvictions(context) &&
      this.mayGrowMemory(client, entry, name)
    ) {
      this.reject(client, OOM_ERROR, entry);
      return;
    }
    // As Redis's processCommand: after a failed background save, writes and PING answer MISCONF,
    // also inside MULTI (the refusal is checked before queueing, so EXEC then aborts), and EXEC of
    // queued writes counts as a write.
    const isWrite =
      entry.isWrite ||
      (name === "exec" &&
        client.multi !== null &&
        client.multi.some((argv) => this.table.get((argv[0] as string).toLowerCase())?.isWrite === true));
    if ((isWrite || name === "ping") && !client.isFake) {
      const refusal = context.persistence.writeError();
      if (refusal !== null) {
        this.reject(client, refusal, entry);
        return;
      }
    }
    // min-replicas-to-write: this engine has no replicas, so any such minimum refuses writes.
    if (isWrite && !client.isFake && lacksGoodReplicas(context)) {
      this.reject(client, ERRORS.noReplicas, entry);
      return;
    }
    // A RESP2 connection in subscribed mode runs only the Pub/Sub commands, PING, QUIT and RESET.
    if (inSubscribedMode(client) && !SUBSCRIBED_MODE_COMMANDS.has(name)) {
      this.reject(
        client,
        `ERR Can't execute '${fullCommandName(entry, argv)}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
        entry,
      );
      return;
    }
    if (client.multi !== null && !MULTI_IMMEDIATE.has(name)) {
      if (entry.noMulti) {
        this.reject(client, `ERR Command not allowed inside a transaction`, entry);
        return;
      }
      client.multi.push(argv);
      reply.status("QUEUED");
      return;
    }
    this.call(client, entry, argv);
    // As Redis's processCommand: clients blocked on keys this command (or EXEC) made ready are served now.
    if (context.blocking.hasReadyKeys) context.blocking.serveReadyKeys();
  }

  /** True while an EXEC runs its queue (blocking commands then reply as their timeout). */
  get inTransaction(): boolean {
    return this.transaction !== null;
  }

  /** Runs a resolved command (also used by EXEC for queued commands); propagates writes. */
  call(client: Client, entry: TableEntry, argv: string[]): void {
    const keyspace = this.context.keyspace;
    const dirtyBefore = keyspace.dirty;
    const startedAt = performance.now();
    client.propagateAs = null;
    client.lastCommand = entry.spec.name;
    const tracking = this.tracking.active ? this.tracking : null;
    tracking?.beginCommand(client);
    try {
      entry.spec.handler(client, argv);
    } catch (error) {
      entry.stats.failedCalls += 1;
      this.context.stats.totalErrorReplies += 1;
      recordErrorCode(this.context.stats.errorCodes, error instanceof ReplyError ? error.message : "ERR");
      if (error instanceof ReplyError) {
        client.reply.error(error.message);
      } else {
        this.context.log.warning(
          `Internal error executing '${entry.spec.name}': ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
        client.reply.error("ERR internal error");
      }
    }
    entry.stats.calls += 1;
    const elapsedMs = performance.now() - startedAt;
    const usec = Math.round(elapsedMs * 1000);
    entry.stats.usec += usec;
    // As Redis's call(): EXEC is not slow-logged (its commands are), a blocked command is logged once
    // served; the call that blocked stays out of the latency histogram.
    if (!client.isFake) {
      const monitoring = this.context.monitoring;
      monitoring.recordCommand(client, argv, usec, entry.isFast, entry.spec.name !== "exec" && !client.blocked);
      if (!client.blocked) monitoring.recordLatency(fullCommandName(entry, argv), elapsedMs * 1e6);
    }
    if (!this.monitors.isEmpty) this.monitors.feed(client, entry, argv);
    tracking?.endCommand(client, entry.spec, argv, this.transaction !== null);
    if ((keyspace.dirty !== dirtyBefore || client.forcePropagation) && !client.isFake) {
      const commands = client.propagateAs ?? [argv];
      // As Redis's propagatePendingCommands: several writes of one call go in as one MULTI/EXEC.
      const wrap = commands.length > 1 && this.transaction === null;
      if (wrap) this.propagate(client.dbIndex, ["MULTI"]);
      for (const command of commands) this.propagate(client.dbIndex, command);
      if (wrap) this.propagate(client.dbIndex, ["EXEC"]);
    }
    client.propagateAs = null;
    client.forcePropagation = false;
  }

  /** Sends a write to persistence, or buffers it while an EXEC runs. */
  propagate(dbIndex: number, argv: readonly string[]): void {
    if (this.transaction !== null) this.transaction.commands.push({ dbIndex, argv });
    else this.context.persistence.propagate(dbIndex, argv);
  }

  /** True while EXEC runs its queue (Redis's server.in_exec: rewrites asked for then are scheduled). */
  get inExec(): boolean {
    return this.transaction !== null;
  }

  /** Starts buffering propagation for an EXEC. */
  beginTransaction(): void {
    this.transaction = { commands: [] };
  }

  /** Ends an EXEC: one write propagates alone, several are wrapped in MULTI/EXEC. */
  endTransaction(): void {
    const transaction = this.transaction;
    this.transaction = null;
    if (transaction === null || transaction.commands.length === 0) return;
    const persistence = this.context.persistence;
    if (transaction.commands.length === 1) {
      const only = transaction.commands[0] as { dbIndex: number; argv: readonly string[] };
      persistence.propagate(only.dbIndex, only.argv);
      return;
    }
    const first = transaction.commands[0] as { dbIndex: number };
    persistence.propagate(first.dbIndex, ["MULTI"]);
    let lastDb = first.dbIndex;
    for (const command of transaction.commands) {
      persistence.propagate(command.dbIndex, command.argv);
      lastDb = command.dbIndex;
    }
    persistence.propagate(lastDb, ["EXEC"]);
  }

  private mayGrowMemory(client: Client, entry: TableEntry, name: string): boolean {
    if (entry.denyOom) return true;
    if (client.multi === null) return false;
    if (name === "exec")
      return client.multi.some((argv) => this.table.get((argv[0] as string).toLowerCase())?.denyOom === true);
    return name !== "discard" && name !== "quit" && name !== "reset";
  }

  private allowProtectedCommand(client: Client, entry: TableEntry): boolean {
    const settings = this.context.settings;
    return allowProtectedAction(
      entry.spec.name === "debug" ? settings.enableDebugCommand : settings.enableModuleCommand,
      client,
    );
  }

  private reject(client: Client, message: string, entry?: TableEntry): void {
    if (entry !== undefined) entry.stats.rejectedCalls += 1;
    this.context.stats.totalErrorReplies += 1;
    recordErrorCode(this.context.stats.errorCodes, message);
    if (client.multi !== null && entry?.spec.name === "exec") {
      // As Redis's execCommandAbort: a refused EXEC discards the transaction and says why.
      client.multi = null;
      client.multiError = false;
      this.context.watches.unwatchAll(client);
      client.reply.error(`EXECABORT Transaction discarded because of: ${message}`);
      return;
    }
    if (client.multi !== null) client.multiError = true;
    client.reply.error(message);
  }
}
