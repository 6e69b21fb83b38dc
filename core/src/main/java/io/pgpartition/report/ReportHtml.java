package io.pgpartition.report;

/**
 * A {@link PartitionReport} as one self-contained HTML page: no request leaves it (styles and script inline, no fonts,
 * no libraries), so it can be mailed, attached to a ticket or opened offline. Per table, a chart of each partition's
 * size (bars) and rows (dots) along the key order, the default partition set apart and the end of the coverage from
 * now (the premake horizon) marked, then the partitions as a table. The data is the report's JSON
 * ({@link ReportJson}), embedded, and the page draws from it.
 */
public final class ReportHtml {

    private ReportHtml() {
    }

    public static String render(PartitionReport report) {
        String json = ReportJson.render(report).strip()
                // the JSON sits in a <script> element: it must not be able to end it
                .replace("</", "<\\/").replace("<!--", "<\\u0021--");
        return PAGE.replace("%TITLE%", escape("pgpartition report, " + report.at()))
                .replace("%DATA%", json);
    }

    /** Text for HTML element content and attribute values. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    private static final String PAGE = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>%TITLE%</title>
            <style>
              body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px; color: #1d2330; background: #fff; }
              h1 { font-size: 20px; margin: 0 0 4px; }
              h2 { font-size: 16px; margin: 28px 0 4px; }
              .meta, .facts { color: #5b6475; margin: 0 0 8px; }
              .problem { color: #a4262c; margin: 2px 0; }
              svg.chart { display: block; max-width: 100%; height: auto; border: 1px solid #e3e6ec; background: #fbfcfe; }
              .bar, .key { fill: #3d7bd9; }
              .bar.default, .key.default { fill: #d98a3d; }
              .rows { fill: #1d2330; }
              .axis { stroke: #b9c0cc; stroke-width: 1; }
              .horizon { stroke: #2e9e5b; stroke-width: 2; stroke-dasharray: 6 4; }
              .label { font-size: 11px; fill: #5b6475; }
              .legend { font-size: 12px; fill: #1d2330; }
              table { border-collapse: collapse; margin-top: 8px; font-size: 13px; }
              th, td { padding: 3px 10px; border-bottom: 1px solid #eceef2; text-align: left; white-space: nowrap; }
              td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
              tr.default td { color: #a35b16; }
              .sub td:first-child { padding-left: 28px; }
            </style>
            </head>
            <body>
            <h1>Partitioned tables</h1>
            <p class="meta" id="meta"></p>
            <div id="tables"></div>
            <script type="application/json" id="report">%DATA%</script>
            <script>
            (function () {
              var report = JSON.parse(document.getElementById('report').textContent);
              var SVG = 'http://www.w3.org/2000/svg';
              function el(name, attrs, text) {
                var e = document.createElementNS(SVG, name);
                Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
                if (text !== undefined) { e.textContent = text; }
                return e;
              }
              function html(name, text, cls) {
                var e = document.createElement(name);
                if (text !== undefined) { e.textContent = text; }
                if (cls) { e.className = cls; }
                return e;
              }
              function qualified(n) { return (n.schema ? n.schema + '.' : '') + n.name; }
              function bytes(b) {
                var units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'], u = 0, v = b;
                while (Math.abs(v) >= 1024 && u < units.length - 1) { v /= 1024; u++; }
                return u === 0 ? b + ' B' : (v >= 100 ? v.toFixed(0) : v.toFixed(1)) + ' ' + units[u];
              }
              function number(n) { return n === null || n < 0 ? '-' : n.toLocaleString('en-US'); }
              function count(n, noun) { return number(n) + ' ' + noun + (n === 1 ? '' : 's'); }
              function rowsOf(p) { return p.exactRows !== null ? p.exactRows : Math.max(p.estimatedRows, 0); }

              document.getElementById('meta').textContent = 'Read ' + report.at + ' from PostgreSQL ' + report.server
                + ' - ' + report.tables.length + ' partitioned table' + (report.tables.length === 1 ? '' : 's');

              function chart(table) {
                var parts = table.partitions, n = Math.max(parts.length, 1);
                var step = Math.max(8, Math.min(56, Math.floor(1000 / n))), left = 64, top = 52, h = 180;
                var width = Math.max(left + step * n + 140, 560), height = top + h + 64;
                var svg = el('svg', {'class': 'chart', viewBox: '0 0 ' + width + ' ' + height, width: width, height: height,
                                     role: 'img', 'aria-label': 'Size and rows of each partition of ' + qualified(table.table)});
                var maxBytes = Math.max.apply(null, parts.map(function (p) { return p.bytes.total; }).concat([1]));
                var maxRows = Math.max.apply(null, parts.map(rowsOf).concat([1]));
                svg.appendChild(el('line', {'class': 'axis', x1: left, y1: top + h, x2: left + step * n, y2: top + h}));
                svg.appendChild(el('text', {'class': 'label', x: 4, y: top + 10}, bytes(maxBytes)));
                svg.appendChild(el('text', {'class': 'label', x: 4, y: top + h}, '0'));
                var horizonIndex = -1;
                parts.forEach(function (p, i) {
                  var x = left + i * step, barH = Math.round(h * p.bytes.total / maxBytes);
                  var bar = el('rect', {'class': 'bar' + (p['default'] ? ' default' : ''), x: x + 1, y: top + h - barH,
                                        width: Math.max(step - 2, 1), height: barH, 'data-partition': qualified(p.table)});
                  bar.appendChild(el('title', {}, p.table.name + '\\n' + p.bound + '\\n' + bytes(p.bytes.total) + ', '
                                            + count(rowsOf(p), 'row')));
                  svg.appendChild(bar);
                  var rowsY = top + h - Math.round(h * rowsOf(p) / maxRows);
                  svg.appendChild(el('circle', {'class': 'rows', cx: x + step / 2, cy: rowsY, r: 2.5}));
                  if (table.coveredUntil !== null && p.bound.indexOf(' TO (' + table.coveredUntil + ')') >= 0) {
                    horizonIndex = i;
                  }
                  if (n <= 24 || i % Math.ceil(n / 24) === 0 || p['default']) {
                    svg.appendChild(el('text', {'class': 'label', x: x + 2, y: top + h + 14,
                                                transform: 'rotate(30 ' + (x + 2) + ' ' + (top + h + 14) + ')'},
                                       p['default'] ? 'default' : p.table.name.replace(table.table.name + '_', '')));
                  }
                });
                if (horizonIndex >= 0) {
                  var hx = left + (horizonIndex + 1) * step;
                  svg.appendChild(el('line', {'class': 'horizon', x1: hx, y1: top - 8, x2: hx, y2: top + h}));
                  var label = 'horizon ' + table.coveredUntil, after = hx + 4 + 7 * label.length <= width;
                  svg.appendChild(el('text', {'class': 'legend horizon-label', x: after ? hx + 4 : hx - 4, y: top - 12,
                                              'text-anchor': after ? 'start' : 'end'}, label));
                }
                svg.appendChild(el('rect', {'class': 'key', x: left, y: 8, width: 10, height: 10}));
                svg.appendChild(el('text', {'class': 'legend', x: left + 14, y: 17}, 'size'));
                svg.appendChild(el('circle', {'class': 'rows', cx: left + 60, cy: 13, r: 3}));
                svg.appendChild(el('text', {'class': 'legend', x: left + 68, y: 17}, 'rows (max ' + number(maxRows) + ')'));
                if (table.defaultPartition) {
                  svg.appendChild(el('rect', {'class': 'key default', x: left + 200, y: 8, width: 10, height: 10}));
                  svg.appendChild(el('text', {'class': 'legend', x: left + 214, y: 17}, 'default partition'));
                }
                return svg;
              }

              function rows(table, body, sub) {
                table.partitions.forEach(function (p) {
                  var tr = html('tr', undefined, (p['default'] ? 'default' : '') + (sub ? ' sub' : ''));
                  [p.table.schema === table.table.schema ? p.table.name : qualified(p.table), p.bound, number(p.estimatedRows), number(p.exactRows),
                   bytes(p.bytes.total), bytes(p.bytes.indexes), bytes(p.bytes.toast)].forEach(function (v, i) {
                    tr.appendChild(html('td', v, i >= 2 ? 'num' : ''));
                  });
                  body.appendChild(tr);
                  if (p.subpartitions) { rows(p.subpartitions, body, true); }
                });
              }

              var container = document.getElementById('tables');
              report.tables.forEach(function (table) {
                var section = html('section');
                section.setAttribute('data-table', qualified(table.table));
                section.appendChild(html('h2', qualified(table.table) + '  ' + table.key));
                var leaves = table.partitions.filter(function (p) { return !p['default']; }).length;
                section.appendChild(html('p', leaves + ' partition' + (leaves === 1 ? '' : 's')
                  + (table.defaultPartition ? ' + default (' + count(table.defaultRows, 'row') + ')' : '')
                  + ' - ' + (table.exactRows !== null ? count(table.exactRows, 'row')
                    : table.partitions.length === 0 || table.partitions.some(function (p) { return p.estimatedRows >= 0; })
                      ? '~' + count(table.estimatedRows, 'row') : 'rows not analyzed') + ' - '
                  + bytes(table.bytes.total)
                  + (table.coveredUntil !== null ? ' - partitions ahead until ' + table.coveredUntil : ''), 'facts'));
                if (table.citus) {
                  section.appendChild(html('p', 'Citus ' + table.citus.type + (table.citus.distributionColumn !== null
                    ? ' by ' + table.citus.distributionColumn + ', ' + count(table.citus.shardsPerPartition, 'shard')
                      + ' per partition, colocation group ' + table.citus.colocationId : ' table'), 'facts'));
                }
                if (table.defaultRows) { section.appendChild(html('p', 'The default partition holds ' + count(table.defaultRows, 'row') + '.', 'problem')); }
                table.gaps.forEach(function (g) { section.appendChild(html('p', 'Gap: no partition ' + g, 'problem')); });
                table.overlaps.forEach(function (o) { section.appendChild(html('p', 'Overlap: ' + o, 'problem')); });
                if (table.missingRemainders.length) {
                  section.appendChild(html('p', 'Missing hash remainders: ' + table.missingRemainders.join(', '), 'problem'));
                }
                section.appendChild(chart(table));
                var t = html('table'), head = html('tr');
                ['partition', 'bound', '~rows', 'rows', 'size', 'indexes', 'toast'].forEach(function (c, i) {
                  head.appendChild(html('th', c, i >= 2 ? 'num' : ''));
                });
                t.appendChild(head);
                rows(table, t, false);
                section.appendChild(t);
                container.appendChild(section);
              });
              if (report.retired.length) {
                var s = html('section');
                s.appendChild(html('h2', 'Retired partitions'));
                var t = html('table');
                report.retired.forEach(function (r) {
                  var tr = html('tr');
                  [qualified(r.table), r.state, 'from ' + qualified(r.parent), r.bound].forEach(function (v) { tr.appendChild(html('td', v)); });
                  t.appendChild(tr);
                });
                s.appendChild(t);
                container.appendChild(s);
              }
              document.body.setAttribute('data-rendered', 'true');
            })();
            </script>
            </body>
            </html>
            """;
}
