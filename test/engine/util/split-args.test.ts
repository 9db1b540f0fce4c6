// The one sdssplitargs splitter shared by inline commands, config lines and AOF manifest lines.
import { describe, expect, it } from "vitest";
import { splitArgs } from "../../../src/engine/util/split-args.ts";

describe("splitArgs (Redis's sdssplitargs)", () => {
  it("reads plain words, double quotes with \\xHH and \\n escapes, and single quotes", () => {
    expect(splitArgs(`a "b c" 'd e' "\\x41\\n"`)).toEqual(["a", "b c", "d e", "A\n"]);
    expect(splitArgs(`"tab\\there" "q\\"uote" "\\a\\b\\r" "\\z"`)).toEqual(["tab\there", 'q"uote', "\x07\b\r", "z"]);
    expect(splitArgs("'it\\'s' x")).toEqual(["it's", "x"]);
    expect(splitArgs(`"\\x4g"`)).toEqual(["x4g"]);
  });

  it("gives no words for an empty or blank line, and empty words for empty quotes", () => {
    expect(splitArgs("")).toEqual([]);
    expect(splitArgs(" \t \r\n")).toEqual([]);
    expect(splitArgs(`"" ''`)).toEqual(["", ""]);
  });

  it("lets \\v and \\f separate words only at the start, as sdssplitargs", () => {
    expect(splitArgs("\u000b\u000efoo bar")).toEqual(["\u000efoo", "bar"]);
    expect(splitArgs("a\u000bb\tc")).toEqual(["a\u000bb", "c"]);
  });

  it("refuses unbalanced quotes and a closing quote not followed by a space", () => {
    expect(splitArgs(`"unterminated`)).toBeNull();
    expect(splitArgs("'unterminated")).toBeNull();
    expect(splitArgs(`"ends in a backslash\\`)).toBeNull();
    expect(splitArgs(`"closed"x`)).toBeNull();
    expect(splitArgs(`'closed'x`)).toBeNull();
    expect(splitArgs(`"closed" x`)).toEqual(["closed", "x"]);
  });
});
