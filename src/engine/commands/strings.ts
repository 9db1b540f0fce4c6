// String commands. SET with EX/PX/EXAT/PXAT/NX/XX/KEEPTTL/GET propagates relative expiries as PXAT.
import { ERRORS, ReplyError } from "../errors.ts";
import { parseInteger } from "./arguments.ts";
import { defineCommand, type CommandSpec } from "./types.ts";
import type { Client } from "../server/client.ts";

/** Reads a string key counting keyspace hits/misses. */
export function lookupString(client: Client, key: string): string | undefined {
  const value = client.db.getString(key);
  if (value === undefined) client.server.stats.keyspaceMisses += 1;
  else client.server.stats.keyspaceHits += 1;
  return value;
}

/** Parses an expire argument of SET/GETEX into absolute unix ms. */
export function parseExpireArgument(unit: "EX" | "PX" | "EXAT" | "PXAT", text: string, command: string, now: number): number {
  const value = parseInteger(text);
  if (value <= 0) throw new ReplyError(ERRORS.invalidExpire(command));
  const absolute = unit === "EX" ? now + value * 1000 : unit === "PX" ? now + value : unit === "EXAT" ? value * 1000 : value;
  if (!Number.isSafeInteger(absolute) || (unit === "EX" && value > Number.MAX_SAFE_INTEGER / 1000)) {
    throw new ReplyError(ERRORS.invalidExpire(command));
  }
  return absolute;
}

function setCommand(client: Client, argv: string[]): void {
  const key = argv[1] as string;
  const value = argv[2] as string;
  let condition: "NX" | "XX" | null = null;
  let keepTtl = false;
  let returnOld = false;
  let expireUnit: "EX" | "PX" | "EXAT" | "PXAT" | null = null;
  let expireText = "";
  for (let index = 3; index < argv.length; index += 1) {
    const option = (argv[index] as string).toUpperCase();
    const hasNext = index + 1 < argv.length;
    if ((option === "NX" || option === "XX") && condition === null) condition = option;
    else if (option === "KEEPTTL" && expireUnit === null) keepTtl = true;
    else if (option === "GET") returnOld = true;
    else if ((option === "EX" || option === "PX" || option === "EXAT" || option === "PXAT") && expireUnit === null && !keepTtl && hasNext) {
      expireUnit = option;
      expireText = argv[index + 1] as string;
      index += 1;
    } else throw new ReplyError(ERRORS.syntax);
  }
  const now = Date.now();
  const expireAt = expireUnit === null ? undefined : parseExpireArgument(expireUnit, expireText, "set", now);
  const db = client.db;
  let old: string | undefined;
  if (returnOld) old = db.getString(key);
  const exists = returnOld ? old !== undefined || db.has(key) : db.has(key);
  if ((condition === "NX" && exists) || (condition === "XX" && !exists)) {
    if (returnOld) client.reply.bulkOrNil(old);
    else client.reply.nil();
    return;
  }
  db.set(key, value, keepTtl);
  if (expireAt !== undefined) db.setExpire(key, expireAt);
  client.server.keyspace.dirty += 1;
  if (expireAt !== undefined) {
    // Propagate the absolute time so replaying the AOF later gives the same expiry.
    const propagated = ["SET", key, value, "PXAT", String(expireAt)];
    if (keepTtl) propagated.push("KEEPTTL");
    client.propagate(propagated);
  }
  if (returnOld) client.reply.bulkOrNil(old);
  else client.reply.ok();
}

/** String command specs (the rest of the family lives in strings-more.ts). */
export const STRING_COMMANDS: readonly CommandSpec[] = [
  defineCommand({
    name: "get",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: [1, 1, 1],
    categories: ["@read", "@string", "@fast"],
    handler: (client, argv) => client.reply.bulkOrNil(lookupString(client, argv[1] as string)),
  }),
  defineCommand({
    name: "set",
    arity: -3,
    flags: ["write", "denyoom"],
    keys: [1, 1, 1],
    categories: ["@write", "@string", "@slow"],
    handler: setCommand,
  }),
];

