// zod helpers that make scenario errors name the path, the value and the fix (unknown keys suggest the closest valid key).
import { z } from "zod";
import { DURATION_PATTERN } from "../shared/duration.ts";

// Levenshtein distance, for "did you mean" suggestions on unknown keys.
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] ?? 0;
}

/** Suggests the closest allowed word, or undefined when nothing is close. */
export function suggestClosest(word: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of allowed) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** A strict object: unknown keys are errors that list the valid keys and the closest one. */
export function strictObject<T extends z.ZodRawShape>(shape: T) {
  const allowed = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== "unrecognized_keys") return undefined;
      const parts = issue.keys.map((key) => {
        const close = suggestClosest(key, allowed);
        return close === undefined ? `\`${key}\`` : `\`${key}\` (did you mean \`${close}\`?)`;
      });
      return `Unknown key ${parts.join(", ")}. Fix: remove it; valid keys here are ${allowed.map((k) => `\`${k}\``).join(", ")}`;
    },
  });
}

/** A duration string such as "500ms", "10s" or "2m". */
export const durationSchema = z.string().regex(DURATION_PATTERN, {
  error: 'Expected a duration string. Fix: write e.g. "500ms", "10s" or "2m"',
});

/** A positive integer with a fix hint. */
export function positiveInt(what: string) {
  return z
    .number({ error: `Expected ${what} as a positive integer` })
    .int({ error: `Expected ${what} as a whole number` })
    .positive({ error: `Expected ${what} to be > 0` });
}
