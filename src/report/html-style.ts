// The HTML report's stylesheet, inlined into the page so the file needs nothing else.

export const REPORT_CSS = `
:root { --ink: #1f2430; --muted: #6b7280; --line: #e5e7eb; --bg: #f5f6fa; --card: #fff; --good: #0f9d58; --bad: #d93025; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header.top { background: #1f2a44; color: #fff; padding: 22px 32px 20px; }
header.top h1 { margin: 0; font-size: 24px; font-weight: 650; letter-spacing: .2px; }
header.top .sub { margin: 4px 0 0; color: #c7cede; }
main { max-width: 1240px; margin: 0 auto; padding: 20px 24px 8px; }
h2 { font-size: 16px; margin: 0 0 2px; font-weight: 650; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 14px; margin-bottom: 18px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; }
.card-label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .6px; }
.card-value { font-size: 26px; font-weight: 650; margin: 2px 0; font-variant-numeric: tabular-nums; }
.card-value.good { color: var(--good); }
.card-value.bad { color: var(--bad); }
.card-note { color: var(--muted); font-size: 12px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 16px; margin-bottom: 18px; }
.panel { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px 18px; margin: 0; }
figure.panel figcaption p, .panel .source { margin: 0 0 8px; color: var(--muted); font-size: 12px; }
#figure-trend { grid-column: 1 / -1; }
.charts > *, .tables > * { min-width: 0; }
svg.chart { width: 100%; height: auto; display: block; font-size: 12px; }
svg .cat { fill: var(--ink); font-size: 12.5px; }
svg .panel-title { fill: var(--ink); font-weight: 650; font-size: 12.5px; }
svg .tick { fill: var(--muted); font-size: 11px; }
svg .value { fill: var(--ink); font-size: 11.5px; font-variant-numeric: tabular-nums; }
svg .legend { fill: var(--ink); font-size: 12px; }
svg .grid { stroke: var(--line); stroke-width: 1; }
svg .reference { stroke: var(--bad); stroke-width: 1.2; stroke-dasharray: 4 3; }
svg .reference-label { fill: var(--bad); font-size: 10.5px; }
svg .line { fill: none; stroke-width: 2; stroke-linejoin: round; stroke-linecap: round; }
svg .bar:hover, svg .point:hover { opacity: .75; }
.tables { display: grid; gap: 16px; }
.table-wrap { overflow: auto; max-height: 460px; border: 1px solid var(--line); border-radius: 8px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { padding: 6px 10px; white-space: nowrap; border-bottom: 1px solid var(--line); }
th { position: sticky; top: 0; background: #f0f2f7; font-weight: 600; color: #374151; }
tbody tr:nth-child(even) { background: #fafbfd; }
tbody tr:hover { background: #eef2ff; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.txt { text-align: left; }
td.neg { color: var(--bad); }
.pairs-wrap { display: flex; flex-wrap: wrap; gap: 0 32px; max-height: none; border: none; }
table.pairs { width: auto; min-width: 340px; border: 1px solid var(--line); border-radius: 8px; border-collapse: separate; border-spacing: 0; align-self: flex-start; }
table.pairs tr:last-child > * { border-bottom: none; }
table.pairs th { position: static; background: none; font-weight: 500; color: var(--muted); padding-right: 48px; }
footer { max-width: 1240px; margin: 0 auto; padding: 8px 24px 28px; color: var(--muted); font-size: 12px; }
@media print { .table-wrap { max-height: none; overflow: visible; } body { background: #fff; } }
`;
