// ACL: SETUSER DELUSER USERS LIST WHOAMI GENPASS HELP over the engine's users (server/acl-users.ts),
// with Redis 7.0's replies and errors. Users carry command rules and whole key and channel permissions; see acl-users.ts.
import { randomBytes } from "node:crypto";
import { ERRORS, ReplyError } from "../errors.ts";
import { AclRuleError } from "../server/acl-users.ts";
import { parseInteger } from "./arguments.ts";
import { defineCommand, type CommandSpec } from "./types.ts";
import type { Client } from "../server/context-types.ts";

const ACL_HELP = [
  "ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "DELUSER <username> [<username> ...]",
  "    Delete a list of users.",
  "GENPASS [<bits>]",
  "    Generate a secure 256-bit user password. The optional `bits` argument can",
  "    be used to specify a different size.",
  "LIST",
  "    Show users details in config file format.",
  "SETUSER <username> <attribute> [<attribute> ...]",
  "    Create or modify a user with the specified attributes.",
  "USERS",
  "    List all the registered usernames.",
  "WHOAMI",
  "    Return the current connection username.",
  "HELP",
  "    Prints this help.",
];

// Usernames with spaces or control characters cannot be written in ACL LIST's format.
function checkUserName(name: string): void {
  if (/[\s\x00-\x1f]/.test(name)) throw new ReplyError("ERR Usernames can't contain spaces or null characters");
}

const SUBCOMMANDS: Record<string, { arity: number; run: (client: Client, argv: string[]) => void }> = {
  setuser: {
    arity: -3,
    run: (client, argv) => {
      const name = argv[2] as string;
      checkUserName(name);
      try {
        client.server.acl.setUser(name, argv.slice(3));
      } catch (error) {
        if (error instanceof AclRuleError)
          throw new ReplyError(`ERR Error in ACL SETUSER modifier '${error.rule}': ${error.message}`);
        throw error;
      }
      client.reply.ok();
    },
  },
  deluser: {
    arity: -3,
    run: (client, argv) => {
      const names = argv.slice(2);
      if (names.includes("default")) throw new ReplyError("ERR The 'default' user cannot be removed");
      client.reply.integer(client.server.acl.deleteUsers(names));
    },
  },
  users: { arity: 2, run: (client) => client.reply.bulkArray(client.server.acl.names()) },
  list: { arity: 2, run: (client) => client.reply.bulkArray(client.server.acl.describeAll()) },
  whoami: { arity: 2, run: (client) => client.reply.bulk(client.user) },
  genpass: {
    arity: -2,
    run: (client, argv) => {
      let bits = 256;
      if (argv.length > 3) throw new ReplyError(ERRORS.arity("acl|genpass"));
      if (argv.length === 3) {
        bits = parseInteger(argv[2] as string);
        if (bits <= 0 || bits > 4096)
          throw new ReplyError(
            "ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096",
          );
      }
      const chars = Math.ceil(bits / 4);
      client.reply.bulk(
        randomBytes(Math.ceil(chars / 2))
          .toString("hex")
          .slice(0, chars),
      );
    },
  },
  help: {
    arity: 2,
    run: (client) => {
      client.reply.array(ACL_HELP.length);
      for (const line of ACL_HELP) client.reply.status(line);
    },
  },
};

/** ACL command spec. */
export const ACL_COMMANDS: readonly CommandSpec[] = [
  defineCommand({
    name: "acl",
    arity: -2,
    flags: ["loading", "stale"],
    categories: ["@slow"],
    handler: (client, argv) => {
      const name = (argv[1] as string).toLowerCase();
      const sub = SUBCOMMANDS[name];
      if (sub === undefined) throw new ReplyError(ERRORS.unknownSubcommand(argv[1] as string, "acl"));
      if ((sub.arity > 0 && argv.length !== sub.arity) || argv.length < -sub.arity)
        throw new ReplyError(ERRORS.arity(`acl|${name}`));
      sub.run(client, argv);
    },
  }),
];
