// Reads the commands of an AOF (RESP arrays of bulk strings, `#` annotation lines) from a buffer, one
// at a time, telling a complete command from one cut short by the end of the data (a truncated tail)
// and from bytes that cannot be a command (corruption). Pure: no I/O.

/** One step of reading. */
export type AofReadResult =
  | { readonly kind: "command"; readonly argv: string[]; readonly end: number }
  | { readonly kind: "annotation"; readonly text: string; readonly end: number }
  | { readonly kind: "end" }
  | { readonly kind: "truncated" }
  | { readonly kind: "corrupt"; readonly offset: number; readonly reason: string };

const CR = 0x0d;
const LF = 0x0a;
// The longest count line Redis's loader accepts (AOF_ANNOTATION_LINE_MAX_LEN is 1024).
const MAX_NUMBER_DIGITS = 20;

// Parses `<digits>\r\n` at `start` (after the prefix byte). Returns [value, next] or a failure kind.
function readNumberLine(buffer: Uint8Array, start: number): [number, number] | "truncated" | "corrupt" {
  let index = start;
  let value = 0;
  let negative = false;
  if (buffer[index] === 0x2d) {
    negative = true;
    index += 1;
  }
  const digitsStart = index;
  while (index < buffer.length) {
    const byte = buffer[index] as number;
    if (byte >= 0x30 && byte <= 0x39) {
      value = value * 10 + (byte - 0x30);
      index += 1;
      if (index - digitsStart > MAX_NUMBER_DIGITS) return "corrupt";
      continue;
    }
    break;
  }
  if (index >= buffer.length) return "truncated";
  if (index === digitsStart || buffer[index] !== CR) return "corrupt";
  if (index + 1 >= buffer.length) return "truncated";
  if (buffer[index + 1] !== LF) return "corrupt";
  return [negative ? -value : value, index + 2];
}

/** Reads the item that starts at `offset`. */
export function readAofItem(buffer: Uint8Array, offset: number): AofReadResult {
  if (offset >= buffer.length) return { kind: "end" };
  const first = buffer[offset];
  if (first === 0x23) {
    // '#': an annotation runs to the end of its line.
    let index = offset;
    while (index < buffer.length && buffer[index] !== LF) index += 1;
    if (index >= buffer.length) return { kind: "truncated" };
    return {
      kind: "annotation",
      text: Buffer.from(buffer.buffer, buffer.byteOffset + offset, index + 1 - offset)
        .toString("latin1")
        .replace(/\r?\n$/, ""),
      end: index + 1,
    };
  }
  if (first !== 0x2a)
    return {
      kind: "corrupt",
      offset,
      reason: `expected '*' or '#', got byte 0x${(first as number).toString(16).padStart(2, "0")}`,
    };
  const count = readNumberLine(buffer, offset + 1);
  if (count === "truncated") return { kind: "truncated" };
  if (count === "corrupt" || count[0] < 1) return { kind: "corrupt", offset, reason: "invalid argument count" };
  const argv: string[] = [];
  let index = count[1];
  const view = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.length);
  for (let argument = 0; argument < count[0]; argument += 1) {
    if (index >= buffer.length) return { kind: "truncated" };
    if (buffer[index] !== 0x24)
      return {
        kind: "corrupt",
        offset: index,
        reason: `expected '$' for argument ${argument + 1}, got byte 0x${(buffer[index] as number).toString(16).padStart(2, "0")}`,
      };
    const length = readNumberLine(buffer, index + 1);
    if (length === "truncated") return { kind: "truncated" };
    if (length === "corrupt" || length[0] < 0) return { kind: "corrupt", offset: index, reason: "invalid bulk length" };
    const dataStart = length[1];
    const dataEnd = dataStart + length[0];
    if (dataEnd + 2 > buffer.length) return { kind: "truncated" };
    if (buffer[dataEnd] !== CR || buffer[dataEnd + 1] !== LF)
      return { kind: "corrupt", offset: dataEnd, reason: "bulk string not followed by CRLF" };
    argv.push(view.toString("latin1", dataStart, dataEnd));
    index = dataEnd + 2;
  }
  return { kind: "command", argv, end: index };
}
