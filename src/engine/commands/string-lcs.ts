// LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN] (Redis 7.0): the longest common
// subsequence of two strings by the classic dynamic-programming table, walked back from the end to
// list the matched ranges (last first), as Redis replies them.
import { ReplyError } from "../errors.ts";
import type { Client } from "../server/context-types.ts";
import { isKeyword, parseInteger } from "./arguments.ts";
import { defineCommand, type CommandSpec } from "./types.ts";

// The table must fit in memory: Redis refuses above UINT32_MAX / 4 cells.
const MAX_CELLS = Math.floor(0xffffffff / 4);

function stringAt(client: Client, key: string): string {
  const value = client.db.get(key);
  if (value === undefined) return "";
  if (typeof value !== "string") throw new ReplyError("ERR The specified keys must contain string values");
  return value;
}

function lcsCommand(client: Client, argv: string[]): void {
  let wantLength = false;
  let wantIndexes = false;
  let withMatchLength = false;
  let minMatchLength = 0;
  for (let index = 3; index < argv.length; index += 1) {
    const option = argv[index] as string;
    if (isKeyword(option, "IDX")) wantIndexes = true;
    else if (isKeyword(option, "LEN")) wantLength = true;
    else if (isKeyword(option, "WITHMATCHLEN")) withMatchLength = true;
    else if (isKeyword(option, "MINMATCHLEN") && index + 1 < argv.length) {
      minMatchLength = Math.max(0, Number(parseInteger(argv[index + 1] as string)));
      index += 1;
    } else throw new ReplyError("ERR syntax error");
  }
  const a = stringAt(client, argv[1] as string);
  const b = stringAt(client, argv[2] as string);
  if (wantLength && wantIndexes)
    throw new ReplyError("ERR If you want both the length and indexes, please just use IDX.");
  const columns = b.length + 1;
  if ((a.length + 1) * columns >= MAX_CELLS)
    throw new ReplyError("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
  // table[i * columns + j] = LCS length of a[0, i) and b[0, j).
  const table = new Uint32Array((a.length + 1) * columns);
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      table[i * columns + j] =
        a.charCodeAt(i - 1) === b.charCodeAt(j - 1)
          ? (table[(i - 1) * columns + j - 1] as number) + 1
          : Math.max(table[(i - 1) * columns + j] as number, table[i * columns + j - 1] as number);
    }
  }
  const total = table[a.length * columns + b.length] as number;
  if (wantLength) {
    client.reply.integer(total);
    return;
  }
  const chars: string[] = new Array<string>(total);
  const ranges: [number, number, number, number][] = [];
  let remaining = total;
  let aStart = a.length; // a.length means "no range open"
  let aEnd = 0;
  let bStart = 0;
  let bEnd = 0;
  let i = a.length;
  let j = b.length;
  while (i > 0 && j > 0) {
    let emit = false;
    if (a.charCodeAt(i - 1) === b.charCodeAt(j - 1)) {
      chars[remaining - 1] = a[i - 1] as string;
      if (aStart === a.length) {
        aStart = aEnd = i - 1;
        bStart = bEnd = j - 1;
      } else if (aStart === i && bStart === j) {
        aStart -= 1;
        bStart -= 1;
      } else emit = true;
      if (aStart === 0 || bStart === 0) emit = true;
      remaining -= 1;
      i -= 1;
      j -= 1;
    } else {
      if ((table[(i - 1) * columns + j] as number) > (table[i * columns + j - 1] as number)) i -= 1;
      else j -= 1;
      if (aStart !== a.length) emit = true;
    }
    if (emit) {
      if (aEnd - aStart + 1 >= minMatchLength) ranges.push([aStart, aEnd, bStart, bEnd]);
      aStart = a.length;
    }
  }
  if (!wantIndexes) {
    client.reply.bulk(chars.join(""));
    return;
  }
  const reply = client.reply;
  reply.map(2);
  reply.bulk("matches");
  reply.array(ranges.length);
  for (const [as, ae, bs, be] of ranges) {
    reply.array(withMatchLength ? 3 : 2);
    reply.array(2);
    reply.integer(as);
    reply.integer(ae);
    reply.array(2);
    reply.integer(bs);
    reply.integer(be);
    if (withMatchLength) reply.integer(ae - as + 1);
  }
  reply.bulk("len");
  reply.integer(total);
}

/** LCS. */
export const STRING_LCS_COMMANDS: readonly CommandSpec[] = [
  defineCommand({
    name: "lcs",
    arity: -3,
    flags: ["readonly"],
    keys: [1, 2, 1],
    categories: ["@read", "@string", "@slow"],
    handler: lcsCommand,
  }),
];
