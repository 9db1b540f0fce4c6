// A minimal one-shot RESP client over node:net for readiness probes and INFO, independent of ioredis.
import { connect } from "node:net";
import type { Endpoint } from "./types.ts";

/** One RESP2 reply: strings for simple/bulk, numbers for integers, Error for errors, null for nil. */
export type RawReply = string | number | null | Error | RawReply[];

// Parses one reply from buffer at offset; returns [reply, nextOffset] or undefined when incomplete.
function parseReply(buffer: Buffer, offset: number): [RawReply, number] | undefined {
  const lineEnd = buffer.indexOf("\r\n", offset);
  if (lineEnd < 0) return undefined;
  const type = String.fromCharCode(buffer[offset] ?? 0);
  const line = buffer.toString("utf8", offset + 1, lineEnd);
  const next = lineEnd + 2;
  if (type === "+") return [line, next];
  if (type === "-") return [new Error(line), next];
  if (type === ":") return [Number(line), next];
  if (type === "$") {
    const length = Number(line);
    if (length < 0) return [null, next];
    if (buffer.length < next + length + 2) return undefined;
    return [buffer.toString("utf8", next, next + length), next + length + 2];
  }
  if (type === "*") {
    const count = Number(line);
    if (count < 0) return [null, next];
    const items: RawReply[] = [];
    let at = next;
    for (let i = 0; i < count; i++) {
      const item = parseReply(buffer, at);
      if (item === undefined) return undefined;
      items.push(item[0]);
      at = item[1];
    }
    return [items, at];
  }
  return [new Error(`unexpected RESP type byte ${JSON.stringify(type)}`), buffer.length];
}

// Encodes a command as a RESP array of bulk strings.
function encodeCommand(args: readonly string[]): string {
  return `*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("");
}

/** Sends commands on a fresh connection and resolves with one reply each; rejects on connect error or timeout. */
export function sendCommands(
  endpoint: Endpoint,
  commands: readonly (readonly string[])[],
  timeoutMs = 2000,
): Promise<RawReply[]> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: endpoint.host, port: endpoint.port });
    let buffer: Buffer = Buffer.alloc(0);
    const timer = setTimeout(() => finish(new Error(`timeout after ${timeoutMs}ms`)), timeoutMs);
    const finish = (error: Error | undefined, replies?: RawReply[]): void => {
      clearTimeout(timer);
      socket.destroy();
      if (error !== undefined) reject(error);
      else resolve(replies ?? []);
    };
    socket.on("error", (error) => finish(error));
    socket.on("close", () => finish(new Error("connection closed before all replies")));
    socket.on("connect", () => socket.write(commands.map(encodeCommand).join("")));
    socket.on("data", (chunk: Buffer) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      const replies: RawReply[] = [];
      let offset = 0;
      while (replies.length < commands.length) {
        const parsed = parseReply(buffer, offset);
        if (parsed === undefined) return;
        replies.push(parsed[0]);
        offset = parsed[1];
      }
      finish(undefined, replies);
    });
  });
}

/** Parses INFO text into a field → value map. */
export function parseInfo(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\r\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const colon = line.indexOf(":");
    if (colon > 0) out[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return out;
}

/** Runs INFO [section] and returns the parsed fields. */
export async function readInfo(
  endpoint: Endpoint,
  section = "everything",
  timeoutMs = 2000,
): Promise<Record<string, string>> {
  const [reply] = await sendCommands(endpoint, [["INFO", section]], timeoutMs);
  if (typeof reply !== "string") throw reply instanceof Error ? reply : new Error("INFO returned no text");
  return parseInfo(reply);
}
