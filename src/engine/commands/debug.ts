// DEBUG and its subcommands. Persistence modules add theirs (RELOAD, ...) to DEBUG_SUBCOMMANDS.
import { ERRORS, ReplyError } from "../errors.ts";
import { parseFloatArg } from "./arguments.ts";
import { defineCommand, type CommandSpec } from "./types.ts";
import type { Client } from "../server/client.ts";

/** DEBUG subcommand handlers by lowercase name; extendable. */
export const DEBUG_SUBCOMMANDS = new Map<string, (client: Client, argv: string[]) => void>([
  [
    "sleep",
    (client, argv) => {
      const seconds = parseFloatArg(argv[2] ?? "0");
      sleepSync(seconds * 1000);
      client.reply.ok();
    },
  ],
  [
    "set-active-expire",
    (client) => {
      client.reply.ok();
    },
  ],
  [
    "jmap",
    (client) => {
      client.reply.ok();
    },
  ],
]);

/** Blocks the event loop like Redis's DEBUG SLEEP (the whole server stops). */
export function sleepSync(milliseconds: number): void {
  if (milliseconds <= 0) return;
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, milliseconds);
}

const NOT_ALLOWED =
  'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.';

/** DEBUG command spec. */
export const DEBUG_COMMANDS: readonly CommandSpec[] = [
  defineCommand({
    name: "debug",
    arity: -2,
    flags: ["admin", "noscript", "loading", "stale"],
    handler: (client, argv) => {
      const mode = client.server.settings.enableDebugCommand;
      const local = client.remoteAddress.startsWith("127.") || client.remoteAddress.startsWith("::1") || client.isFake;
      if (mode === "no" || (mode === "local" && !local)) throw new ReplyError(NOT_ALLOWED);
      const handler = DEBUG_SUBCOMMANDS.get((argv[1] as string).toLowerCase());
      if (handler === undefined) throw new ReplyError(ERRORS.unknownSubcommand(argv[1] as string, "debug"));
      handler(client, argv);
    },
  }),
];
