// CONFIG GET / SET / RESETSTAT / REWRITE over the directive table (glob patterns for GET).
import { writeFileSync } from "node:fs";
import { ERRORS, ReplyError } from "../errors.ts";
import { ACCEPTED_DIRECTIVES, DIRECTIVES, DIRECTIVES_BY_NAME, applyDirective, formatDirective } from "../config/directives.ts";
import { matchGlob } from "../util/glob.ts";
import { defineCommand, type CommandSpec } from "./types.ts";
import type { Client } from "../server/client.ts";

function configGet(client: Client, patterns: readonly string[]): void {
  const context = client.server;
  const found = new Map<string, string>();
  for (const pattern of patterns) {
    for (const spec of DIRECTIVES) {
      if (matchGlob(pattern, spec.name, true)) found.set(spec.name, formatDirective(context.settings, spec));
      for (const alias of spec.aliases ?? []) {
        if (matchGlob(pattern, alias, true)) found.set(alias, formatDirective(context.settings, spec));
      }
    }
    for (const [name, value] of context.accepted) if (matchGlob(pattern, name, true)) found.set(name, value);
  }
  client.reply.map(found.size);
  for (const [name, value] of found) {
    client.reply.bulk(name);
    client.reply.bulk(value);
  }
}

function configSet(client: Client, argv: string[]): void {
  if (argv.length < 4 || argv.length % 2 !== 0) throw new ReplyError(ERRORS.arity("config|set"));
  const context = client.server;
  const pairs: [string, string][] = [];
  for (let index = 2; index < argv.length; index += 2) pairs.push([(argv[index] as string).toLowerCase(), argv[index + 1] as string]);
  const before = structuredClone(context.settings);
  const changed: string[] = [];
  for (const [name, value] of pairs) {
    const spec = DIRECTIVES_BY_NAME.get(name);
    if (spec === undefined) {
      if (name in ACCEPTED_DIRECTIVES) {
        context.accepted.set(name, value);
        continue;
      }
      Object.assign(context.settings, before);
      throw new ReplyError(`ERR Unknown option or number of arguments for CONFIG SET - '${name}'`);
    }
    if (spec.immutable === true) {
      Object.assign(context.settings, before);
      throw new ReplyError(`ERR CONFIG SET failed (possibly related to argument '${name}') - can't set immutable config`);
    }
    const problem = applyDirective(context.settings, spec, spec.kind.type === "save" || spec.kind.type === "list" ? [value] : [value]);
    if (problem !== null) {
      Object.assign(context.settings, before);
      throw new ReplyError(`ERR CONFIG SET failed (possibly related to argument '${name}') - ${problem}`);
    }
    changed.push(spec.name);
  }
  if (changed.includes("loglevel")) context.log.setLevel(context.settings.loglevel);
  for (const name of changed) {
    const result = context.persistence.onConfigChange(name);
    if (result instanceof Promise) result.catch((error: unknown) => context.log.warning(`CONFIG SET ${name}: ${String(error)}`));
  }
  client.reply.ok();
}

function configRewrite(client: Client): void {
  const context = client.server;
  if (context.configFile === undefined) throw new ReplyError("ERR The server is running without a config file");
  const lines = ["# Rewritten by persistlab-server CONFIG REWRITE"];
  for (const spec of DIRECTIVES) {
    const value = formatDirective(context.settings, spec);
    lines.push(spec.kind.type === "save" && value === "" ? 'save ""' : `${spec.name} ${value === "" ? '""' : JSON.stringify(value)}`);
  }
  writeFileSync(context.configFile, lines.join("\n") + "\n");
  client.reply.ok();
}

/** CONFIG command spec. */
export const CONFIG_COMMANDS: readonly CommandSpec[] = [
  defineCommand({
    name: "config",
    arity: -2,
    flags: ["admin", "noscript", "loading", "stale"],
    handler: (client, argv) => {
      const sub = (argv[1] as string).toLowerCase();
      if (sub === "get") {
        if (argv.length < 3) throw new ReplyError(ERRORS.arity("config|get"));
        configGet(client, argv.slice(2));
      } else if (sub === "set") {
        configSet(client, argv);
      } else if (sub === "resetstat") {
        const stats = client.server.stats;
        stats.totalCommandsProcessed = 0;
        stats.totalConnectionsReceived = 0;
        stats.keyspaceHits = 0;
        stats.keyspaceMisses = 0;
        stats.totalErrorReplies = 0;
        stats.rejectedConnections = 0;
        for (const entry of stats.commands.values()) Object.assign(entry, { calls: 0, usec: 0, rejectedCalls: 0, failedCalls: 0 });
        client.reply.ok();
      } else if (sub === "rewrite") {
        configRewrite(client);
      } else {
        throw new ReplyError(ERRORS.unknownSubcommand(argv[1] as string, "config"));
      }
    },
  }),
];
