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

// sfc32 as a class: every client's generator shares one hidden class and prototype methods, so the hot call
// sites stay monomorphic and inline (per-client closures made them megamorphic calls).
class Sfc32 implements Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed: number) {
    const mix = splitmix32((seed >>> 0) ^ Math.floor(seed / 0x100000000));
    this.#a = mix();
    this.#b = mix();
    this.#c = mix();
    this.#d = mix();
    for (let i = 0; i < 12; i++) this.#nextUint();
  }

  #nextUint(): number {
    const t = (((this.#a + this.#b) >>> 0) + this.#d) >>> 0;
    this.#d = (this.#d + 1) >>> 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) >>> 0;
    const c = ((this.#c << 21) | (this.#c >>> 11)) >>> 0;
    this.#c = (c + t) >>> 0;
    return t;
  }

  next(): number {
    return this.#nextUint() / 0x100000000;
  }

  int(maxExclusive: number): number {
    return Math.floor((this.#nextUint() / 0x100000000) * maxExclusive);
  }

  fork(label: string): Rng {
    return new Sfc32((this.#nextUint() ^ hashLabel(label)) >>> 0);
  }
}

/** Creates a generator from a seed; the same seed always yields the same sequence. */
export function createRng(seed: number): Rng {
  return new Sfc32(seed);
}
