// Reads an engine's whole data set (database 0) back for the durability checker: SCAN in batches, MGET each
// batch; keys holding other types read as absent (MGET returns nil for them) and are left out.
import { Redis } from "ioredis";
import type { Endpoint } from "../engines/types.ts";

const SCAN_COUNT = 1000;

/** Key → string value of every string key; throws when the engine cannot be read. */
export async function readDataSet(
  endpoint: Endpoint,
  options: { timeoutMs?: number } = {},
): Promise<Map<string, string>> {
  const redis = new Redis({
    host: endpoint.host,
    port: endpoint.port,
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    commandTimeout: options.timeoutMs ?? 30_000,
    retryStrategy: () => null,
  });
  redis.on("error", () => undefined);
  const data = new Map<string, string>();
  try {
    await redis.connect();
    let cursor = "0";
    let rounds = 0;
    do {
      const [next, keys] = await redis.scan(cursor, "COUNT", SCAN_COUNT);
      cursor = next;
      const fresh = keys.filter((key) => !data.has(key));
      // SCAN's COUNT is a hint: an engine may return more keys, so MGET goes in bounded batches.
      for (let start = 0; start < fresh.length; start += SCAN_COUNT) {
        const batch = fresh.slice(start, start + SCAN_COUNT);
        const values = await redis.mget(batch);
        batch.forEach((key, index) => {
          const value = values[index];
          if (value !== null && value !== undefined) data.set(key, value);
        });
      }
      rounds++;
    } while (cursor !== "0" && rounds < 1_000_000);
    return data;
  } finally {
    redis.disconnect(false);
  }
}
