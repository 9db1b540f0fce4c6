// The command table: every command module's specs, assembled once. Add new modules here.
import { CONFIG_COMMANDS } from "./config.ts";
import { CONNECTION_COMMANDS } from "./connection.ts";
import { DEBUG_COMMANDS } from "./debug.ts";
import { RDB_PERSISTENCE_COMMANDS } from "./persistence-rdb.ts";
import { AOF_COMMANDS } from "./persistence-aof.ts";
import { SERVER_COMMANDS } from "./server-commands.ts";
import { STRING_COMMANDS } from "./strings.ts";
import { TRANSACTION_COMMANDS } from "./transactions.ts";
import type { CommandSpec } from "./types.ts";

/** All commands of the engine. */
export function listCommands(extra: readonly CommandSpec[] = []): CommandSpec[] {
  return [
    ...CONNECTION_COMMANDS,
    ...TRANSACTION_COMMANDS,
    ...SERVER_COMMANDS,
    ...CONFIG_COMMANDS,
    ...DEBUG_COMMANDS,
    ...STRING_COMMANDS,
    ...RDB_PERSISTENCE_COMMANDS,
    ...AOF_COMMANDS,
    ...extra,
  ];
}
