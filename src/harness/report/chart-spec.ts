// ChartSpec: the data and axes of one chart, embedded as JSON in report.html and drawn there by uPlot.

/** One plotted series. */
export interface SeriesSpec {
  label: string;
  color: string;
  /** Which y axis: "y" (left) or "y2" (right). */
  axis: "y" | "y2";
  dash?: number[];
  points?: boolean;
}

/** A shaded x range (an event such as a rewrite or a kill). */
export interface BandSpec {
  from: number;
  to: number;
  kind: "fault" | "outage" | "save" | "rewrite";
  label: string;
}

/** A horizontal reference line (e.g. the disk floor). */
export interface ReferenceLineSpec {
  value: number;
  label: string;
  axis: "y" | "y2";
}

/** A chart: uPlot-aligned data ([x, ...series]) plus axes with units. */
export interface ChartSpec {
  id: string;
  title: string;
  /** One sentence under the title: what the chart shows and how to read it. */
  caption: string;
  kind: "line" | "bars";
  x: { label: string; log?: boolean; categories?: string[]; percentile?: boolean };
  y: { label: string; log?: boolean };
  y2?: { label: string; log?: boolean };
  series: SeriesSpec[];
  data: Array<Array<number | null>>;
  bands: BandSpec[];
  lines: ReferenceLineSpec[];
  /** Set instead of data when there is nothing to draw; the page shows this text. */
  empty?: string;
}

/** A chart with nothing to draw, and why. */
export function createEmptyChart(
  base: Pick<ChartSpec, "id" | "title" | "caption" | "x" | "y">,
  reason: string,
): ChartSpec {
  return { ...base, kind: "line", series: [], data: [], bands: [], lines: [], empty: reason };
}

/** Maps a percentile (0..100) to the "nines" axis: 0 → 0, 90 → 1, 99 → 2, 99.9 → 3. */
export function toNinesAxis(percentile: number): number {
  return Math.round(-Math.log10(1 - Math.min(percentile, 99.9999) / 100) * 1e6) / 1e6;
}
