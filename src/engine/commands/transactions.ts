// Transactions: MULTI EXEC DISCARD WATCH UNWATCH. EXEC runs the queue atomically (the event loop
// does not yield) and its writes propagate wrapped in MULTI/EXEC.
import { ERRORS, ReplyError } from "../errors.ts";
import { defineCommand, type CommandSpec } from "./types.ts";

/** Transaction command specs. */
export const TRANSACTION_COMMANDS: readonly CommandSpec[] = [
  defineCommand({
    name: "multi",
    arity: 1,
    flags: ["noscript", "loading", "stale", "fast", "allow_busy"],
    handler: (client) => {
      if (client.multi !== null) throw new ReplyError(ERRORS.nestedMulti);
      client.multi = [];
      client.multiError = false;
      client.reply.ok();
    },
  }),
  defineCommand({
    name: "discard",
    arity: 1,
    flags: ["noscript", "loading", "stale", "fast", "allow_busy"],
    handler: (client) => {
      if (client.multi === null) throw new ReplyError(ERRORS.discardWithoutMulti);
      client.multi = null;
      client.multiError = false;
      client.server.watches.unwatchAll(client);
      client.reply.ok();
    },
  }),
  defineCommand({
    name: "exec",
    arity: 1,
    flags: ["noscript", "loading", "stale", "skip_monitor"],
    handler: (client) => {
      const queue = client.multi;
      if (queue === null) throw new ReplyError(ERRORS.execWithoutMulti);
      const server = client.server;
      client.multi = null;
      if (client.multiError) {
        client.multiError = false;
        server.watches.unwatchAll(client);
        throw new ReplyError(ERRORS.execAbort);
      }
      if (client.dirtyCas || server.watches.hasExpiredSinceWatch(client)) {
        server.watches.unwatchAll(client);
        client.reply.nilArray();
        return;
      }
      server.watches.unwatchAll(client);
      const dispatcher = server.dispatcher;
      client.reply.array(queue.length);
      dispatcher.beginTransaction();
      try {
        for (const argv of queue) {
          const entry = dispatcher.table.get((argv[0] as string).toLowerCase());
          if (entry === undefined) client.reply.error(ERRORS.unknownCommand(argv[0] as string, argv.slice(1)));
          else dispatcher.call(client, entry, argv);
        }
        // The queued writes propagate themselves (wrapped by endTransaction); EXEC itself must not.
        client.propagate();
      } finally {
        dispatcher.endTransaction();
      }
      client.lastCommand = "exec";
    },
  }),
  defineCommand({
    name: "watch",
    arity: -2,
    flags: ["noscript", "loading", "stale", "fast", "allow_busy"],
    keys: [1, -1, 1],
    handler: (client, argv) => {
      if (client.multi !== null) throw new ReplyError(ERRORS.watchInMulti);
      for (let index = 1; index < argv.length; index += 1) client.server.watches.watch(client, argv[index] as string);
      client.reply.ok();
    },
  }),
  defineCommand({
    name: "unwatch",
    arity: 1,
    flags: ["noscript", "loading", "stale", "fast", "allow_busy"],
    handler: (client) => {
      client.server.watches.unwatchAll(client);
      client.reply.ok();
    },
  }),
];
