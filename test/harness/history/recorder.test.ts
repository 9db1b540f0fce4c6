// history.jsonl lines: the byte formatter must write exactly JSON.stringify({run, ...op}) for every kind of
// value, generated values included; the recorder must stream and retain what it was given; history.jsonl.gz
// is spooled plain and compressed into one gzip member per checkpoint.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  HISTORY_FILE,
  readHistory,
  readHistoryContents,
  type HistoryStream,
} from "../../../src/harness/history/history-file.ts";
import { HistoryLineWriter, type RecordedOp } from "../../../src/harness/history/line-writer.ts";
import { closeHistoryStream, HistoryRecorder, openHistoryStream } from "../../../src/harness/history/recorder.ts";
import { materializeFill, numberedKeyText, type NumberedKey } from "../../../src/harness/shared/generated-values.ts";

// What JSON.stringify makes of the op as history.jsonl defines it (a FilledValue stands for its string).
function expectedLine(run: string, op: RecordedOp): string {
  const { fill, ...rest } = op;
  const plain = {
    ...rest,
    key: typeof rest.key === "string" ? rest.key : numberedKeyText(rest.key),
    value: rest.value ?? (fill === undefined ? undefined : materializeFill(fill)),
  };
  const ordered = {
    run,
    id: plain.id,
    client: plain.client,
    f: plain.f,
    key: plain.key,
    value: plain.value,
    type: plain.type,
    invokeUs: plain.invokeUs,
    completeUs: plain.completeUs,
    intendedUs: plain.intendedUs,
    error: plain.error,
  };
  return JSON.stringify(ordered);
}

// A workload key as the op generator makes it.
const numbered = (prefix: string, index: number): NumberedKey => ({
  prefix,
  prefixBytes: new Uint8Array(Buffer.from(prefix, "utf8")),
  index,
});

const OPS: RecordedOp[] = [
  {
    id: 10,
    client: 4,
    f: "SET",
    key: numbered("key:", 0),
    fill: { id: 10, bytes: 100 },
    type: "ok",
    invokeUs: 7,
    completeUs: 8,
  },
  {
    id: 11,
    client: 4,
    f: "HSET",
    key: numbered("bench:hash:", 99_999_999_999),
    fill: { id: 11, bytes: 17 },
    type: "ok",
    invokeUs: 7,
    completeUs: 8,
  },
  {
    id: 12,
    client: 4,
    f: "SET",
    key: numbered('odd"prefix\\', 42),
    value: "v",
    type: "ok",
    invokeUs: 7,
    completeUs: 8,
  },
  {
    id: 13,
    client: 4,
    f: "SET",
    key: numbered("ключ:", 7),
    fill: { id: 13, bytes: 40 },
    type: "ok",
    invokeUs: 7,
    completeUs: 8,
  },
  { id: 14, client: 4, f: 'WEIRD"NAME', key: numbered("tab\t:", 3), type: "ok", invokeUs: 7, completeUs: 8 },
  { id: 1, client: 0, f: "SET", key: "key:12", value: "w1|xxxx", type: "ok", invokeUs: 10, completeUs: 20 },
  {
    id: 2,
    client: 3,
    f: "GET",
    key: "key:1",
    value: 'quote " and \n newline \\ backslash',
    type: "ok",
    invokeUs: 1,
    completeUs: 2,
    intendedUs: 0,
  },
  { id: 3, client: 1, f: "INCR", key: "ctr:9", type: "info", invokeUs: 5, error: "timed out after 500ms" },
  {
    id: 4,
    client: 1,
    f: "SET",
    key: "ключ",
    value: "значение 🙂",
    type: "fail",
    invokeUs: 5,
    completeUs: 6,
    error: 'ERR "x"',
  },
  {
    id: 5,
    client: 49,
    f: "SET",
    key: "key:5",
    fill: { id: 5, bytes: 100 },
    type: "ok",
    invokeUs: 123_456_789,
    completeUs: 123_456_999,
  },
  {
    id: 6,
    client: 2,
    f: "HSET",
    key: "hash:7",
    fill: { id: 1_234_567, bytes: 4 },
    type: "ok",
    invokeUs: 0,
    completeUs: 9,
  },
  { id: 7, client: 2, f: "LPUSH", key: "list:7", fill: { id: 77, bytes: 70_000 }, type: "info", invokeUs: 1 },
  {
    id: 8,
    client: 0,
    f: "SET",
    key: "tab\there\u007f",
    value: "lone \ud800 surrogate",
    type: "ok",
    invokeUs: -3,
    completeUs: 2.5,
  },
  {
    id: 9_007_199_254_740_991,
    client: 0,
    f: "SADD",
    key: "set:1",
    value: "",
    type: "ok",
    invokeUs: 10_000_000_000_000,
    completeUs: 10_000_000_000_001,
  },
];

describe("history lines", () => {
  it("are exactly JSON.stringify's text, generated values and escapes included", () => {
    const writer = new HistoryLineWriter(JSON.stringify('r#1 "quoted"'));
    for (const op of OPS) writer.write(op);
    const text = (writer.take() as Buffer).toString("utf8");
    expect(text.split("\n")).toEqual([...OPS.map((op) => expectedLine('r#1 "quoted"', op)), ""]);
    expect(writer.pendingBytes).toBe(0);
    expect(writer.take()).toBeNull();
  });

  it("grow past a chunk and keep every line whole", () => {
    const writer = new HistoryLineWriter('"r"');
    const lines: string[] = [];
    for (let id = 1; id <= 3000; id += 1) {
      const op: RecordedOp = {
        id,
        client: id % 7,
        f: "SET",
        key: `key:${id}`,
        fill: { id, bytes: 200 + (id % 300) },
        type: "ok",
        invokeUs: id * 10,
        completeUs: id * 10 + 3,
      };
      writer.write(op);
      lines.push(expectedLine("r", op));
    }
    expect((writer.take() as Buffer).toString("utf8")).toBe(lines.join("\n") + "\n");
  });
});

describe("HistoryRecorder", () => {
  it("records writes only in writes mode and retains ops with generated values as strings", () => {
    const recorder = new HistoryRecorder({ runId: "r", mode: "writes", retain: true });
    expect(recorder.wants("SET")).toBe(true);
    expect(recorder.wants("GET")).toBe(false);
    recorder.record({ id: 1, client: 0, f: "SET", key: "k", value: "v", type: "ok", invokeUs: 1 });
    recorder.record({ id: 2, client: 0, f: "SET", key: "k", fill: { id: 2, bytes: 12 }, type: "ok", invokeUs: 1 });
    recorder.record({
      id: 3,
      client: 0,
      f: "SET",
      key: numbered("key:", 31),
      fill: { id: 3, bytes: 5 },
      type: "ok",
      invokeUs: 1,
    });
    expect(recorder.ops().map((op) => op.value)).toEqual(["v", "w2|xxxxxxxxx", "w3|xx"]);
    expect(recorder.ops().map((op) => op.key)).toEqual(["k", "k", "key:31"]);
    expect(recorder.count).toBe(3);
  });

  // Records 5000 ops of `runId` into `stream` (not closed) and returns the lines JSON.stringify would have written.
  function recordOps(stream: HistoryStream, runId: string): string[] {
    const recorder = new HistoryRecorder({ runId, mode: "writes", stream });
    const expected: string[] = [];
    for (let id = 1; id <= 5000; id += 1) {
      const op: RecordedOp = {
        id,
        client: id % 50,
        f: "SET",
        key: `key:${id % 97}`,
        fill: { id, bytes: 100 },
        type: id % 11 === 0 ? "info" : "ok",
        invokeUs: id,
        completeUs: id + 5,
      };
      recorder.record(op);
      expected.push(expectedLine(runId, op));
    }
    recorder.flush();
    return expected;
  }

  // Resolves once every chunk written to `stream` before it has been written out.
  function writtenOut(stream: HistoryStream): Promise<void> {
    return new Promise((resolve, reject) =>
      stream.write(new Uint8Array(0), (error) => (error == null ? resolve() : reject(error))),
    );
  }

  it("streams the lines to a plain history.jsonl", async () => {
    const dir = mkdtempSync(join(tmpdir(), "persistlab-history-"));
    try {
      const file = join(dir, "history.jsonl");
      const stream = openHistoryStream(file);
      const expected = recordOps(stream, "run-1");
      await closeHistoryStream(stream);
      expect(readFileSync(file, "utf8")).toBe(expected.join("\n") + "\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("spools a run's lines as plain text and compresses them into history.jsonl.gz at the checkpoint, one gzip member per run", async () => {
    const dir = mkdtempSync(join(tmpdir(), "persistlab-history-"));
    try {
      const file = join(dir, HISTORY_FILE);
      const stream = openHistoryStream(file);
      const first = recordOps(stream, "run-1");
      await writtenOut(stream);
      // While the run records, its lines are plain bytes in the spool and nothing is compressed.
      expect(readdirSync(dir).sort()).toEqual(["history.jsonl.gz", "history.jsonl.part1"]);
      expect(readFileSync(join(dir, "history.jsonl.part1"), "utf8")).toBe(first.join("\n") + "\n");
      expect(statSync(file).size).toBe(0);
      await stream.checkpoint();
      expect(readdirSync(dir)).toEqual(["history.jsonl.gz"]);
      const afterFirst = statSync(file).size;
      expect(afterFirst).toBeGreaterThan(0);
      await stream.checkpoint(); // nothing written since: no new member
      expect(statSync(file).size).toBe(afterFirst);
      const second = recordOps(stream, "run-2");
      await closeHistoryStream(stream);
      expect(readdirSync(dir)).toEqual(["history.jsonl.gz"]);
      const bytes = readFileSync(file);
      expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
      expect([bytes[afterFirst], bytes[afterFirst + 1]]).toEqual([0x1f, 0x8b]); // the second run's member
      const text = [...first, ...second].join("\n") + "\n";
      expect(bytes.length).toBeLessThan(Buffer.byteLength(text) / 5);
      expect(execFileSync("zcat", [file], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })).toBe(text);
      const ops = await readHistory(file);
      expect(ops.length).toBe(10_000);
      expect(JSON.stringify(ops[4999])).toBe(first[4999]);
      expect((await readHistory(file, "run-2")).length).toBe(5000);
      expect((await readHistory(file, "other")).length).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("writes a client's unbroken writes refused before sending as one line, and readHistoryContents returns them apart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "persistlab-history-"));
    try {
      const file = join(dir, HISTORY_FILE);
      const stream = openHistoryStream(file);
      const recorder = new HistoryRecorder({ runId: "r#1", mode: "writes", stream, retain: true });
      const refused = (
        id: number,
        client: number,
        f = "SET",
        error = "not connected (command not sent)",
      ): RecordedOp => ({
        id,
        client,
        f,
        key: `key:${id}`,
        value: `w${id}|`,
        type: "fail",
        invokeUs: id * 10,
        completeUs: id * 10 + 1,
        error,
      });
      const ok = (id: number, client: number): RecordedOp => ({
        id,
        client,
        f: "SET",
        key: `key:${id}`,
        value: `w${id}|`,
        type: "ok",
        invokeUs: id * 10,
        completeUs: id * 10 + 5,
      });
      recorder.record(ok(1, 0));
      // Engine down: both clients' writes fail before sending; client 1's error text changes once.
      for (let id = 2; id <= 2001; id += 1)
        recorder.record(
          refused(
            id,
            id % 2,
            id % 2 === 0 ? "SET" : "INCR",
            id % 2 === 1 && id > 1000 ? "Connection is closed." : undefined,
          ),
          true,
        );
      // A refusal the engine answered (sent, then refused) stays an op line.
      recorder.record({ ...refused(2002, 0), error: "MISCONF Errors writing to the AOF file" }, false);
      recorder.record(ok(2003, 1));
      recorder.record(refused(2004, 1), true); // still open at the end of the run: flush() ends it
      recorder.flush();
      await closeHistoryStream(stream);
      expect(recorder.count).toBe(2004);
      expect(recorder.ops().length).toBe(2004); // the in-memory history keeps every op for the checkers
      const lines = execFileSync("zcat", [file], { encoding: "utf8" }).trim().split("\n");
      expect(lines.length).toBe(7); // 3 ops, 4 refused runs: client 0 one, client 1 three (its error text changed, then an ok broke it)
      const contents = await readHistoryContents(file);
      expect(contents.ops.map((op) => op.id)).toEqual([1, 2002, 2003]);
      const runs = contents.refused.map((record) => record.refused);
      expect(runs.map((run) => [run.client, run.count, run.firstId, run.lastId, run.error])).toEqual([
        [1, 499, 3, 999, "not connected (command not sent)"],
        [0, 1000, 2, 2000, "not connected (command not sent)"],
        [1, 501, 1001, 2001, "Connection is closed."],
        [1, 1, 2004, 2004, "not connected (command not sent)"],
      ]);
      expect(runs[1]).toMatchObject({ fromUs: 20, toUs: 20_001, commands: { SET: 1000 } });
      expect(runs[0]?.commands).toEqual({ INCR: 499 });
      expect(contents.refused.every((record) => record.run === "r#1")).toBe(true);
      expect(contents.ops.length + runs.reduce((sum, run) => sum + run.count, 0)).toBe(recorder.count);
      expect(await readHistory(file)).toEqual(contents.ops);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("appends to an existing history.jsonl.gz, and leaves a valid empty gzip file when nothing was recorded", async () => {
    const dir = mkdtempSync(join(tmpdir(), "persistlab-history-"));
    try {
      const empty = join(dir, "empty.jsonl.gz");
      await closeHistoryStream(openHistoryStream(empty));
      expect(execFileSync("zcat", [empty], { encoding: "utf8" })).toBe("");
      expect(await readHistory(empty)).toEqual([]);
      const file = join(dir, HISTORY_FILE);
      const first = openHistoryStream(file);
      const lines = recordOps(first, "run-1");
      await closeHistoryStream(first);
      const second = openHistoryStream(file);
      lines.push(...recordOps(second, "run-2"));
      await closeHistoryStream(second);
      expect(execFileSync("zcat", [file], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })).toBe(
        lines.join("\n") + "\n",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reports a write error at the checkpoint, naming the history file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "persistlab-history-"));
    try {
      const stream = openHistoryStream(join(dir, "missing-folder", HISTORY_FILE));
      recordOps(stream, "run-1");
      await expect(stream.checkpoint()).rejects.toThrow(/writing the history file .*missing-folder.* failed: ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
