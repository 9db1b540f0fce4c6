// CLIENT UNBLOCK <id> [TIMEOUT|ERROR]: ends another client's blocking wait (server/blocking.ts),
// with its timeout reply or with the UNBLOCKED error; replies 1 when a blocked client was found.
import { ERRORS, ReplyError } from "../errors.ts";
import { isKeyword, parseInteger } from "./arguments.ts";
import type { Client } from "../server/context-types.ts";

/** The CLIENT UNBLOCK subcommand handler. */
export function clientUnblockCommand(client: Client, argv: string[]): void {
  if (argv.length !== 3 && argv.length !== 4) throw new ReplyError(ERRORS.arity("client|unblock"));
  let withError = false;
  if (argv.length === 4) {
    if (isKeyword(argv[3], "ERROR")) withError = true;
    else if (!isKeyword(argv[3], "TIMEOUT"))
      throw new ReplyError("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
  }
  const id = parseInteger(argv[2] as string);
  const target = client.server.clients.get(id);
  const unblocked = target !== undefined && client.server.blocking.unblockByRequest(target, withError);
  client.reply.integer(unblocked ? 1 : 0);
}
