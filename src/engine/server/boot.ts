// Boot sequence of persistlab-server: settings → context → command table → persistence load →
// listen → "Ready to accept connections"; signal handling and the graceful shutdown.
import { writeFileSync, rmSync } from "node:fs";
import { listCommands } from "../commands/registry.ts";
import type { CommandSpec } from "../commands/types.ts";
import { ConfigError, checkDirectory, fatalConfigLine, type LoadedConfig } from "../config/load-config.ts";
import { createLogger, type Logger } from "../log.ts";
import { warnAboutMissingHeapFlags } from "./heap-flags.ts";
import { createPersistence } from "../persistence/install.ts";
import { createServerContext } from "./context.ts";
import type { Dispatcher, ServerContext } from "./context-types.ts";
import { logStartupBanner } from "./startup-banner.ts";
import { applyMemorySettings } from "./maxmemory.ts";
import { NetworkServer } from "./server.ts";
import { applyProcessTitle } from "./process-title.ts";

/** A started server. */
export interface RunningServer {
  readonly context: ServerContext;
  readonly port: number;
  /** Graceful stop (as SHUTDOWN with the given save choice); resolves when closed, rejects when the final save failed. */
  shutdown(save?: boolean, force?: boolean): Promise<void>;
}

/** Starts a server from loaded config; `exitOnShutdown` ends the process after SHUTDOWN. */
export async function startServer(options: {
  config: LoadedConfig;
  exitOnShutdown?: boolean;
  extraCommands?: readonly CommandSpec[];
}): Promise<RunningServer> {
  const settings = options.config.settings;
  const log = createLogger({ level: settings.loglevel, logfile: settings.logfile });
  if (settings.dir !== ".") {
    // As Redis: the directory must exist (a typo must not start an empty server in a new directory).
    const problem = checkDirectory(settings.dir);
    if (problem !== null) throw new ConfigError(fatalConfigLine(0, `dir ${settings.dir}`, problem));
    process.chdir(settings.dir);
  }
  const context = createServerContext({ config: options.config, log, commands: listCommands(options.extraCommands) });
  applyCommandRenames(context.dispatcher, options.config.renames ?? []);
  const server = new NetworkServer({ context, dispatcher: context.dispatcher, watches: context.watches });
  log.warning("oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo");
  log.warning(
    `Redis version=7.0.15, bits=64, commit=00000000, modified=0, pid=${process.pid}, just started (persistlab-server)`,
  );
  warnAboutMissingHeapFlags(log);
  warnAboutInertDirectives(log, options.config.inertSet ?? []);
  context.persistence = createPersistence(context);
  log.notice("Server initialized");
  let shutdownPromise: Promise<void> | null = null;
  const shutdown = (save?: boolean, force?: boolean): Promise<void> => {
    shutdownPromise ??= (async () => {
      context.shuttingDown = true;
      if (context.loading) {
        // As Redis: never save while loading, which could overwrite the file being loaded with part of it.
        log.warning("User requested shutdown while loading the dataset: exiting without saving...");
      } else {
        log.warning("User requested shutdown...");
        try {
          await context.persistence.shutdown(save, force);
        } catch (error) {
          // As Redis 7: a failed final save cancels the shutdown; the server keeps serving its data.
          log.warning("Errors trying to shut down the server. Check the logs for more information.");
          shutdownPromise = null;
          context.shuttingDown = false;
          server.resumeAfterFailedShutdown();
          throw error;
        }
      }
      await server.close();
      if (settings.pidfile !== "") {
        log.notice("Removing the pid file.");
        rmSync(settings.pidfile, { force: true });
      }
      log.warning("persistlab-server is now ready to exit, bye bye...");
      if (options.exitOnShutdown === true) process.exit(0);
    })();
    return shutdownPromise;
  };
  context.requestShutdown = shutdown;
  context.wakeClient = (client) => server.markDirty(client);
  // Signals are handled from before the load, so SIGTERM while loading is a clean exit too.
  if (options.exitOnShutdown === true) {
    // As Redis's sigShutdownHandler: the shutdown runs from the next cron tick (so SHUTDOWN ABORT can
    // still cancel it), at once while loading; a second SIGINT exits now, removing the save's temp file.
    const onSignal = (signal: "SIGTERM" | "SIGINT"): void => {
      if (signal === "SIGINT" && (context.pendingSignalShutdown !== null || context.shuttingDown)) {
        log.warning("You insist... exiting now.");
        rmSync(`temp-${process.pid}.rdb`, { force: true });
        process.exit(1);
      }
      const flags = signalShutdownFlags(
        context.accepted.get(signal === "SIGTERM" ? "shutdown-on-sigterm" : "shutdown-on-sigint") ?? "default",
      );
      if (context.loading) {
        log.warning("Received shutdown signal during loading, scheduling shutdown.");
        shutdown(flags.save, flags.force).catch(() => undefined);
        return;
      }
      log.warning(`Received ${signal} scheduling shutdown...`);
      context.pendingSignalShutdown = { signal, save: flags.save, force: flags.force };
    };
    process.on("SIGTERM", () => onSignal("SIGTERM"));
    process.on("SIGINT", () => onSignal("SIGINT"));
  }
  context.loading = true;
  const port = await server.listen();
  // As Redis: the title shows the command and the address once listening (set-proc-title yes).
  if (context.accepted.get("set-proc-title") !== "no") applyProcessTitle(context);
  logStartupBanner(log, {
    port,
    alwaysShowLogo: context.accepted.get("always-show-logo") === "yes",
    logToTerminal: settings.logfile === "" && process.stdout.isTTY === true,
  });
  server.beginStartupLoad();
  try {
    await context.persistence.load();
  } finally {
    context.loading = false;
    server.endStartupLoad();
  }
  if (context.shuttingDown) return { context, port, shutdown };
  applyMemorySettings(context);
  if (settings.pidfile !== "") writeFileSync(settings.pidfile, `${process.pid}\n`);
  server.startCron();
  log.notice(`Ready to accept connections tcp (port ${port})`);
  return { context, port, shutdown };
}

// rename-command lines: the command moves to its new name ("" removes it), as in Redis's config
// loading; an unknown command or a taken name stops the start with Redis's error.
function applyCommandRenames(dispatcher: Dispatcher, renames: NonNullable<LoadedConfig["renames"]>): void {
  for (const rename of renames) {
    const from = rename.from.toLowerCase();
    const entry = dispatcher.table.get(from);
    if (entry === undefined)
      throw new ConfigError(fatalConfigLine(rename.line, rename.text, "No such command in rename-command"));
    dispatcher.table.delete(from);
    const to = rename.to.toLowerCase();
    if (to === "") continue;
    if (dispatcher.table.has(to))
      throw new ConfigError(fatalConfigLine(rename.line, rename.text, "Target command name already exists"));
    dispatcher.table.set(to, entry);
  }
}

// One warning naming every directive the config set that has no effect in this engine.
function warnAboutInertDirectives(log: Logger, names: readonly string[]): void {
  if (names.length === 0) return;
  log.warning(
    `WARNING: these directives are accepted and shown by CONFIG GET but have no effect in persistlab-server ` +
      `(replication, cluster, TLS, modules, threads, ...): ${names.join(", ")}.`,
  );
}

/** shutdown-on-sigterm / shutdown-on-sigint words → the SHUTDOWN flags they stand for. */
export function signalShutdownFlags(text: string): { save: boolean | undefined; force: boolean } {
  const words = new Set(text.split(" "));
  return { save: words.has("save") ? true : words.has("nosave") ? false : undefined, force: words.has("force") };
}
