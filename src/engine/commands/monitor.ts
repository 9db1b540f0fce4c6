// MONITOR: the connection receives every command the server executes from now on (server/monitor.ts
// formats and sends the lines); RESET or disconnecting ends it.
import { defineCommand, type CommandSpec } from "./types.ts";

/** MONITOR command spec. */
export const MONITOR_COMMANDS: readonly CommandSpec[] = [
  defineCommand({
    name: "monitor",
    arity: 1,
    flags: ["admin", "noscript", "loading", "stale"],
    categories: ["@admin", "@slow", "@dangerous"],
    handler: (client) => {
      // As Redis: a client already monitoring gets no second OK.
      if (client.monitoring) return;
      client.server.monitors.add(client);
      client.reply.ok();
    },
  }),
];
