// history.jsonl lines: the fast formatter must equal JSON.stringify({run, ...op}) for every kind of value.
import { describe, expect, it } from "vitest";
import { formatHistoryLine, HistoryRecorder } from "../../../src/harness/history/recorder.ts";
import type { Op } from "../../../src/harness/history/op.ts";

describe("history lines", () => {
  it("match JSON.stringify, escaping only what needs it", () => {
    const ops: Op[] = [
      { id: 1, client: 0, f: "SET", key: "key:12", value: "w1|xxxx", type: "ok", invokeUs: 10, completeUs: 20 },
      { id: 2, client: 3, f: "GET", key: "key:1", value: 'quote " and \n newline', type: "ok", invokeUs: 1, completeUs: 2, intendedUs: 0 },
      { id: 3, client: 1, f: "INCR", key: "ctr:9", type: "info", invokeUs: 5, error: "timed out after 500ms" },
      { id: 4, client: 1, f: "SET", key: "ключ", value: "значение", type: "fail", invokeUs: 5, completeUs: 6, error: "ERR x" },
    ];
    for (const op of ops) {
      const clean = Object.fromEntries(Object.entries(op).filter(([, v]) => v !== undefined));
      expect(formatHistoryLine('"r#1"', op)).toBe(JSON.stringify({ run: "r#1", ...clean }));
    }
  });

  it("records writes only in writes mode", () => {
    const recorder = new HistoryRecorder({ runId: "r", mode: "writes", retain: true });
    expect(recorder.wants("SET")).toBe(true);
    expect(recorder.wants("GET")).toBe(false);
    recorder.record({ id: 1, client: 0, f: "SET", key: "k", value: "v", type: "ok", invokeUs: 1 });
    expect(recorder.ops()).toHaveLength(1);
  });
});
