// Glob matching with Redis's stringmatchlen rules: * ? [abc] [^a] [a-z] and backslash escapes.

/** Whether `text` matches the glob `pattern` (case-sensitive unless `noCase`). */
export function matchGlob(pattern: string, text: string, noCase = false): boolean {
  if (pattern === "*") return true;
  return matchFrom(noCase ? pattern.toLowerCase() : pattern, 0, noCase ? text.toLowerCase() : text, 0, 0, {
    skipLonger: false,
  });
}

// Once the rest of a pattern after a `*` matches nowhere in the remaining text, no earlier `*` can
// help by matching more (Redis's skipLongerMatches): without this, "a*a*...*b" backtracks exponentially.
interface MatchState {
  skipLonger: boolean;
}

function matchFrom(pattern: string, p: number, text: string, t: number, depth: number, state: MatchState): boolean {
  if (depth > 1000) return false;
  while (p < pattern.length) {
    const ch = pattern[p];
    if (ch === "*") {
      while (pattern[p + 1] === "*") p += 1;
      if (p + 1 === pattern.length) return true;
      for (let start = t; start < text.length; start += 1) {
        if (matchFrom(pattern, p + 1, text, start, depth + 1, state)) return true;
        if (state.skipLonger) return false;
      }
      state.skipLonger = true;
      return false;
    }
    if (t >= text.length) return false;
    if (ch === "?") {
      p += 1;
      t += 1;
      continue;
    }
    if (ch === "[") {
      let q = p + 1;
      const negate = pattern[q] === "^";
      if (negate) q += 1;
      let matched = false;
      const current = text[t] as string;
      while (q < pattern.length && pattern[q] !== "]") {
        if (pattern[q] === "\\" && q + 1 < pattern.length) {
          q += 1;
          if (pattern[q] === current) matched = true;
          q += 1;
        } else if (pattern[q + 1] === "-" && q + 2 < pattern.length && pattern[q + 2] !== "]") {
          let low = pattern[q] as string;
          let high = pattern[q + 2] as string;
          if (low > high) [low, high] = [high, low];
          if (current >= low && current <= high) matched = true;
          q += 3;
        } else {
          if (pattern[q] === current) matched = true;
          q += 1;
        }
      }
      if (negate) matched = !matched;
      if (!matched) return false;
      p = q + 1;
      t += 1;
      continue;
    }
    if (ch === "\\" && p + 1 < pattern.length) p += 1;
    if (pattern[p] !== text[t]) return false;
    p += 1;
    t += 1;
  }
  return t === text.length;
}
