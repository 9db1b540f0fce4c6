// Seeded PRNG (sfc32 seeded through splitmix32) used for every random choice of the harness.

/** A deterministic random source: next() in [0, 1), int(n) in [0, n). */
export interface Rng {
  next(): number;
  int(maxExclusive: number): number;
  fork(label: string): Rng;
}

// splitmix32: spreads a 32-bit seed into well-mixed state words.
function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

// FNV-1a of a label, so forks with different labels get independent streams.
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Creates a generator from a seed; the same seed always yields the same sequence. */
export function createRng(seed: number): Rng {
  const mix = splitmix32(seed >>> 0 ^ Math.floor(seed / 0x100000000));
  let a = mix(), b = mix(), c = mix(), d = mix();
  const nextUint = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) nextUint();
  return {
    next: () => nextUint() / 0x100000000,
    int: (maxExclusive) => Math.floor((nextUint() / 0x100000000) * maxExclusive),
    fork: (label) => createRng((nextUint() ^ hashLabel(label)) >>> 0),
  };
}
