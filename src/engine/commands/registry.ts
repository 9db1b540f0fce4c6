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
import { STREAM_COMMANDS } from "./streams.ts";
import { STREAM_READ_COMMANDS } from "./stream-read.ts";
import { STREAM_GROUP_COMMANDS } from "./stream-groups.ts";
import { STREAM_CLAIM_COMMANDS } from "./stream-claim.ts";
import { STREAM_INFO_COMMANDS } from "./stream-info.ts";
import { TRANSACTION_COMMANDS } from "./transactions.ts";
import { PUBSUB_COMMANDS } from "./pubsub.ts";
import { MONITOR_COMMANDS } from "./monitor.ts";
import { ACL_COMMANDS } from "./acl.ts";
import type { CommandSpec } from "./types.ts";
import { LIST_BLOCKING_COMMANDS } from "./list-blocking.ts";
import { ZSET_BLOCKING_COMMANDS } from "./zset-blocking.ts";
import { SORT_COMMANDS } from "./sort.ts";
import { ZSET_ALGEBRA_COMMANDS } from "./zset-algebra.ts";
import { DUMP_RESTORE_COMMANDS } from "./dump-restore.ts";
import { MIGRATE_COMMANDS } from "./migrate.ts";
import { MONITORING_COMMANDS } from "./monitoring-commands.ts";
import { WAIT_COMMANDS } from "./wait.ts";
import { BITMAP_COMMANDS } from "./bitmaps.ts";
import { BITFIELD_COMMANDS } from "./bitfield.ts";
import { HYPERLOGLOG_COMMANDS } from "./hyperloglog.ts";
import { GEO_COMMANDS } from "./geo.ts";

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
    ...STREAM_COMMANDS,
    ...STREAM_READ_COMMANDS,
    ...STREAM_GROUP_COMMANDS,
    ...STREAM_CLAIM_COMMANDS,
    ...STREAM_INFO_COMMANDS,
    ...LIST_BLOCKING_COMMANDS,
    ...ZSET_BLOCKING_COMMANDS,
    ...SORT_COMMANDS,
    ...ZSET_ALGEBRA_COMMANDS,
    ...DUMP_RESTORE_COMMANDS,
    ...MIGRATE_COMMANDS,
    ...MONITORING_COMMANDS,
    ...WAIT_COMMANDS,
    ...BITMAP_COMMANDS,
    ...BITFIELD_COMMANDS,
    ...HYPERLOGLOG_COMMANDS,
    ...GEO_COMMANDS,
    ...PUBSUB_COMMANDS,
    ...MONITOR_COMMANDS,
    ...ACL_COMMANDS,
    ...extra,
  ];
}
