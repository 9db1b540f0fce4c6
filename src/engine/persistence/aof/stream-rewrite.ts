// The commands that rebuild one stream in a command-format AOF base, as Redis 7.0's rewriteStreamObject
// writes them: XADD per entry (an empty stream as XADD MAXLEN 0 0-1 x y), XSETID with ENTRIESADDED and
// MAXDELETEDID, then per group XGROUP CREATE ... ENTRIESREAD, an XCLAIM ... TIME RETRYCOUNT JUSTID FORCE
// per pending entry of each consumer, and XGROUP CREATECONSUMER for consumers with nothing pending.
import { sortedGroups } from "../../keyspace/stream-groups.ts";
import { formatId, MAX_ID } from "../../keyspace/stream-id.ts";
import type { StreamValue } from "../../keyspace/stream-value.ts";
import { encodeCommand } from "./command-encoder.ts";

/** The AOF text that recreates `stream` at `key`. */
export function encodeStream(key: string, stream: StreamValue): string {
  let out = "";
  if (stream.length > 0) {
    stream.forEachInRange(0n, MAX_ID, false, (entry, node) => {
      const argv = ["XADD", key, formatId(entry.id)];
      const fields = node.fieldsOf(entry);
      for (let index = 0; index < entry.values.length; index += 1)
        argv.push(fields[index] as string, entry.values[index] as string);
      out += encodeCommand(argv);
    });
  } else {
    out += encodeCommand(["XADD", key, "MAXLEN", "0", "0-1", "x", "y"]);
  }
  out += encodeCommand([
    "XSETID",
    key,
    formatId(stream.lastId),
    "ENTRIESADDED",
    String(stream.entriesAdded),
    "MAXDELETEDID",
    formatId(stream.maxDeletedId),
  ]);
  for (const [name, group] of sortedGroups(stream.groups)) {
    out += encodeCommand([
      "XGROUP",
      "CREATE",
      key,
      name,
      formatId(group.lastId),
      "ENTRIESREAD",
      String(group.entriesRead),
    ]);
    for (const consumer of group.sortedConsumers()) {
      if (consumer.pel.size === 0) {
        out += encodeCommand(["XGROUP", "CREATECONSUMER", key, name, consumer.name]);
        continue;
      }
      consumer.pel.walkFrom(0n, (id, nack) => {
        out += encodeCommand([
          "XCLAIM",
          key,
          name,
          consumer.name,
          "0",
          formatId(id),
          "TIME",
          String(nack.deliveryTime),
          "RETRYCOUNT",
          String(nack.deliveryCount),
          "JUSTID",
          "FORCE",
        ]);
      });
    }
  }
  return out;
}
