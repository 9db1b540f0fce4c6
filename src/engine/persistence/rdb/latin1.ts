// Latin1 (one char per byte) conversions between Buffers and the engine's binary-safe strings.
// Node's Buffer has fast internal latin1Slice/latin1Write; other runtimes get the public API.

type Slice = (buffer: Buffer, start: number, end: number) => string;
type Write = (buffer: Buffer, text: string, offset: number) => number;

const prototype = Buffer.prototype as unknown as {
  latin1Slice?: (this: Buffer, start: number, end: number) => string;
  latin1Write?: (this: Buffer, text: string, offset: number) => number;
};
const nativeSlice = prototype.latin1Slice;
const nativeWrite = prototype.latin1Write;

/** buffer[start, end) as a latin1 string. */
export const latin1Slice: Slice =
  nativeSlice === undefined
    ? (buffer, start, end) => buffer.toString("latin1", start, end)
    : (buffer, start, end) => nativeSlice.call(buffer, start, end);

/** Writes text at offset as latin1 bytes; returns the bytes written. The caller ensured the room. */
export const latin1Write: Write =
  nativeWrite === undefined
    ? (buffer, text, offset) => buffer.write(text, offset, "latin1")
    : (buffer, text, offset) => nativeWrite.call(buffer, text, offset);
