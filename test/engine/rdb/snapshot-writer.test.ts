// The sliced writer: it yields to the event loop between short slices, and the file it produces
// is exactly the data set at the moment the snapshot began, whatever writes interleave.
import { describe, expect, it } from "vitest";
import { Keyspace } from "../../../src/engine/keyspace/keyspace.ts";
import { ListValue, StreamValue, ZSetValue, type StoredValue } from "../../../src/engine/keyspace/values.ts";
import { loadRdbBuffer } from "../../../src/engine/persistence/rdb/rdb-loader.ts";
import { encodeSnapshotRdb, writeSnapshotRdb } from "../../../src/engine/persistence/rdb/snapshot-writer.ts";

function contents(keyspace: Keyspace): string[] {
  const out: string[] = [];
  for (const database of keyspace.databases) {
    for (const [key, value] of database.dict) {
      const text =
        typeof value === "string"
          ? value
          : value instanceof ListValue
            ? value.toArray().join(",")
            : value instanceof Map
              ? [...value].sort().join(";")
              : "?";
      out.push(`${database.index}|${key}|${text}|${database.getExpire(key) ?? ""}`);
    }
  }
  return out.sort();
}

function describeValue(value: StoredValue): unknown {
  if (typeof value === "string") return value;
  if (value instanceof ListValue) return value.toArray();
  if (value instanceof Map) return [...value].sort();
  if (value instanceof Set) return [...value].sort();
  if (value instanceof StreamValue) return value.clone();
  return value.entries().map((entry) => [entry.member, entry.score]);
}

function describeAll(keyspace: Keyspace): unknown[] {
  return [...keyspace.database(0).dict.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([key, value]) => [key, describeValue(value), keyspace.database(0).getExpire(key) ?? null]);
}

// Counts event-loop turns (a setImmediate chain) until stop().
function countEventLoopTurns(): { readonly count: number; stop(): void } {
  let count = 0;
  let running = true;
  const tick = (): void => {
    count += 1;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  return {
    get count() {
      return count;
    },
    stop: () => {
      running = false;
    },
  };
}

describe("writeSnapshotRdb", () => {
  it("writes the data set as of the start while writes interleave between slices", async () => {
    const keyspace = new Keyspace(16);
    for (let index = 0; index < 30_000; index += 1) keyspace.database(index % 4).set(`key:${index}`, `value:${index}`);
    keyspace.database(1).set("list", new ListValue(["a", "b"]));
    keyspace.database(2).set("hash", new Map([["f", "1"]]));
    const copy = new Keyspace(16);
    loadRdbBuffer(encodeSnapshotRdb(keyspace.beginSnapshot(), { compression: false, checksum: true }), copy, {
      fileName: "x",
      nowMs: Date.now(),
    });
    const expected = contents(copy);

    const chunks: Uint8Array[] = [];
    let step = 0;
    const done = writeSnapshotRdb(
      keyspace.beginSnapshot(),
      { write: (chunk) => void chunks.push(chunk) },
      { compression: true, checksum: true, sliceBudgetMs: 1 },
    );
    // Mutate between slices: overwrite, delete, create, expire, flush a database, mutate in place.
    let finished = false;
    void done.then(() => (finished = true));
    while (!finished) {
      step += 1;
      const db = keyspace.database(step % 4);
      db.set(`key:${step * 7}`, "changed");
      db.delete(`key:${step * 11 + 1}`);
      db.set(`new:${step}`, "created later");
      db.setExpire(`key:${step * 13 + 2}`, Date.now() + 1000);
      keyspace.database(1).getList("list", true)?.pushBack(String(step));
      keyspace.database(2).getHash("hash", true)?.set("f", String(step));
      if (step === 5) keyspace.database(3).flush();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(step).toBeGreaterThan(5);
    const loaded = new Keyspace(16);
    const result = loadRdbBuffer(Buffer.concat(chunks), loaded, { fileName: "x", nowMs: Date.now() });
    expect(result.checksum).toBe("ok");
    expect(contents(loaded)).toEqual(expected);
  });

  it("writes big collections over several slices, as they were when the save began, whatever writes follow", async () => {
    const keyspace = new Keyspace(16);
    const db = keyspace.database(0);
    const zset = new ZSetValue();
    for (let index = 0; index < 20_000; index += 1) zset.add(`m${index}`, index % 977);
    db.set("list", new ListValue(Array.from({ length: 30_000 }, (_, index) => `e${index}`)));
    db.set("hash", new Map(Array.from({ length: 20_000 }, (_, index) => [`f${index}`, `v${index}`])));
    db.set("set", new Set(Array.from({ length: 20_000 }, (_, index) => `s${index}`)));
    db.set("zset", zset);
    db.set("untouched", new Set(Array.from({ length: 10_000 }, (_, index) => `u${index}`)));
    db.setExpire("hash", Date.now() + 100_000);
    for (let index = 0; index < 2000; index += 1) db.set(`small${index}`, "x");
    const before = new Keyspace(16);
    loadRdbBuffer(encodeSnapshotRdb(keyspace.beginSnapshot(), { compression: false, checksum: true }), before, {
      fileName: "x",
      nowMs: Date.now(),
    });
    const expected = describeAll(before);

    const chunks: Uint8Array[] = [];
    let finished = false;
    const slices: number[] = [];
    const done = writeSnapshotRdb(
      keyspace.beginSnapshot(),
      { write: (chunk) => void chunks.push(chunk) },
      {
        compression: true,
        checksum: true,
        keyspace,
        yieldBetweenSlices: async (keys) => {
          slices.push(keys);
          await new Promise((resolve) => setImmediate(resolve));
        },
      },
    ).then(() => (finished = true));
    let step = 0;
    while (!finished) {
      step += 1;
      // In-place changes to the big values while they are being written.
      db.getList("list", true)?.pushFront(`new${step}`);
      db.getHash("hash", true)?.set(`f${step}`, "changed");
      db.getSet("set", true)?.delete(`s${step * 3}`);
      db.getZSet("zset", true)?.add(`m${step}`, -step);
      if (step === 3) db.delete("zset");
      await new Promise((resolve) => setImmediate(resolve));
    }
    await done;
    expect(step).toBeGreaterThan(3);
    expect(slices.length).toBeGreaterThan(5);
    const loaded = new Keyspace(16);
    loadRdbBuffer(Buffer.concat(chunks), loaded, { fileName: "x", nowMs: Date.now() });
    expect(describeAll(loaded)).toEqual(expected);
  });

  it("works in short slices and yields between them", async () => {
    const keyspace = new Keyspace(16);
    for (let index = 0; index < 200_000; index += 1)
      keyspace.database(0).set(`key:${index}`, `value:${index}:${"x".repeat(index % 40)}`);
    const slices: number[] = [];
    let sliceStart = process.cpuUsage();
    const turns = countEventLoopTurns();
    const result = await writeSnapshotRdb(
      keyspace.beginSnapshot(),
      { write: () => {} },
      {
        compression: true,
        checksum: true,
        yieldBetweenSlices: async () => {
          const used = process.cpuUsage(sliceStart);
          slices.push((used.user + used.system) / 1000);
          await new Promise((resolve) => setImmediate(resolve));
          sliceStart = process.cpuUsage();
        },
      },
    );
    turns.stop();
    expect(result.keys).toBe(200_000);
    expect(slices.length).toBeGreaterThan(20);
    expect(turns.count).toBeGreaterThanOrEqual(slices.length - 1);
    // The budget is 1 ms of encoding per slice. Measured as CPU time (the machine is shared, wall
    // time is not ours); the rare longer slice is a V8 GC step or the growth (rehash) of the
    // snapshot's visited-key Set at a power of two, not encoding.
    const sorted = [...slices].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(5);
    expect(sorted[Math.floor(sorted.length * 0.9)]).toBeLessThan(10);
  });

  it("checksums chunks in pieces between turns and still writes a CRC64 that matches every byte", async () => {
    const keyspace = new Keyspace(16);
    // About 2 MB of RDB: several 256 KB chunks, each checksummed in pieces with a turn before each piece
    // (a budget of 0 spends every turn at once).
    for (let index = 0; index < 40_000; index += 1)
      keyspace
        .database(index % 3)
        .set(`key:${index}`, `${index}:${"y".repeat(index % 50)}:${Math.imul(index, 2654435761) >>> 0}`);
    const chunks: Uint8Array[] = [];
    const turns = countEventLoopTurns();
    const result = await writeSnapshotRdb(
      keyspace.beginSnapshot(),
      { write: (chunk) => void chunks.push(chunk) },
      { compression: false, checksum: true, sliceBudgetMs: 0 },
    );
    turns.stop();
    const file = Buffer.concat(chunks);
    expect(file.length).toBeGreaterThan(1024 * 1024);
    expect(result.bytes).toBe(file.length);
    expect(turns.count).toBeGreaterThan(file.length / (64 * 1024));
    const loaded = new Keyspace(16);
    expect(loadRdbBuffer(file, loaded, { fileName: "x", nowMs: Date.now() }).checksum).toBe("ok");
    expect(describeAll(loaded)).toEqual(describeAll(keyspace));
    // One changed value byte deep in a later chunk fails the checksum (the CRC covered every piece, in order).
    const corrupt = Buffer.from(file);
    const at = corrupt.indexOf("yyyyyyyyyy", Math.floor(corrupt.length * 0.6));
    expect(at).toBeGreaterThan(0);
    corrupt[at + 5] = "z".charCodeAt(0);
    expect(() => loadRdbBuffer(corrupt, new Keyspace(16), { fileName: "x", nowMs: Date.now() })).toThrow(
      /wrong RDB checksum/,
    );
  });

  it("reuses chunk memory for a sink that releases its chunks, writing the same bytes", async () => {
    const keyspace = new Keyspace(16);
    for (let index = 0; index < 30_000; index += 1)
      keyspace.database(0).set(`key:${index}`, `${index}:${"z".repeat(index % 60)}`);
    const save = async (releasesChunks: boolean): Promise<{ file: Buffer; memories: Set<ArrayBufferLike> }> => {
      const copies: Buffer[] = [];
      const memories = new Set<ArrayBufferLike>();
      await writeSnapshotRdb(
        keyspace.beginSnapshot(),
        {
          // A releasing sink must not keep the chunk: this one keeps a copy, and notes whose memory it was given.
          write: (chunk) => {
            memories.add(chunk.buffer);
            copies.push(Buffer.from(chunk));
          },
          releasesChunks,
        },
        { compression: true, checksum: true },
      );
      return { file: Buffer.concat(copies), memories };
    };
    const copied = await save(false);
    const reused = await save(true);
    expect(reused.file.length).toBeGreaterThan(3 * 256 * 1024);
    // Every chunk of the copying path is its own allocation; the releasing path cycles through two buffers
    // (plus the final chunks, which are always copies).
    expect(copied.memories.size).toBeGreaterThan(4);
    expect(reused.memories.size).toBeLessThanOrEqual(4);
    for (const file of [copied.file, reused.file]) {
      const loaded = new Keyspace(16);
      expect(loadRdbBuffer(file, loaded, { fileName: "x", nowMs: Date.now() }).checksum).toBe("ok");
      expect(describeAll(loaded)).toEqual(describeAll(keyspace));
    }
  });

  it("writes the aux fields Redis 7.0 writes, with aof-base last", () => {
    const keyspace = new Keyspace(16);
    const file = encodeSnapshotRdb(keyspace.beginSnapshot(), {
      compression: true,
      checksum: false,
      aux: [["aof-base", "1"]],
    });
    const result = loadRdbBuffer(file, new Keyspace(16), { fileName: "x", nowMs: 0 });
    expect([...result.aux.keys()]).toEqual(["redis-ver", "redis-bits", "ctime", "used-mem", "aof-base"]);
    expect(result.aux.get("aof-base")).toBe("1");
    expect(result.checksum).toBe("disabled");
  });
});
