// Lazy and active expiry of the keyspace, with an injected clock: expired keys vanish on access and
// in the active cycle, and nothing expires while the data set is loading (as in Redis).
import { describe, expect, it } from "vitest";
import { runActiveExpiryCycle } from "../../../src/engine/keyspace/active-expiry.ts";
import { Keyspace } from "../../../src/engine/keyspace/keyspace.ts";

describe("expiry", () => {
  it("deletes a key on access once its time passed, and reports it to expiry listeners", () => {
    let now = 1_000;
    const keyspace = new Keyspace(1, () => now);
    const expired: string[] = [];
    keyspace.onExpired((_, key) => expired.push(key));
    const db = keyspace.database(0);
    db.set("k", "v");
    db.setExpire("k", 2_000);
    expect(db.get("k")).toBe("v");
    now = 2_000;
    expect(db.get("k")).toBeUndefined();
    expect(expired).toEqual(["k"]);
    expect(keyspace.expiredKeys).toBe(1);
  });

  it("keeps expired keys while loading, then lets the active cycle collect them", () => {
    let loading = true;
    const keyspace = new Keyspace(
      2,
      () => 5_000,
      () => loading,
    );
    const db = keyspace.database(1);
    for (let index = 0; index < 50; index += 1) {
      db.set(`k${index}`, "v");
      db.setExpire(`k${index}`, 1_000);
    }
    expect(db.get("k1")).toBe("v");
    expect(runActiveExpiryCycle(keyspace, new Map())).toBe(0);
    loading = false;
    let deleted = 0;
    for (let cycle = 0; cycle < 10 && db.size > 0; cycle += 1) deleted += runActiveExpiryCycle(keyspace, new Map());
    expect(deleted).toBe(50);
    expect(db.size).toBe(0);
  });
});
