// Connection modes next to redis-server 7.0, each a real process: Pub/Sub (confirmations, RESP2
// subscribed mode, message and pmessage delivery, PUBSUB, RESP3 pushes), MONITOR's feed, ACL users
// (AUTH user pass, WHOAMI, LIST, NOPERM), CLIENT TRACKING invalidations (RESP3, RESP2 redirect, BCAST,
// NOLOOP, flush) and RESET ending all of them.
import { describe, expect, it } from "vitest";
import { onBothServers, showReply } from "../../helpers/differential.ts";
import { SKIP_WITHOUT_REDIS, spawnServer } from "../../helpers/servers.ts";
import { RespConnection } from "../../helpers/resp-client.ts";

describe.skipIf(SKIP_WITHOUT_REDIS)("client modes, as redis-server 7.0", () => {
  it("Pub/Sub: confirmations, subscribed mode, message and pmessage, PUBSUB, RESP3 pushes", async () => {
    const transcripts = await onBothServers([], async ({ call, open, note }) => {
      const sub = await open("(sub) ");
      const next = async (): Promise<void> => note(`(sub) <- ${showReply(await sub.connection.nextReply())}`);
      await sub.call("SUBSCRIBE", "news", "sport");
      await next();
      await sub.call("PING");
      await sub.call("PING", "hello");
      await sub.call("GET", "k");
      await sub.call("PSUBSCRIBE", "n*");
      await call("PUBLISH", "news", "one");
      await next();
      await next();
      await call("PUBLISH", "nothing-here", "two");
      await next();
      await call("PUBLISH", "weather", "three");
      await call("PUBSUB", "NUMSUB", "news", "weather");
      await call("PUBSUB", "NUMPAT");
      await call("PUBSUB", "CHANNELS", "s*");
      await sub.call("UNSUBSCRIBE", "news");
      await sub.call("PUNSUBSCRIBE", "n*");
      await sub.call("UNSUBSCRIBE", "sport");
      await sub.call("UNSUBSCRIBE");
      await sub.call("SET", "k", "v");
      const resp3 = await open("(resp3) ");
      await resp3.call("HELLO", "3");
      await resp3.call("SUBSCRIBE", "news");
      await resp3.call("GET", "k");
      await call("PUBLISH", "news", "four");
      note(`(resp3) <- ${showReply(await resp3.connection.nextReply())}`);
    });
    expect(transcripts.engine.map(withoutHello)).toEqual(transcripts.redis.map(withoutHello));
    expect(transcripts.engine).toContain(
      "(sub) GET k -> -ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context",
    );
    expect(transcripts.engine).toContain('(resp3) <- >["message","news","four"]');
  });

  it("RESET ends MONITOR, Pub/Sub, the ACL user, tracking and the name, as Redis's own RESET tests check", async () => {
    const transcripts = await onBothServers([], async ({ call, open, note }) => {
      // CLIENT LIST / INFO lines differ in ids, ports and buffer sizes: only flags and name are recorded.
      const quiet = (await open("(unrecorded) ")).connection;
      const text = async (...argv: string[]): Promise<string> => {
        const reply = await quiet.call(...argv);
        return "value" in reply ? String(reply.value) : reply.type;
      };
      const flags = async (): Promise<void> => {
        const list = await text("CLIENT", "LIST");
        note(`flags: ${[...list.matchAll(/ flags=(\w+) /g)].map((match) => match[1]).join(",")}`);
      };
      await call("CLIENT", "SETNAME", "test-client");
      await call("CLIENT", "TRACKING", "on");
      await call("RESET");
      const info = await call("CLIENT", "INFO");
      note(`name: ${/ name=(\S*) /.exec(info)?.[1] ?? "?"}, flags: ${/ flags=(\S*) /.exec(info)?.[1] ?? "?"}`);
      const monitor = await open("(monitor) ");
      await monitor.call("MONITOR");
      await flags();
      await monitor.call("RESET");
      await flags();
      await call("SUBSCRIBE", "channel-1");
      await call("RESET");
      await call("SET", "key", "val");
      await call("ACL", "SETUSER", "user1", "on", ">secret", "+@all");
      await call("AUTH", "user1", "secret");
      await call("ACL", "WHOAMI");
      await call("RESET");
      await call("ACL", "WHOAMI");
    });
    const comparable = (lines: string[]): string[] => lines.filter((line) => !line.startsWith("CLIENT INFO"));
    expect(comparable(transcripts.engine)).toEqual(comparable(transcripts.redis));
    expect(transcripts.engine).toContain("name: , flags: N");
    expect(transcripts.engine).toContain("flags: N,N,O");
    expect(transcripts.engine.at(-1)).toBe('ACL WHOAMI -> "default"');
  });

  it("MONITOR: one line per executed command in Redis's format, admin commands hidden, passwords redacted", async () => {
    const transcripts = await onBothServers([], async ({ call, open, note }) => {
      const monitor = await open("(monitor) ");
      await monitor.call("MONITOR");
      await call("SELECT", "2");
      await call("SET", "foo", 'a "b"\n\x01');
      await call("CONFIG", "GET", "maxmemory");
      await call("AUTH", "nobody", "secret");
      await call("ACL", "WHOAMI");
      await call("ACL", "SETUSER", "u", ">hidden");
      await call("PING");
      for (let line = 0; line < 5; line += 1) {
        const reply = await monitor.connection.nextReply();
        // The timestamp and the client's port differ between runs.
        note(
          `(monitor) <- ${showReply(reply).replace(/^\+\d+\.\d{6} \[(\d+) 127\.0\.0\.1:\d+\]/, "+<time> [$1 <addr>]")}`,
        );
      }
    });
    expect(transcripts.engine).toEqual(transcripts.redis);
    expect(transcripts.engine).toContain('(monitor) <- +<time> [2 <addr>] "SET" "foo" "a \\"b\\"\\n\\x01"');
    expect(transcripts.engine).toContain('(monitor) <- +<time> [2 <addr>] "AUTH" "(redacted)" "(redacted)"');
  });

  it("ACL users: AUTH user pass, LIST, USERS, NOPERM for commands, keys and channels, DELUSER", async () => {
    const transcripts = await onBothServers([], async ({ call, open }) => {
      await call("ACL", "SETUSER", "alice", "on", ">pw1", ">pw2", "+@all", "~*");
      await call("ACL", "SETUSER", "bob", "on", "nopass");
      await call("ACL", "SETUSER", "carol", "on", "nopass", "+@all");
      await call("ACL", "SETUSER", "dave");
      await call("ACL", "SETUSER", "alice", "<pw1");
      await call("ACL", "SETUSER", "alice", "<pw1");
      await call("ACL", "SETUSER", "alice", "bogus");
      await call("ACL", "SETUSER", "alice", "#abc");
      await call("ACL", "LIST");
      await call("ACL", "USERS");
      const other = await open("(other) ");
      await other.call("AUTH", "alice", "pw1");
      await other.call("AUTH", "alice", "pw2");
      await other.call("SET", "k", "v");
      await other.call("PUBLISH", "c", "m");
      await other.call("AUTH", "bob", "anything");
      await other.call("GET", "k");
      await other.call("ACL", "WHOAMI");
      await other.call("AUTH", "carol", "x");
      await other.call("GET", "k");
      await other.call("SUBSCRIBE", "c");
      await other.call("PING");
      await other.call("AUTH", "dave", "x");
      await call("ACL", "DELUSER", "default");
      await call("ACL", "DELUSER", "carol", "nobody");
      await call("ACL", "USERS");
      await call("CONFIG", "SET", "requirepass", "pass");
      await call("AUTH", "pass");
      await call("ACL", "LIST");
    });
    expect(transcripts.engine).toEqual(transcripts.redis);
    expect(transcripts.engine).toContain(
      "(other) GET k -> -NOPERM this user has no permissions to run the 'get' command",
    );
    expect(transcripts.engine).toContain(
      "(other) SUBSCRIBE c -> -NOPERM this user has no permissions to access one of the channels used as arguments",
    );
  });

  it("ACL command rules: +command, -command, +@category, -command|subcommand, applied in order, as Redis", async () => {
    const transcripts = await onBothServers([], async ({ call, open }) => {
      await call("ACL", "SETUSER", "frank", "on", "nopass", "~*", "+get", "+set");
      await call("ACL", "SETUSER", "grace", "on", "nopass", "~*", "+@all", "-set", "-config|get");
      await call("ACL", "SETUSER", "heidi", "on", "nopass", "~*", "+@read", "-get");
      await call("ACL", "SETUSER", "ivan", "on", "+nosuchcommand");
      await call("ACL", "SETUSER", "ivan", "on", "+@nosuchcategory");
      await call("ACL", "LIST");
      const other = await open("(other) ");
      await other.call("AUTH", "frank", "x");
      await other.call("SET", "k", "v");
      await other.call("GET", "k");
      await other.call("DEL", "k");
      await other.call("AUTH", "grace", "x");
      await other.call("SET", "k", "v");
      await other.call("CONFIG", "GET", "maxmemory");
      await other.call("CONFIG", "RESETSTAT");
      await other.call("GET", "k");
      await other.call("AUTH", "heidi", "x");
      await other.call("GET", "k");
      await other.call("STRLEN", "k");
      await other.call("SET", "k", "w");
      await call("ACL", "SETUSER", "heidi", "+get");
      await other.call("GET", "k");
      await call("ACL", "SETUSER", "heidi", "-@all");
      await other.call("STRLEN", "k");
      await call("ACL", "LIST");
    });
    // ACL LIST: Redis regenerates command rules from its bitmap (best-fit categories, then single
    // commands in its table's hash order); the engine lists the rules as applied. Same permissions.
    const withoutList = (lines: readonly string[]): string[] => lines.filter((line) => !line.startsWith("ACL LIST"));
    expect(withoutList(transcripts.engine)).toEqual(withoutList(transcripts.redis));
    expect(transcripts.engine).toContain(
      'ACL LIST -> ["user default on nopass ~* &* +@all","user frank on nopass ~* resetchannels -@all +get +set","user grace on nopass ~* resetchannels +@all -set -config|get","user heidi on nopass ~* resetchannels -@all"]',
    );
    expect(transcripts.engine).toContain(
      "(other) DEL k -> -NOPERM this user has no permissions to run the 'del' command",
    );
  });

  it("ACL SETUSER refuses key and channel patterns, naming what is supported", async () => {
    const server = await spawnServer("engine");
    try {
      const connection = await RespConnection.open(server.port);
      const reply = await connection.call("ACL", "SETUSER", "eve", "on", "~user:*");
      expect(reply.type).toBe("error");
      expect(reply).toMatchObject({
        value: expect.stringMatching(
          /^ERR Error in ACL SETUSER modifier '~user:\*': persistlab-server's ACL users hold whole key and channel permissions only/,
        ),
      });
      expect(await connection.call("ACL", "USERS")).toEqual({
        type: "array",
        value: [{ type: "bulk", value: "default" }],
      });
      connection.close();
    } finally {
      await server.stop();
    }
  });

  it("CLIENT TRACKING: RESP3 invalidations, RESP2 redirect to __redis__:invalidate, BCAST prefixes, NOLOOP, flush", async () => {
    const transcripts = await onBothServers([], async ({ call, open, note }) => {
      const cache = await open("(cache) ");
      await cache.call("HELLO", "3");
      await cache.call("CLIENT", "TRACKING", "on");
      await cache.call("GET", "a");
      await call("SET", "a", "1");
      note(`(cache) <- ${showReply(await cache.connection.nextReply())}`);
      await call("SET", "a", "2");
      await cache.call("GET", "a");
      await cache.call("SET", "a", "3");
      note(`(cache) <- ${showReply(await cache.connection.nextReply())}`);
      const listener = await open("(listener) ");
      const idReply = await listener.connection.call("CLIENT", "ID");
      const id = idReply.type === "integer" ? idReply.value : "?";
      await listener.call("SUBSCRIBE", "__redis__:invalidate");
      const resp2 = await open("(resp2) ");
      note(
        `(resp2) CLIENT TRACKING on REDIRECT <listener> -> ${showReply(await resp2.connection.call("CLIENT", "TRACKING", "on", "REDIRECT", id))}`,
      );
      await resp2.call("GET", "b");
      await call("SET", "b", "1");
      note(`(listener) <- ${showReply(await listener.connection.nextReply())}`);
      const bcast = await open("(bcast) ");
      await bcast.call("HELLO", "3");
      await bcast.call("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "user:", "NOLOOP");
      await bcast.call("SET", "user:own", "x");
      await call("SET", "user:1", "x");
      await call("SET", "other", "x");
      note(`(bcast) <- ${showReply(await bcast.connection.nextReply())}`);
      await bcast.call("CLIENT", "TRACKINGINFO");
      await call("FLUSHALL");
      note(`(cache) <- ${showReply(await cache.connection.nextReply())}`);
      note(`(bcast) <- ${showReply(await bcast.connection.nextReply())}`);
      await cache.call("CLIENT", "TRACKING", "off");
      await cache.call("CLIENT", "GETREDIR");
    });
    expect(transcripts.engine.map(withoutHello)).toEqual(transcripts.redis.map(withoutHello));
    expect(transcripts.engine).toContain('(cache) <- >["invalidate",["a"]]');
    expect(transcripts.engine).toContain('(listener) <- ["message","__redis__:invalidate",["b"]]');
    expect(transcripts.engine).toContain('(bcast) <- >["invalidate",["user:1"]]');
  });
});

// HELLO's map names the server and its version: blank it before comparing.
function withoutHello(line: string): string {
  return line.includes("HELLO 3 ->") ? "HELLO 3 -> {...}" : line;
}
