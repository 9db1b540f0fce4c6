// Server commands: INFO DBSIZE TIME FLUSHDB FLUSHALL SWAPDB SHUTDOWN COMMAND.
import { ERRORS, ReplyError } from "../errors.ts";
import { renderInfo } from "../info.ts";
import { isKeyword, parseInteger } from "./arguments.ts";
import { defineCommand, type CommandSpec } from "./types.ts";
import type { Client } from "../server/context-types.ts";

// FLUSHDB / FLUSHALL [ASYNC|SYNC]: both flush at once; anything else is a syntax error.
function flushOptions(argv: readonly string[]): void {
  if (argv.length > 2) throw new ReplyError(ERRORS.syntax);
  if (argv.length === 2 && !isKeyword(argv[1], "ASYNC") && !isKeyword(argv[1], "SYNC"))
    throw new ReplyError(ERRORS.syntax);
}

// COMMAND INFO entry: name, arity, flags, first key, last key, step, categories, tips, key specs, subcommands.
function writeCommandInfo(client: Client, spec: CommandSpec | undefined): void {
  const reply = client.reply;
  if (spec === undefined) {
    reply.nilArray();
    return;
  }
  reply.array(10);
  reply.bulk(spec.name);
  reply.integer(spec.arity);
  reply.set(spec.flags.length);
  for (const flag of spec.flags) reply.status(flag);
  reply.integer(spec.firstKey);
  reply.integer(spec.lastKey);
  reply.integer(spec.step);
  const categories = spec.categories ?? [];
  reply.set(categories.length);
  for (const category of categories) reply.status(category);
  reply.set(0);
  reply.array(0);
  const subcommands = spec.subcommands ?? [];
  reply.array(subcommands.length);
  for (const sub of subcommands) writeCommandInfo(client, sub);
}

function commandCommand(client: Client, argv: string[]): void {
  const commands = client.server.commands;
  if (argv.length === 1) {
    client.reply.array(commands.size);
    for (const spec of commands.values()) writeCommandInfo(client, spec);
    return;
  }
  const sub = (argv[1] as string).toLowerCase();
  switch (sub) {
    case "count":
      client.reply.integer(commands.size);
      return;
    case "info": {
      const names = argv.length === 2 ? [...commands.keys()] : argv.slice(2);
      client.reply.array(names.length);
      for (const name of names) writeCommandInfo(client, commands.get(name.toLowerCase()));
      return;
    }
    case "docs": {
      const names =
        argv.length === 2 ? [...commands.keys()] : argv.slice(2).filter((name) => commands.has(name.toLowerCase()));
      client.reply.map(names.length);
      for (const name of names) {
        client.reply.bulk(name.toLowerCase());
        client.reply.map(2);
        client.reply.bulk("summary");
        client.reply.bulk(`${name.toUpperCase()} command`);
        client.reply.bulk("group");
        client.reply.bulk("generic");
      }
      return;
    }
    case "list":
      client.reply.bulkArray([...commands.keys()]);
      return;
    case "getkeys": {
      if (argv.length < 3) throw new ReplyError(ERRORS.arity("command|getkeys"));
      const spec = commands.get((argv[2] as string).toLowerCase());
      if (spec === undefined) throw new ReplyError("ERR Invalid command specified");
      const args = argv.slice(2);
      if ((spec.arity > 0 && args.length !== spec.arity) || args.length < -spec.arity)
        throw new ReplyError("ERR Invalid number of arguments specified for command");
      if (spec.getKeys !== undefined) {
        const movable = spec.getKeys(args);
        if (movable.length === 0) throw new ReplyError("ERR Invalid arguments specified for command");
        client.reply.bulkArray(movable);
        return;
      }
      if (spec.firstKey === 0) throw new ReplyError("ERR The command has no key arguments");
      const last = spec.lastKey < 0 ? args.length + spec.lastKey : spec.lastKey;
      const keys: string[] = [];
      for (let index = spec.firstKey; index <= last; index += Math.max(1, spec.step)) keys.push(args[index] as string);
      client.reply.bulkArray(keys);
      return;
    }
    default:
      throw new ReplyError(ERRORS.unknownSubcommand(argv[1] as string, "command"));
  }
}

/** Server command specs. */
export const SERVER_COMMANDS: readonly CommandSpec[] = [
  defineCommand({
    name: "info",
    arity: -1,
    flags: ["loading", "stale"],
    handler: (client, argv) => client.reply.verbatim(renderInfo(client.server, argv.slice(1))),
  }),
  defineCommand({
    name: "dbsize",
    arity: 1,
    flags: ["readonly", "fast"],
    handler: (client) => client.reply.integer(client.db.size),
  }),
  defineCommand({
    name: "time",
    arity: 1,
    flags: ["loading", "stale", "fast"],
    handler: (client) => {
      const micros = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000));
      client.reply.bulkArray([String(micros / 1_000_000n), String(micros % 1_000_000n)]);
    },
  }),
  defineCommand({
    name: "flushdb",
    arity: -1,
    flags: ["write"],
    handler: (client, argv) => {
      flushOptions(argv);
      client.db.flush();
      client.server.keyspace.dirty += 1;
      client.reply.ok();
    },
  }),
  defineCommand({
    name: "flushall",
    arity: -1,
    flags: ["write"],
    handler: (client, argv) => {
      flushOptions(argv);
      client.server.keyspace.flushAll();
      // With save points the empty data set is saved at once and nothing is left unsaved (Redis 7.0
      // reports rdb_changes_since_last_save:0 then); without, the flush counts as a change.
      const saved = client.server.persistence.rdb?.afterFlushAll() === true;
      if (!saved) client.server.keyspace.dirty += 1;
      // Logged to the AOF even when the save left dirty where it was.
      client.forcePropagation = true;
      client.reply.ok();
    },
  }),
  defineCommand({
    name: "swapdb",
    arity: 3,
    flags: ["write", "fast"],
    handler: (client, argv) => {
      const first = parseInteger(argv[1] as string, "ERR invalid first DB index");
      const second = parseInteger(argv[2] as string, "ERR invalid second DB index");
      const count = client.server.settings.databases;
      if (first < 0 || first >= count || second < 0 || second >= count) throw new ReplyError(ERRORS.dbIndexOutOfRange);
      if (first !== second)
        client.server.watches.swap(client.server.keyspace.database(first), client.server.keyspace.database(second));
      client.server.keyspace.dirty += 1;
      client.reply.ok();
    },
  }),
  defineCommand({
    name: "shutdown",
    arity: -1,
    flags: ["admin", "noscript", "loading", "stale", "no_multi", "allow_busy"],
    handler: (client, argv) => {
      // As Redis 7.0's shutdownCommand: NOSAVE with SAVE, or ABORT with anything, is a syntax error.
      let nosave = false;
      let save = false;
      let force = false;
      let abort = false;
      let flagged = false;
      for (const option of argv.slice(1)) {
        if (isKeyword(option, "NOSAVE")) nosave = flagged = true;
        else if (isKeyword(option, "SAVE")) save = flagged = true;
        else if (isKeyword(option, "NOW")) flagged = true;
        else if (isKeyword(option, "FORCE")) force = flagged = true;
        else if (isKeyword(option, "ABORT")) abort = true;
        else throw new ReplyError(ERRORS.syntax);
      }
      if ((abort && flagged) || (nosave && save)) throw new ReplyError(ERRORS.syntax);
      if (abort) {
        // Only a signal's shutdown can be pending (the cron runs it; no replicas to wait for).
        const context = client.server;
        if (context.pendingSignalShutdown === null || context.shuttingDown)
          throw new ReplyError("ERR No shutdown in progress.");
        context.pendingSignalShutdown = null;
        context.log.warning("Shutdown manually aborted.");
        client.reply.ok();
        return;
      }
      const context = client.server;
      context.requestShutdown(nosave ? false : save ? true : undefined, force).catch(() => {
        client.reply.error("ERR Errors trying to SHUTDOWN. Check logs.");
        context.wakeClient(client);
      });
    },
  }),
  defineCommand({ name: "command", arity: -1, flags: ["loading", "stale"], handler: commandCommand }),
];
