// The stylesheet of report.html and compare.html: readable on a laptop screen, high contrast, print friendly.

/** CSS shared by the HTML outputs. */
export const REPORT_CSS = `
:root { color-scheme: light; --ink: #1a1a1a; --muted: #555; --line: #d6d6d6; --pass: #00683f; --fail: #a13000; --best: #eef6ff; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0; background: #fff; }
main { max-width: 1280px; margin: 0 auto; padding: 20px 24px 48px; }
h1 { font-size: 1.6rem; margin: 0 0 4px; } h2 { font-size: 1.25rem; margin: 32px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 1.02rem; margin: 0 0 2px; }
p.lead { color: var(--muted); margin: 0 0 12px; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; margin: 8px 0; }
th, td { border-bottom: 1px solid var(--line); padding: 6px 8px; text-align: right; vertical-align: top; }
th:first-child, td:first-child, td.text, th.text { text-align: left; }
td:not(.text) { white-space: nowrap; }
thead th { background: #f4f4f4; font-weight: 600; position: sticky; top: 0; }
td.best { background: var(--best); font-weight: 600; }
td.best::after { content: " ★"; color: #0072B2; }
td.tie { background: #f6f6f6; } td.tie::after { content: " ≈"; color: #555; }
.ci { display: block; color: var(--muted); font-size: 0.8rem; font-weight: 400; }
.bound { display: block; color: #8a5a00; font-size: 0.8rem; font-weight: 600; }
.verdict-supported { color: var(--pass); font-weight: 600; } .verdict-contradicted { color: var(--fail); font-weight: 600; }
.verdict-partly { color: #8a5a00; font-weight: 600; } .verdict-not-measured { color: var(--muted); }
ul.evidence { margin: 0; padding-left: 18px; }
.pass { color: var(--pass); font-weight: 600; } .fail { color: var(--fail); font-weight: 600; } .muted { color: var(--muted); }
.table-wrap { overflow-x: auto; }
#verdict-table { font-size: 0.9rem; } #verdict-table th, #verdict-table td { padding: 5px 6px; }
#verdict-table td.text { min-width: 9em; }
.floor-ratio { display: block; font-size: 0.8rem; font-weight: 400; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 24px 28px; }
figure { margin: 0; min-width: 0; } figcaption { color: var(--muted); font-size: 0.88rem; margin-bottom: 6px; }
.chart { min-height: 300px; width: 100%; }
.empty { border: 1px dashed var(--line); padding: 24px; color: var(--muted); text-align: center; }
.band-legend { font-size: 0.85rem; color: var(--muted); margin-top: 4px; }
.band-legend span { display: inline-block; width: 14px; height: 10px; margin: 0 4px 0 12px; vertical-align: middle; border: 1px solid #999; }
dl.env { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 8px 0; }
dl.env dt { font-weight: 600; } dl.env dd { margin: 0; font-family: ui-monospace, monospace; font-size: 0.9rem; word-break: break-all; }
code { font-family: ui-monospace, monospace; font-size: 0.9em; }
.uplot { font-family: inherit; } .u-legend { font-size: 0.85rem; }
@media print { .charts { grid-template-columns: 1fr; } }
`;
