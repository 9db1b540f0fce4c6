// Loading a multi-part AOF in-process: base + incrs in order, a last command cut at every byte offset
// (repaired with aof-load-truncated yes, refused with no), an unfinished MULTI, corruption in the
// middle and other refusals, each naming the file, the offset and the repair hint.
import { mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { encodeCommand, encodeSelect } from "../../../src/engine/persistence/aof/command-encoder.ts";
import { AofLoadError } from "../../../src/engine/persistence/aof/errors.ts";
import { loadAofFiles } from "../../../src/engine/persistence/aof/loader.ts";
import { parseManifest } from "../../../src/engine/persistence/aof/manifest.ts";
import { createTestContext } from "./support/in-process.ts";
import { makeTempDir } from "./support/processes.ts";

const root = makeTempDir("loader");
afterAll(() => rmSync(root, { recursive: true, force: true }));

const MANIFEST =
  "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\nfile appendonly.aof.2.incr.aof seq 2 type i\n";
const BASE =
  encodeSelect(0) + encodeCommand(["SET", "base", "b"]) + encodeSelect(2) + encodeCommand(["SET", "in-db-2", "x"]);
const INCR1 =
  "#TS:1700000000\r\n" +
  encodeSelect(0) +
  encodeCommand(["SET", "one", "1"]) +
  encodeCommand(["MULTI"]) +
  encodeCommand(["SET", "t1", "a"]) +
  encodeCommand(["SET", "t2", "b"]) +
  encodeCommand(["EXEC"]);
const LAST = encodeCommand(["SET", "last", "final-value"]);
const INCR2 = encodeSelect(0) + encodeCommand(["SET", "two", "2"]) + LAST;

let caseCounter = 0;
function writeDir(files: Record<string, string>): string {
  const directory = join(root, `case-${(caseCounter += 1)}`);
  mkdirSync(directory, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(directory, name), content, "latin1");
  return directory;
}

async function load(directory: string, loadTruncated: boolean, manifestText = MANIFEST) {
  const { context, log } = createTestContext();
  const result = await loadAofFiles({
    context,
    directory,
    manifest: parseManifest(manifestText),
    manifestPath: join(directory, "appendonly.aof.manifest"),
    appendFilename: "appendonly.aof",
    loadTruncated,
    log,
    loadPreamble: () => Promise.reject(new Error("no preamble expected")),
    onProgress: () => {},
  });
  const get = (db: number, key: string): string | undefined =>
    context.keyspace.database(db).get(key) as string | undefined;
  return { result, get, log };
}

async function refusal(promise: Promise<unknown>): Promise<AofLoadError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AofLoadError) return error;
    throw error;
  }
  throw new Error("expected the load to be refused");
}

describe("loadAofFiles", () => {
  it("replays base then incrs, SELECTs, transactions and annotations", async () => {
    const directory = writeDir({
      "appendonly.aof.1.base.aof": BASE,
      "appendonly.aof.1.incr.aof": INCR1,
      "appendonly.aof.2.incr.aof": INCR2,
    });
    const { result, get } = await load(directory, true);
    expect(result.status).toBe("ok");
    expect(result.baseBytes).toBe(BASE.length);
    expect(result.totalBytes).toBe(BASE.length + INCR1.length + INCR2.length);
    expect([
      get(0, "base"),
      get(2, "in-db-2"),
      get(0, "one"),
      get(0, "t1"),
      get(0, "t2"),
      get(0, "two"),
      get(0, "last"),
    ]).toEqual(["b", "x", "1", "a", "b", "2", "final-value"]);
  });

  it("repairs a last command cut at any byte offset when aof-load-truncated is yes, and refuses when no", async () => {
    const lastStart = INCR2.length - LAST.length;
    for (let cut = lastStart + 1; cut < INCR2.length; cut += 1) {
      const files = {
        "appendonly.aof.1.base.aof": BASE,
        "appendonly.aof.1.incr.aof": INCR1,
        "appendonly.aof.2.incr.aof": INCR2.slice(0, cut),
      };
      const repaired = writeDir(files);
      const { result, get, log } = await load(repaired, true);
      expect(result.status, `cut ${cut}`).toBe("truncated");
      expect(get(0, "two")).toBe("2");
      expect(get(0, "last")).toBeUndefined();
      expect(statSync(join(repaired, "appendonly.aof.2.incr.aof")).size).toBe(lastStart);
      expect(log.lines).toContain(`!!! Truncating the AOF appendonly.aof.2.incr.aof at offset ${lastStart} !!!`);
      const refused = await refusal(load(writeDir(files), false));
      expect(refused.file).toBe("appendonly.aof.2.incr.aof");
      expect(refused.offset).toBe(lastStart);
      expect(refused.message).toContain("persistlab check-aof --fix");
      expect(refused.message).toContain("aof-load-truncated yes");
    }
  });

  it("drops a MULTI left open at the end (truncating to before it)", async () => {
    const open = encodeCommand(["MULTI"]) + encodeCommand(["SET", "never", "x"]);
    const directory = writeDir({
      "appendonly.aof.1.base.aof": BASE,
      "appendonly.aof.1.incr.aof": INCR1,
      "appendonly.aof.2.incr.aof": INCR2 + open,
    });
    const { result, get, log } = await load(directory, true);
    expect(result.status).toBe("truncated");
    expect(get(0, "never")).toBeUndefined();
    expect(get(0, "last")).toBe("final-value");
    expect(statSync(join(directory, "appendonly.aof.2.incr.aof")).size).toBe(INCR2.length);
    expect(log.lines).toContain("Revert incomplete MULTI/EXEC transaction in AOF file appendonly.aof.2.incr.aof");
  });

  it("refuses a truncated file that is not the last one", async () => {
    const directory = writeDir({
      "appendonly.aof.1.base.aof": BASE,
      "appendonly.aof.1.incr.aof": INCR1.slice(0, -3),
      "appendonly.aof.2.incr.aof": INCR2,
    });
    const refused = await refusal(load(directory, true));
    expect(refused.file).toBe("appendonly.aof.1.incr.aof");
    expect(refused.message).toContain("not the last file");
  });

  it("refuses corruption in the middle with the file, the offset and the hint", async () => {
    const boundary = ("#TS:1700000000\r\n" + encodeSelect(0) + encodeCommand(["SET", "one", "1"])).length;
    const corrupt = INCR1.slice(0, boundary) + "garbage\r\n" + INCR1.slice(boundary);
    const directory = writeDir({
      "appendonly.aof.1.base.aof": BASE,
      "appendonly.aof.1.incr.aof": corrupt,
      "appendonly.aof.2.incr.aof": INCR2,
    });
    const refused = await refusal(load(directory, true));
    expect(refused.file).toBe("appendonly.aof.1.incr.aof");
    expect(refused.offset).toBe(boundary);
    expect(refused.message).toMatch(
      /Bad AOF appendonly\.aof\.1\.incr\.aof at byte offset \d+: bad file format .*persistlab check-aof --fix .*appendonly\.aof\.manifest/,
    );
  });

  it("refuses a missing file and an unknown command; reports empty files as empty", async () => {
    const missing = await refusal(
      load(writeDir({ "appendonly.aof.1.base.aof": BASE, "appendonly.aof.1.incr.aof": INCR1 }), true),
    );
    expect(missing.file).toBe("appendonly.aof.2.incr.aof");
    const unknown = await refusal(
      load(
        writeDir({
          "appendonly.aof.1.base.aof": BASE,
          "appendonly.aof.1.incr.aof": encodeCommand(["NOSUCHCOMMAND", "x"]),
          "appendonly.aof.2.incr.aof": INCR2,
        }),
        true,
      ),
    );
    expect(unknown.message).toContain("unknown command 'NOSUCHCOMMAND'");
    const empty = await load(
      writeDir({ "appendonly.aof.1.base.aof": "", "appendonly.aof.1.incr.aof": "", "appendonly.aof.2.incr.aof": "" }),
      true,
    );
    expect(empty.result.status).toBe("empty");
  });
});
