// Mann-Whitney U test (Wilcoxon rank-sum), two-sided: exact null distribution for small tie-free samples,
// normal approximation with tie and continuity corrections otherwise. Pure.
// Formulas: Mann & Whitney (1947); tie-corrected variance as in Lehmann, "Nonparametrics" (1975), §1.4;
// the same choices as scipy.stats.mannwhitneyu(method="auto"), whose values the tests use as reference.

/** Result of a two-sided Mann-Whitney U test. */
export interface MannWhitneyResult {
  /** U statistic of the first sample: R1 - n1(n1+1)/2 (ties count one half). */
  u: number;
  /** Two-sided p-value; 1 when either sample is empty. */
  p: number;
  method: "exact" | "normal" | "none";
}

/** Largest n1+n2 for which the exact distribution is enumerated (tie-free samples only). */
export const EXACT_MAX_TOTAL = 40;

// Average ranks (1-based) of the pooled samples, and the tie group sizes.
function rankPooled(values: readonly number[]): { ranks: number[]; tieSizes: number[] } {
  const order = values.map((value, index) => ({ value, index })).sort((x, y) => x.value - y.value);
  const ranks = new Array<number>(values.length).fill(0);
  const tieSizes: number[] = [];
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.value === order[start]!.value) end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k]!.index] = rank;
    tieSizes.push(end - start + 1);
    start = end + 1;
  }
  return { ranks, tieSizes };
}

// Counts of arrangements giving each U for sizes (m, n): c(m, n, u) = c(m-1, n, u-n) + c(m, n-1, u).
function countUDistribution(m: number, n: number): number[] {
  // table[j][u] for the current i (first sample size), j = second sample size.
  let previous: number[][] = Array.from({ length: n + 1 }, () => [1]);
  for (let i = 1; i <= m; i++) {
    const current: number[][] = [[1]];
    for (let j = 1; j <= n; j++) {
      const size = i * j + 1;
      const row = new Array<number>(size).fill(0);
      const left = previous[j]!;
      const down = current[j - 1]!;
      for (let u = 0; u < size; u++) row[u] = (u - j >= 0 ? (left[u - j] ?? 0) : 0) + (down[u] ?? 0);
      current.push(row);
    }
    previous = current;
  }
  return previous[n]!;
}

// Standard normal upper tail 1 - Φ(z) via erfc (Numerical Recipes erfcc, fractional error < 1.2e-7).
function normalUpperTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const erfc =
    t *
    Math.exp(
      -x * x -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}

/** Two-sided Mann-Whitney U test of `a` against `b`. */
export function testMannWhitney(a: readonly number[], b: readonly number[]): MannWhitneyResult {
  const n1 = a.length,
    n2 = b.length;
  if (n1 === 0 || n2 === 0) return { u: 0, p: 1, method: "none" };
  const { ranks, tieSizes } = rankPooled([...a, ...b]);
  const rankSum = ranks.slice(0, n1).reduce((sum, r) => sum + r, 0);
  const u = rankSum - (n1 * (n1 + 1)) / 2;
  const hasTies = tieSizes.some((size) => size > 1);
  if (!hasTies && n1 + n2 <= EXACT_MAX_TOTAL) {
    const counts = countUDistribution(n1, n2);
    const total = counts.reduce((sum, c) => sum + c, 0);
    let below = 0,
      above = 0;
    counts.forEach((count, value) => {
      if (value <= u) below += count;
      if (value >= u) above += count;
    });
    return { u, p: Math.min(1, (2 * Math.min(below, above)) / total), method: "exact" };
  }
  const n = n1 + n2;
  const tieTerm = tieSizes.reduce((sum, t) => sum + (t * t * t - t), 0);
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return { u, p: 1, method: "normal" };
  const z = (Math.abs(u - (n1 * n2) / 2) - 0.5) / Math.sqrt(variance);
  return { u, p: Math.min(1, 2 * normalUpperTail(Math.max(0, z))), method: "normal" };
}

/** Smallest two-sided p-value the exact test can reach for these sample sizes (2 / C(n1+n2, n1)). */
export function minimumExactP(n1: number, n2: number): number {
  let combinations = 1;
  for (let k = 1; k <= n1; k++) combinations = (combinations * (n2 + k)) / k;
  return Math.min(1, 2 / combinations);
}
