// Workload keys and values kept as numbers until someone needs their text: a NumberedKey (prefix + index) and a
// FilledValue (`w<id>|` + filler). The workload's encoder writes their bytes, the history writer formats them,
// and both turn them into strings here, the one place that spells them out.

/**
 * A generated value: the tag `w<id>|` followed by filler bytes ('x') up to `bytes` in total (the tag alone
 * when it is longer). Only the number is kept: the encoder writes its digits, no string is built per op.
 */
export interface FilledValue {
  id: number;
  bytes: number;
}

/**
 * A key that is a prefix plus a non-negative integer (`key:123`), written as the prefix's bytes and the digits.
 * Workloads pick keys at random from 10^5-10^6 of them: a table of key strings made every pick a cache miss or
 * two (the table slot, then the string), which cost the load generator 30-50% of its CPU per op at pipeline 16
 * whenever the VM's memory was contended. redis-benchmark writes random digits into a template likewise.
 */
export interface NumberedKey {
  readonly prefix: string;
  /** The prefix as UTF-8 bytes, shared by every key of the namespace. */
  readonly prefixBytes: Uint8Array;
  readonly index: number;
}

/** The key as text (`prefix` + `index`). */
export function numberedKeyText(key: NumberedKey): string {
  return key.prefix + key.index;
}

const FILLER_TEXT = "x".repeat(1 << 16);

/** The value string a FilledValue stands for (for history and the ioredis client); `tag` replaces the "w". */
export function materializeFill(fill: FilledValue, tag = "w"): string {
  const head = `${tag}${fill.id}|`;
  if (head.length >= fill.bytes) return head;
  const rest = fill.bytes - head.length;
  return head + (rest <= FILLER_TEXT.length ? FILLER_TEXT.slice(0, rest) : "x".repeat(rest));
}
