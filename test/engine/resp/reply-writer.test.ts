// The reply writer (runs under Node and Deno): RESP2/RESP3 frames, and output beyond a V8 string's
// comfortable size handed over as chunks instead of one ever-growing string.
import { describe, expect, it } from "vitest";
import { ReplyWriter } from "../../../src/engine/resp/reply-writer.ts";

describe("ReplyWriter", () => {
  it("encodes RESP2 and RESP3 frames", () => {
    const writer = new ReplyWriter();
    writer.ok();
    writer.integer(42);
    writer.bulkOrNil(undefined);
    writer.map(1);
    writer.bulk("k");
    writer.double(1.5);
    writer.error("ERR bad\r\nthing");
    expect(writer.take()).toBe("+OK\r\n:42\r\n$-1\r\n*2\r\n$1\r\nk\r\n$3\r\n1.5\r\n-ERR bad  thing\r\n");
    writer.protocol = 3;
    writer.nil();
    writer.map(1);
    writer.set(0);
    writer.double(1.5);
    expect(writer.take()).toBe("_\r\n%1\r\n~0\r\n,1.5\r\n");
  });

  it("hands very large output over in chunks that concatenate to the exact frames", () => {
    const writer = new ReplyWriter();
    const value = "v".repeat(1024 * 1024);
    const values = Array.from({ length: 20 }, () => value);
    writer.bulkArray(values);
    writer.ok();
    const out = writer.take();
    expect(Array.isArray(out)).toBe(true);
    const joined = (out as string[]).join("");
    expect(joined.length).toBe(`*20\r\n`.length + 20 * (`$1048576\r\n`.length + value.length + 2) + 5);
    expect(joined.startsWith("*20\r\n$1048576\r\nvvv")).toBe(true);
    expect(joined.endsWith("v\r\n+OK\r\n")).toBe(true);
    expect(writer.take()).toBe("");
  });
});
