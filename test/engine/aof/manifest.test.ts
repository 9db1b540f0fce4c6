// The manifest codec against Redis 7.0's rules: the lines it writes, the texts of its refusals,
// quoting of unusual names, and the bookkeeping of a rewrite (new base, history, new incr).
import { describe, expect, it } from "vitest";
import {
  addNewBase,
  addNewIncr,
  cloneManifest,
  createEmptyManifest,
  formatManifest,
  ManifestFormatError,
  markRewrittenIncrsAsHistory,
  parseManifest,
} from "../../../src/engine/persistence/aof/manifest.ts";
import { needsQuoting, quoteName } from "../../../src/engine/persistence/aof/manifest-quoting.ts";

// Written by redis-server 7.0.15 after two BGREWRITEAOFs (observed).
const REDIS_MANIFEST = "file appendonly.aof.3.base.rdb seq 3 type b\nfile appendonly.aof.3.incr.aof seq 3 type i\n";

const refusal = (text: string): string => {
  try {
    parseManifest(text);
  } catch (error) {
    if (error instanceof ManifestFormatError) return error.reason;
    throw error;
  }
  return "accepted";
};

describe("parseManifest / formatManifest", () => {
  it("round-trips what Redis writes", () => {
    const manifest = parseManifest(REDIS_MANIFEST);
    expect(manifest.base).toEqual({ name: "appendonly.aof.3.base.rdb", seq: 3, type: "b" });
    expect(manifest.incrs).toEqual([{ name: "appendonly.aof.3.incr.aof", seq: 3, type: "i" }]);
    expect(manifest.currentBaseSeq).toBe(3);
    expect(manifest.currentIncrSeq).toBe(3);
    expect(formatManifest(manifest)).toBe(REDIS_MANIFEST);
  });

  it("skips comments, accepts keys in any order and case, ignores unknown keys", () => {
    const manifest = parseManifest("# comment\nSEQ 2 TYPE i FILE a.2.incr.aof extra x\n");
    expect(manifest.incrs).toEqual([{ name: "a.2.incr.aof", seq: 2, type: "i" }]);
  });

  it("refuses with Redis's reasons", () => {
    expect(refusal("")).toBe("Found an empty AOF manifest");
    expect(refusal("file a seq 1 type b")).toBe("The AOF manifest file contains too long line");
    expect(refusal("\n")).toBe("Invalid AOF manifest file format");
    expect(refusal("file a seq 1\n")).toBe("Invalid AOF manifest file format");
    expect(refusal("file a seq 0 type b\n")).toBe("Invalid AOF manifest file format");
    expect(refusal("file dir/a seq 1 type b\n")).toBe("File can't be a path, just a filename");
    expect(refusal("file a seq 1 type b\nfile b seq 2 type b\n")).toBe("Found duplicate base file information");
    expect(refusal("file a seq 2 type i\nfile b seq 2 type i\n")).toBe("Found a non-monotonic sequence number");
    expect(refusal("file a seq 1 type x\n")).toBe("Unknown AOF file type");
    expect(refusal(`file ${"a".repeat(1100)} seq 1 type b\n`)).toBe("The AOF manifest file contains too long line");
  });

  it("quotes names that need it, as sdscatrepr, and reads them back", () => {
    const name = 'my "odd"\tname\x01.aof';
    expect(needsQuoting(name)).toBe(true);
    expect(needsQuoting("appendonly.aof.1.base.rdb")).toBe(false);
    expect(quoteName(name)).toBe('"my \\"odd\\"\\tname\\x01.aof"');
    const manifest = createEmptyManifest();
    manifest.base = { name, seq: 1, type: "b" };
    expect(parseManifest(formatManifest(manifest)).base?.name).toBe(name);
  });
});

describe("rewrite bookkeeping", () => {
  it("names the next base and incr, and turns the rewritten files into history in Redis's order", () => {
    const manifest = parseManifest(
      "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n",
    );
    const started = cloneManifest(manifest);
    expect(addNewIncr(started, "appendonly.aof").name).toBe("appendonly.aof.2.incr.aof");
    const done = cloneManifest(started);
    expect(addNewBase(done, "appendonly.aof", false).name).toBe("appendonly.aof.2.base.aof");
    markRewrittenIncrsAsHistory(done, true);
    expect(formatManifest(done)).toBe(
      "file appendonly.aof.2.base.aof seq 2 type b\n" +
        "file appendonly.aof.1.incr.aof seq 1 type h\n" +
        "file appendonly.aof.1.base.rdb seq 1 type h\n" +
        "file appendonly.aof.2.incr.aof seq 2 type i\n",
    );
    expect(manifest.incrs).toHaveLength(1);
  });

  it("with AOF off, every incr becomes history", () => {
    const manifest = parseManifest(
      "file a.1.base.rdb seq 1 type b\nfile a.1.incr.aof seq 1 type i\nfile a.2.incr.aof seq 2 type i\n",
    );
    addNewBase(manifest, "a", true);
    markRewrittenIncrsAsHistory(manifest, false);
    expect(manifest.incrs).toEqual([]);
    expect(manifest.history.map((info) => info.name)).toEqual(["a.1.incr.aof", "a.2.incr.aof", "a.1.base.rdb"]);
  });
});
