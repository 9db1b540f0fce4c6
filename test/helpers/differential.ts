// Running one scripted session on the built engine and on a real redis-server 7.0 (each a fresh
// process) and recording both transcripts, so a test can require them to be equal line for line.
import { RespConnection, type Reply } from "./resp-client.ts";
import { spawnServer, type SpawnedServer } from "./servers.ts";

/** A compact rendering of a reply: +status -error :int "bulk" nil nil* [array] >[push] {map} ~[set] ,double. */
export function showReply(reply: Reply): string {
  switch (reply.type) {
    case "status":
      return `+${reply.value}`;
    case "error":
      return `-${reply.value}`;
    case "integer":
      return `:${reply.value}`;
    case "bulk":
    case "verbatim":
      return JSON.stringify(reply.value);
    case "nil":
      return "nil";
    case "nilarray":
      return "nil*";
    case "array":
      return `[${reply.value.map(showReply).join(",")}]`;
    case "set":
      return `~[${reply.value.map(showReply).join(",")}]`;
    case "push":
      return `>[${reply.value.map(showReply).join(",")}]`;
    case "map":
      return `{${reply.value.map(([key, value]) => `${showReply(key)}:${showReply(value)}`).join(",")}}`;
    case "double":
      return `,${reply.value}`;
    default:
      return JSON.stringify(reply);
  }
}

/** Sends one command on a session's connection and records `argv -> reply` in the transcript. */
export type Call = (...argv: string[]) => Promise<string>;

/** What a scripted session gets: connections that record into one transcript, and the server. */
export interface Session {
  /** The first connection. */
  readonly call: Call;
  /** Opens another connection, its lines marked with `label`. */
  open(label: string): Promise<{ call: Call; connection: RespConnection }>;
  /** Records a line of the scenario's own (a value read some other way). */
  note(line: string): void;
  readonly server: SpawnedServer;
}

/**
 * Runs `scenario` once on a fresh engine and once on a fresh redis-server (started with `args`),
 * stopping each afterwards; returns the transcript of each.
 */
export async function onBothServers(
  args: readonly string[],
  scenario: (session: Session) => Promise<void>,
): Promise<Record<"engine" | "redis", string[]>> {
  const transcripts: Record<"engine" | "redis", string[]> = { engine: [], redis: [] };
  for (const kind of ["engine", "redis"] as const) {
    const server = await spawnServer(kind, args);
    const lines = transcripts[kind];
    const connections: RespConnection[] = [];
    const open = async (label: string): Promise<{ call: Call; connection: RespConnection }> => {
      const connection = await RespConnection.open(server.port);
      connections.push(connection);
      const call: Call = async (...argv) => {
        const reply = showReply(await connection.call(...argv));
        lines.push(`${label}${argv.join(" ")} -> ${reply}`);
        return reply;
      };
      return { call, connection };
    };
    try {
      const first = await open("");
      await scenario({ call: first.call, open, note: (line) => lines.push(line), server });
    } finally {
      for (const connection of connections) connection.close();
      await server.stop();
    }
  }
  return transcripts;
}
