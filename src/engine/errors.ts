// Error types of the engine: ReplyError for wire errors raised by commands, and the exact Redis
// texts that clients parse. Only the dispatcher turns a ReplyError into `-CODE message`.

/** An error reply: `message` is the full text after '-', starting with its code (ERR, WRONGTYPE, ...). */
export class ReplyError extends Error {
  override readonly name = "ReplyError";
}

/**
 * Persistence that cannot go on (a write or fsync error under appendfsync always): the server logs
 * `logLines`, Redis's own words, and exits without acknowledging the writes it could not persist.
 */
export class FatalPersistenceError extends Error {
  override readonly name = "FatalPersistenceError";
  readonly logLines: readonly string[];

  constructor(logLines: readonly string[]) {
    super(logLines.join(" "));
    this.logLines = logLines;
  }
}

/** Redis's reply texts, kept in one place so they match exactly. */
export const ERRORS = {
  wrongType: "WRONGTYPE Operation against a key holding the wrong kind of value",
  syntax: "ERR syntax error",
  notInteger: "ERR value is not an integer or out of range",
  notFloat: "ERR value is not a valid float",
  overflow: "ERR increment or decrement would overflow",
  noSuchKey: "ERR no such key",
  indexOutOfRange: "ERR index out of range",
  dbIndexOutOfRange: "ERR DB index is out of range",
  noAuth: "NOAUTH Authentication required.",
  wrongPass: "WRONGPASS invalid username-password pair or user is disabled.",
  loading: "LOADING Redis is loading the dataset in memory",
  misconf:
    "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.",
  execAbort: "EXECABORT Transaction discarded because of previous errors.",
  noReplicas: "NOREPLICAS Not enough good replicas to write.",
  nestedMulti: "ERR MULTI calls can not be nested",
  execWithoutMulti: "ERR EXEC without MULTI",
  discardWithoutMulti: "ERR DISCARD without MULTI",
  watchInMulti: "ERR WATCH inside MULTI is not allowed",
  invalidExpire: (command: string) => `ERR invalid expire time in '${command}' command`,
  arity: (command: string) => `ERR wrong number of arguments for '${command}' command`,
  // As Redis's "%.128s" / "'%.*s' " formatting: C strings end at NUL, arguments shown up to 128 bytes in all.
  unknownCommand: (name: string, args: readonly string[]) => {
    let shown = "";
    for (const arg of args) {
      if (shown.length >= 128) break;
      shown += `'${untilNul(arg).slice(0, 128 - shown.length)}' `;
    }
    return `ERR unknown command '${untilNul(name).slice(0, 128)}', with args beginning with: ${shown}`;
  },
  unknownSubcommand: (sub: string, command: string) =>
    `ERR unknown subcommand '${untilNul(sub).slice(0, 128)}'. Try ${command.toUpperCase()} HELP.`,
} as const;

/** The part of a string a C printf would print: up to the first NUL byte. */
function untilNul(text: string): string {
  const end = text.indexOf("\0");
  return end === -1 ? text : text.slice(0, end);
}

/** Normalises any thrown value to an Error (every catch goes through this). */
export function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
