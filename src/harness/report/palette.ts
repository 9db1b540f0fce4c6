// Colour-blind-safe colours (Okabe & Ito, "Color Universal Design", 2008) for series, and band tints for shading.

/** Series colours in order; distinguishable under protanopia, deuteranopia and tritanopia. */
export const SERIES_COLORS = [
  "#0072B2",
  "#E69F00",
  "#009E73",
  "#CC79A7",
  "#D55E00",
  "#56B4E9",
  "#F0E442",
  "#000000",
] as const;

/** The colour of the i-th series (wraps around). */
export function pickSeriesColor(index: number): string {
  return SERIES_COLORS[index % SERIES_COLORS.length]!;
}

/** Shading of timeline events: translucent, with a text legend so colour is never the only cue. */
export const BAND_COLORS = {
  fault: "rgba(213, 94, 0, 0.22)",
  outage: "rgba(120, 120, 120, 0.20)",
  save: "rgba(86, 180, 233, 0.25)",
  rewrite: "rgba(230, 159, 0, 0.25)",
} as const;

/** Colour of reference lines such as the disk floor. */
export const REFERENCE_COLOR = "#555555";
