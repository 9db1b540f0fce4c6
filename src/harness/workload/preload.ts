// Preload: fills N keys (`key:0..N-1`, values tagged `p<i>|`) fast, with pipelined MSET batches over a few
// connections. Used before a run's load and by the recovery phase to build data sets of a given size.
import { Redis } from "ioredis";
import type { Endpoint } from "../engines/types.ts";
import { createValue, KEY_NAMESPACES } from "./ops.ts";

const KEYS_PER_MSET = 100;
const MSETS_PER_BATCH = 50;
const CONNECTIONS = 4;

/** Writes `count` string keys of `valueBytes` each; resolves with the time taken (ms). Throws on error replies. */
export async function preloadKeys(
  endpoint: Endpoint,
  options: { count: number; valueBytes: number; prefix?: string; signal?: AbortSignal },
): Promise<number> {
  const started = performance.now();
  const prefix = `${options.prefix ?? ""}${KEY_NAMESPACES.SET}`;
  const clients = Array.from(
    { length: CONNECTIONS },
    () => new Redis({ host: endpoint.host, port: endpoint.port, lazyConnect: true, maxRetriesPerRequest: 2 }),
  );
  try {
    await Promise.all(clients.map((c) => c.connect()));
    let next = 0;
    // MSET where the engine has it; plain SETs for engines without MSET.
    let perCommand = KEYS_PER_MSET;
    const worker = async (client: Redis): Promise<void> => {
      while (next < options.count && options.signal?.aborted !== true) {
        const pipeline = client.pipeline();
        const first = next;
        const usedMset = perCommand > 1;
        for (let m = 0; m < MSETS_PER_BATCH && next < options.count; m++) {
          const args: string[] = [];
          for (let k = 0; k < perCommand && next < options.count; k++, next++)
            args.push(`${prefix}${next}`, createValue(next, options.valueBytes, "p"));
          pipeline.call(perCommand === 1 ? "SET" : "MSET", ...args);
        }
        const replies = await pipeline.exec();
        const failed = replies?.find(([error]) => error !== null);
        if (failed !== undefined) {
          const message = String(failed[0]).slice(0, 200);
          if (usedMset && /unknown command/i.test(message)) {
            // Redo this batch with SET (rewriting a key twice is harmless).
            perCommand = 1;
            next = Math.min(next, first);
            continue;
          }
          throw new Error(`preload failed: ${message}`);
        }
      }
    };
    await Promise.all(clients.map(worker));
  } finally {
    for (const c of clients) c.disconnect(false);
  }
  return performance.now() - started;
}
