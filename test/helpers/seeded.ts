// A seeded pseudo-random generator for tests that must send two servers the same data.

/** A linear congruential generator (glibc's constants) from `start`: each call returns a number in [0, 1). */
export function seededRandom(start: number): () => number {
  let seed = start;
  return () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
}
