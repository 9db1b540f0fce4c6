// The AOF command reader: complete commands, annotations, a tail cut at every byte offset (always
// "truncated", never "corrupt"), and bytes that cannot be a command (corrupt, with the offset).
import { describe, expect, it } from "vitest";
import {
  AofCommandFeed,
  encodeCommand,
  encodeSelect,
  encodeTimestampAnnotation,
} from "../../../src/engine/persistence/aof/command-encoder.ts";
import { readAofItem } from "../../../src/engine/persistence/aof/command-reader.ts";

const bytes = (text: string): Buffer => Buffer.from(text, "latin1");

function readAll(buffer: Buffer): { items: unknown[]; last: ReturnType<typeof readAofItem> } {
  const items: unknown[] = [];
  let offset = 0;
  for (;;) {
    const item = readAofItem(buffer, offset);
    if (item.kind !== "command" && item.kind !== "annotation") return { items, last: item };
    items.push(item.kind === "command" ? item.argv : item.text);
    offset = item.end;
  }
}

describe("encodeCommand and the feed", () => {
  it("writes RESP arrays, SELECT on a db change and timestamp annotations", () => {
    expect(encodeCommand(["SET", "k", "v"])).toBe("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n");
    expect(encodeSelect(12)).toBe("*2\r\n$6\r\nSELECT\r\n$2\r\n12\r\n");
    expect(encodeTimestampAnnotation(1700000000)).toBe("#TS:1700000000\r\n");
    const feed = new AofCommandFeed();
    const first = feed.encode(0, ["SET", "a", "1"], true, 100);
    const second = feed.encode(0, ["SET", "b", "2"], true, 100);
    const third = feed.encode(3, ["SET", "c", "3"], true, 101);
    expect(first).toBe("#TS:100\r\n" + encodeSelect(0) + encodeCommand(["SET", "a", "1"]));
    expect(second).toBe(encodeCommand(["SET", "b", "2"]));
    expect(third).toBe("#TS:101\r\n" + encodeSelect(3) + encodeCommand(["SET", "c", "3"]));
  });

  it("is binary safe (latin1: one char per byte)", () => {
    const value = "\x00\xff\r\n";
    const { items } = readAll(bytes(encodeCommand(["SET", "bin", value])));
    expect(items).toEqual([["SET", "bin", value]]);
  });
});

describe("readAofItem", () => {
  const file = "#TS:5\r\n" + encodeSelect(0) + encodeCommand(["SET", "key", "value"]) + encodeCommand(["DEL", "key"]);

  it("reads commands and annotations to the end", () => {
    const { items, last } = readAll(bytes(file));
    expect(items).toEqual(["#TS:5", ["SELECT", "0"], ["SET", "key", "value"], ["DEL", "key"]]);
    expect(last.kind).toBe("end");
  });

  it("calls every cut inside the last command truncated, never corrupt", () => {
    const lastStart = file.length - encodeCommand(["DEL", "key"]).length;
    for (let cut = lastStart + 1; cut < file.length; cut += 1) {
      const { items, last } = readAll(bytes(file.slice(0, cut)));
      expect(last.kind, `cut at ${cut}`).toBe("truncated");
      expect(items).toHaveLength(3);
    }
  });

  it("reports corruption with its offset", () => {
    const corrupt = encodeCommand(["SET", "a", "1"]) + "xyz" + encodeCommand(["SET", "b", "2"]);
    const { last } = readAll(bytes(corrupt));
    expect(last).toMatchObject({ kind: "corrupt", offset: encodeCommand(["SET", "a", "1"]).length });
    const badLength = "*2\r\n$3\r\nGET\r\n$x\r\n";
    expect(readAll(bytes(badLength)).last).toMatchObject({ kind: "corrupt", offset: 13 });
    const noCrlf = "*1\r\n$4\r\nPINGxx";
    expect(readAll(bytes(noCrlf)).last).toMatchObject({ kind: "corrupt", offset: 12 });
    expect(readAll(Buffer.alloc(16)).last).toMatchObject({ kind: "corrupt", offset: 0 });
  });
});
