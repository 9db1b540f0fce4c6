// Encoding of propagated writes as the AOF stores them: each command a RESP array of bulk strings,
// SELECT when the database of the next write differs, `#TS:<unix seconds>` annotations when
// aof-timestamp-enabled is on. Values are latin1 strings (one char per byte), so lengths are bytes.

/** `*<n>\r\n$<len>\r\n<arg>\r\n...` */
export function encodeCommand(argv: readonly string[]): string {
  let out = "*" + argv.length + "\r\n";
  for (const arg of argv) out += "$" + arg.length + "\r\n" + arg + "\r\n";
  return out;
}

/** SELECT <db> as Redis writes it. */
export function encodeSelect(dbIndex: number): string {
  const text = String(dbIndex);
  return "*2\r\n$6\r\nSELECT\r\n$" + text.length + "\r\n" + text + "\r\n";
}

/** A timestamp annotation line. */
export function encodeTimestampAnnotation(unixSeconds: number): string {
  return "#TS:" + unixSeconds + "\r\n";
}

/** Turns propagated writes into AOF text, tracking the selected database and the last timestamp written. */
export class AofCommandFeed {
  /** Database of the last command written; -1 forces a SELECT before the next one. */
  selectedDb = -1;
  private lastTimestampSec = 0;

  /** Forces SELECT before the next command (a new file starts). */
  reset(): void {
    this.selectedDb = -1;
  }

  /** The text for one write: annotation if due, SELECT if the db changed, then the command. */
  encode(dbIndex: number, argv: readonly string[], timestamps: boolean, nowSec: number): string {
    let out = "";
    if (timestamps && this.lastTimestampSec < nowSec) {
      this.lastTimestampSec = nowSec;
      out += encodeTimestampAnnotation(nowSec);
    }
    if (dbIndex !== this.selectedDb) {
      out += encodeSelect(dbIndex);
      this.selectedDb = dbIndex;
    }
    return out + encodeCommand(argv);
  }
}
