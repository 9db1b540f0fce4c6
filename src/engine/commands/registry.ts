// The command table: every command module's specs, assembled once. Add new modules here.
import { CONFIG_COMMANDS } from "./config.ts";
import { CONNECTION_COMMANDS } from "./connection.ts";
import { DEBUG_COMMANDS } from "./debug.ts";
import { MEMORY_COMMANDS } from "./memory.ts";
import { MODULE_COMMANDS } from "./module.ts";
import { RDB_PERSISTENCE_COMMANDS } from "./persistence-rdb.ts";
import { AOF_COMMANDS } from "./persistence-aof.ts";
import { SERVER_COMMANDS } from "./server-commands.ts";
import { HASH_COMMANDS } from "./hashes.ts";
import { KEY_EXPIRY_COMMANDS } from "./key-expiry.ts";
import { KEY_COMMANDS } from "./keys.ts";
import { LIST_COMMANDS } from "./lists.ts";
import { SET_COMMANDS } from "./sets.ts";
import { SORTED_SET_RANGE_COMMANDS } from "./sorted-set-ranges.ts";
import { SORTED_SET_COMMANDS } from "./sorted-sets.ts";
import { STRING_COUNTER_COMMANDS } from "./string-counters.ts";
import { STRING_LCS_COMMANDS } from "./string-lcs.ts";
import { STRING_RANGE_COMMANDS } from "./string-ranges.ts";
import { STRING_COMMANDS } from "./strings.ts";
import { TRANSACTION_COMMANDS } from "./transactions.ts";
import { PUBSUB_COMMANDS } from "./pubsub.ts";
import { MONITOR_COMMANDS } from "./monitor.ts";
import { ACL_COMMANDS } from "./acl.ts";
import type { CommandSpec } from "./types.ts";

/** All commands of the engine. */
export function listCommands(extra: readonly CommandSpec[] = []): CommandSpec[] {
  return [
    ...CONNECTION_COMMANDS,
    ...TRANSACTION_COMMANDS,
    ...SERVER_COMMANDS,
    ...CONFIG_COMMANDS,
    ...DEBUG_COMMANDS,
    ...MEMORY_COMMANDS,
    ...MODULE_COMMANDS,
    ...STRING_COMMANDS,
    ...STRING_COUNTER_COMMANDS,
    ...STRING_RANGE_COMMANDS,
    ...STRING_LCS_COMMANDS,
    ...KEY_COMMANDS,
    ...KEY_EXPIRY_COMMANDS,
    ...HASH_COMMANDS,
    ...LIST_COMMANDS,
    ...SET_COMMANDS,
    ...SORTED_SET_COMMANDS,
    ...SORTED_SET_RANGE_COMMANDS,
    ...RDB_PERSISTENCE_COMMANDS,
    ...AOF_COMMANDS,
    ...PUBSUB_COMMANDS,
    ...MONITOR_COMMANDS,
    ...ACL_COMMANDS,
    ...extra,
  ];
}
