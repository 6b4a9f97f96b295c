// report.html's script, part 2: the page's pieces (sections, chart boxes, tables), drawing a
// Vega-Lite spec, the headline KPI cards, the page header and the foot (manifest, scenario).
// ---------------------------------------------------------------- page pieces
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v; else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}
function section(title, note) {
  const s = el('section', {}, el('h2', {}, title));
  if (note) s.append(el('p', { class: 'note' }, note));
  ROOT.append(s);
  return s;
}
function figure(parent, id, title, caption) {
  const chart = el('div', { class: 'chart', id: 'chart-' + id, 'data-chart': id });
  parent.append(el('figure', { class: 'chart-box' }, el('h3', {}, title), chart, caption ? el('figcaption', {}, caption) : null));
  return chart;
}
function absent(chart, why) {
  chart.classList.add('absent');
  chart.textContent = 'Not in this run: ' + why;
  state.charts.push({ id: chart.dataset.chart, absent: true });
}
const BASE_CONFIG = {
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  range: { category: PALETTE },
  axis: { labelFontSize: 12, titleFontSize: 13, labelOverlap: 'greedy', labelSeparation: 4, labelLimit: 200, gridColor: '#e8e8e8', titlePadding: 8 },
  legend: { labelFontSize: 12, titleFontSize: 12, labelLimit: 280, symbolStrokeWidth: 2.5 },
  header: { labelFontSize: 13, titleFontSize: 13 },
  axisQuantitative: { tickCount: 8 },
  view: { stroke: '#d8dde3' },
  line: { strokeWidth: 2 },
};
function draw(chart, spec) {
  spec.$schema = 'https://vega.github.io/schema/vega-lite/v6.json';
  spec.config = Object.assign({}, BASE_CONFIG, spec.config || {});
  const entry = { id: chart.dataset.chart, absent: false, drawn: false };
  state.charts.push(entry);
  const p = vegaEmbed(chart, spec, { actions: false, renderer: 'svg', tooltip: true })
    .then(() => { entry.drawn = true; chart.dataset.drawn = 'yes'; })
    .catch((e) => {
      chart.classList.add('failed');
      chart.textContent = 'This chart could not be drawn: ' + e.message;
      console.error('chart ' + entry.id + ': ' + e.message);
    });
  state.pending.push(p);
}
function table(headers, rows, numeric) {
  const t = el('table', {});
  t.append(el('tr', {}, ...headers.map((h, k) => el('th', { class: numeric && numeric[k] ? 'num' : '' }, h))));
  for (const r of rows) {
    t.append(el('tr', {}, ...r.map((c, k) => {
      if (c && typeof c === 'object' && c.text !== undefined) return el('td', { class: c.class || '' }, c.text);
      return el('td', { class: numeric && numeric[k] ? 'num' : '' }, c === null || c === undefined ? '' : String(c));
    })));
  }
  return t;
}
function axisFor(unit, title, extra) {
  return Object.assign({ title: title + ' (' + unitTitle(unit) + ')', labelExpr: "human(datum.value, '" + unit + "', 4)" }, extra || {});
}

// ---------------------------------------------------------------- KPI tables (run, replications)
// Every KPI row as {kpi, segment, value, low, high, unit}: a single run has `value`, a
// replications folder `mean, ci_low, ci_high`.
function kpiRows(text) {
  if (!text) return [];
  return text.rows.map((r) => {
    const unit = r.unit || '';
    if (unit && !UNITS[r.kpi]) UNITS[r.kpi] = unit;
    return {
      kpi: r.kpi, segment: r.segment || 'all', unit,
      value: num(r.value !== undefined ? r.value : r.mean), low: num(r.ci_low), high: num(r.ci_high), n: num(r.n),
    };
  });
}
function headlineFrom(summary, rows) {
  const out = new Map();
  if (summary && summary.kpis) {
    for (const [k, v] of Object.entries(summary.kpis)) {
      if (summary.units && summary.units[k]) UNITS[k] = summary.units[k];
      if (v !== null && typeof v === 'object') out.set(k, { value: num(v.mean), low: num(v.ci_low), high: num(v.ci_high), n: num(v.n) });
      else out.set(k, { value: num(v), low: null, high: null });
    }
  }
  for (const r of rows) if (r.segment === 'all' && !out.has(r.kpi)) out.set(r.kpi, r);
  return out;
}
function cards(parent, all, note) {
  const box = el('div', { class: 'cards' });
  for (const k of HEADLINE) {
    if (!all.has(k)) continue;
    const v = all.get(k);
    const ci = v.low !== null && v.high !== null && v.low !== undefined
      ? '95 % CI ' + human(v.low, unitOf(k)) + ' … ' + human(v.high, unitOf(k)) : note;
    box.append(el('div', { class: 'card', 'data-kpi': k }, el('div', { class: 'label' }, label(k)),
      el('div', { class: 'value' }, human(v.value, unitOf(k))), el('div', { class: 'ci' }, ci)));
  }
  parent.append(box);
  const rows = [...all.entries()].map(([k, v]) => [k, human(v.value, unitOf(k)),
    v.low === null || v.low === undefined ? '' : human(v.low, unitOf(k)) + ' … ' + human(v.high, unitOf(k)),
    unitOf(k), v.value === null ? '' : String(v.value)]);
  parent.append(el('details', {}, el('summary', {}, 'Every KPI (' + rows.length + ')'),
    table(['KPI', 'value', '95 % CI', 'unit', 'exact'], rows, [false, true, true, false, true])));
}

// ---------------------------------------------------------------- the foot: manifest and scenario
function foot(extra) {
  const f = el('footer', { class: 'foot' }, el('h2', {}, 'Scenario and manifest'));
  const rows = [];
  for (const [k, v] of Object.entries(MANIFEST)) {
    if (k === 'scenario' || v === null || typeof v === 'object') {
      if (v !== null && typeof v === 'object' && k !== 'scenario') rows.push([k, JSON.stringify(v)]);
      continue;
    }
    rows.push([k, String(v)]);
  }
  f.append(table(['field', 'value'], rows));
  if (extra) f.append(extra);
  if (typeof MANIFEST.scenario === 'string') {
    f.append(el('details', { open: '' }, el('summary', {}, 'The resolved scenario'), el('pre', { class: 'scenario' }, MANIFEST.scenario)));
  }
  f.append(el('p', { class: 'note' }, 'Drawn by ' + (DATA.generated_by || 'hcesim') + ' with Vega-Lite ' + (window.vegaLite ? vegaLite.version : '?') + '.'));
  ROOT.append(f);
}

function header(kind, name, more) {
  ROOT.append(el('header', { class: 'page' }, el('h1', {}, name), el('p', {}, more)));
  document.title = name + ' — hcesim report';
}
