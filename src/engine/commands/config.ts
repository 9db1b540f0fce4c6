// CONFIG GET / SET / RESETSTAT / REWRITE over the directive tables, with Redis 7.0's rules:
// glob patterns for GET (hidden directives by exact name only), all-or-nothing SET with immutable,
// protected (enable-protected-configs), loading and duplicate checks, and Redis's error texts.
import { writeFileSync } from "node:fs";
import { resolve as resolvePath } from "node:path";
import { ERRORS, ReplyError } from "../errors.ts";
import {
  DIRECTIVES,
  INERT_DIRECTIVES,
  allDirectiveNames,
  currentDirectiveText,
  findDirective,
  formatDirective,
  formatDirectiveValue,
  isEffective,
  isMultiArg,
  parseDirectiveValue,
  type AnyDirectiveSpec,
  type DirectiveSpec,
} from "../config/directives.ts";
import { describeErrno } from "../config/load-config.ts";
import { allowProtectedAction } from "../server/local-client.ts";
import { applyMemorySettings, performEvictions } from "../server/maxmemory.ts";
import { matchGlob } from "../util/glob.ts";
import { defineCommand, type CommandSpec } from "./types.ts";
import type { Client } from "../server/context-types.ts";
import { applyProcessTitle } from "../server/process-title.ts";
import type { ServerContext } from "../server/context-types.ts";

/** What CONFIG GET prints for a directive (dir is the working directory, as Redis's getcwd()). */
function shownValue(context: ServerContext, spec: AnyDirectiveSpec): string {
  if (isEffective(spec) && spec.field === "dir") return resolvePath(context.settings.dir);
  return currentDirectiveText(context.settings, context.accepted, spec);
}

function configGet(client: Client, patterns: readonly string[]): void {
  const context = client.server;
  const found = new Map<string, string>();
  const everyName = allDirectiveNames();
  for (const pattern of patterns) {
    if (!/[[*?]/.test(pattern)) {
      const spec = findDirective(pattern);
      if (spec !== undefined && !found.has(pattern)) found.set(pattern, shownValue(context, spec));
      continue;
    }
    for (const { name, spec } of everyName) {
      if (spec.hidden === true || found.has(name)) continue;
      if (matchGlob(pattern, name, true)) found.set(name, shownValue(context, spec));
    }
    // Module configs (name.with.dot) kept from the config file.
    for (const [name, value] of context.accepted) {
      if (name.includes(".") && !found.has(name) && matchGlob(pattern, name, true)) found.set(name, value);
    }
  }
  client.reply.map(found.size);
  for (const [name, value] of found) {
    client.reply.bulk(name);
    client.reply.bulk(value);
  }
}

const setFailure = (name: string, problem: string): ReplyError =>
  new ReplyError(`ERR CONFIG SET failed (possibly related to argument '${name}') - ${problem}`);

function configSet(client: Client, argv: string[]): void {
  if (argv.length % 2 !== 0) throw new ReplyError(ERRORS.syntax);
  const context = client.server;
  const chosen: { spec: AnyDirectiveSpec; given: string; value: string }[] = [];
  let refusal: ReplyError | null = null;
  let denyLoading = false;
  for (let index = 2; index < argv.length; index += 2) {
    const given = argv[index] as string;
    const spec = findDirective(given);
    if (refusal !== null || denyLoading) continue;
    if (spec === undefined)
      refusal = new ReplyError(`ERR Unknown option or number of arguments for CONFIG SET - '${given}'`);
    else if (spec.immutable === true) refusal = setFailure(given, "can't set immutable config");
    else if (spec.protected === true && !allowProtectedAction(context.settings.enableProtectedConfigs, client)) {
      refusal = setFailure(given, "can't set protected config");
    } else if (context.loading && spec.denyLoading === true) denyLoading = true;
    else if (chosen.some((entry) => entry.spec === spec)) refusal = setFailure(given, "duplicate parameter");
    else chosen.push({ spec, given, value: argv[index + 1] as string });
  }
  if (denyLoading) throw new ReplyError(ERRORS.loading);
  if (refusal !== null) throw refusal;

  const settingsBefore = structuredClone(context.settings);
  const acceptedBefore = new Map(context.accepted);
  const restore = (): void => {
    Object.assign(context.settings, settingsBefore);
    context.accepted.clear();
    for (const [name, value] of acceptedBefore) context.accepted.set(name, value);
  };
  const changed: string[] = [];
  for (const { spec, value } of chosen) {
    // As Redis's CONFIG SET: a multi-word value is split on single spaces.
    const words = isMultiArg(spec.kind) ? value.split(" ") : [value];
    const parsed = parseDirectiveValue(spec, words, currentDirectiveText(context.settings, context.accepted, spec));
    if (!parsed.ok) {
      restore();
      throw setFailure(spec.name, parsed.error);
    }
    if (!isEffective(spec)) {
      context.accepted.set(spec.name, formatDirectiveValue(spec.kind, parsed.value));
      // Directives the engine reads from their text (aof-disable-auto-gc, ...) may act on the change.
      if (spec.area === "honoured") changed.push(spec.name);
      continue;
    }
    const problem = applyEffective(context, spec, parsed.value);
    if (problem !== null) {
      restore();
      throw setFailure(spec.name, problem);
    }
    changed.push(spec.name);
  }
  if (changed.includes("loglevel")) context.log.setLevel(context.settings.loglevel);
  if (changed.includes("proc-title-template")) applyProcessTitle(context);
  if (changed.some((name) => name.startsWith("maxmemory")) || chosen.some(({ spec }) => spec.name.startsWith("lfu-"))) {
    applyMemorySettings(context);
    // As Redis's updateMaxmemory: a limit below the used memory starts evicting now.
    performEvictions(context);
  }
  for (const name of changed) {
    if (name === "dir") continue; // applied above (chdir)
    const result = context.persistence.onConfigChange(name);
    if (result instanceof Promise)
      result.catch((error: unknown) => context.log.warning(`CONFIG SET ${name}: ${String(error)}`));
  }
  client.reply.ok();
}

// Sets one effective directive; returns Redis's error text when its side effect fails.
function applyEffective(context: ServerContext, spec: DirectiveSpec, value: unknown): string | null {
  const target = context.settings as unknown as Record<string, unknown>;
  if (spec.field === "dir") {
    // As Redis's setConfigDirOption: chdir() now; on failure the old directory stays in effect.
    try {
      process.chdir(value as string);
    } catch (error) {
      return describeErrno(error);
    }
    target.dir = process.cwd();
    return null;
  }
  target[spec.field] = spec.field === "hz" ? Math.min(500, Math.max(1, value as number)) : value;
  return null;
}

function configRewrite(client: Client): void {
  const context = client.server;
  if (context.configFile === undefined) throw new ReplyError("ERR The server is running without a config file");
  const lines = ["# Rewritten by persistlab-server CONFIG REWRITE"];
  for (const spec of DIRECTIVES) {
    const value = formatDirective(context.settings, spec);
    lines.push(
      spec.kind.type === "save" && value === ""
        ? 'save ""'
        : `${spec.name} ${value === "" ? '""' : JSON.stringify(value)}`,
    );
  }
  for (const spec of INERT_DIRECTIVES) {
    const value = context.accepted.get(spec.name) ?? spec.defaultValue;
    if (value !== spec.defaultValue)
      lines.push(`${spec.name} ${value === "" ? '""' : isMultiArg(spec.kind) ? value : JSON.stringify(value)}`);
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
        if (argv.length < 4) throw new ReplyError(ERRORS.arity("config|set"));
        configSet(client, argv);
      } else if (sub === "resetstat") {
        const stats = client.server.stats;
        stats.totalCommandsProcessed = 0;
        stats.totalConnectionsReceived = 0;
        stats.keyspaceHits = 0;
        stats.keyspaceMisses = 0;
        stats.totalErrorReplies = 0;
        stats.errorCodes.clear();
        stats.rejectedConnections = 0;
        for (const entry of stats.commands.values())
          Object.assign(entry, { calls: 0, usec: 0, rejectedCalls: 0, failedCalls: 0 });
        client.server.monitoring.histograms.reset();
        client.reply.ok();
      } else if (sub === "rewrite") {
        configRewrite(client);
      } else {
        throw new ReplyError(ERRORS.unknownSubcommand(argv[1] as string, "config"));
      }
    },
  }),
];
