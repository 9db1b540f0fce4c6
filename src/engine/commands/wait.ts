// WAIT numreplicas timeout (Redis 7.0's replication.c): the engine has no replicas, so the count of
// replicas that acknowledged is always 0. As in Redis, WAIT 0 (or inside MULTI) answers at once;
// asking for replicas blocks the client until the timeout (0 = forever) and then answers 0.
import type { Client } from "../server/context-types.ts";
import { parseBlockTimeoutMs } from "../server/blocking.ts";
import { parseInteger } from "./arguments.ts";
import { defineCommand, type CommandSpec } from "./types.ts";

function waitCommand(client: Client, argv: string[]): void {
  const wanted = parseInteger(argv[1] as string);
  const deadlineMs = parseBlockTimeoutMs(argv[2] as string);
  const blocking = client.server.blocking;
  if (wanted <= 0 || !blocking.mayBlock(client)) {
    client.reply.integer(0);
    return;
  }
  blocking.block(
    client,
    { keys: [], deadlineMs, tryServe: () => false, onTimeout: (waiting) => waiting.reply.integer(0) },
    argv,
  );
}

/** WAIT spec. */
export const WAIT_COMMANDS: readonly CommandSpec[] = [
  defineCommand({
    name: "wait",
    arity: 3,
    flags: ["noscript"],
    categories: ["@slow", "@connection"],
    handler: waitCommand,
  }),
];
