// OBJECT ENCODING of strings APPEND and SETRANGE modified, next to redis-server 7.0 (real processes):
// Redis turns such a value into a raw string and never re-encodes it, so `raw` is reported even for
// an integer-looking or short text, until the key is written some other way.
import { describe, expect, it } from "vitest";
import { onBothServers } from "../../helpers/differential.ts";
import { SKIP_WITHOUT_REDIS } from "../../helpers/servers.ts";

describe.skipIf(SKIP_WITHOUT_REDIS)("string encodings after APPEND / SETRANGE, as redis-server 7.0", () => {
  it("reports raw after SETRANGE or APPEND changed a value, int / embstr again after SET", async () => {
    const transcripts = await onBothServers([], async ({ call }) => {
      for (const [offset, patch] of [
        ["0", "2"],
        ["0", ""],
        ["1", "3"],
        ["5", "2"],
      ] as const) {
        await call("SET", "mykey", "1234");
        await call("SETRANGE", "mykey", offset, patch);
        await call("OBJECT", "ENCODING", "mykey");
        await call("GET", "mykey");
      }
      await call("SETRANGE", "fresh", "0", "12");
      await call("OBJECT", "ENCODING", "fresh");
      await call("SET", "n", "1");
      await call("APPEND", "n", "2");
      await call("OBJECT", "ENCODING", "n");
      await call("APPEND", "new", "12");
      await call("OBJECT", "ENCODING", "new");
      await call("SET", "n", "12");
      await call("OBJECT", "ENCODING", "n");
      await call("SET", "mykey", "1234");
      await call("SETRANGE", "mykey", "0", "9");
      await call("INCR", "mykey");
      await call("OBJECT", "ENCODING", "mykey");
    });
    expect(transcripts.engine).toEqual(transcripts.redis);
    expect(transcripts.engine.filter((line) => line.startsWith("OBJECT")).map((line) => line.split(" -> ")[1])).toEqual(
      ['"raw"', '"int"', '"raw"', '"raw"', '"raw"', '"raw"', '"int"', '"int"', '"int"'],
    );
  });
});
