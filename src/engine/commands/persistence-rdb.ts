// RDB persistence commands: SAVE, BGSAVE [SCHEDULE], LASTSAVE, and DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]
// (named in DEBUG's subcommand table, commands/debug.ts). The work is done by persistence/rdb-persistence.ts,
// reached through the context's persistence hooks.
import { ERRORS, ReplyError } from "../errors.ts";
import type { RdbCommandHooks } from "../persistence/hooks.ts";
import { RdbReloadError } from "../persistence/rdb-persistence.ts";
import type { Client } from "../server/context-types.ts";
import { isKeyword } from "./arguments.ts";
import { defineCommand, type CommandSpec } from "./types.ts";

const ANOTHER_CHILD =
  "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.";

function rdbOf(client: Client): RdbCommandHooks {
  const rdb = client.server.persistence.rdb;
  if (rdb === null) throw new ReplyError("ERR RDB persistence is not available in this server");
  return rdb;
}

function saveCommand(client: Client): void {
  const rdb = rdbOf(client);
  if (rdb.backgroundSaveDone() !== null) throw new ReplyError("ERR Background save already in progress");
  try {
    rdb.save();
  } catch {
    throw new ReplyError("ERR");
  }
  client.reply.ok();
}

function bgsaveCommand(client: Client, argv: string[]): void {
  let schedule = false;
  if (argv.length > 1) {
    if (argv.length === 2 && isKeyword(argv[1], "SCHEDULE")) schedule = true;
    else throw new ReplyError(ERRORS.syntax);
  }
  switch (rdbOf(client).requestBackgroundSave({ schedule })) {
    case "started":
      client.reply.status("Background saving started");
      return;
    case "scheduled":
      client.reply.status("Background saving scheduled");
      return;
    case "already-in-progress":
      throw new ReplyError("ERR Background save already in progress");
    case "other-job-running":
      throw new ReplyError(ANOTHER_CHILD);
    case "failed":
      throw new ReplyError("ERR");
  }
}

/** DEBUG RELOAD: save, empty the data set, load the file back (options as Redis 7.0). */
export function debugReload(client: Client, argv: string[]): void {
  const options = { noSave: false, noFlush: false, merge: false };
  for (const option of argv.slice(2)) {
    if (isKeyword(option, "MERGE")) options.merge = true;
    else if (isKeyword(option, "NOFLUSH")) options.noFlush = true;
    else if (isKeyword(option, "NOSAVE")) options.noSave = true;
    else throw new ReplyError("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
  }
  try {
    rdbOf(client).reload(options);
  } catch (error) {
    client.server.log.warning(`DEBUG RELOAD: ${error instanceof Error ? error.message : String(error)}`);
    if (error instanceof RdbReloadError && error.phase === "save")
      throw new ReplyError("ERR Error trying to save the DB, check server logs.");
    throw new ReplyError("ERR Error trying to load the RDB dump, check server logs.");
  }
  client.reply.ok();
}

/** SAVE, BGSAVE, LASTSAVE. */
export const RDB_PERSISTENCE_COMMANDS: readonly CommandSpec[] = [
  defineCommand({ name: "save", arity: 1, flags: ["admin", "noscript", "no_multi"], handler: saveCommand }),
  defineCommand({ name: "bgsave", arity: -1, flags: ["admin", "noscript"], handler: bgsaveCommand }),
  defineCommand({
    name: "lastsave",
    arity: 1,
    flags: ["loading", "stale", "fast"],
    handler: (client) => client.reply.integer(rdbOf(client).lastSaveSec),
  }),
];
