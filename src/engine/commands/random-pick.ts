// Random choice from Maps and Sets (RANDOMKEY, SPOP, SRANDMEMBER, HRANDFIELD, ZRANDMEMBER).
// JS collections have no random access, so a pick walks the iterator: uniform over the whole
// collection up to UNIFORM_LIMIT elements, and over a random window of the first ones beyond it,
// which keeps a pick O(UNIFORM_LIMIT) on huge collections (Redis's own picks are not uniform either).

const UNIFORM_LIMIT = 4096;

/** A uniformly random integer in [0, bound). */
export function randomIndex(bound: number): number {
  return Math.floor(Math.random() * bound);
}

/** One random element of a non-empty iterable of known size. */
export function pickOne<T>(items: Iterable<T>, size: number): T | undefined {
  const target = randomIndex(Math.min(size, UNIFORM_LIMIT));
  let index = 0;
  for (const item of items) {
    if (index === target) return item;
    index += 1;
  }
  return undefined;
}

/** `count` distinct random elements (count ≤ size), in random order. */
export function pickDistinct<T>(items: Iterable<T>, size: number, count: number): T[] {
  if (count >= size) return shuffle([...items]);
  if (count * 3 > size || size <= UNIFORM_LIMIT) {
    // Reservoir sampling over the whole collection.
    const reservoir: T[] = [];
    let seen = 0;
    for (const item of items) {
      if (reservoir.length < count) reservoir.push(item);
      else {
        const slot = randomIndex(seen + 1);
        if (slot < count) reservoir[slot] = item;
      }
      seen += 1;
    }
    return shuffle(reservoir);
  }
  const window: T[] = [];
  for (const item of items) {
    window.push(item);
    if (window.length >= Math.max(UNIFORM_LIMIT, count * 3)) break;
  }
  return shuffle(window).slice(0, count);
}

/** Shuffles in place (Fisher-Yates) and returns the array. */
export function shuffle<T>(items: T[]): T[] {
  for (let index = items.length - 1; index > 0; index -= 1) {
    const other = randomIndex(index + 1);
    const held = items[index] as T;
    items[index] = items[other] as T;
    items[other] = held;
  }
  return items;
}
