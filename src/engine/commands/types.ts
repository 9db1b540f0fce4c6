// Building a command's spec (name, arity, flags and key positions as Redis declares them, plus the
// handler; the types live in server/context-types.ts). Every command module exports a list of these;
// registry.ts assembles the table.
import type { CommandFlag, CommandHandler, CommandSpec } from "../server/context-types.ts";

export type { CommandFlag, CommandHandler, CommandSpec };

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
