// Disaster-drill damage on real files: a torn tail cuts strictly inside the last RESP command, flips change
// bytes in the middle of the file, an RDB cut keeps a prefix; kinds that do not fit the strategy say why.
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { corruptDataDir, getDrillInapplicableReason } from "../../../src/harness/nemesis/drills/corrupt-files.ts";
import { getStrategyTraits } from "../../../src/harness/nemesis/strategy-traits.ts";
import { createRng } from "../../../src/harness/shared/rng.ts";

const AOF = getStrategyTraits({ appendonly: "yes" });
const RDB = getStrategyTraits({ save: "1 1" });
const command = (key: string, value: string): string =>
  `*3\r\n$3\r\nSET\r\n$${key.length}\r\n${key}\r\n$${value.length}\r\n${value}\r\n`;

// A data dir with a manifest, an empty base and an incr file of `count` SETs.
function makeAofDir(count: number): { dir: string; incr: string; text: string } {
  const dir = mkdtempSync(join(tmpdir(), "persistlab-corrupt-"));
  mkdirSync(join(dir, "appendonlydir"));
  writeFileSync(
    join(dir, "appendonlydir", "appendonly.aof.manifest"),
    "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n",
  );
  writeFileSync(join(dir, "appendonlydir", "appendonly.aof.1.base.aof"), "");
  const text = Array.from({ length: count }, (_, i) => command(`key:${i}`, `w${i}|${"x".repeat(40)}`)).join("");
  const incr = join(dir, "appendonlydir", "appendonly.aof.1.incr.aof");
  writeFileSync(incr, text);
  return { dir, incr, text };
}

describe("corruptDataDir", () => {
  it("tears the AOF tail inside its last command", async () => {
    for (let seed = 1; seed <= 20; seed++) {
      const { dir, incr, text } = makeAofDir(10);
      const done = await corruptDataDir({
        dataDir: dir,
        traits: AOF,
        kind: "aof-torn-tail",
        rng: createRng(seed),
        bytes: 16,
      });
      if (typeof done === "string") throw new Error(done);
      const lastStart = text.lastIndexOf("*3\r\n");
      const after = readFileSync(incr, "latin1");
      expect(after.length).toBe(done.offset);
      expect(after.length).toBeGreaterThan(lastStart);
      expect(after.length).toBeLessThan(text.length);
      expect(text.startsWith(after)).toBe(true);
      expect(done).toMatchObject({
        kind: "aof-torn-tail",
        file: "appendonlydir/appendonly.aof.1.incr.aof",
        sizeBytes: text.length,
        bytes: text.length - after.length,
      });
    }
  });

  it("flips bytes in the middle of the AOF, the same ones for the same seed", async () => {
    const first = makeAofDir(50);
    const second = makeAofDir(50);
    const a = await corruptDataDir({
      dataDir: first.dir,
      traits: AOF,
      kind: "aof-flip-bytes",
      rng: createRng(5),
      bytes: 8,
    });
    const b = await corruptDataDir({
      dataDir: second.dir,
      traits: AOF,
      kind: "aof-flip-bytes",
      rng: createRng(5),
      bytes: 8,
    });
    expect(a).toEqual(b);
    if (typeof a === "string") throw new Error(a);
    expect(a.offset).toBeGreaterThanOrEqual(first.text.length * 0.3 - 1);
    expect(a.offset).toBeLessThanOrEqual(first.text.length * 0.7);
    const after = readFileSync(first.incr);
    const before = Buffer.from(first.text, "latin1");
    const changed = [...after.keys()].filter((i) => after[i] !== before[i]);
    expect(changed).toEqual(Array.from({ length: 8 }, (_, i) => a.offset + i));
    expect(changed.every((i) => ((after[i] ?? 0) ^ (before[i] ?? 0)) === 0xff)).toBe(true);
  });

  it("damages dump.rdb by flipping or cutting, and says why when there is nothing to damage", async () => {
    const dir = mkdtempSync(join(tmpdir(), "persistlab-corrupt-rdb-"));
    expect(
      await corruptDataDir({ dataDir: dir, traits: RDB, kind: "rdb-truncate", rng: createRng(1), bytes: 4 }),
    ).toMatch(/no dump\.rdb with data/);
    const content = Buffer.alloc(1000, 7);
    writeFileSync(join(dir, "dump.rdb"), content);
    const cut = await corruptDataDir({ dataDir: dir, traits: RDB, kind: "rdb-truncate", rng: createRng(1), bytes: 4 });
    if (typeof cut === "string") throw new Error(cut);
    expect(readFileSync(join(dir, "dump.rdb")).length).toBe(cut.offset);
    expect(cut.offset).toBeGreaterThanOrEqual(300);
    expect(cut.offset).toBeLessThanOrEqual(700);
    writeFileSync(join(dir, "dump.rdb"), content);
    const flip = await corruptDataDir({
      dataDir: dir,
      traits: RDB,
      kind: "rdb-flip-bytes",
      rng: createRng(1),
      bytes: 4,
    });
    expect(flip).toMatchObject({ kind: "rdb-flip-bytes", file: "dump.rdb", bytes: 4, sizeBytes: 1000 });
  });

  it("names the kinds that cannot apply to a strategy", () => {
    expect(getDrillInapplicableReason("aof-torn-tail", RDB)).toMatch(/no AOF/);
    expect(getDrillInapplicableReason("rdb-flip-bytes", AOF)).toMatch(/loads its AOF/);
    expect(getDrillInapplicableReason("rdb-truncate", getStrategyTraits({}))).toMatch(/no save points/);
    expect(getDrillInapplicableReason("aof-flip-bytes", AOF)).toBeUndefined();
  });
});
