// An engine context in this process (config, keyspace, command table) for tests that load AOF files
// without spawning a server, and a logger that keeps its lines.
import { listCommands } from "../../../../src/engine/commands/registry.ts";
import { loadConfig } from "../../../../src/engine/config/load-config.ts";
import type { Logger } from "../../../../src/engine/log.ts";
import { createServerContext } from "../../../../src/engine/server/context.ts";
import type { ServerContext } from "../../../../src/engine/server/context-types.ts";

/** A logger that records lines instead of printing them. */
export function createRecordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (message: string): void => {
    lines.push(message);
  };
  return { lines, debug: keep, verbose: keep, notice: keep, warning: keep, raw: keep, setLevel: () => {} };
}

/** A server context with the full command table and a recording logger. */
export function createTestContext(args: readonly string[] = []): {
  context: ServerContext;
  log: Logger & { lines: string[] };
} {
  const log = createRecordingLogger();
  const context = createServerContext({ config: loadConfig(args, () => ""), log, commands: listCommands() });
  return { context, log };
}
