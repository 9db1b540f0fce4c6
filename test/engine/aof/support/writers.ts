// Concurrent writers that remember what was sent and what was acknowledged, and the check run after a
// crash and restart: no acknowledged write lost, no value that was never written.
import type { Redis } from "ioredis";

/** What writers sent and what the server acknowledged. */
export interface WriteLog {
  /** Per key, the highest sequence number acknowledged (writes to one key are sequential). */
  readonly acked: Map<string, number>;
  /** Per key, every value sent (acknowledged or not). */
  readonly sent: Map<string, Set<string>>;
  ackedCount: number;
  /** Sequence numbers of the next run start here (later runs always write larger numbers). */
  nextRunSeq: number;
}

/** A fresh, empty log. */
export function createWriteLog(): WriteLog {
  return { acked: new Map(), sent: new Map(), ackedCount: 0, nextRunSeq: 0 };
}

const valueText = (writer: number, seq: number, padding: string): string => `v${writer}:${seq}:${padding}`;
const seqOf = (value: string): number => Number(value.split(":")[1]);

function remember(log: WriteLog, key: string, value: string): void {
  let values = log.sent.get(key);
  if (values === undefined) log.sent.set(key, (values = new Set()));
  values.add(value);
}

function acknowledge(log: WriteLog, key: string, seq: number): void {
  log.acked.set(key, Math.max(log.acked.get(key) ?? -1, seq));
  log.ackedCount += 1;
}

/**
 * Runs `clients.length` writers until `shouldStop()` or until their connection fails. Each writer
 * SETs keys `w<i>:<n>` with increasing sequence numbers; every 7th operation is a MULTI/EXEC of two SETs.
 */
export async function runWriters(options: {
  clients: readonly Redis[];
  keysPerWriter: number;
  valueBytes?: number;
  shouldStop: () => boolean;
  log: WriteLog;
}): Promise<void> {
  const padding = "x".repeat(options.valueBytes ?? 16);
  const { log } = options;
  const firstSeq = log.nextRunSeq;
  log.nextRunSeq += 1_000_000_000;
  await Promise.all(
    options.clients.map(async (client, writer) => {
      for (let seq = firstSeq; !options.shouldStop(); seq += 1) {
        const key = `w${writer}:${seq % options.keysPerWriter}`;
        const value = valueText(writer, seq, padding);
        remember(log, key, value);
        try {
          if (seq % 7 === 6) {
            seq += 1;
            const second = `w${writer}:${seq % options.keysPerWriter}`;
            const secondValue = valueText(writer, seq, padding);
            remember(log, second, secondValue);
            const result = await client.multi().set(key, value).set(second, secondValue).exec();
            if (result === null || result.some(([error]) => error !== null)) return;
            acknowledge(log, key, seq - 1);
            acknowledge(log, second, seq);
          } else {
            if ((await client.set(key, value)) !== "OK") return;
            acknowledge(log, key, seq);
          }
        } catch {
          return;
        }
      }
    }),
  );
}

/** Problems found by the check (empty when durable and clean). */
export interface DurabilityReport {
  readonly lostAcked: string[];
  readonly neverWritten: string[];
  readonly checkedKeys: number;
}

/** Reads every key the writers touched and compares with the log. */
export async function checkDurability(client: Redis, log: WriteLog): Promise<DurabilityReport> {
  const keys = [...log.sent.keys()];
  const lostAcked: string[] = [];
  const neverWritten: string[] = [];
  for (let start = 0; start < keys.length; start += 500) {
    const batch = keys.slice(start, start + 500);
    const pipeline = client.pipeline();
    for (const key of batch) pipeline.get(key);
    const values = ((await pipeline.exec()) ?? []).map(([error, value]) => {
      if (error !== null) throw error;
      return value as string | null;
    });
    batch.forEach((key, index) => {
      const value = values[index] ?? null;
      const acked = log.acked.get(key);
      if (value !== null && !(log.sent.get(key)?.has(value) ?? false)) neverWritten.push(`${key}=${value}`);
      if (acked !== undefined && (value === null || seqOf(value) < acked))
        lostAcked.push(`${key}: acked seq ${acked}, found ${value ?? "nothing"}`);
    });
  }
  return { lostAcked, neverWritten, checkedKeys: keys.length };
}
