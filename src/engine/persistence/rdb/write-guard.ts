// Protects values that a LargeValueJob is still reading live: just before a write touches such a
// value (the keyspace's touch hook runs before every change), the job copies what it has left.
import type { Keyspace } from "../../keyspace/keyspace.ts";
import type { LargeValueJob } from "./large-value-job.ts";

const guarded = new WeakMap<Keyspace, Set<LargeValueJob>>();

/** Watches writes to `job.value` until the returned release function is called. */
export function guardLargeValue(keyspace: Keyspace, job: LargeValueJob): () => void {
  let jobs = guarded.get(keyspace);
  if (jobs === undefined) {
    const created = new Set<LargeValueJob>();
    jobs = created;
    guarded.set(keyspace, created);
    // One listener per keyspace for its lifetime (the keyspace has no way to remove listeners).
    keyspace.onTouch((database, key) => {
      if (created.size === 0 || key === null) return; // a replaced dict leaves its values untouched
      const value = database.dict.get(key);
      if (value === undefined || typeof value === "string") return;
      for (const job of created) if (job.value === value) job.detach();
    });
  }
  const set = jobs;
  set.add(job);
  return () => {
    set.delete(job);
  };
}
