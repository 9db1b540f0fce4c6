// An engine started inside the test process (no build, runs under Node and Deno): loopback, a port
// chosen by the kernel, no persistence, and a recorder of what the dispatcher propagates to the AOF.
import { loadConfig } from "../../src/engine/config/load-config.ts";
import { startServer, type RunningServer } from "../../src/engine/server/boot.ts";
import type { CommandSpec } from "../../src/engine/commands/types.ts";
import { RespConnection } from "./resp-client.ts";

/** A running in-process engine. */
export interface InProcessServer {
  readonly server: RunningServer;
  readonly port: number;
  /** Every propagate(dbIndex, argv) since start (or since the last clear). */
  readonly propagated: { dbIndex: number; argv: string[] }[];
  connect(): Promise<RespConnection>;
  stop(): Promise<void>;
}

/** Starts the engine in this process with redis-server style arguments. */
export async function startInProcess(
  args: readonly string[] = [],
  extraCommands: readonly CommandSpec[] = [],
): Promise<InProcessServer> {
  const config = loadConfig(["--port", "0", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", ...args]);
  // Quiet unless the test asked for a level ("nothing" is below what Redis 7.0's loglevel accepts).
  if (!args.includes("--loglevel")) config.settings.loglevel = "nothing";
  const server = await startServer({ config, extraCommands });
  const propagated: { dbIndex: number; argv: string[] }[] = [];
  const persistence = server.context.persistence;
  server.context.persistence = {
    ...persistence,
    propagate: (dbIndex, argv) => {
      propagated.push({ dbIndex, argv: [...argv] });
      persistence.propagate(dbIndex, argv);
    },
  };
  const connections: RespConnection[] = [];
  return {
    server,
    port: server.port,
    propagated,
    connect: async () => {
      const connection = await RespConnection.open(server.port);
      connections.push(connection);
      return connection;
    },
    stop: async () => {
      for (const connection of connections) connection.close();
      await server.shutdown(false);
    },
  };
}
