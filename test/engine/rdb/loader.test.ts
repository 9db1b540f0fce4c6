// Loading RDB buffers: what is kept and dropped, and how every kind of damage is reported
// (RdbFormatError naming the file, the byte offset and what was wrong; never another exception).
import { describe, expect, it } from "vitest";
import { Keyspace } from "../../../src/engine/keyspace/keyspace.ts";
import { ListValue, ZSetValue } from "../../../src/engine/keyspace/values.ts";
import { RdbFormatError } from "../../../src/engine/persistence/rdb/errors.ts";
import { loadRdbBuffer, loadRdbBufferAsync } from "../../../src/engine/persistence/rdb/rdb-loader.ts";
import { encodeSnapshotRdb } from "../../../src/engine/persistence/rdb/snapshot-writer.ts";
import { RdbFileBuilder } from "./file-builder.ts";

function sampleFile(): Buffer {
  const keyspace = new Keyspace(16);
  const db = keyspace.database(0);
  db.set("s", "value");
  db.set("n", "42");
  db.set("l", new ListValue(["a", "b", "3"]));
  db.set("h", new Map([["f", "v"]]));
  db.set("set", new Set(["1", "2"]));
  const zset = new ZSetValue();
  zset.add("m", 1.5);
  db.set("z", zset);
  db.set("c", "compress me ".repeat(20));
  db.setExpire("s", Date.now() + 60_000);
  return Buffer.from(encodeSnapshotRdb(keyspace.beginSnapshot(), { compression: true, checksum: true }));
}

function load(buffer: Uint8Array, keyspace = new Keyspace(16)): ReturnType<typeof loadRdbBuffer> {
  return loadRdbBuffer(buffer, keyspace, { fileName: "dump.rdb", nowMs: Date.now() });
}

function loadError(buffer: Uint8Array): RdbFormatError {
  try {
    load(buffer);
  } catch (error) {
    if (error instanceof RdbFormatError) return error;
    throw new Error(`expected RdbFormatError, got ${String(error)}`);
  }
  throw new Error("expected the load to fail");
}

describe("loadRdbBuffer", () => {
  it("loads every value type, keeps future expiries, reports aux and bytes consumed", () => {
    const file = sampleFile();
    const keyspace = new Keyspace(16);
    const result = load(Buffer.concat([file, Buffer.from("*1\r\n$4\r\nPING\r\n")]), keyspace);
    expect(result.keys).toBe(7);
    expect(result.bytesConsumed).toBe(file.length);
    expect(result.checksum).toBe("ok");
    expect(result.aux.get("redis-ver")).toBe("7.0.15");
    const db = keyspace.database(0);
    expect(db.get("c")).toBe("compress me ".repeat(20));
    expect((db.get("l") as ListValue).toArray()).toEqual(["a", "b", "3"]);
    expect(db.getExpire("s")).toBeGreaterThan(Date.now());
  });

  it("drops keys already expired and counts them (not in an AOF preamble)", () => {
    const file = new RdbFileBuilder().selectDb(0).expireMs(1000).string("old", "x").string("live", "y").finish();
    const keyspace = new Keyspace(16);
    const result = load(file, keyspace);
    expect(result).toMatchObject({ keys: 1, expired: 1 });
    expect(keyspace.database(0).get("old")).toBeUndefined();
    const kept = loadRdbBuffer(file, new Keyspace(16), { fileName: "base.rdb", nowMs: Date.now(), dropExpired: false });
    expect(kept.keys).toBe(2);
  });

  it("reports a truncation at any offset as RdbFormatError with file, offset and reason", () => {
    const file = sampleFile();
    for (let cut = 0; cut < file.length; cut += 1) {
      const error = loadError(file.subarray(0, cut));
      expect(error.file).toBe("dump.rdb");
      expect(error.offset).toBeLessThanOrEqual(cut);
      expect(error.message).toContain("dump.rdb");
      expect(error.message).toContain(`offset ${error.offset}`);
      expect(error.message).toContain(error.reason);
    }
  });

  it("detects any single flipped byte (structure or checksum)", () => {
    const file = sampleFile();
    for (let index = 9; index < file.length - 8; index += 1) {
      const damaged = Buffer.from(file);
      damaged[index] = damaged[index]! ^ 0x5a;
      expect(() => load(damaged)).toThrow(RdbFormatError);
    }
  });

  it("names a wrong checksum, a bad signature, a newer version, an unknown type", () => {
    const file = sampleFile();
    const badCrc = Buffer.from(file);
    badCrc[badCrc.length - 1] = badCrc[badCrc.length - 1]! ^ 1;
    expect(loadError(badCrc).reason).toMatch(/wrong RDB checksum/);
    expect(loadError(badCrc).offset).toBe(file.length - 8);
    expect(loadError(Buffer.from("RADIS0010\xff", "latin1")).reason).toMatch(/wrong signature/);
    expect(loadError(Buffer.from("REDIS0011\xff", "latin1")).reason).toMatch(/can't handle RDB format version/);
    const unknownType = new RdbFileBuilder().selectDb(0).raw([30]).finish();
    const error = loadError(unknownType);
    expect(error.reason).toMatch(/unknown RDB opcode or value type 30/);
    expect(error.offset).toBe(11);
  });

  it("refuses duplicate keys, databases beyond the configured count, module values, truncated or broken streams", () => {
    expect(loadError(new RdbFileBuilder().selectDb(0).string("k", "1").string("k", "2").finish()).reason).toMatch(
      /duplicate key "k"/,
    );
    const keyspace = new Keyspace(4);
    expect(() =>
      loadRdbBuffer(new RdbFileBuilder().selectDb(5).string("k", "1").finish(), keyspace, { fileName: "x", nowMs: 0 }),
    ).toThrow(/database 5.*4 databases/);
    expect(loadError(new RdbFileBuilder().selectDb(0).raw([7, 1, 0x6b]).finish()).reason).toMatch(
      /type 7 \(module\) are not supported/,
    );
    // A stream whose node key is not the 16 bytes of an ID.
    expect(loadError(new RdbFileBuilder().selectDb(0).raw([15, 1, 0x6b, 1, 2, 0x61, 0x62]).finish()).reason).toMatch(
      /stream node key is 2 bytes/,
    );
    expect(loadError(new RdbFileBuilder().selectDb(0).raw([15, 1, 0x6b]).finish()).reason).toMatch(/stream/);
  });

  it("names the key whose value is damaged", () => {
    const file = new RdbFileBuilder()
      .selectDb(0)
      .hashListpack("myhash", [["a", "1"]])
      .finish({ checksum: false });
    const damaged = Buffer.from(file);
    const at = damaged.indexOf(Buffer.from("myhash")) + 6 + 1; // after the key and the blob length byte
    damaged.writeUInt32LE(999, at);
    const error = loadError(damaged);
    expect(error.reason).toMatch(/key "myhash" \(hash \(listpack\)\).*listpack header says 999 bytes/);
  });

  it("loads in slices with the same result", async () => {
    const keyspace = new Keyspace(16);
    for (let index = 0; index < 5000; index += 1) keyspace.database(index % 3).set(`k${index}`, `v${index}`);
    const file = encodeSnapshotRdb(keyspace.beginSnapshot(), { compression: false, checksum: true });
    const target = new Keyspace(16);
    const progress: number[] = [];
    const result = await loadRdbBufferAsync(file, target, {
      fileName: "x",
      nowMs: Date.now(),
      sliceBudgetMs: 0,
      onProgress: (bytes) => progress.push(bytes),
    });
    expect(result.keys).toBe(5000);
    expect(result.checksum).toBe("ok");
    expect(progress.length).toBeGreaterThan(2);
    expect(target.database(2).get("k2")).toBe("v2");
    const damaged = Buffer.from(file);
    damaged[damaged.length - 3] = damaged[damaged.length - 3]! ^ 1;
    await expect(
      loadRdbBufferAsync(damaged, new Keyspace(16), { fileName: "x", nowMs: 0, sliceBudgetMs: 0 }),
    ).rejects.toThrow(/wrong RDB checksum/);
  });

  it("paces itself by key-load-delay (µs per record), still verifying the checksum", async () => {
    const keyspace = new Keyspace(16);
    for (let index = 0; index < 640; index += 1) keyspace.database(0).set(`k${index}`, `v${index}`);
    const file = encodeSnapshotRdb(keyspace.beginSnapshot(), { compression: false, checksum: true });
    const started = performance.now();
    const target = new Keyspace(16);
    const result = await loadRdbBufferAsync(file, target, { fileName: "x", nowMs: Date.now(), keyDelayUs: 1000 });
    // 640 keys at 1 ms each: about 0.64 s (timers never fire early).
    expect(performance.now() - started).toBeGreaterThanOrEqual(600);
    expect(result.keys).toBe(640);
    expect(result.checksum).toBe("ok");
    expect(target.database(0).get("k639")).toBe("v639");
    const damaged = Buffer.from(file);
    damaged[damaged.length - 3] = damaged[damaged.length - 3]! ^ 1;
    await expect(
      loadRdbBufferAsync(damaged, new Keyspace(16), { fileName: "x", nowMs: 0, keyDelayUs: 10 }),
    ).rejects.toThrow(/wrong RDB checksum/);
  });
});
