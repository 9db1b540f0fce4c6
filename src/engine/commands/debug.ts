// DEBUG and its subcommands, with Redis 7.0's replies (the ones Redis's own test units use:
// DIGEST, DIGEST-VALUE, OBJECT, LOADAOF, SLEEP, SET-ACTIVE-EXPIRE, POPULATE, PROTOCOL, ...).
// RELOAD comes from commands/persistence-rdb.ts, LOADAOF and AOF-FLUSH-SLEEP reach the AOF through the persistence hooks.
import { ReplyError } from "../errors.ts";
import { encodingOf } from "../keyspace/encoding.ts";
import { isRawString } from "../bitmaps/string-annotations.ts";
import { ListValue } from "../keyspace/values.ts";
import { RdbByteWriter } from "../persistence/rdb/byte-writer.ts";
import { writeKeyValue } from "../persistence/rdb/value-encoder.ts";
import type { Client } from "../server/context-types.ts";
import { parseFloatArg } from "./arguments.ts";
import { datasetDigest, valueDigest } from "./debug-digest.ts";
import { debugReload } from "./persistence-rdb.ts";
import { defineCommand, type CommandSpec } from "./types.ts";

type DebugHandler = (client: Client, argv: string[]) => void;

/** Blocks the event loop like Redis's DEBUG SLEEP (the whole server stops). */
export function sleepSync(milliseconds: number): void {
  if (milliseconds <= 0) return;
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, milliseconds);
}

const HELP = [
  "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "AOF-FLUSH-SLEEP <microsec>",
  "    Server will sleep before flushing the AOF, this is used for testing.",
  "CHANGE-REPL-ID",
  "    Change the replication IDs of the instance.",
  "DIGEST",
  "    Output a hex signature representing the current DB content.",
  "DIGEST-VALUE <key> [<key> ...]",
  "    Output a hex signature of the values of all the specified keys.",
  "HTSTATS <dbid>",
  "    Output statistics about the internal hash tables of a database.",
  "HTSTATS-KEY <key>",
  "    Like HTSTATS but for the hash table stored at <key>'s value.",
  "JMAP",
  "    Accepted for compatibility; does nothing.",
  "LOADAOF",
  "    Flush the AOF buffers on disk and reload the AOF in memory.",
  "LOG <message>",
  "    Write <message> to the server log.",
  "OBJECT <key>",
  "    Show low level info about the <key> and associated value.",
  "PAUSE-CRON <0|1>",
  "    Stop periodic cron job processing.",
  "POPULATE <count> [<prefix>] [<size>]",
  "    Create <count> string keys named key:<num>. If <prefix> is specified then",
  "    it is used instead of the 'key' prefix. These are not propagated to",
  "    replicas. Cluster slots are not respected so keys not belonging to the",
  "    current node can be created in cluster mode.",
  "PROTOCOL <type>",
  "    Reply with a test value of the specified type. <type> can be: string,",
  "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
  "    true, false.",
  "QUICKLIST-PACKED-THRESHOLD <size>",
  "    Sets the threshold for elements to be inserted as plain vs packed nodes",
  "    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.",
  "RELOAD [option ...]",
  "    Save the RDB on disk and reload it back to memory. Valid <option> values:",
  "    * MERGE: conflicting keys will be loaded from RDB.",
  "    * NOFLUSH: the existing database will not be removed before load, but",
  "      conflicting keys will generate an exception and kill the server.",
  "    * NOSAVE: the database will be loaded from an existing RDB file.",
  "    Examples:",
  "    * DEBUG RELOAD: verify that the server is able to persist, flush and reload",
  "      the database.",
  "    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an",
  "      existing RDB file.",
  "    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB",
  "      file to the database.",
  "SET-ACTIVE-EXPIRE <0|1>",
  "    Setting it to 0 disables expiring keys in background when they are not",
  "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
  "    default.",
  "SLEEP <seconds>",
  "    Stop the server for <seconds>. Decimals allowed.",
  "STRINGMATCH-LEN <pattern> <len>",
  "    Run a fuzz tester against the stringmatchlen() function.",
  "HELP",
  "    Prints this help.",
];

// C's atoi: leading digits with an optional sign, 0 when none.
function atoi(text: string): number {
  const match = /^\s*([+-]?\d+)/.exec(text);
  return match === null ? 0 : Number.parseInt(match[1] as string, 10);
}

// addReplySubcommandSyntaxError's text, which DEBUG answers for an unknown name or a wrong count.
const syntaxError = (sub: string): ReplyError =>
  new ReplyError(`ERR unknown subcommand or wrong number of arguments for '${sub.slice(0, 128)}'. Try DEBUG HELP.`);

function wantArgs(argv: string[], count: number): void {
  if (argv.length !== count) throw syntaxError(argv[1] as string);
}

// A stable pseudo address per key ("Value at:0x..."): it stays the same while the key is modified in place.
function pseudoAddress(dbIndex: number, key: string): string {
  let hash = 0x811c9dc5;
  const text = `${dbIndex}\u0000${key}`;
  for (let index = 0; index < text.length; index += 1)
    hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193) >>> 0;
  return `0x7f${hash.toString(16).padStart(8, "0")}0`;
}

function debugObject(client: Client, argv: string[]): void {
  wantArgs(argv, 3);
  const key = argv[2] as string;
  const value = client.db.dict.get(key);
  if (value === undefined) throw new ReplyError("ERR no such key");
  const settings = client.server.settings;
  const encoding =
    typeof value === "string" && isRawString(client.server.keyspace, client.db, key)
      ? "raw"
      : encodingOf(value, settings);
  const writer = new RdbByteWriter({ compression: settings.rdbcompression });
  writeKeyValue(writer, "", value, settings);
  const serialized = writer.view().length - 2; // minus the type byte and the empty key's length byte
  let extra = "";
  if (value instanceof ListValue) {
    const nodes = Math.max(1, Math.ceil(value.length / 128));
    extra =
      ` ql_nodes:${nodes} ql_avg_node:${(value.length / nodes).toFixed(2)} ql_listpack_max:${settings.listMaxListpackSize}` +
      ` ql_compressed:${settings.listCompressDepth !== 0 ? 1 : 0} ql_uncompressed_size:${serialized}`;
  }
  const lru = Math.floor(Date.now() / 1000) & 0xffffff;
  client.reply.status(
    `Value at:${pseudoAddress(client.dbIndex, key)} refcount:1 encoding:${encoding} serializedlength:${serialized} lru:${lru} lru_seconds_idle:0${extra}`,
  );
}

// dictGetStats's shape for a table of `size` entries (the engine's dicts are JS Maps; the figures
// describe a power-of-two table as Redis would size it).
function tableStats(name: string, size: number): string {
  if (size === 0) return `No stats available for empty dictionaries\n`;
  let buckets = 4;
  while (buckets < size) buckets *= 2;
  return (
    `Hash table 0 stats (${name}):\n` +
    ` table size: ${buckets}\n` +
    ` number of elements: ${size}\n` +
    ` different slots: ${Math.min(size, buckets)}\n` +
    ` max chain length: 1\n` +
    ` avg chain length (counted): 1.00\n` +
    ` avg chain length (computed): 1.00\n` +
    ` Chain length distribution:\n` +
    `   0: ${buckets - Math.min(size, buckets)} (${(((buckets - Math.min(size, buckets)) / buckets) * 100).toFixed(2)}%)\n` +
    `   1: ${Math.min(size, buckets)} (${((Math.min(size, buckets) / buckets) * 100).toFixed(2)}%)\n`
  );
}

function debugProtocol(client: Client, argv: string[]): void {
  wantArgs(argv, 3);
  const reply = client.reply;
  const resp3 = client.reply.protocol === 3;
  switch ((argv[2] as string).toLowerCase()) {
    case "string":
      return reply.bulk("Hello World");
    case "integer":
      return reply.integer(12345);
    case "double":
      return reply.double(3.141);
    case "bignum":
      return reply.raw(
        resp3 ? "(1234567999999999999999999999999999999\r\n" : "$37\r\n1234567999999999999999999999999999999\r\n",
      );
    case "null":
      return reply.nil();
    case "array":
      reply.array(3);
      for (let index = 0; index < 3; index += 1) reply.integer(index);
      return;
    case "set":
      reply.set(3);
      for (let index = 0; index < 3; index += 1) reply.integer(index);
      return;
    case "map":
      reply.map(3);
      for (let index = 0; index < 3; index += 1) {
        reply.integer(index);
        reply.raw(resp3 ? (index === 1 ? "#t\r\n" : "#f\r\n") : index === 1 ? ":1\r\n" : ":0\r\n");
      }
      return;
    case "attrib":
      if (resp3) reply.raw("|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n");
      return reply.bulk("Some real reply following the attribute");
    case "push":
      if (!resp3) throw new ReplyError("ERR RESP2 is not supported by this command");
      reply.raw(">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n");
      return reply.bulk("Some real reply following the push reply");
    case "true":
      return reply.raw(resp3 ? "#t\r\n" : ":1\r\n");
    case "false":
      return reply.raw(resp3 ? "#f\r\n" : ":0\r\n");
    case "verbatim":
      return reply.verbatim("This is a verbatim\nstring");
    default:
      throw new ReplyError(
        "ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false",
      );
  }
}

function debugPopulate(client: Client, argv: string[]): void {
  if (argv.length < 3 || argv.length > 5) throw syntaxError(argv[1] as string);
  const positive = (text: string): number => {
    if (!/^-?\d+$/.test(text)) throw new ReplyError("ERR value is not an integer or out of range");
    const number = Number(text);
    if (number < 0) throw new ReplyError("ERR value is out of range, must be positive");
    return number;
  };
  const count = positive(argv[2] as string);
  const valueSize = argv.length === 5 ? positive(argv[4] as string) : 0;
  const prefix = argv.length === 3 ? "key" : (argv[3] as string);
  const db = client.db;
  for (let index = 0; index < count; index += 1) {
    const key = `${prefix}:${index}`;
    if (db.has(key)) continue;
    let value = `value:${index}`;
    if (valueSize !== 0)
      value = value.length >= valueSize ? value.slice(0, valueSize) : value + "\u0000".repeat(valueSize - value.length);
    db.set(key, value);
  }
  client.reply.ok();
}

// DEBUG LOADAOF: the reply waits for the load; meanwhile the server answers -LOADING, as while starting.
function debugLoadAof(client: Client): void {
  const context = client.server;
  const control = context.persistence.aof;
  if (control === null) throw new ReplyError("ERR AOF persistence is not installed");
  context.loading = true;
  client.socket?.pause();
  control.reloadFromFiles().then(
    () => {
      context.loading = false;
      client.reply.ok();
      client.socket?.resume();
      context.wakeClient(client);
    },
    (error: unknown) => {
      // As Redis, which exits when the AOF it just wrote cannot be loaded back.
      context.log.warning(`DEBUG LOADAOF: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}

/** DEBUG subcommand handlers by lowercase name. */
const DEBUG_SUBCOMMANDS: ReadonlyMap<string, DebugHandler> = new Map<string, DebugHandler>([
  ["reload", debugReload],
  [
    "help",
    (client) => {
      client.reply.array(HELP.length);
      for (const line of HELP) client.reply.status(line);
    },
  ],
  [
    "sleep",
    (client, argv) => {
      wantArgs(argv, 3);
      sleepSync(parseFloatArg(argv[2] as string) * 1000);
      client.reply.ok();
    },
  ],
  [
    "set-skip-checksum-validation",
    (client, argv) => {
      wantArgs(argv, 3);
      client.server.skipDumpChecksum = atoi(argv[2] as string) !== 0;
      client.reply.ok();
    },
  ],
  [
    "set-active-expire",
    (client, argv) => {
      wantArgs(argv, 3);
      client.server.activeExpireEnabled = atoi(argv[2] as string) !== 0;
      client.reply.ok();
    },
  ],
  [
    "pause-cron",
    (client, argv) => {
      wantArgs(argv, 3);
      client.server.cronPaused = atoi(argv[2] as string) !== 0;
      client.reply.ok();
    },
  ],
  [
    "aof-flush-sleep",
    (client, argv) => {
      wantArgs(argv, 3);
      const control = client.server.persistence.aof;
      if (control !== null) control.flushSleepUs = Math.max(0, atoi(argv[2] as string));
      client.reply.ok();
    },
  ],
  ["jmap", (client) => client.reply.ok()],
  [
    "log",
    (client, argv) => {
      wantArgs(argv, 3);
      client.server.log.warning(`DEBUG LOG: ${argv[2] as string}`);
      client.reply.ok();
    },
  ],
  [
    "digest",
    (client, argv) => {
      wantArgs(argv, 2);
      client.reply.status(datasetDigest(client.server.keyspace, client.server.settings.databases));
    },
  ],
  [
    "digest-value",
    (client, argv) => {
      client.reply.array(argv.length - 2);
      for (const key of argv.slice(2)) client.reply.status(valueDigest(client.db, key));
    },
  ],
  ["object", debugObject],
  ["protocol", debugProtocol],
  ["populate", debugPopulate],
  ["loadaof", debugLoadAof],
  [
    "quicklist-packed-threshold",
    (client, argv) => {
      wantArgs(argv, 3);
      const match = /^(\d+)(b|k|kb|m|mb|g|gb)?$/i.exec(argv[2] as string);
      const units: Record<string, number> = { b: 1, k: 1000, kb: 1024, m: 1e6, mb: 1024 ** 2, g: 1e9, gb: 1024 ** 3 };
      const bytes = match === null ? Number.NaN : Number(match[1]) * (units[(match[2] ?? "b").toLowerCase()] as number);
      // As quicklistisSetPackedThreshold: anything up to 4 GB - 1 MB (1b included; 0 restores the default).
      if (!(bytes >= 0 && bytes <= 4 * 1024 ** 3 - 1024 ** 2)) {
        throw new ReplyError("ERR argument must be a memory value bigger than 1 and smaller than 4gb");
      }
      client.reply.ok();
    },
  ],
  [
    "htstats",
    (client, argv) => {
      wantArgs(argv, 3);
      const text = argv[2] as string;
      if (!/^-?\d+$/.test(text)) throw new ReplyError("ERR value is not an integer or out of range");
      const index = Number(text);
      if (index < 0 || index >= client.server.settings.databases) throw new ReplyError("ERR Out of range database");
      const db = client.server.keyspace.database(index);
      client.reply.verbatim(
        `[Dictionary HT]\n${tableStats("main hash table", db.dict.size)}[Expires HT]\n${tableStats("main hash table", db.expires.size)}`,
      );
    },
  ],
  [
    "htstats-key",
    (client, argv) => {
      wantArgs(argv, 3);
      const value = client.db.get(argv[2] as string);
      if (value === undefined) throw new ReplyError("ERR no such key");
      const encoding = encodingOf(value, client.server.settings);
      if (encoding !== "hashtable" && encoding !== "skiplist") {
        throw new ReplyError("ERR The value stored at the specified key is not represented using an hash table");
      }
      const size =
        value instanceof Map || value instanceof Set
          ? value.size
          : typeof value === "string" || value instanceof ListValue
            ? 0
            : value.length;
      client.reply.verbatim(tableStats("main hash table", size));
    },
  ],
  [
    "change-repl-id",
    (client, argv) => {
      wantArgs(argv, 2);
      client.server.log.warning("Changing replication IDs after receiving DEBUG change-repl-id");
      client.reply.ok();
    },
  ],
  [
    "stringmatch-len",
    (client) => {
      // Redis fuzzes its own C glob matcher here; the engine's matcher is JS and cannot overrun.
      client.reply.status("OK");
    },
  ],
]);

/** DEBUG command spec. */
export const DEBUG_COMMANDS: readonly CommandSpec[] = [
  defineCommand({
    name: "debug",
    arity: -2,
    flags: ["admin", "noscript", "loading", "stale"],
    // enable-debug-command is checked by the dispatcher before the call (as Redis's processCommand).
    handler: (client, argv) => {
      const handler = DEBUG_SUBCOMMANDS.get((argv[1] as string).toLowerCase());
      if (handler === undefined) throw syntaxError(argv[1] as string);
      handler(client, argv);
    },
  }),
];
