// The shape of a figure that could not be measured: results.json carries it in place of the figure, and the
// meters that produce figures (stats/) return it, so it lives below both.

/** A metric that could not be measured, with the reason (never a silent zero). */
export interface NotMeasured {
  measured: false;
  reason: string;
}
