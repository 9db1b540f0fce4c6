// A mixed data set written through commands (every type, small and large encodings, binary values,
// expiries, several databases, transactions and the non-deterministic commands AOF must rewrite), and a
// dump of a server's whole keyspace for comparing two servers key by key.
import type { Redis } from "ioredis";

const binary = (text: string): Buffer => Buffer.from(text, "latin1");

/** Writes part `part` (0, 1, 2, ...) of the data set; parts overwrite and delete some earlier keys. */
export async function writeDataset(client: Redis, part: number): Promise<void> {
  const p = `p${part}:`;
  await client.select(0);
  await client.set(`${p}plain`, "hello");
  await client.set(binary(`${p}bin\x00\xff`), binary("\x00\x01\r\n\xfe\xff value"));
  await client.set(`${p}int`, "12345");
  await client.set(`${p}long`, "a".repeat(300));
  await client.set(`${p}ex`, "expiring", "EX", 1000);
  await client.set(`${p}px`, "expiring", "PX", 2_000_000);
  await client.set(`${p}expire`, "x");
  await client.expire(`${p}expire`, 1500);
  await client.set(`${p}float`, "1.5");
  await client.incrbyfloat(`${p}float`, "2.25");
  await client.incr(`${p}counter`);
  await client.incrby(`${p}counter`, 41);
  await client.append(`${p}plain`, " world");
  await client.rpush(`${p}list-small`, "a", "b", "c");
  await client.lpush(`${p}list-small`, "z");
  await client.rpush(`${p}list-big`, ...Array.from({ length: 300 }, (_, index) => `item-${index}`));
  await client.lpop(`${p}list-big`);
  await client.hset(`${p}hash-small`, "f1", "v1", "f2", "v2");
  await client.hset(
    `${p}hash-big`,
    Object.fromEntries(Array.from({ length: 200 }, (_, index) => [`field-${index}`, `value-${index}`])),
  );
  await client.hincrbyfloat(`${p}hash-small`, "f3", "0.5");
  await client.sadd(`${p}set-int`, "1", "2", "3", "100000");
  await client.sadd(`${p}set-big`, ...Array.from({ length: 600 }, (_, index) => `member-${index}`));
  await client.spop(`${p}set-big`, 5);
  await client.zadd(`${p}zset-small`, "1.5", "a", "-2", "b", "inf", "c");
  await client.zadd(
    `${p}zset-big`,
    ...Array.from({ length: 200 }, (_, index) => [String(index / 7), `m-${index}`]).flat(),
  );
  await client.zincrby(`${p}zset-small`, 0.25, "a");
  await client.multi().set(`${p}tx1`, "1").incr(`${p}tx-counter`).rpush(`${p}tx-list`, "x").exec();
  if (part > 0) {
    await client.del(`p${part - 1}:plain`);
    await client.rename(`p${part - 1}:int`, `${p}renamed`);
    await client.persist(`p${part - 1}:ex`);
  }
  await client.select(3);
  await client.set(`${p}db3`, "in db 3");
  await client.hset(`${p}db3-hash`, "k", "v");
  await client.select(0);
}

/** One key's type, value (normalised for comparison) and whether it has a TTL. */
export interface DumpedKey {
  readonly type: string;
  readonly value: unknown;
  readonly ttlMs: number;
}

const latin1 = (value: unknown): string => (Buffer.isBuffer(value) ? value.toString("latin1") : String(value));

/** The whole keyspace of databases 0..15: db → key → type, value, TTL. */
export async function dumpKeyspace(client: Redis): Promise<Record<number, Record<string, DumpedKey>>> {
  const dump: Record<number, Record<string, DumpedKey>> = {};
  for (let db = 0; db < 16; db += 1) {
    await client.select(db);
    const keys = ((await client.callBuffer("KEYS", "*")) as Buffer[]).map(latin1).sort();
    if (keys.length === 0) continue;
    const entries: Record<string, DumpedKey> = {};
    for (const key of keys) {
      const name = binary(key);
      const type = String(await client.type(name));
      let value: unknown;
      if (type === "string") value = latin1(await client.callBuffer("GET", name));
      else if (type === "list") value = ((await client.callBuffer("LRANGE", name, "0", "-1")) as Buffer[]).map(latin1);
      else if (type === "set") value = ((await client.callBuffer("SMEMBERS", name)) as Buffer[]).map(latin1).sort();
      else if (type === "hash") {
        const flat = ((await client.callBuffer("HGETALL", name)) as Buffer[]).map(latin1);
        const pairs: [string, string][] = [];
        for (let index = 0; index < flat.length; index += 2)
          pairs.push([flat[index] as string, flat[index + 1] as string]);
        value = pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      } else if (type === "zset")
        value = ((await client.callBuffer("ZRANGE", name, "0", "-1", "WITHSCORES")) as Buffer[]).map(latin1);
      entries[key] = { type, value, ttlMs: Number(await client.pttl(name)) };
    }
    dump[db] = entries;
  }
  await client.select(0);
  return dump;
}

/** Compares two dumps: same keys, types and values; TTLs both absent or within `slackMs` of each other. */
export function diffDumps(
  left: Record<number, Record<string, DumpedKey>>,
  right: Record<number, Record<string, DumpedKey>>,
  slackMs = 20_000,
): string[] {
  const problems: string[] = [];
  const dbs = new Set([...Object.keys(left), ...Object.keys(right)].map(Number));
  for (const db of dbs) {
    const a = left[db] ?? {};
    const b = right[db] ?? {};
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const x = a[key];
      const y = b[key];
      if (x === undefined || y === undefined) {
        problems.push(`db ${db} ${JSON.stringify(key)}: only in ${x === undefined ? "right" : "left"}`);
        continue;
      }
      if (x.type !== y.type || JSON.stringify(x.value) !== JSON.stringify(y.value))
        problems.push(
          `db ${db} ${JSON.stringify(key)}: ${x.type} ${JSON.stringify(x.value).slice(0, 80)} != ${y.type} ${JSON.stringify(y.value).slice(0, 80)}`,
        );
      if (x.ttlMs < 0 !== y.ttlMs < 0 || Math.abs(x.ttlMs - y.ttlMs) > slackMs)
        problems.push(`db ${db} ${JSON.stringify(key)}: ttl ${x.ttlMs} != ${y.ttlMs}`);
    }
  }
  return problems;
}
