// The workload client's RESP encoder and reply reader: exact bytes, filled values, replies split across chunks.
import { describe, expect, it } from "vitest";
import { createValue } from "../../../src/harness/workload/ops.ts";
import { materializeFill, numberedKeyText, type NumberedKey } from "../../../src/harness/shared/generated-values.ts";
import { RespEncoder } from "../../../src/harness/workload/resp-encoder.ts";
import { ReplyError, RespReader, type RespReply } from "../../../src/harness/workload/resp-reader.ts";

describe("RespEncoder", () => {
  it("encodes commands, numbers, UTF-8 and filled values exactly", () => {
    const encoder = new RespEncoder();
    encoder.write("SET", ["k:1"], { id: 7, bytes: 6 });
    encoder.write("ZADD", ["z", 42, "é"]);
    expect(encoder.take().toString("utf8")).toBe(
      "*3\r\n$3\r\nSET\r\n$3\r\nk:1\r\n$6\r\nw7|xxx\r\n*4\r\n$4\r\nZADD\r\n$1\r\nz\r\n$2\r\n42\r\n$2\r\né\r\n",
    );
    expect(encoder.length).toBe(0);
    expect(materializeFill({ id: 7, bytes: 6 })).toBe("w7|xxx");
    expect(materializeFill({ id: 1234, bytes: 3 })).toBe("w1234|");
  });

  it("writes a numbered key exactly as the string it stands for (UTF-8 prefixes, 0, 10-digit indexes)", () => {
    const key = (prefix: string, index: number): NumberedKey => ({
      prefix,
      prefixBytes: new Uint8Array(Buffer.from(prefix, "utf8")),
      index,
    });
    const keys = [
      key("key:", 0),
      key("key:", 9),
      key("key:", 10),
      key("hash:", 123_456),
      key("ns-é:key:", 42),
      key("", 7),
      key("ctr:", 2_147_483_648),
      key("k:", 98_765_432_109),
    ];
    const numbered = new RespEncoder();
    const text = new RespEncoder();
    for (const [i, k] of keys.entries()) {
      numbered.write("SET", [k], { id: i, bytes: 8 });
      text.write("SET", [numberedKeyText(k)], { id: i, bytes: 8 });
      numbered.write("HSET", [k, "f1"], { id: i, bytes: 3 });
      text.write("HSET", [numberedKeyText(k), "f1"], { id: i, bytes: 3 });
    }
    expect(numbered.take().toString("utf8")).toBe(text.take().toString("utf8"));
    expect(numberedKeyText(key("ns-é:key:", 42))).toBe("ns-é:key:42");
  });

  it("spells generated values one way: the tag and id, then filler to the exact size, also past 64 KB", () => {
    for (const bytes of [1, 5, 100, 65_536, 65_600, 200_000]) {
      const written = materializeFill({ id: 12_345, bytes });
      expect(written.length).toBe(Math.max(bytes, "w12345|".length));
      expect(written).toMatch(/^w12345\|x*$/);
      expect(createValue(12_345, bytes)).toBe(written);
      expect(createValue(7, bytes, "p")).toBe(materializeFill({ id: 7, bytes }, "p"));
      expect(createValue(7, bytes, "p").startsWith("p7|")).toBe(true);
    }
  });

  it("grows past its initial buffer", () => {
    const encoder = new RespEncoder();
    for (let i = 0; i < 100; i++) encoder.write("SET", [`k${i}`], { id: i, bytes: 1000 });
    expect(encoder.take().length).toBeGreaterThan(100_000);
    encoder.write("SET", ["k"], { id: 1, bytes: 1234 });
    const text = encoder.take().toString("latin1");
    expect(text.startsWith("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1234\r\nw1|x")).toBe(true);
    expect(text.length).toBe(text.indexOf("w1|") + 1234 + 2);
  });

  it("never rewrites bytes it handed out, also when it moves to a new slab", () => {
    const encoder = new RespEncoder();
    const taken: Array<{ view: Buffer; copy: string }> = [];
    for (let i = 0; i < 2000; i++) {
      encoder.write("SET", [`key:${i}`], { id: i, bytes: 50 + (i % 300) });
      if (i % 7 === 0) {
        const view = encoder.take();
        taken.push({ view, copy: view.toString("latin1") });
      }
      if (i % 13 === 0) encoder.clear();
    }
    expect(taken.length).toBeGreaterThan(200);
    for (const { view, copy } of taken) expect(view.toString("latin1")).toBe(copy);
    expect(taken.at(-1)?.copy).toMatch(/\*3\r\n\$3\r\nSET\r\n\$8\r\nkey:1995\r\n\$\d+\r\nw1995\|x+\r\n$/);
  });

  it("writes numbers of every width exactly", () => {
    const encoder = new RespEncoder();
    const numbers = [
      0, 9, 10, 99, 100, 99_999, 100_000, 999_999_999, 1_000_000_000, 2_147_483_647, 2_147_483_648, 98_765_432_101_234,
    ];
    for (const n of numbers) encoder.write("X", [n], { id: n, bytes: 1 });
    const expected = numbers
      .map((n) => `*3\r\n$1\r\nX\r\n$${String(n).length}\r\n${n}\r\n$${String(n).length + 2}\r\nw${n}|\r\n`)
      .join("");
    expect(encoder.take().toString("latin1")).toBe(expected);
  });

  it("leaves no stale bytes behind: filler is restored after take() and clear()", () => {
    const encoder = new RespEncoder();
    encoder.write("SET", ["abcdefghij"], { id: 1, bytes: 4 });
    encoder.write("GET", ["0123456789abcdef"]);
    encoder.take();
    encoder.write("SET", ["k"], { id: 2, bytes: 40 });
    expect(encoder.take().toString("latin1")).toBe(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$40\r\nw2|${"x".repeat(37)}\r\n`);
    encoder.write("GET", ["some-long-key-name"]);
    encoder.clear();
    encoder.write("SET", ["k"], { id: 3, bytes: 30 });
    expect(encoder.take().toString("latin1")).toBe(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$30\r\nw3|${"x".repeat(27)}\r\n`);
  });
});

describe("RespReader", () => {
  it("decodes every reply type, byte by byte", () => {
    const bytes = Buffer.from("+OK\r\n-ERR bad\r\n:42\r\n$5\r\nhello\r\n$-1\r\n*2\r\n$1\r\na\r\n:1\r\n+OKAY\r\n");
    const replies: RespReply[] = [];
    const reader = new RespReader();
    for (const byte of bytes) reader.feed(Buffer.from([byte]), (r) => replies.push(r));
    expect(replies).toEqual(["OK", new ReplyError("ERR bad"), 42, "hello", null, ["a", 1], "OKAY"]);
    expect(replies[1]).toBeInstanceOf(ReplyError);
  });

  it("copies a reply split across reads out of a read buffer that is reused", () => {
    const reused = Buffer.alloc(64);
    const replies: RespReply[] = [];
    const reader = new RespReader();
    const read = (text: string): void => {
      const length = reused.write(text, 0, "latin1");
      reader.feed(reused.subarray(0, length), (r) => replies.push(r));
      reused.fill(0x21); // the socket overwrites the buffer with the next read
    };
    read("+OK\r\n$10\r\nhello");
    read("world\r\n:7\r");
    read("\n");
    expect(replies).toEqual(["OK", "helloworld", 7]);
  });
});
