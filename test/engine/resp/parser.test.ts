// The RESP request parser on its own (runs under Node and Deno): any chunking gives the same
// commands, inline quoting follows sdssplitargs, header lengths follow string2ll, the limits raise
// Redis's errors, and large arguments are assembled without losing bytes.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_PARSER_LIMITS,
  ProtocolError,
  QueryBufferLimitError,
  RespParser,
  parseLength,
  type ParserLimits,
} from "../../../src/engine/resp/parser.ts";
import { formatDouble } from "../../../src/engine/resp/reply-writer.ts";

const latin1 = (text: string): Buffer => Buffer.from(text, "latin1");

function encode(argv: readonly string[]): Buffer {
  return latin1(`*${argv.length}\r\n` + argv.map((arg) => `$${arg.length}\r\n${arg}\r\n`).join(""));
}

/** Feeds chunks and returns the commands, or the error that stopped the parser. */
function parse(
  chunks: readonly Buffer[],
  limits: ParserLimits = DEFAULT_PARSER_LIMITS,
  unauthenticated = false,
): { commands: string[][]; error?: Error } {
  const parser = new RespParser(limits);
  parser.unauthenticated = unauthenticated;
  const commands: string[][] = [];
  try {
    for (const chunk of chunks) parser.feed(chunk, (argv) => commands.push(argv));
  } catch (error) {
    return { commands, error: error as Error };
  }
  return { commands };
}

function split(data: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((cut) => cut % (data.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const point of points) {
    chunks.push(data.subarray(start, point));
    start = point;
  }
  chunks.push(data.subarray(start));
  return chunks;
}

const argument = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes).toString("latin1")),
);

describe("RespParser", () => {
  it("gives the same commands whatever the chunk boundaries (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(argument, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (commands, cuts) => {
          const latinCommands = commands.map((argv) =>
            argv.map((arg) => Buffer.from(arg, "latin1").toString("latin1")),
          );
          const data = Buffer.concat(latinCommands.map(encode));
          expect(parse(split(data, cuts)).commands).toEqual(latinCommands);
        },
      ),
      { seed: 7, numRuns: 300 },
    );
  });

  it("parses inline commands with Redis's quoting and skips empty lines", () => {
    const { commands } = parse([latin1('SET "a b" \'c d\'\r\nPING\n\r\n   \r\nECHO "\\x41\\n"\r\n')]);
    expect(commands).toEqual([["SET", "a b", "c d"], ["PING"], ["ECHO", "A\n"]]);
  });

  it("reads header lengths like string2ll", () => {
    const length = (text: string): number | null => parseLength(latin1(text), 0, text.length);
    expect(length("0")).toBe(0);
    expect(length("123")).toBe(123);
    expect(length("-1")).toBe(-1);
    expect(length("007")).toBeNull();
    expect(length("-0")).toBeNull();
    expect(length("+5")).toBeNull();
    expect(length("")).toBeNull();
    expect(length("9223372036854775808")).toBeNull();
    expect(length("9223372036854775807")).toBe(Number.MAX_SAFE_INTEGER);
  });

  it("skips empty and negative multibulk counts", () => {
    expect(parse([latin1("*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n")]).commands).toEqual([["PING"]]);
  });

  it("raises Redis's protocol errors after running the commands before them", () => {
    const cases: [string, string][] = [
      ["*1\r\n$x\r\n", "Protocol error: invalid bulk length"],
      ["*1\r\n$-1\r\n", "Protocol error: invalid bulk length"],
      ["*abc\r\n", "Protocol error: invalid multibulk length"],
      ["*2147483648\r\n", "Protocol error: invalid multibulk length"],
      ["*1\r\nPING\r\n", "Protocol error: expected '$', got 'P'"],
      ['GET "x\r\n', "Protocol error: unbalanced quotes in request"],
    ];
    for (const [input, message] of cases) {
      const result = parse([latin1("PING\r\n" + input)]);
      expect(result.commands).toEqual([["PING"]]);
      expect(result.error).toBeInstanceOf(ProtocolError);
      expect(result.error?.message).toBe(message);
    }
  });

  it("refuses lines longer than 64 KB without an end", () => {
    expect(parse([latin1("x".repeat(65 * 1024))]).error?.message).toBe("Protocol error: too big inline request");
    expect(parse([latin1("*" + "1".repeat(65 * 1024))]).error?.message).toBe(
      "Protocol error: too big mbulk count string",
    );
    expect(parse([latin1("*1\r\n$" + "1".repeat(65 * 1024))]).error?.message).toBe(
      "Protocol error: too big bulk count string",
    );
  });

  it("waits at a NUL before the line end, as strchr-based Redis does", () => {
    expect(parse([latin1("PI\u0000NG\r\n")])).toEqual({ commands: [] });
    expect(parse([latin1("*1\u0000\r\n")])).toEqual({ commands: [] });
  });

  it("enforces proto-max-bulk-len, the query buffer limit and the pre-AUTH sizes", () => {
    const limits: ParserLimits = { ...DEFAULT_PARSER_LIMITS, maxBulkBytes: 100_000, maxQueryBufferBytes: 5000 };
    expect(parse([latin1("*1\r\n$100001\r\n")], limits).error?.message).toBe("Protocol error: invalid bulk length");
    expect(parse([latin1("*1\r\n$90000\r\n"), Buffer.alloc(4000)], limits).error).toBeUndefined();
    expect(parse([latin1("*1\r\n$90000\r\n"), Buffer.alloc(4000), Buffer.alloc(2000)], limits).error).toBeInstanceOf(
      QueryBufferLimitError,
    );
    expect(parse([latin1("*11\r\n")], DEFAULT_PARSER_LIMITS, true).error?.message).toBe(
      "Protocol error: unauthenticated multibulk length",
    );
    expect(parse([latin1("*1\r\n$16385\r\n")], DEFAULT_PARSER_LIMITS, true).error?.message).toBe(
      "Protocol error: unauthenticated bulk length",
    );
    expect(parse([latin1("*10\r\n")], DEFAULT_PARSER_LIMITS, true).error).toBeUndefined();
  });

  it("assembles a large argument from many small chunks byte for byte", () => {
    const value = Buffer.alloc(3 * 1024 * 1024 + 7);
    for (let index = 0; index < value.length; index += 1) value[index] = (index * 31) % 256;
    const data = Buffer.concat([
      latin1(`*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$${value.length}\r\n`),
      value,
      latin1("\r\n*1\r\n$4\r\nPING\r\n"),
    ]);
    const chunks: Buffer[] = [];
    for (let offset = 0; offset < data.length; offset += 16 * 1024 + 3)
      chunks.push(data.subarray(offset, offset + 16 * 1024 + 3));
    const { commands, error } = parse(chunks);
    expect(error).toBeUndefined();
    expect(commands.length).toBe(2);
    expect(Buffer.from((commands[0] as string[])[2] as string, "latin1").equals(value)).toBe(true);
    expect(commands[1]).toEqual(["PING"]);
  });
});

describe("formatDouble", () => {
  it("prints scores as printf %.17g does", () => {
    const cases: [number, string][] = [
      [0.1, "0.10000000000000001"],
      [1.5, "1.5"],
      [1e20, "1e+20"],
      [1 / 3, "0.33333333333333331"],
      [1e-5, "1.0000000000000001e-05"],
      [1e16, "10000000000000000"],
      [1e17, "1e+17"],
      [-2.5e-7, "-2.4999999999999999e-07"],
      [Infinity, "inf"],
      [-Infinity, "-inf"],
      [-0, "-0"],
    ];
    for (const [value, text] of cases) expect(formatDouble(value)).toBe(text);
  });
});
