// Byte access to a key's string value for the bit commands. Reads go through the key's rope when it
// has one (so a read never flattens a large edited bitmap); writes go through a small Buffer copy for
// short values and through a rope (byte-rope.ts) from ROPE_MIN_LENGTH bytes on, so SETBIT and
// BITFIELD cost O(log n) on large bitmaps instead of a copy of the whole string.
import { constants as bufferConstants } from "node:buffer";
import { ReplyError } from "../errors.ts";
import { latin1Slice, latin1Write } from "../persistence/rdb/latin1.ts";
import type { Client } from "../server/context-types.ts";
import { ByteRope } from "./byte-rope.ts";
import { keepRope, markRawString, ropeOf } from "./string-annotations.ts";

/** Values at least this long are edited through a rope (below it a plain copy costs under ~20 µs). */
export const ROPE_MIN_LENGTH = 64 * 1024;

/** V8's longest string (2^29 - 24 bytes on 64-bit), 24 bytes short of Redis's 512 MB. */
export const MAX_STRING_LENGTH = bufferConstants.MAX_STRING_LENGTH;

/** Bytes read per block when a command scans a whole value (bounds the memory a scan allocates). */
const SCAN_BLOCK = 1 << 20;

/** Read-only view of a string value's bytes. */
export interface ByteSource {
  readonly length: number;
  /** The byte at index (0 past the end). */
  byteAt(index: number): number;
  /** A copy of bytes [start, end) (end ≤ length). */
  read(start: number, end: number): Uint8Array;
}

/** A view of `value` (the string stored at key), through the key's rope when it still has one. */
export function byteSourceOf(client: Client, key: string, value: string): ByteSource {
  const rope = ropeOf(client.server.keyspace, client.db, key);
  if (rope !== null && rope.length === value.length) {
    return {
      length: rope.length,
      byteAt: (index) => (index < rope.length ? rope.byteAt(index) : 0),
      read: (start, end) => rope.read(start, end),
    };
  }
  return {
    length: value.length,
    byteAt: (index) => (index < value.length ? value.charCodeAt(index) : 0),
    read: (start, end) => Buffer.from(start === 0 && end === value.length ? value : value.slice(start, end), "latin1"),
  };
}

/** Calls `visit` for consecutive blocks covering bytes [start, end) of the source. */
export function scanBlocks(
  source: ByteSource,
  start: number,
  end: number,
  visit: (block: Uint8Array, offset: number) => boolean | void,
): void {
  for (let offset = start; offset < end; offset += SCAN_BLOCK) {
    if (visit(source.read(offset, Math.min(end, offset + SCAN_BLOCK)), offset) === true) return;
  }
}

/** Refuses a string length V8 cannot hold, naming both limits. */
export function checkStringLimit(client: Client, length: number): void {
  if (length > MAX_STRING_LENGTH) {
    throw new ReplyError(
      `ERR string of ${length} bytes exceeds the longest string persistlab-server can hold (${MAX_STRING_LENGTH} bytes, V8's limit; Redis allows ${client.server.settings.protoMaxBulkLen})`,
    );
  }
}

/**
 * An in-place edit of the string at a key, as Redis's lookupStringForBitCommand: the key is
 * created or zero-padded to `minLength` bytes; commit() stores the result (keeping the TTL).
 */
export class BitmapEdit {
  /** True when the key was created or grew: Redis counts that as a change on its own. */
  readonly resized: boolean;
  private readonly client: Client;
  private readonly key: string;
  private readonly rope: ByteRope | null;
  private readonly buffer: Buffer | null;
  private changed = false;

  private constructor(client: Client, key: string, current: string | undefined, minLength: number) {
    this.client = client;
    this.key = key;
    const length = Math.max(current?.length ?? 0, minLength);
    this.resized = current === undefined || length !== current.length;
    if (length >= ROPE_MIN_LENGTH) {
      const kept = current === undefined ? null : ropeOf(client.server.keyspace, client.db, key);
      this.rope = kept !== null && kept.length === current?.length ? kept : ByteRope.fromString(current ?? "");
      this.rope.grow(length);
      this.buffer = null;
    } else {
      this.rope = null;
      this.buffer = Buffer.alloc(length);
      if (current !== undefined) latin1Write(this.buffer, current, 0);
    }
  }

  /** Opens the string at key for a bit write reaching bit `lastBit`; WRONGTYPE for other kinds. */
  static open(client: Client, key: string, lastBit: bigint): BitmapEdit {
    const current = client.db.getString(key);
    const wanted = (lastBit >> 3n) + 1n;
    const minLength = wanted > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(wanted);
    checkStringLimit(client, Math.max(minLength, current?.length ?? 0));
    return new BitmapEdit(client, key, current, minLength);
  }

  /** The byte at index (0 past the end). */
  byteAt(index: number): number {
    if (this.rope !== null) return index < this.rope.length ? this.rope.byteAt(index) : 0;
    const buffer = this.buffer as Buffer;
    return index < buffer.length ? (buffer[index] as number) : 0;
  }

  /** Replaces the byte at index (< the edited length). */
  setByte(index: number, byte: number): void {
    if (this.byteAt(index) === byte) return;
    this.changed = true;
    if (this.rope !== null) this.rope.setByte(index, byte);
    else (this.buffer as Buffer)[index] = byte;
  }

  /** Stores the value when it was created, resized or changed; the key reads as raw either way. */
  commit(): void {
    const { client, key } = this;
    const keyspace = client.server.keyspace;
    if (this.resized || this.changed) {
      const value =
        this.rope !== null ? this.rope.root : latin1Slice(this.buffer as Buffer, 0, (this.buffer as Buffer).length);
      client.db.set(key, value, true);
    }
    if (this.rope !== null) keepRope(keyspace, client.db, key, this.rope);
    markRawString(keyspace, client.db, key);
  }
}
