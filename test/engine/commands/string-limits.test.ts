// String size limits: SETRANGE/APPEND up to proto-max-bulk-len as Redis, and past V8's longest
// string (536870888 bytes, 24 short of Redis's 512 MB) a plain error naming the limit instead of an
// internal error; the server keeps serving.
import { afterEach, describe, expect, it } from "vitest";
import { startInProcess, type InProcessServer } from "../../helpers/in-process-server.ts";

let server: InProcessServer | null = null;
afterEach(async () => {
  await server?.stop();
  server = null;
});

describe("string size limits", () => {
  it("grows a string with SETRANGE to exactly proto-max-bulk-len, and refuses one byte more with Redis's error", async () => {
    server = await startInProcess();
    const connection = await server.connect();
    expect(await connection.call("CONFIG", "SET", "proto-max-bulk-len", "1mb")).toEqual({
      type: "status",
      value: "OK",
    });
    expect(await connection.call("SETRANGE", "k", "1048575", "x")).toEqual({ type: "integer", value: "1048576" });
    expect(await connection.call("SETRANGE", "k", "1048576", "x")).toEqual({
      type: "error",
      value: "ERR string exceeds maximum allowed size (proto-max-bulk-len)",
    });
    expect(await connection.call("APPEND", "k", "y")).toEqual({
      type: "error",
      value: "ERR string exceeds maximum allowed size (proto-max-bulk-len)",
    });
    expect(await connection.call("STRLEN", "k")).toEqual({ type: "integer", value: "1048576" });
  });

  it("answers SETRANGE k 536870911 x with an error naming V8's limit, not an internal error", async () => {
    server = await startInProcess();
    const connection = await server.connect();
    const reply = await connection.call("SETRANGE", "k", "536870911", "x");
    expect(reply.type).toBe("error");
    expect(reply).toMatchObject({
      value: expect.stringContaining("exceeds the longest string persistlab-server can hold (536870888 bytes"),
    });
    expect(await connection.call("EXISTS", "k")).toEqual({ type: "integer", value: "0" });
    expect(await connection.call("PING")).toEqual({ type: "status", value: "PONG" });
  });
});
