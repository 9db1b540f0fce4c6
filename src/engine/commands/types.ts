// The shape of a command: name, arity, flags and key positions as Redis declares them, plus the
// handler. Every command module exports a list of these; registry.ts assembles the table.
import type { Client } from "../server/client.ts";

/** Command flags as COMMAND INFO prints them (subset the engine uses). */
export type CommandFlag =
  | "write"
  | "readonly"
  | "denyoom"
  | "admin"
  | "pubsub"
  | "noscript"
  | "blocking"
  | "loading"
  | "stale"
  | "skip_monitor"
  | "fast"
  | "no_auth"
  | "no_multi"
  | "allow_busy";

/** A command handler: reads argv, writes replies to client.reply, throws ReplyError on errors. */
export type CommandHandler = (client: Client, argv: string[]) => void;

/** One entry of the command table. */
export interface CommandSpec {
  /** Lowercase name. */
  readonly name: string;
  /** Redis arity: N = exactly N arguments (name included), -N = at least N. */
  readonly arity: number;
  readonly flags: readonly CommandFlag[];
  /** Key positions (1-based; 0 = no keys; lastKey -1 = last argument). */
  readonly firstKey: number;
  readonly lastKey: number;
  readonly step: number;
  /** ACL categories for COMMAND INFO (e.g. "@string", "@write"). */
  readonly categories?: readonly string[];
  readonly handler: CommandHandler;
  /** Subcommands (CONFIG GET, CLIENT SETNAME, ...) for COMMAND INFO/DOCS. */
  readonly subcommands?: readonly CommandSpec[];
  /** Key names of commands whose keys move (movablekeys: SORT, LMPOP, ZUNIONSTORE, ...), for COMMAND GETKEYS. */
  readonly getKeys?: (argv: readonly string[]) => string[];
}

/** Builds a spec with the common defaults (no keys, no flags). */
export function defineCommand(spec: {
  name: string;
  arity: number;
  flags?: readonly CommandFlag[];
  keys?: readonly [first: number, last: number, step: number];
  categories?: readonly string[];
  handler: CommandHandler;
  subcommands?: readonly CommandSpec[];
  getKeys?: (argv: readonly string[]) => string[];
}): CommandSpec {
  const [firstKey, lastKey, step] = spec.keys ?? [0, 0, 0];
  return {
    name: spec.name,
    arity: spec.arity,
    flags: spec.flags ?? [],
    firstKey,
    lastKey,
    step,
    ...(spec.categories === undefined ? {} : { categories: spec.categories }),
    handler: spec.handler,
    ...(spec.subcommands === undefined ? {} : { subcommands: spec.subcommands }),
    ...(spec.getKeys === undefined ? {} : { getKeys: spec.getKeys }),
  };
}
