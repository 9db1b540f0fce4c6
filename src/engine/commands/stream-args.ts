// Argument parsing shared by the stream commands: IDs (strict, "-"/"+", "(" exclusive bounds, "<ms>-*"),
// the XADD / XTRIM trimming options (MAXLEN|MINID [=|~] arg [LIMIT n]), the stream node limits from
// the configuration, and Redis's stream error texts.
import { ERRORS, ReplyError } from "../errors.ts";
import { nextId, parseStreamId, previousId, type ParsedId, type StreamId } from "../keyspace/stream-id.ts";
import type { StreamNodeLimits, TrimRequest } from "../keyspace/stream-value.ts";
import type { Client } from "../server/context-types.ts";
import { parseBigInteger } from "./arguments.ts";

export const STREAM_ERRORS = {
  invalidId: "ERR Invalid stream ID specified as stream command argument",
  invalidStart: "ERR invalid start ID for the interval",
  invalidEnd: "ERR invalid end ID for the interval",
  noGroupForKey: (key: string, group: string) =>
    `NOGROUP No such key '${cText(key)}' or consumer group '${cText(group)}'`,
  noGroupOnKey: (group: string, key: string) =>
    `NOGROUP No such consumer group '${cText(group)}' for key name '${cText(key)}'`,
  subcommandSyntax: (sub: string, command: string) =>
    `ERR unknown subcommand or wrong number of arguments for '${cText(sub).slice(0, 128)}'. Try ${command} HELP.`,
} as const;

/** What a C "%s" prints of a string: up to its first NUL. */
export function cText(text: string): string {
  const end = text.indexOf("\0");
  return end === -1 ? text : text.slice(0, end);
}

/** A strict ID ("-" and "+" refused); the seq defaults to `missingSeq` when only ms is given. */
export function parseStrictId(text: string, missingSeq = 0n): StreamId {
  const parsed = parseStreamId(text, { strict: true, missingSeq });
  if (parsed === null) throw new ReplyError(STREAM_ERRORS.invalidId);
  return parsed.id;
}

/** An ID where "-" and "+" mean the smallest and largest IDs. */
export function parseLooseId(text: string, missingSeq = 0n): StreamId {
  const parsed = parseStreamId(text, { strict: false, missingSeq });
  if (parsed === null) throw new ReplyError(STREAM_ERRORS.invalidId);
  return parsed.id;
}

/** XADD's ID argument: strict, "<ms>-*" allowed. */
export function parseAddId(text: string): ParsedId {
  const parsed = parseStreamId(text, { strict: true, missingSeq: 0n, allowSeqWildcard: true });
  if (parsed === null) throw new ReplyError(STREAM_ERRORS.invalidId);
  return parsed;
}

/** A range start: "(" makes it exclusive (the next ID); an incomplete ID starts at seq 0. */
export function parseRangeStart(text: string): StreamId {
  if (text.length > 1 && text[0] === "(") {
    const next = nextId(parseStrictId(text.slice(1), 0n));
    if (next === null) throw new ReplyError(STREAM_ERRORS.invalidStart);
    return next;
  }
  return parseLooseId(text, 0n);
}

/** A range end: "(" makes it exclusive (the previous ID); an incomplete ID ends at the largest seq. */
export function parseRangeEnd(text: string): StreamId {
  const maxSeq = (1n << 64n) - 1n;
  if (text.length > 1 && text[0] === "(") {
    const previous = previousId(parseStrictId(text.slice(1), maxSeq));
    if (previous === null) throw new ReplyError(STREAM_ERRORS.invalidEnd);
    return previous;
  }
  return parseLooseId(text, maxSeq);
}

/** A long long argument (getLongLongFromObjectOrReply), with an optional custom error. */
export function parseLongLong(text: string, error: string = ERRORS.notInteger): bigint {
  return parseBigInteger(text, error);
}

/** Clamps a long long to a JS number for counts (anything past 2^53 behaves as "very large"). */
export function countOf(value: bigint): number {
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
}

/** A long long as a JS number, clamped to the safe range (idle times and such; exact where it matters). */
export function clampToNumber(value: bigint): number {
  const limit = BigInt(Number.MAX_SAFE_INTEGER);
  return Number(value > limit ? limit : value < -limit ? -limit : value);
}

/** The parsed options of XADD or XTRIM. */
export interface AddTrimArgs {
  trim: TrimRequest | null;
  /** Index in argv of the MAXLEN/MINID argument (for rewriting "~" trims before propagation). */
  trimArgIndex: number;
  noMakeStream: boolean;
  /** XADD: the ID argument's index (the field/value pairs follow it). */
  idIndex: number;
  /** XADD: the explicit ID, or null for "*". */
  id: ParsedId | null;
}

/** Parses XADD / XTRIM options as streamParseAddOrTrimArgsOrReply; `obeyAll` for the AOF client (no LIMIT). */
export function parseAddTrimArgs(
  argv: readonly string[],
  xadd: boolean,
  obeyAll: boolean,
  nodeMaxEntries: number,
): AddTrimArgs {
  const result: AddTrimArgs = { trim: null, trimArgIndex: -1, noMakeStream: false, idIndex: -1, id: null };
  let strategy: "maxlen" | "minid" | null = null;
  let approx = false;
  let maxlen = 0;
  let minid: StreamId = 0n;
  let limit = 0n;
  let limitGiven = false;
  let index = 2;
  for (; index < argv.length; index += 1) {
    const moreArgs = argv.length - 1 - index;
    const option = argv[index] as string;
    const lower = option.toLowerCase();
    if (xadd && option === "*") break;
    if ((lower === "maxlen" || lower === "minid") && moreArgs > 0) {
      if (strategy !== null)
        throw new ReplyError("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
      approx = false;
      const next = argv[index + 1] as string;
      if (moreArgs >= 2 && next === "~") {
        approx = true;
        index += 1;
      } else if (moreArgs >= 2 && next === "=") index += 1;
      const argument = argv[index + 1] as string;
      if (lower === "maxlen") {
        const value = parseLongLong(argument);
        if (value < 0n) throw new ReplyError("ERR The MAXLEN argument must be >= 0.");
        maxlen = countOf(value);
      } else {
        minid = parseStrictId(argument, 0n);
      }
      index += 1;
      strategy = lower;
      result.trimArgIndex = index;
    } else if (lower === "limit" && moreArgs > 0) {
      limit = parseLongLong(argv[index + 1] as string);
      if (limit < 0n) throw new ReplyError("ERR The LIMIT argument must be >= 0.");
      limitGiven = true;
      index += 1;
    } else if (xadd && lower === "nomkstream") {
      result.noMakeStream = true;
    } else if (xadd) {
      result.id = parseAddId(option);
      break;
    } else {
      throw new ReplyError(ERRORS.syntax);
    }
  }
  result.idIndex = index;
  if (limit !== 0n && strategy === null)
    throw new ReplyError("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
  if (!xadd && strategy === null)
    throw new ReplyError("ERR syntax error, XTRIM must be called with a trimming strategy");
  let effectiveLimit: number;
  if (obeyAll) effectiveLimit = 0;
  else if (limitGiven) {
    if (!approx) throw new ReplyError("ERR syntax error, LIMIT cannot be used without the special ~ option");
    effectiveLimit = countOf(limit);
  } else if (approx) {
    const byNodes = 100 * nodeMaxEntries;
    effectiveLimit = byNodes <= 0 ? 10000 : Math.min(byNodes, 1000000);
  } else effectiveLimit = 0;
  if (strategy !== null) result.trim = { strategy, maxlen, minid, approx, limit: effectiveLimit };
  return result;
}

/** stream-node-max-bytes and stream-node-max-entries as configured. */
export function nodeLimits(client: Client): StreamNodeLimits {
  const accepted = client.server.accepted;
  return {
    maxBytes: Number(accepted.get("stream-node-max-bytes") ?? "4096"),
    maxEntries: Number(accepted.get("stream-node-max-entries") ?? "100"),
  };
}
