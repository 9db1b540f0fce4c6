// MODULE: present so enable-module-command gates it as in Redis 7.0 (the dispatcher refuses it
// unless allowed); the engine loads no modules, so LIST is empty and LOAD/UNLOAD fail as Redis does
// when a module cannot be loaded or is not there.
import { ReplyError } from "../errors.ts";
import { defineCommand, type CommandSpec } from "./types.ts";

const MODULE_HELP = [
  "MODULE <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "LIST",
  "    Return a list of loaded modules.",
  "LOAD <path> [<arg> ...]",
  "    Load a module library from <path>, passing to it any optional arguments.",
  "LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]",
  "    Load a module library from <path>, while passing it module configurations and optional arguments.",
  "UNLOAD <name>",
  "    Unload a module.",
  "HELP",
  "    Prints this help.",
];

/** MODULE command spec. */
export const MODULE_COMMANDS: readonly CommandSpec[] = [
  defineCommand({
    name: "module",
    arity: -2,
    flags: ["admin", "noscript"],
    handler: (client, argv) => {
      const sub = (argv[1] as string).toLowerCase();
      if (sub === "help" && argv.length === 2) {
        client.reply.array(MODULE_HELP.length);
        for (const line of MODULE_HELP) client.reply.status(line);
      } else if (sub === "list" && argv.length === 2) {
        client.reply.array(0);
      } else if ((sub === "load" || sub === "loadex") && argv.length >= 3) {
        client.server.log.warning(
          `Module ${argv[2] as string} failed to load: persistlab-server has no module support`,
        );
        throw new ReplyError("ERR Error loading the extension. Please check the server logs.");
      } else if (sub === "unload" && argv.length === 3) {
        throw new ReplyError("ERR Error unloading module: no such module with that name");
      } else {
        throw new ReplyError(
          `ERR unknown subcommand or wrong number of arguments for '${(argv[1] as string).slice(0, 128)}'. Try MODULE HELP.`,
        );
      }
    },
  }),
];
