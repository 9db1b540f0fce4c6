// Pure replay of hand-made journals: namespace models (posix vs ext4), O_DSYNC, kernel writeback, failed
// fsync, cross-directory renames; and the journal codec's handling of torn and corrupted records.
import { describe, expect, it } from "vitest";
import { buildDurabilityModel } from "../../../src/harness/nemesis/power-loss/durability-model.ts";
import { computeCrc32, parseJournal, type JournalEvent } from "../../../src/harness/shim/journal.ts";

const O_CREAT = 0o100,
  O_DSYNC = 0o10000;
let clock = 0;
function event(op: JournalEvent["op"], fields: Partial<JournalEvent>): JournalEvent {
  return {
    op,
    timeUs: (clock += 10),
    pid: 1,
    tid: 1,
    fd: 3,
    inode: "",
    a: 0,
    b: 0,
    c: 0,
    res: 0,
    path: "",
    path2: "",
    extra: "",
    ...fields,
  };
}
const create = (path: string, inode: string, flags = O_CREAT): JournalEvent =>
  event("open", { path, inode, a: flags, b: 1, c: 0 });
const write = (path: string, inode: string, offset: number, bytes: number, timeUs?: number): JournalEvent =>
  event("write", { path, inode, a: offset, b: bytes, ...(timeUs === undefined ? {} : { timeUs }) });
const fsync = (path: string, inode: string, size: number, res = 0): JournalEvent =>
  event("fsync", { path, inode, a: 0, b: size, c: 1000, res });
const fsyncDir = (path: string): JournalEvent => event("fsync-dir", { path, a: 0, b: 4096, c: 1000 });
const rename = (from: string, to: string, inode: string): JournalEvent =>
  event("rename", { path: from, path2: to, inode });

describe("buildDurabilityModel", () => {
  it("makes a created name durable only with its directory's fsync under posix, with any fsync under ext4", () => {
    const events = [create("/d/a", "1:1"), write("/d/a", "1:1", 0, 10), fsync("/d/a", "1:1", 10)];
    expect(buildDurabilityModel(events).durable.has("/d/a")).toBe(false);
    expect(buildDurabilityModel(events, { namespaceModel: "ext4" }).durable.get("/d/a")?.syncedBytes).toBe(10);
    expect(buildDurabilityModel([...events, fsyncDir("/d")]).durable.get("/d/a")?.syncedBytes).toBe(10);
    expect(buildDurabilityModel([...events, fsyncDir("/other")]).durable.has("/d/a")).toBe(false);
  });

  it("needs both directories synced for a cross-directory rename", () => {
    const base = [
      create("/d/tmp", "1:2"),
      write("/d/tmp", "1:2", 0, 5),
      fsync("/d/tmp", "1:2", 5),
      fsyncDir("/d"),
      rename("/d/tmp", "/d/sub/final", "1:2"),
    ];
    const targetOnly = buildDurabilityModel([...base, fsyncDir("/d/sub")]);
    expect(targetOnly.durable.has("/d/sub/final")).toBe(true);
    expect(targetOnly.durable.has("/d/tmp")).toBe(true); // both names: the removal was never synced
    const both = buildDurabilityModel([...base, fsyncDir("/d/sub"), fsyncDir("/d")]);
    expect([...both.durable.keys()]).toEqual(["/d/sub/final"]);
  });

  it("does not count a failed fsync", () => {
    const model = buildDurabilityModel([
      create("/d/a", "1:3"),
      fsyncDir("/d"),
      write("/d/a", "1:3", 0, 10),
      fsync("/d/a", "1:3", 10, -5),
    ]);
    expect(model.durable.get("/d/a")).toMatchObject({ syncedBytes: 0, fsyncFailed: true });
  });

  it("treats O_DSYNC writes as durable on return", () => {
    const model = buildDurabilityModel([
      create("/d/a", "1:4", O_CREAT | O_DSYNC),
      fsyncDir("/d"),
      write("/d/a", "1:4", 0, 10),
      write("/d/a", "1:4", 10, 7),
    ]);
    expect(model.durable.get("/d/a")?.syncedBytes).toBe(17);
  });

  it("counts writes older than the writeback horizon as flushed by the kernel", () => {
    const events = [
      create("/d/a", "1:5"),
      fsyncDir("/d"),
      write("/d/a", "1:5", 0, 10, 1_000),
      write("/d/a", "1:5", 10, 10, 50_000_000),
    ];
    expect(buildDurabilityModel(events).durable.get("/d/a")?.syncedBytes).toBe(0);
    expect(buildDurabilityModel(events, { writebackBeforeUs: 20_000_000 }).durable.get("/d/a")?.syncedBytes).toBe(10);
  });

  it("takes a pre-existing file's size at open as durable and tracks in-place overwrites", () => {
    const model = buildDurabilityModel([
      event("open", { path: "/d/old", inode: "1:6", a: 2, b: 0, c: 100 }),
      write("/d/old", "1:6", 40, 10),
    ]);
    expect(model.durable.get("/d/old")).toMatchObject({ syncedBytes: 100, dirtyFromOffset: 40, created: false });
  });
});

describe("parseJournal", () => {
  const encode = (payload: string): string => {
    const bytes = Buffer.from(payload);
    return `@${bytes.length.toString(16).padStart(4, "0")} ${computeCrc32(bytes, 0, bytes.length).toString(16).padStart(8, "0")} ${payload}\n`;
  };
  const payload = (op: string, path: string): string =>
    [op, "1795534563478870255", "7", "7", "3", "64", "9", "0", "5", "0", "5", path, "", ""].join("\t");

  it("decodes records and skips a corrupted one in the middle and a torn one at the end", () => {
    const good = encode(payload("W", "/d/a"));
    const corrupted = encode(payload("W", "/d/b")).replace("/d/b", "/d/c");
    const torn = encode(payload("S", "/d/a")).slice(0, 30);
    const journal = parseJournal(Buffer.from(good + corrupted + good + torn));
    expect(journal.tornRecords).toBe(2);
    expect(journal.events.map((entry) => entry.path)).toEqual(["/d/a", "/d/a"]);
    expect(journal.events[0]).toMatchObject({ op: "write", timeUs: 1795534563478870, inode: "64:9", a: 0, b: 5 });
  });

  it("computes zlib's CRC-32", () => {
    const bytes = Buffer.from("123456789");
    expect(computeCrc32(bytes, 0, bytes.length)).toBe(0xcbf43926); // the standard check value
  });
});
