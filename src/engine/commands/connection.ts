// Connection commands: PING ECHO QUIT RESET HELLO AUTH SELECT CLIENT.
import { ERRORS, ReplyError } from "../errors.ts";
import { parseInteger, isKeyword } from "./arguments.ts";
import { defineCommand, type CommandSpec } from "./types.ts";
import type { Client } from "../server/context-types.ts";
import { clientUnblockCommand } from "./client-unblock.ts";
import { releaseClientModes } from "../server/client-modes.ts";
import { inSubscribedMode } from "./pubsub.ts";
import { clientCaching, clientGetRedir, clientTracking, clientTrackingInfo } from "./client-tracking.ts";

const SERVER_VERSION = "7.0.15";

/** Selects a database by index text; throws Redis's errors. */
export function selectDatabase(client: Client, indexText: string): void {
  const index = parseInteger(indexText, "ERR value is not an integer or out of range");
  if (index < 0 || index >= client.server.settings.databases) throw new ReplyError(ERRORS.dbIndexOutOfRange);
  client.db = client.server.keyspace.database(index);
}

// AUTH [user] pass / HELLO AUTH: against the ACL users (the default user follows requirepass).
function checkPassword(client: Client, username: string, password: string, oneArgument: boolean): void {
  const users = client.server.acl;
  if (oneArgument && users.defaultUserNeedsNoAuth()) {
    throw new ReplyError(
      "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?",
    );
  }
  if (!users.checkPassword(username, password)) throw new ReplyError(ERRORS.wrongPass);
  client.user = username;
  client.authenticated = true;
}

function writeHello(client: Client): void {
  const reply = client.reply;
  reply.map(7);
  reply.bulk("server");
  reply.bulk("redis");
  reply.bulk("version");
  reply.bulk(SERVER_VERSION);
  reply.bulk("proto");
  reply.integer(reply.protocol);
  reply.bulk("id");
  reply.integer(client.id);
  reply.bulk("mode");
  reply.bulk("standalone");
  reply.bulk("role");
  reply.bulk("master");
  reply.bulk("modules");
  reply.array(0);
}

// As Redis's clearClientConnectionState: MONITOR, tracking, database, protocol, user, MULTI, Pub/Sub, name.
function resetClient(client: Client): void {
  releaseClientModes(client);
  client.multi = null;
  client.multiError = false;
  client.server.watches.unwatchAll(client);
  client.db = client.server.keyspace.database(0);
  client.reply.protocol = 2;
  client.name = "";
  client.user = "default";
  client.authenticated = client.server.acl.defaultUserNeedsNoAuth();
}

const CLIENT_SUBCOMMANDS: Record<string, (client: Client, argv: string[]) => void> = {
  setname: (client, argv) => {
    if (argv.length !== 3) throw new ReplyError(ERRORS.arity("client|setname"));
    const name = argv[2] as string;
    if (/[\s]/.test(name) || [...name].some((ch) => ch < "!" || ch > "~")) {
      throw new ReplyError("ERR Client names cannot contain spaces, newlines or special characters.");
    }
    client.name = name;
    client.reply.ok();
  },
  getname: (client) => client.reply.bulkOrNil(client.name === "" ? null : client.name),
  id: (client) => client.reply.integer(client.id),
  info: (client) => client.reply.verbatim(client.describe(Date.now()) + "\n"),
  list: (client) => {
    const now = Date.now();
    const lines = [...client.server.clients.values()].map((other) => other.describe(now) + "\n");
    client.reply.verbatim(lines.join(""));
  },
  setinfo: (client, argv) => {
    if (argv.length !== 4) throw new ReplyError(ERRORS.arity("client|setinfo"));
    if (isKeyword(argv[2], "LIB-NAME")) client.libName = argv[3] as string;
    else if (isKeyword(argv[2], "LIB-VER")) client.libVersion = argv[3] as string;
    else throw new ReplyError(`ERR Unrecognized option '${argv[2] as string}'`);
    client.reply.ok();
  },
  kill: (client, argv) => {
    let killed = 0;
    const target = argv.length === 3 ? ["ADDR", argv[2] as string] : argv.slice(2);
    for (const other of client.server.clients.values()) {
      for (let index = 0; index + 1 < target.length; index += 2) {
        const filter = (target[index] as string).toUpperCase();
        const value = target[index + 1] as string;
        if ((filter === "ID" && String(other.id) === value) || (filter === "ADDR" && other.remoteAddress === value)) {
          other.socket?.destroy();
          killed += 1;
        }
      }
    }
    if (argv.length === 3) {
      if (killed === 0) throw new ReplyError("ERR No such client");
      client.reply.ok();
    } else {
      client.reply.integer(killed);
    }
  },
  "no-evict": (client) => client.reply.ok(),
  "no-touch": (client) => client.reply.ok(),
  reply: (client) => client.reply.ok(),
  unblock: clientUnblockCommand,
  tracking: clientTracking,
  caching: clientCaching,
  getredir: clientGetRedir,
  trackinginfo: clientTrackingInfo,
};

/** Connection command specs. */
export const CONNECTION_COMMANDS: readonly CommandSpec[] = [
  defineCommand({
    name: "ping",
    arity: -1,
    flags: ["fast", "stale"],
    handler: (client, argv) => {
      if (argv.length > 2) throw new ReplyError(ERRORS.arity("ping"));
      if (inSubscribedMode(client)) {
        // RESP2 subscribed mode: PING answers in the shape of a Pub/Sub message.
        client.reply.array(2);
        client.reply.bulk("pong");
        client.reply.bulk(argv.length === 2 ? (argv[1] as string) : "");
      } else if (argv.length === 2) client.reply.bulk(argv[1] as string);
      else client.reply.status("PONG");
    },
  }),
  defineCommand({
    name: "echo",
    arity: 2,
    flags: ["fast"],
    handler: (client, argv) => client.reply.bulk(argv[1] as string),
  }),
  defineCommand({
    name: "quit",
    arity: -1,
    flags: ["no_auth", "loading", "stale", "fast", "allow_busy"],
    handler: (client) => {
      client.reply.ok();
      client.closeAfterReply = true;
    },
  }),
  defineCommand({
    name: "reset",
    arity: 1,
    flags: ["no_auth", "loading", "stale", "fast", "noscript"],
    handler: (client) => {
      resetClient(client);
      client.reply.status("RESET");
    },
  }),
  defineCommand({
    name: "auth",
    arity: -2,
    flags: ["no_auth", "loading", "stale", "fast", "noscript"],
    handler: (client, argv) => {
      if (argv.length > 3) throw new ReplyError(ERRORS.syntax);
      const [username, password] =
        argv.length === 3 ? [argv[1] as string, argv[2] as string] : ["default", argv[1] as string];
      checkPassword(client, username, password, argv.length === 2);
      client.reply.ok();
    },
  }),
  defineCommand({
    name: "hello",
    arity: -1,
    flags: ["no_auth", "loading", "stale", "fast", "noscript"],
    handler: (client, argv) => {
      let protocol = client.reply.protocol;
      let index = 1;
      if (argv.length >= 2) {
        const version = Number(argv[1]);
        if (!/^\d+$/.test(argv[1] as string))
          throw new ReplyError("ERR Protocol version is not an integer or out of range");
        if (version < 2 || version > 3) throw new ReplyError("NOPROTO unsupported protocol version");
        protocol = version as 2 | 3;
        index = 2;
      }
      let name: string | null = null;
      for (; index < argv.length; index += 1) {
        const option = (argv[index] as string).toUpperCase();
        if (option === "AUTH" && index + 2 < argv.length) {
          checkPassword(client, argv[index + 1] as string, argv[index + 2] as string, false);
          index += 2;
        } else if (option === "SETNAME" && index + 1 < argv.length) {
          name = argv[index + 1] as string;
          index += 1;
        } else {
          throw new ReplyError(`ERR Syntax error in HELLO option '${argv[index] as string}'`);
        }
      }
      if (!client.authenticated) {
        throw new ReplyError(
          "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time",
        );
      }
      if (name !== null) client.name = name;
      client.reply.protocol = protocol;
      writeHello(client);
    },
  }),
  defineCommand({
    name: "select",
    arity: 2,
    flags: ["loading", "stale", "fast"],
    handler: (client, argv) => {
      selectDatabase(client, argv[1] as string);
      client.reply.ok();
    },
  }),
  defineCommand({
    name: "client",
    arity: -2,
    flags: ["loading", "stale"],
    handler: (client, argv) => {
      const sub = (argv[1] as string).toLowerCase();
      const handler = CLIENT_SUBCOMMANDS[sub];
      if (handler === undefined) throw new ReplyError(ERRORS.unknownSubcommand(argv[1] as string, "client"));
      handler(client, argv);
    },
  }),
];
