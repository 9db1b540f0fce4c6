// The boot-time warm-up of the save path: what it writes is a complete, checksummed RDB holding every type in
// its small and large encodings (so every encoder function has run once), and the engine runs it before it
// accepts commands.
import { describe, expect, it } from "vitest";
import { Keyspace } from "../../../src/engine/keyspace/keyspace.ts";
import { ListValue, StreamValue, ZSetValue } from "../../../src/engine/keyspace/values.ts";
import { loadRdbBuffer } from "../../../src/engine/persistence/rdb/rdb-loader.ts";
import { warmUpSavePath } from "../../../src/engine/persistence/rdb/save-warmup.ts";

describe("warmUpSavePath", () => {
  it("writes a checksummed RDB with every type, small and large, and expiries", async () => {
    const chunks: Uint8Array[] = [];
    // The writer reuses a chunk's memory once write() returns, so the sink copies.
    const keys = await warmUpSavePath({
      write: (chunk) => void chunks.push(Uint8Array.from(chunk)),
      releasesChunks: true,
    });
    const keyspace = new Keyspace(1);
    const result = loadRdbBuffer(Buffer.concat(chunks), keyspace, {
      fileName: "warm-up",
      nowMs: Date.now(),
      verifyChecksum: true,
      onDuplicate: "error",
    });
    expect(result.checksum).toBe("ok");
    expect(result.keys).toBe(keys);
    const database = keyspace.database(0);
    const kinds = new Map<string, number[]>();
    for (const [key, value] of database.dict) {
      const kind = key.slice(0, key.indexOf(":"));
      if (value instanceof StreamValue) throw new Error(`no streams expected in this data set (${key})`);
      const size =
        typeof value === "string"
          ? value.length
          : value instanceof ListValue
            ? value.length
            : value instanceof ZSetValue
              ? value.length
              : value.size;
      kinds.set(kind, [...(kinds.get(kind) ?? []), size]);
    }
    expect([...kinds.keys()].sort()).toEqual(["hash", "int", "intset", "list", "raw", "set", "str", "zip", "zset"]);
    for (const kind of ["hash", "intset", "list", "set", "zset"]) {
      const sizes = kinds.get(kind) ?? [];
      expect(Math.max(...sizes), `${kind}: a large one (hashtable/quicklist)`).toBeGreaterThan(512);
      expect(Math.min(...sizes), `${kind}: a small one (listpack/intset)`).toBeLessThan(128);
    }
    expect([...database.dict.keys()].some((key) => database.getExpire(key) !== undefined)).toBe(true);
  });
});
