// Copy-on-write snapshots: whatever writes interleave with the walk, the walk emits exactly the
// data set as it was when the snapshot began.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Keyspace } from "../../../src/engine/keyspace/keyspace.ts";
import { shardOf } from "../../../src/engine/keyspace/sharded-map.ts";
import type { StoredValue } from "../../../src/engine/keyspace/values.ts";

type Operation =
  | { type: "set"; db: number; key: string; value: string }
  | { type: "hset"; db: number; key: string; field: string }
  | { type: "delete"; db: number; key: string }
  | { type: "expire"; db: number; key: string }
  | { type: "flush"; db: number }
  | { type: "swap"; a: number; b: number }
  | { type: "walk"; count: number };

const dbArb = fc.integer({ min: 0, max: 2 });
const operationsOver = (keyArb: fc.Arbitrary<string>): fc.Arbitrary<Operation> =>
  fc.oneof(
    fc.record({ type: fc.constant("set" as const), db: dbArb, key: keyArb, value: fc.string({ maxLength: 4 }) }),
    fc.record({ type: fc.constant("hset" as const), db: dbArb, key: keyArb, field: fc.constantFrom("x", "y") }),
    fc.record({ type: fc.constant("delete" as const), db: dbArb, key: keyArb }),
    fc.record({ type: fc.constant("expire" as const), db: dbArb, key: keyArb }),
    fc.record({ type: fc.constant("flush" as const), db: dbArb }),
    fc.record({ type: fc.constant("swap" as const), a: dbArb, b: dbArb }),
    fc.record({ type: fc.constant("walk" as const), count: fc.integer({ min: 1, max: 3 }) }),
  );
const operationArb = operationsOver(fc.constantFrom("a", "b", "c", "d", "e", "f", "g", "h"));

// Keys that share dict shards (five in each of two shards): the walk then meets keys of the shard it is
// walking, deleted and re-added behind or ahead of its position.
function sameShardKeys(): string[] {
  const byShard = new Map<number, string[]>();
  for (let index = 0; ; index++) {
    const key = `k${index}`;
    const keys = byShard.get(shardOf(key)) ?? [];
    keys.push(key);
    byShard.set(shardOf(key), keys);
    const full = [...byShard.values()].filter((group) => group.length >= 5);
    if (full.length >= 2) return full.slice(0, 2).flatMap((group) => group.slice(0, 5));
  }
}
const sameShardOperationArb = operationsOver(fc.constantFrom(...sameShardKeys()));

function serialise(value: StoredValue): string {
  if (typeof value === "string") return `s:${value}`;
  if (value instanceof Map) return `h:${JSON.stringify([...value.entries()].sort())}`;
  return `other`;
}

function apply(keyspace: Keyspace, operation: Operation): void {
  switch (operation.type) {
    case "set":
      keyspace.database(operation.db).set(operation.key, operation.value);
      return;
    case "hset": {
      const database = keyspace.database(operation.db);
      const current = database.getForWrite(operation.key);
      if (current instanceof Map) current.set(operation.field, String(Math.random()));
      else database.set(operation.key, new Map([[operation.field, "1"]]));
      return;
    }
    case "delete":
      keyspace.database(operation.db).delete(operation.key);
      return;
    case "expire":
      if (keyspace.database(operation.db).has(operation.key))
        keyspace.database(operation.db).setExpire(operation.key, 9_999_999_999_999);
      return;
    case "flush":
      keyspace.database(operation.db).flush();
      return;
    case "swap":
      keyspace.database(operation.a).swapWith(keyspace.database(operation.b));
      return;
    case "walk":
      return;
  }
}

function image(keyspace: Keyspace): string[] {
  const rows: string[] = [];
  for (const database of keyspace.databases) {
    for (const [key, value] of database.dict)
      rows.push(`${database.index}/${key}=${serialise(value)}@${database.expires.get(key) ?? "-"}`);
  }
  return rows.sort();
}

// Runs `setup`, begins a snapshot, interleaves `during` with walk steps, and checks the snapshot emitted
// exactly the data set at its start.
function checkSnapshot(setup: readonly Operation[], during: readonly Operation[]): void {
  const keyspace = new Keyspace(3, () => 1_000);
  for (const operation of setup) apply(keyspace, operation);
  const expected = image(keyspace);
  const snapshot = keyspace.beginSnapshot();
  const emitted: string[] = [];
  let database = -1;
  const emit = (entry: { key: string; value: StoredValue; expireAtMs: number | undefined }): void => {
    emitted.push(`${database}/${entry.key}=${serialise(entry.value)}@${entry.expireAtMs ?? "-"}`);
  };
  const step = (count: number): boolean => {
    const pending: { key: string; value: StoredValue; expireAtMs: number | undefined }[] = [];
    const info = snapshot.nextSlice(count, (key, value, expireAtMs) => pending.push({ key, value, expireAtMs }));
    if (info === null) return false;
    database = info.index;
    for (const entry of pending) emit(entry);
    return true;
  };
  for (const operation of during) {
    if (operation.type === "walk") step(operation.count);
    else apply(keyspace, operation);
  }
  for (let guard = 0; guard < 1000 && step(2); guard += 1);
  expect(emitted.sort()).toEqual(expected);
  expect(keyspace.activeSnapshots).toBe(0);
}

describe("KeyspaceSnapshot", () => {
  it("emits exactly the data set at the start, whatever writes interleave", () => {
    fc.assert(
      fc.property(fc.array(operationArb, { maxLength: 30 }), fc.array(operationArb, { maxLength: 60 }), checkSnapshot),
      { numRuns: 500 },
    );
  });

  it("does so when keys share dict shards (the walk meets writes in the shard it is walking)", () => {
    fc.assert(
      fc.property(
        fc.array(sameShardOperationArb, { maxLength: 30 }),
        fc.array(sameShardOperationArb, { maxLength: 80 }),
        checkSnapshot,
      ),
      { numRuns: 500 },
    );
  });

  it("does so in one database with keys of two shards (writes land in the entered shard ahead of the walk)", () => {
    const oneDatabase = (operation: Operation): Operation =>
      "db" in operation ? { ...operation, db: 0 } : operation.type === "swap" ? { type: "walk", count: 1 } : operation;
    const denseArb = sameShardOperationArb.map(oneDatabase);
    fc.assert(
      fc.property(fc.array(denseArb, { maxLength: 20 }), fc.array(denseArb, { maxLength: 40 }), checkSnapshot),
      { numRuns: 1000 },
    );
  });

  it("keeps the start state of a collection changed in place, deleted, or re-expired in the entered shard before it is emitted", () => {
    const [first, second, third] = sameShardKeys() as [string, string, string];
    const cases: Operation[][] = [
      [{ type: "hset", db: 0, key: second, field: "x" }],
      [{ type: "delete", db: 0, key: second }],
      [{ type: "expire", db: 0, key: second }],
      [{ type: "expire", db: 0, key: third }],
      [
        { type: "set", db: 0, key: third, value: "new" },
        { type: "expire", db: 0, key: third },
      ],
      [
        { type: "delete", db: 0, key: second },
        { type: "hset", db: 0, key: second, field: "y" },
      ],
    ];
    for (const during of cases) {
      // Insertion order is walk order within a shard: `first` is emitted by the first step, the rest after the writes.
      const setup: Operation[] = [
        { type: "set", db: 0, key: first, value: "a" },
        { type: "hset", db: 0, key: second, field: "x" },
        { type: "set", db: 0, key: third, value: "c" },
      ];
      checkSnapshot(setup, [{ type: "walk", count: 1 }, ...during]);
    }
  });

  it("counts what its copy-on-write keeps (copiedBytes): nothing for untouched or already emitted keys", () => {
    const keyspace = new Keyspace(1, () => 1_000);
    const database = keyspace.database(0);
    for (let index = 0; index < 10; index += 1) database.set(`k${index}`, "v".repeat(100));
    const snapshot = keyspace.beginSnapshot();
    expect(snapshot.copiedBytes).toBe(0);
    snapshot.nextSlice(10, () => {});
    // Every key was emitted: overwriting them copies nothing.
    database.set("k1", "new");
    expect(snapshot.copiedBytes).toBe(0);
    snapshot.close();
    const second = keyspace.beginSnapshot();
    database.set("k2", "new");
    const afterOne = second.copiedBytes;
    expect(afterOne).toBeGreaterThan(100);
    database.set("k2", "newer"); // preserved once only
    expect(second.copiedBytes).toBe(afterOne);
    database.set("created-after", "x"); // absent at the start: only the bookkeeping
    expect(second.copiedBytes - afterOne).toBeLessThan(100);
    second.close();
  });
});
