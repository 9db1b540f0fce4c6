// Facts about a key's string value that a JS string cannot carry: that Redis would report it "raw"
// (SETBIT, BITFIELD, BITOP, PFADD, PFCOUNT and PFMERGE leave a raw sds, whatever its length), and
// the rope a large bitmap is edited through (byte-rope.ts). Both are forgotten the moment anything
// else writes the key (the keyspace's touch listener runs before every write), so neither outlives
// the value it describes; the commands that keep them re-record them after their own write.
import type { Database } from "../keyspace/database.ts";
import type { Keyspace } from "../keyspace/keyspace.ts";
import type { ByteRope } from "./byte-rope.ts";

interface KeyFacts {
  raw: boolean;
  rope: ByteRope | null;
}

class Annotations {
  readonly byDatabase = new Map<Database, Map<string, KeyFacts>>();

  // The touch listener: a write to `key` (or to the whole database when null) drops what we knew.
  forget(database: Database, key: string | null): void {
    if (this.byDatabase.size === 0) return;
    if (key === null) {
      this.byDatabase.delete(database);
      return;
    }
    const facts = this.byDatabase.get(database);
    if (facts === undefined) return;
    facts.delete(key);
    if (facts.size === 0) this.byDatabase.delete(database);
  }

  facts(database: Database, key: string): KeyFacts {
    let facts = this.byDatabase.get(database);
    if (facts === undefined) {
      facts = new Map();
      this.byDatabase.set(database, facts);
    }
    let entry = facts.get(key);
    if (entry === undefined) {
      entry = { raw: false, rope: null };
      facts.set(key, entry);
    }
    return entry;
  }

  peek(database: Database, key: string): KeyFacts | undefined {
    return this.byDatabase.get(database)?.get(key);
  }
}

const registry = new WeakMap<Keyspace, Annotations>();

// One Annotations per keyspace, its listener installed on first use.
function annotationsOf(keyspace: Keyspace): Annotations {
  let annotations = registry.get(keyspace);
  if (annotations === undefined) {
    const created = new Annotations();
    keyspace.onTouch((database, key) => created.forget(database, key));
    registry.set(keyspace, created);
    annotations = created;
  }
  return annotations;
}

/** Records that the string at key is a raw sds in Redis (call after the command's own write). */
export function markRawString(keyspace: Keyspace, database: Database, key: string): void {
  annotationsOf(keyspace).facts(database, key).raw = true;
}

/** Whether Redis would report the string at key as "raw" although it is short (OBJECT ENCODING). */
export function isRawString(keyspace: Keyspace, database: Database, key: string): boolean {
  return registry.get(keyspace)?.peek(database, key)?.raw === true;
}

/** The rope the key's current value was last written through, if it is still that value. */
export function ropeOf(keyspace: Keyspace, database: Database, key: string): ByteRope | null {
  return registry.get(keyspace)?.peek(database, key)?.rope ?? null;
}

/** Keeps the rope whose root the key now holds (call after the command's own write). */
export function keepRope(keyspace: Keyspace, database: Database, key: string, rope: ByteRope | null): void {
  annotationsOf(keyspace).facts(database, key).rope = rope;
}
