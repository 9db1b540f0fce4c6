// The browser-side script of report.html: draws every embedded ChartSpec with uPlot (bars, bands, reference lines).
// Plain ES2017 in a string (no build step, works from file://); it reads JSON from <script id="report-data">.

/** Script text; expects the global `uPlot` and a JSON block with {charts, bandColors, referenceColor}. */
export const CLIENT_SCRIPT = String.raw`
(function () {
  "use strict";
  var payload = JSON.parse(document.getElementById("report-data").textContent);
  var bandColors = payload.bandColors;
  var referenceColor = payload.referenceColor;

  function formatTick(v) {
    if (v === null || v === undefined) return "";
    var a = Math.abs(v);
    if (a >= 1e6) return (v / 1e6).toFixed(a >= 1e7 ? 0 : 1) + "M";
    if (a >= 1e4) return (v / 1e3).toFixed(0) + "k";
    if (a >= 1000) return (v / 1e3).toFixed(1) + "k";
    if (a >= 10 || a === 0) return String(Math.round(v * 10) / 10);
    return String(Math.round(v * 1000) / 1000);
  }

  function formatNines(v) {
    var p = 100 * (1 - Math.pow(10, -v));
    return (Math.round(p * 1000) / 1000) + "%";
  }

  // Grouped bars: series k of n drawn side by side in each category slot.
  function groupedBars(k, n) {
    return function (u, sidx, i0, i1) {
      var fill = new Path2D();
      var xs = u.data[0], ys = u.data[sidx];
      var scaleKey = u.series[sidx].scale;
      var slot = Math.abs(u.valToPos(1, "x", true) - u.valToPos(0, "x", true));
      var group = slot * 0.76, bar = group / n;
      var scale = u.scales[scaleKey];
      var base = u.valToPos(scale.distr === 3 ? scale.min : Math.max(0, scale.min), scaleKey, true);
      for (var i = i0; i <= i1; i++) {
        var v = ys[i];
        if (v === null || v === undefined || (scale.distr === 3 && !(v > 0))) continue;
        var cx = u.valToPos(xs[i], "x", true);
        var left = cx - group / 2 + k * bar;
        var top = u.valToPos(v, scaleKey, true);
        var h = Math.max(base - top, v > 0 ? 2 : 0);
        fill.rect(left + 1, base - h, Math.max(bar - 2, 1), h);
      }
      return { stroke: fill, fill: fill };
    };
  }

  function drawBands(u, spec) {
    var ctx = u.ctx, box = u.bbox;
    ctx.save();
    spec.bands.forEach(function (band) {
      var x0 = u.valToPos(band.from, "x", true), x1 = u.valToPos(band.to, "x", true);
      ctx.fillStyle = bandColors[band.kind] || "rgba(0,0,0,0.1)";
      ctx.fillRect(x0, box.top, Math.max(x1 - x0, 2), box.height);
    });
    ctx.restore();
  }

  function drawLines(u, spec) {
    var ctx = u.ctx, box = u.bbox;
    ctx.save();
    ctx.setLineDash([8, 5]);
    ctx.lineWidth = 2 * devicePixelRatio;
    ctx.strokeStyle = referenceColor;
    ctx.fillStyle = referenceColor;
    ctx.font = (12 * devicePixelRatio) + "px system-ui, sans-serif";
    ctx.textAlign = "left";
    ctx.textBaseline = "alphabetic";
    spec.lines.forEach(function (line) {
      var y = u.valToPos(line.value, line.axis, true);
      ctx.beginPath(); ctx.moveTo(box.left, y); ctx.lineTo(box.left + box.width, y); ctx.stroke();
      ctx.fillText(line.label, box.left + 6 * devicePixelRatio, y - 4 * devicePixelRatio);
    });
    ctx.restore();
  }

  function buildOptions(spec, width) {
    var categories = spec.x.categories;
    var bars = spec.kind === "bars";
    var nBars = spec.series.length;
    var scales = { x: { time: false } };
    if (spec.x.log) scales.x.distr = 3;
    if (categories) scales.x.range = function () { return [-0.5, categories.length - 0.5]; };
    scales.y = { distr: spec.y.log ? 3 : 1 };
    // A log axis spans whole powers of ten around the data and the reference lines (so the lines stay on it).
    if (spec.y.log) scales.y.range = function (u, min, max) {
      var low = min > 0 ? min : Infinity, high = max > 0 ? max : 0;
      spec.lines.forEach(function (l) { if (l.axis === "y" && l.value > 0) { low = Math.min(low, l.value); high = Math.max(high, l.value); } });
      if (!(low < Infinity) || !(high > 0)) return [1, 10];
      return uPlot.rangeLog(low, high, 10, true);
    };
    else scales.y.range = function (u, min, max) {
      var top = Math.max(max, 0);
      spec.lines.forEach(function (l) { if (l.axis === "y") top = Math.max(top, l.value); });
      return [Math.min(0, min), top > 0 ? top * 1.12 : 1];
    };
    if (spec.y2) scales.y2 = { distr: spec.y2.log ? 3 : 1, range: function (u, min, max) { return [Math.min(0, min), max > 0 ? max * 1.12 : 1]; } };
    var xAxis = { label: spec.x.label, labelSize: 30, stroke: "#222", grid: { stroke: "#e4e4e4" } };
    if (categories) {
      xAxis.splits = function () { return categories.map(function (_, i) { return i; }); };
      xAxis.values = function (u, splits) { return splits.map(function (i) { return categories[i] || ""; }); };
      xAxis.grid = { show: false };
    } else if (spec.x.percentile) {
      xAxis.splits = function (u) { var out = []; for (var i = 0; i <= Math.ceil(u.scales.x.max); i++) out.push(i); return out; };
      xAxis.values = function (u, splits) { return splits.map(formatNines); };
    }
    var axes = [xAxis, { label: spec.y.label, labelSize: 30, size: 64, stroke: "#222", grid: { stroke: "#e4e4e4" }, values: function (u, s) { return s.map(formatTick); } }];
    if (spec.y2) axes.push({ scale: "y2", side: 1, label: spec.y2.label, labelSize: 30, size: 64, stroke: "#222", grid: { show: false }, values: function (u, s) { return s.map(formatTick); } });
    var series = [{ label: spec.x.label, value: categories ? function (u, v) { return v === null ? "" : categories[v]; } : (spec.x.percentile ? function (u, v) { return v === null ? "" : formatNines(v); } : undefined) }];
    spec.series.forEach(function (s, k) {
      var entry = { label: s.label, stroke: s.color, width: 2, scale: s.axis, spanGaps: false };
      if (s.dash) entry.dash = s.dash;
      if (bars) { entry.fill = s.color; entry.paths = groupedBars(k, nBars); entry.points = { show: false }; }
      else entry.points = { show: !!s.points, size: 8, fill: s.color };
      series.push(entry);
    });
    return {
      width: width, height: 300, series: series, axes: axes, scales: scales,
      legend: { live: true },
      cursor: { drag: { x: !categories, y: false } },
      hooks: { drawClear: [function (u) { drawBands(u, spec); }], draw: [function (u) { drawLines(u, spec); }] },
    };
  }

  var drawn = 0;
  payload.charts.forEach(function (spec) {
    var holder = document.getElementById("chart-" + spec.id);
    if (!holder || spec.empty) return;
    var width = Math.max(320, holder.clientWidth - 8);
    var options = buildOptions(spec, width);
    // The y scale as drawn, for checks of the page (log or linear, and the range it settled on).
    options.hooks.draw.push(function (u) {
      holder.setAttribute("data-y-scale", u.scales.y.distr === 3 ? "log" : "linear");
      holder.setAttribute("data-y-range", u.scales.y.min + " " + u.scales.y.max);
    });
    var plot = new uPlot(options, spec.data, holder);
    holder.setAttribute("data-drawn", "true");
    drawn++;
    window.addEventListener("resize", function () { plot.setSize({ width: Math.max(320, holder.clientWidth - 8), height: 300 }); });
  });
  document.body.setAttribute("data-charts-drawn", String(drawn));
})();
`;
