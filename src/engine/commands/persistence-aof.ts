// BGREWRITEAOF: starts (or schedules behind a BGSAVE) a background AOF rewrite, as Redis 7.0 replies.
import { ReplyError } from "../errors.ts";
import { defineCommand, type CommandSpec } from "./types.ts";

/** AOF command specs. */
export const AOF_COMMANDS: readonly CommandSpec[] = [
  defineCommand({
    name: "bgrewriteaof",
    arity: 1,
    flags: ["admin", "noscript"],
    categories: ["@admin", "@slow", "@dangerous"],
    handler: (client) => {
      const control = client.server.persistence.aof;
      if (control === null) throw new ReplyError("ERR AOF persistence is not installed");
      switch (control.requestRewrite()) {
        case "in-progress":
          throw new ReplyError("ERR Background append only file rewriting already in progress");
        case "scheduled":
          client.reply.status("Background append only file rewriting scheduled");
          return;
        case "started":
          client.reply.status("Background append only file rewriting started");
          return;
        case "failed":
          throw new ReplyError(
            "ERR Can't execute an AOF background rewriting. Please check the server logs for more information.",
          );
      }
    },
  }),
];
