// Stream commands in process (Node and Deno): Redis 7.0.15's exact replies and errors (each row was
// checked against a real redis-server 7.0.15), RESP3 shapes, and what each write propagates to the
// AOF: XADD with the ID it generated, "~" trims as "=" of their result, XREADGROUP / XCLAIM / XAUTOCLAIM
// as XCLAIM ... LASTID and XGROUP SETID / CREATECONSUMER, several at once inside MULTI/EXEC.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startInProcess, type InProcessServer } from "../../helpers/in-process-server.ts";
import type { Reply, RespConnection } from "../../helpers/resp-client.ts";

/** A compact rendering of a reply: +status -error :int "bulk" nil nil* [array] {map}. */
function show(reply: Reply): string {
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
      return `[${reply.value.map(show).join(",")}]`;
    case "map":
      return `{${reply.value.map(([key, value]) => `${show(key)}:${show(value)}`).join(",")}}`;
    default:
      return JSON.stringify(reply);
  }
}

let engine: InProcessServer;
let connection: RespConnection;

const run = async (...argv: string[]): Promise<string> => show(await connection.call(...argv));

/** Runs [argv..., expected] rows in order. */
async function expectReplies(rows: readonly (readonly string[])[]): Promise<void> {
  for (const row of rows) {
    const argv = row.slice(0, -1);
    expect({ argv, reply: await run(...argv) }).toEqual({ argv, reply: row.at(-1) });
  }
}

const propagated = (): string[][] => engine.propagated.map(({ argv }) => argv);

beforeAll(async () => {
  engine = await startInProcess();
  connection = await engine.connect();
});

afterAll(async () => {
  await engine?.stop();
});

beforeEach(async () => {
  await run("RESET");
  await run("FLUSHALL");
  await run("CONFIG", "SET", "stream-node-max-entries", "100");
  engine.propagated.length = 0;
});

describe("stream replies as redis-server 7.0.15 gives them", () => {
  it("XADD, XRANGE, XREVRANGE, XLEN, XDEL, XTRIM, XSETID, IDs and their errors", async () => {
    await expectReplies([
      ["XADD", "s", "1-1", "a", "1", "b", "2", '"1-1"'],
      [
        "XADD",
        "s",
        "1-1",
        "a",
        "1",
        "-ERR The ID specified in XADD is equal or smaller than the target stream top item",
      ],
      ["XADD", "s", "1", "c", "3", "-ERR The ID specified in XADD is equal or smaller than the target stream top item"],
      ["XADD", "s", "1-*", "d", "4", '"1-2"'],
      ["XADD", "s", "0-0", "a", "1", "-ERR The ID specified in XADD must be greater than 0-0"],
      ["XADD", "s", "MAXLEN", "2", "3-0", "e", "5", '"3-0"'],
      ["XADD", "s", "5-0", "f", "-ERR wrong number of arguments for 'xadd' command"],
      ["XADD", "s", "MINID", "abc", "6-0", "f", "v", "-ERR Invalid stream ID specified as stream command argument"],
      ["XADD", "s", "MAXLEN", "-1", "6-0", "f", "v", "-ERR The MAXLEN argument must be >= 0."],
      [
        "XADD",
        "s",
        "LIMIT",
        "5",
        "6-0",
        "f",
        "v",
        "-ERR syntax error, LIMIT cannot be used without specifying a trimming strategy",
      ],
      [
        "XADD",
        "s",
        "MAXLEN",
        "=",
        "5",
        "LIMIT",
        "5",
        "6-0",
        "f",
        "v",
        "-ERR syntax error, LIMIT cannot be used without the special ~ option",
      ],
      [
        "XADD",
        "s",
        "MAXLEN",
        "5",
        "MINID",
        "1",
        "6-0",
        "f",
        "v",
        "-ERR syntax error, MAXLEN and MINID options at the same time are not compatible",
      ],
      ["XADD", "nokey", "NOMKSTREAM", "*", "a", "b", "nil"],
      ["EXISTS", "nokey", ":0"],
      ["XRANGE", "s", "-", "+", '[["1-2",["d","4"]],["3-0",["e","5"]]]'],
      ["XREVRANGE", "s", "+", "-", "COUNT", "1", '[["3-0",["e","5"]]]'],
      ["XRANGE", "s", "(1-1", "+", '[["1-2",["d","4"]],["3-0",["e","5"]]]'],
      ["XRANGE", "s", "-", "(3-0", '[["1-2",["d","4"]]]'],
      ["XRANGE", "s", "(18446744073709551615-18446744073709551615", "+", "-ERR invalid start ID for the interval"],
      ["XRANGE", "s", "-", "(0-0", "-ERR invalid end ID for the interval"],
      ["XRANGE", "s", "-", "+", "COUNT", "0", "nil*"],
      ["XRANGE", "s", "-", "+", "COUNT", "-5", "nil*"],
      ["XRANGE", "s", "-", "+", "FOO", "-ERR syntax error"],
      ["XRANGE", "s", "x", "+", "-ERR Invalid stream ID specified as stream command argument"],
      ["XRANGE", "missing", "-", "+", "[]"],
      ["XLEN", "s", ":2"],
      ["XLEN", "missing", ":0"],
      ["XDEL", "s", "2-0", "3-0", "nope", "-ERR Invalid stream ID specified as stream command argument"],
      ["XDEL", "s", "2-0", "3-0", ":1"],
      ["XDEL", "missing", "bad", ":0"],
      ["XLEN", "s", ":1"],
      ["XTRIM", "s", "MAXLEN", "0", ":1"],
      ["XTRIM", "s", "-ERR wrong number of arguments for 'xtrim' command"],
      ["XTRIM", "s", "LIMIT", "1", "-ERR syntax error, LIMIT cannot be used without specifying a trimming strategy"],
      ["XTRIM", "s", "MAXLEN", "~", "0", "LIMIT", "1", ":0"],
      ["XSETID", "s", "1-0", "+OK"],
      [
        "XSETID",
        "s",
        "10-0",
        "ENTRIESADDED",
        "1",
        "MAXDELETEDID",
        "11-0",
        "-ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id",
      ],
      ["XSETID", "s", "10-0", "ENTRIESADDED", "-1", "-ERR entries_added must be positive"],
      ["XSETID", "s", "10-0", "ENTRIESADDED", "5", "MAXDELETEDID", "9-0", "+OK"],
      ["XSETID", "missing", "10-0", "-ERR no such key"],
      [
        "XINFO",
        "STREAM",
        "s",
        '["length",:0,"radix-tree-keys",:0,"radix-tree-nodes",:1,"last-generated-id","10-0","max-deleted-entry-id","9-0","entries-added",:5,"recorded-first-entry-id","0-0","groups",:0,"first-entry",nil,"last-entry",nil]',
      ],
      ["SET", "str", "x", "+OK"],
      ["XADD", "str", "*", "a", "b", "-WRONGTYPE Operation against a key holding the wrong kind of value"],
      ["XRANGE", "str", "-", "+", "-WRONGTYPE Operation against a key holding the wrong kind of value"],
      ["TYPE", "s", "+stream"],
      ["OBJECT", "ENCODING", "s", '"stream"'],
      [
        "XADD",
        "big",
        "18446744073709551615-18446744073709551615",
        "a",
        "b",
        '"18446744073709551615-18446744073709551615"',
      ],
      ["XADD", "big", "*", "a", "b", "-ERR The stream has exhausted the last possible ID, unable to add more items"],
      ["XADD", "ov", "1-18446744073709551615", "a", "b", '"1-18446744073709551615"'],
      ["XADD", "ov", "1-*", "a", "b", "-ERR Elements are too large to be stored"],
      ["XADD", "s", "-", "a", "b", "-ERR Invalid stream ID specified as stream command argument"],
      ["XADD", "s", "+", "a", "b", "-ERR Invalid stream ID specified as stream command argument"],
      [
        "XADD",
        "s",
        "007-1",
        "a",
        "b",
        "-ERR The ID specified in XADD is equal or smaller than the target stream top item",
      ],
      ["XADD", "s", " 12-1", "a", "b", '"12-1"'],
      ["XADD", "s", "18446744073709551616-1", "a", "b", "-ERR Invalid stream ID specified as stream command argument"],
      ["XRANGE", "s", "-", "-", "[]"],
      ["XRANGE", "s", "+", "+", "[]"],
      ["XRANGE", "s", "(-", "+", "-ERR Invalid stream ID specified as stream command argument"],
    ]);
  });

  it("consumer groups: XGROUP, XREADGROUP, XREAD, XPENDING, XACK, XCLAIM, XAUTOCLAIM, XINFO (RESP2, then RESP3)", async () => {
    await expectReplies([
      ["XADD", "s", "1-0", "a", "1", '"1-0"'],
      ["XADD", "s", "2-0", "b", "2", '"2-0"'],
      ["XADD", "s", "3-0", "c", "3", '"3-0"'],
      ["XADD", "s", "4-0", "d", "4", '"4-0"'],
      ["XGROUP", "CREATE", "s", "g", "0", "+OK"],
      ["XGROUP", "CREATE", "s", "g", "0", "-BUSYGROUP Consumer Group name already exists"],
      [
        "XGROUP",
        "CREATE",
        "nokey",
        "g",
        "0",
        "-ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.",
      ],
      [
        "XGROUP",
        "CREATE",
        "nokey",
        "g",
        "$",
        "MKSTREAM",
        "ENTRIESREAD",
        "-2",
        "-ERR value for ENTRIESREAD must be positive or -1",
      ],
      [
        "XGROUP",
        "CREATE",
        "nokey",
        "g",
        "$",
        "MKSTREAM",
        "BAD",
        "-ERR unknown subcommand or wrong number of arguments for 'CREATE'. Try XGROUP HELP.",
      ],
      ["XGROUP", "CREATE", "s", "g2", "$", "ENTRIESREAD", "3", "+OK"],
      ["XGROUP", "CREATE", "s", "-ERR wrong number of arguments for 'xgroup|create' command"],
      ["XGROUP", "FOO", "s", "g", "-ERR unknown subcommand 'FOO'. Try XGROUP HELP."],
      ["XGROUP", "SETID", "s", "nog", "0", "-NOGROUP No such consumer group 'nog' for key name 's'"],
      ["XGROUP", "CREATECONSUMER", "s", "g", "c0", ":1"],
      ["XGROUP", "CREATECONSUMER", "s", "g", "c0", ":0"],
      [
        "XREADGROUP",
        "GROUP",
        "g",
        "alice",
        "COUNT",
        "2",
        "STREAMS",
        "s",
        ">",
        '[["s",[["1-0",["a","1"]],["2-0",["b","2"]]]]]',
      ],
      ["XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">", '[["s",[["3-0",["c","3"]],["4-0",["d","4"]]]]]'],
      ["XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">", "nil*"],
      ["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0", '[["s",[["1-0",["a","1"]],["2-0",["b","2"]]]]]'],
      [
        "XREADGROUP",
        "GROUP",
        "g",
        "alice",
        "STREAMS",
        "s",
        "$",
        "-ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.",
      ],
      [
        "XREADGROUP",
        "GROUP",
        "nog",
        "alice",
        "STREAMS",
        "s",
        ">",
        "-NOGROUP No such key 's' or consumer group 'nog' in XREADGROUP with GROUP option",
      ],
      ["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "-ERR wrong number of arguments for 'xreadgroup' command"],
      [
        "XREADGROUP",
        "STREAMS",
        "s",
        ">",
        "x",
        "y",
        "z",
        "-ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.",
      ],
      [
        "XREAD",
        "GROUP",
        "g",
        "alice",
        "STREAMS",
        "s",
        ">",
        "-ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.",
      ],
      [
        "XREAD",
        "STREAMS",
        "s",
        ">",
        "-ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.",
      ],
      [
        "XREAD",
        "NOACK",
        "STREAMS",
        "s",
        "0",
        "-ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.",
      ],
      [
        "XREAD",
        "COUNT",
        "2",
        "STREAMS",
        "s",
        "s",
        "0",
        "2-0",
        '[["s",[["1-0",["a","1"]],["2-0",["b","2"]]]],["s",[["3-0",["c","3"]],["4-0",["d","4"]]]]]',
      ],
      [
        "XREAD",
        "STREAMS",
        "s",
        "missing",
        "0",
        "0",
        '[["s",[["1-0",["a","1"]],["2-0",["b","2"]],["3-0",["c","3"]],["4-0",["d","4"]]]]]',
      ],
      ["XREAD", "STREAMS", "s", "$", "nil*"],
      ["XREAD", "BLOCK", "-1", "STREAMS", "s", "0", "-ERR timeout is negative"],
      ["XREAD", "BLOCK", "x", "STREAMS", "s", "0", "-ERR timeout is not an integer or out of range"],
      ["XPENDING", "s", "g", '[:4,"1-0","4-0",[["alice","2"],["bob","2"]]]'],
      ["XPENDING", "s", "g", "-", "+", "10", "nobody", "[]"],
      ["XPENDING", "s", "g", "IDLE", "x", "-", "+", "10", "-ERR value is not an integer or out of range"],
      ["XPENDING", "s", "g", "IDLE", "10", "-", "+", "-ERR syntax error"],
      ["XPENDING", "s", "nog", "-NOGROUP No such key 's' or consumer group 'nog'"],
      ["XPENDING", "s", "g", "-", "+", "-ERR syntax error"],
      ["XACK", "s", "g", "1-0", "1-0", "9-0", ":1"],
      ["XACK", "s", "g", "bad", "-ERR Invalid stream ID specified as stream command argument"],
      ["XACK", "s", "nog", "1-0", ":0"],
      ["XCLAIM", "s", "g", "carol", "0", "2-0", "JUSTID", '["2-0"]'],
      ["XCLAIM", "s", "g", "carol", "0", "3-0", "9-0", "RETRYCOUNT", "5", "TIME", "1000", "JUSTID", '["3-0"]'],
      ["XCLAIM", "s", "g", "carol", "x", "2-0", "-ERR Invalid min-idle-time argument for XCLAIM"],
      ["XCLAIM", "s", "nog", "carol", "0", "2-0", "-NOGROUP No such key 's' or consumer group 'nog'"],
      ["XCLAIM", "s", "g", "carol", "0", "2-0", "BOGUS", "-ERR Unrecognized XCLAIM option 'BOGUS'"],
      ["XCLAIM", "s", "g", "carol", "0", "2-0", "IDLE", "abc", "-ERR Invalid IDLE option argument for XCLAIM"],
      ["XCLAIM", "s", "g", "carol", "0", "1-0", "FORCE", "JUSTID", "RETRYCOUNT", "3", '["1-0"]'],
      ["XDEL", "s", "3-0", ":1"],
      ["XAUTOCLAIM", "s", "g", "dan", "0", "0-0", "COUNT", "1", '["2-0",[["1-0",["a","1"]]],[]]'],
      ["XAUTOCLAIM", "s", "g", "dan", "0", "0-0", "JUSTID", '["0-0",["1-0","2-0","4-0"],["3-0"]]'],
      ["XAUTOCLAIM", "s", "g", "dan", "0", "0-0", "COUNT", "0", "-ERR COUNT must be > 0"],
      [
        "XAUTOCLAIM",
        "s",
        "g",
        "dan",
        "0",
        "(18446744073709551615-18446744073709551615",
        "-ERR invalid start ID for the interval",
      ],
      ["XAUTOCLAIM", "s", "nog", "dan", "0", "0", "-NOGROUP No such key 's' or consumer group 'nog'"],
      [
        "XINFO",
        "GROUPS",
        "s",
        '[["name","g","consumers",:5,"pending",:3,"last-delivered-id","4-0","entries-read",:4,"lag",:0],["name","g2","consumers",:0,"pending",:0,"last-delivered-id","4-0","entries-read",:3,"lag",:1]]',
      ],
      [
        "XINFO",
        "STREAM",
        "s",
        "FULL",
        "COUNT",
        "1",
        "extra",
        "-ERR unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO HELP.",
      ],
      [
        "XINFO",
        "STREAM",
        "s",
        "FOO",
        "-ERR unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO HELP.",
      ],
      ["XINFO", "CONSUMERS", "s", "nog", "-NOGROUP No such consumer group 'nog' for key name 's'"],
      ["XINFO", "NOPE", "s", "-ERR unknown subcommand 'NOPE'. Try XINFO HELP."],
      [
        "XINFO",
        "HELP",
        "[+XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:,+CONSUMERS <key> <groupname>,+    Show consumers of <groupname>.,+GROUPS <key>,+    Show the stream consumer groups.,+STREAM <key> [FULL [COUNT <count>],+    Show information about the stream.,+HELP,+    Prints this help.]",
      ],
      [
        "XGROUP",
        "HELP",
        "[+XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:,+CREATE <key> <groupname> <id|$> [option],+    Create a new consumer group. Options are:,+    * MKSTREAM,+      Create the empty stream if it does not exist.,+    * ENTRIESREAD entries_read,+      Set the group's entries_read counter (internal use).,+CREATECONSUMER <key> <groupname> <consumer>,+    Create a new consumer in the specified group.,+DELCONSUMER <key> <groupname> <consumer>,+    Remove the specified consumer.,+DESTROY <key> <groupname>,+    Remove the specified group.,+SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read],+    Set the current group ID and entries_read counter.,+HELP,+    Prints this help.]",
      ],
      ["XGROUP", "SETID", "s", "g", "$", "ENTRIESREAD", "1", "+OK"],
      ["XGROUP", "SETID", "s", "g", "-", "+OK"],
      ["XGROUP", "DELCONSUMER", "s", "g", "dan", ":3"],
      ["XGROUP", "DELCONSUMER", "s", "g", "nobody", ":0"],
      ["XGROUP", "DESTROY", "s", "g", ":1"],
      ["XGROUP", "DESTROY", "s", "g", ":0"],
      [
        "XINFO",
        "GROUPS",
        "s",
        '[["name","g2","consumers",:0,"pending",:0,"last-delivered-id","4-0","entries-read",:3,"lag",:1]]',
      ],
    ]);
    await run("HELLO", "3");
    await expectReplies([
      ["XREAD", "COUNT", "1", "STREAMS", "s", "0", '{"s":[["1-0",["a","1"]]]}'],
      ["XREAD", "STREAMS", "s", "9-0", "nil"],
      [
        "XINFO",
        "STREAM",
        "s",
        '{"length"::3,"radix-tree-keys"::1,"radix-tree-nodes"::2,"last-generated-id":"4-0","max-deleted-entry-id":"3-0","entries-added"::4,"recorded-first-entry-id":"1-0","groups"::1,"first-entry":["1-0",["a","1"]],"last-entry":["4-0",["d","4"]]}',
      ],
      ["XPENDING", "s", "g2", "[:0,nil,nil,nil]"],
      ["XRANGE", "s", "-", "+", "COUNT", "0", "nil"],
    ]);
  });
});

describe("what stream writes propagate to the AOF", () => {
  it("XADD with the ID it generated and '~' trims as '=' of what they left", async () => {
    const generated = JSON.parse(await run("XADD", "s", "*", "a", "1")) as string;
    expect(await run("XADD", "s", "9999999999999-*", "b", "2")).toBe('"9999999999999-0"');
    await run("CONFIG", "SET", "stream-node-max-entries", "2");
    for (let index = 1; index <= 6; index += 1) await run("XADD", "t", `${index}-0`, "f", "v");
    engine.propagated.length = 0;
    expect(await run("XADD", "t", "MAXLEN", "~", "3", "7-0", "f", "v")).toBe('"7-0"');
    expect(await run("XLEN", "t")).toBe(":3");
    expect(await run("XTRIM", "t", "MINID", "~", "7-0")).toBe(":2");
    expect(await run("XTRIM", "t", "MAXLEN", "~", "0")).toBe(":1");
    expect(await run("XTRIM", "t", "MAXLEN", "=", "0")).toBe(":0");
    expect(propagated()).toEqual([
      ["XADD", "t", "MAXLEN", "=", "3", "7-0", "f", "v"],
      ["XTRIM", "t", "MINID", "=", "7-0"],
      ["XTRIM", "t", "MAXLEN", "=", "0"],
    ]);
    expect(generated).toMatch(/^\d{13}-0$/);
  });

  it("XADD * is written with the explicit ID", async () => {
    const id = JSON.parse(await run("XADD", "s", "*", "a", "1")) as string;
    const partial = JSON.parse(await run("XADD", "s", `${id.split("-")[0]}-*`, "b", "2")) as string;
    expect(propagated()).toEqual([
      ["XADD", "s", id, "a", "1"],
      ["XADD", "s", partial, "b", "2"],
    ]);
  });

  it("XREADGROUP as XCLAIMs with LASTID, NOACK as XGROUP SETID (and CREATECONSUMER), in MULTI/EXEC when several", async () => {
    for (const id of ["1-0", "2-0", "3-0"]) await run("XADD", "s", id, "f", id);
    await run("XGROUP", "CREATE", "s", "g", "0");
    engine.propagated.length = 0;
    await run("XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "s", ">");
    const claims = propagated();
    expect(
      claims.map((argv) => (argv[0] === "XCLAIM" ? [...argv.slice(0, 7), "<t>", ...argv.slice(8)] : argv)),
    ).toEqual([
      ["MULTI"],
      ["XCLAIM", "s", "g", "alice", "0", "1-0", "TIME", "<t>", "RETRYCOUNT", "1", "FORCE", "JUSTID", "LASTID", "1-0"],
      ["XCLAIM", "s", "g", "alice", "0", "2-0", "TIME", "<t>", "RETRYCOUNT", "1", "FORCE", "JUSTID", "LASTID", "2-0"],
      ["EXEC"],
    ]);
    engine.propagated.length = 0;
    await run("XREADGROUP", "GROUP", "g", "bob", "NOACK", "STREAMS", "s", ">");
    expect(propagated()).toEqual([
      ["MULTI"],
      ["XGROUP", "CREATECONSUMER", "s", "g", "bob"],
      ["XGROUP", "SETID", "s", "g", "3-0", "ENTRIESREAD", "3"],
      ["EXEC"],
    ]);
    engine.propagated.length = 0;
    // History reads and plain reads are not propagated.
    await run("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0");
    await run("XREAD", "STREAMS", "s", "0");
    expect(propagated()).toEqual([]);
  });

  it("XCLAIM / XAUTOCLAIM as idempotent XCLAIMs, a pending entry whose entry is gone included; XACK and XGROUP as sent", async () => {
    for (const id of ["1-0", "2-0", "3-0"]) await run("XADD", "s", id, "f", id);
    await run("XGROUP", "CREATE", "s", "g", "$");
    await run("XGROUP", "SETID", "s", "g", "0");
    await run("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">");
    await run("XDEL", "s", "2-0");
    engine.propagated.length = 0;
    expect(await run("XCLAIM", "s", "g", "bob", "0", "1-0", "2-0", "TIME", "1700000000000", "RETRYCOUNT", "4")).toBe(
      '[["1-0",["f","1-0"]]]',
    );
    expect(propagated()).toEqual([
      ["MULTI"],
      [
        "XCLAIM",
        "s",
        "g",
        "bob",
        "0",
        "1-0",
        "TIME",
        "1700000000000",
        "RETRYCOUNT",
        "4",
        "FORCE",
        "JUSTID",
        "LASTID",
        "3-0",
      ],
      [
        "XCLAIM",
        "s",
        "g",
        "alice",
        "0",
        "2-0",
        "TIME",
        expect.stringMatching(/^\d+$/),
        "RETRYCOUNT",
        "1",
        "FORCE",
        "JUSTID",
        "LASTID",
        "3-0",
      ],
      ["EXEC"],
    ]);
    engine.propagated.length = 0;
    expect(await run("XCLAIM", "s", "g", "bob", "0", "9-0", "LASTID", "5-0", "JUSTID")).toBe("[]");
    expect(propagated()).toEqual([["XGROUP", "SETID", "s", "g", "5-0", "ENTRIESREAD", "3"]]);
    engine.propagated.length = 0;
    expect(await run("XAUTOCLAIM", "s", "g", "carol", "0", "0-0", "JUSTID")).toBe('["0-0",["1-0","3-0"],[]]');
    expect(propagated().map((argv) => argv.slice(0, 6))).toEqual([
      ["MULTI"],
      ["XCLAIM", "s", "g", "carol", "0", "1-0"],
      ["XCLAIM", "s", "g", "carol", "0", "3-0"],
      ["EXEC"],
    ]);
    engine.propagated.length = 0;
    await run("XACK", "s", "g", "1-0", "7-0");
    await run("XACK", "s", "g", "7-0");
    await run("XGROUP", "CREATE", "s", "g2", "$");
    expect(propagated()).toEqual([
      ["XACK", "s", "g", "1-0", "7-0"],
      ["XGROUP", "CREATE", "s", "g2", "$"],
    ]);
  });

  it("group changes leave a WATCH valid, entry changes do not (as Redis signals them)", async () => {
    await run("XADD", "s", "1-0", "f", "v");
    await run("XGROUP", "CREATE", "s", "g", "0");
    await run("WATCH", "s");
    await run("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">");
    await run("XACK", "s", "g", "1-0");
    await run("XGROUP", "CREATECONSUMER", "s", "g", "bob");
    await run("XTRIM", "s", "MAXLEN", "5");
    await run("MULTI");
    await run("PING");
    expect(await run("EXEC")).toBe("[+PONG]");
    await run("WATCH", "s");
    await run("XDEL", "s", "1-0");
    await run("MULTI");
    await run("PING");
    expect(await run("EXEC")).toBe("nil*");
  });
});

describe("XREAD / XREADGROUP BLOCK", () => {
  it("a blocked XREAD is served by the XADD that moves the stream past its ID, and times out to a null array", async () => {
    const reader = await engine.connect();
    await run("XADD", "s", "5-0", "old", "1");
    const waiting = reader.call("XREAD", "BLOCK", "0", "STREAMS", "s", "missing", "$", "$");
    await new Promise((resolve) => setTimeout(resolve, 50));
    await run("XDEL", "s", "5-0");
    await run("XADD", "s", "6-0", "new", "2");
    expect(show(await waiting)).toBe('[["s",[["6-0",["new","2"]]]]]');
    expect(show(await reader.call("XREAD", "BLOCK", "30", "STREAMS", "s", "$"))).toBe("nil*");
    await run("MULTI");
    await run("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
    expect(await run("EXEC")).toBe("[nil*]");
  });

  it("a blocked XREADGROUP gets the next entries as the group's, propagated as XCLAIMs once served", async () => {
    const reader = await engine.connect();
    await run("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
    const waiting = reader.call("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">");
    await new Promise((resolve) => setTimeout(resolve, 50));
    engine.propagated.length = 0;
    await run("XADD", "s", "1-0", "f", "v");
    expect(show(await waiting)).toBe('[["s",[["1-0",["f","v"]]]]]');
    expect(propagated().map((argv) => argv.slice(0, 6))).toEqual([
      ["XADD", "s", "1-0", "f", "v"],
      ["XCLAIM", "s", "g", "alice", "0", "1-0"],
    ]);
    expect(await run("XPENDING", "s", "g")).toBe('[:1,"1-0","1-0",[["alice","1"]]]');
  });

  it("a blocked XREADGROUP ends with -UNBLOCKED when its key goes and -NOGROUP when its group does", async () => {
    const reader = await engine.connect();
    await run("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
    let waiting = reader.call("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">");
    await new Promise((resolve) => setTimeout(resolve, 50));
    await run("DEL", "s");
    expect(show(await waiting)).toBe("-UNBLOCKED the stream key no longer exists");
    await run("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
    waiting = reader.call("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">");
    await new Promise((resolve) => setTimeout(resolve, 50));
    await run("XGROUP", "DESTROY", "s", "g");
    expect(show(await waiting)).toBe("-NOGROUP the consumer group this client was blocked on no longer exists");
  });
});
