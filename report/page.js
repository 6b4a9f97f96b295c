// hcesim report.html: builds the page and its Vega-Lite charts from the results files that
// `hcesim report` inlined (docs/results.md is the contract). Columns are read by name; a chart
// whose data is absent says "not in this run" instead of failing.
'use strict';
(function () {
  const DATA = JSON.parse(document.getElementById('hcesim-data').textContent);
  const FILES = DATA.files || {};
  const ROOT = document.getElementById('report');

  // Okabe–Ito (colour-blind safe), then Paul Tol's muted scheme when more series are needed.
  const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#56B4E9', '#CC79A7', '#F0E442',
    '#000000', '#332288', '#88CCEE', '#44AA99', '#117733', '#999933', '#DDCC77', '#CC6677',
    '#882255', '#AA4499'];
  const VERDICT_COLOURS = { better: '#009E73', worse: '#D55E00', 'no significant difference': '#8C8C8C' };
  const WIDE = 900;
  const HALF = 470;
  const EPOCH = Date.UTC(2000, 0, 1); // time axes: day 1 starts here

  // What the test and a curious reader can inspect: each chart's id and whether it drew.
  const state = { charts: [], pending: [] };
  window.hcesimReport = state;

  // ---------------------------------------------------------------- reading the files
  function parseCsv(text) {
    const rows = [];
    let field = '';
    let row = [];
    let quoted = false;
    for (let i = 0; i < text.length; ++i) {
      const c = text[i];
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') { field += '"'; ++i; } else if (c === '"') quoted = false; else field += c;
      } else if (c === '"') quoted = true;
      else if (c === ',') { row.push(field); field = ''; } else if (c === '\n' || c === '\r') {
        if (c === '\r' && text[i + 1] === '\n') ++i;
        row.push(field); field = '';
        if (row.length > 1 || row[0] !== '') rows.push(row);
        row = [];
      } else field += c;
    }
    if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
    if (rows.length === 0) return { columns: [], rows: [] };
    const columns = rows[0].map((s) => s.trim());
    return {
      columns,
      rows: rows.slice(1).map((r) => Object.fromEntries(columns.map((c, k) => [c, r[k] === undefined ? '' : r[k]]))),
    };
  }
  function csv(name) { return FILES[name] === undefined ? null : parseCsv(FILES[name]); }
  function json(name) {
    if (FILES[name] === undefined) return null;
    try { return JSON.parse(FILES[name]); } catch (e) { console.warn(name + ': not JSON: ' + e.message); return null; }
  }
  function num(s) {
    if (s === null || s === undefined || s === '') return null;
    const v = typeof s === 'number' ? s : Number(s);
    return Number.isFinite(v) ? v : null;
  }

  // ---------------------------------------------------------------- numbers for people
  function sig(x, n) {
    const v = Number(Number(x).toPrecision(n));
    return v.toLocaleString('en-US', { maximumFractionDigits: 12 });
  }
  // Significant digits: 3 for a figure on its own, 4 on axes (neighbouring ticks must differ).
  function compact(v, d) {
    const a = Math.abs(v);
    if (a >= 1e9) return sig(v / 1e9, d) + ' bn';
    if (a >= 1e6) return sig(v / 1e6, d) + ' M';
    if (a >= 1e4) return sig(v / 1e3, d) + ' k';
    if (a >= 1000) return Math.round(v).toLocaleString('en-US');
    if (a === 0) return '0';
    return sig(v, d);
  }
  function isMoney(unit) { return /^[A-Z]{3}$/.test(unit || ''); }
  function human(v, unit, digits) {
    if (v === null || v === undefined || !Number.isFinite(Number(v))) return '—';
    v = Number(v);
    const d = digits || 3;
    switch (unit) {
      case 'share': return v === 0 ? '0 %' : sig(v * 100, d - 1) + ' %';
      case 'percent': return sig(v, d) + ' %';
      case 's': {
        const a = Math.abs(v);
        if (a === 0) return '0 s';
        if (a < 1) return sig(v * 1000, d) + ' ms';
        if (a < 120) return sig(v, d) + ' s';
        if (a < 7200) return sig(v / 60, d) + ' min';
        return sig(v / 3600, d) + ' h';
      }
      case 'per_s': case 'per_second': return compact(v, d) + ' /s';
      case 'count': return compact(v, d);
      default: return isMoney(unit) ? compact(v, d) + ' ' + unit : compact(v, d);
    }
  }
  if (window.vega && vega.expressionFunction) vega.expressionFunction('human', human);

  // ---------------------------------------------------------------- names
  const MANIFEST = json('manifest.json') || {};
  const CURRENCY = MANIFEST.currency || '';
  const LABELS = {
    trips: 'Trips', taps_accepted: 'Taps accepted', taps_refused: 'Taps refused',
    refusal_rate: 'Refusal rate', riders_refused: 'Riders who met a refusal',
    fares_settled: 'Fares settled', revenue_at_risk: 'Revenue at risk', unpaid_debt: 'Unpaid debt',
    pending_fares: 'Pending fares', credit_exposure: 'Credit exposure', fraud_loss: 'Fraud loss',
    peak_unpaid_debt: 'Peak unpaid debt', settlement_lag_mean_s: 'Settlement lag, mean',
    settlement_lag_max_s: 'Settlement lag, max', token_requests_latency_p99_s: 'Token request latency p99',
    uploads_latency_p99_s: 'Upload latency p99', token_requests_peak_per_second: 'Token requests, peak',
    tokens_expired_unused: 'Tokens wasted by expiry', taps_expired_unused: 'Taps wasted by expiry',
    top_ups_declined: 'Top-ups declined', fallback_taps: 'Fallback taps (card / QR)',
    trips_given_up: 'Trips given up', grants: 'Token grants',
  };
  const HEADLINE = ['taps_accepted', 'refusal_rate', 'riders_refused', 'fares_settled', 'revenue_at_risk',
    'unpaid_debt', 'fraud_loss', 'token_requests_latency_p99_s', 'uploads_latency_p99_s',
    'token_requests_peak_per_second', 'settlement_lag_mean_s', 'tokens_expired_unused'];
  const MONEY_KPIS = new Set(['fares_settled', 'unpaid_debt', 'pending_fares', 'fraud_loss', 'revenue_at_risk',
    'peak_unpaid_debt', 'credit_exposure']);
  function label(kpi) { return LABELS[kpi] || kpi.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase()); }
  // A KPI's unit: from the files when they say, else from the naming rules of docs/results.md.
  const UNITS = {};
  function unitOf(kpi) {
    if (UNITS[kpi]) return UNITS[kpi];
    if (MONEY_KPIS.has(kpi) || /_(debt|fares|loss|exposure|balance)$/.test(kpi)) return CURRENCY || 'money';
    if (/(_rate|_share)$/.test(kpi)) return 'share';
    if (/(_per_s|_per_second)$/.test(kpi)) return 'per_s';
    if (/_s$/.test(kpi)) return 's';
    return 'count';
  }
  function unitTitle(unit) {
    return { share: '%', s: 's', per_s: 'per s', per_second: 'per s', count: 'count' }[unit] || unit;
  }
  function reasonName(col) { return col.replace(/^taps_refused_/, '').replace(/_/g, ' '); }

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

  // ---------------------------------------------------------------- time series
  // Rows of timeseries.csv with numbers, plus `t` (ms since day 1 00:00, for a UTC time axis).
  function seriesRows(text) {
    return text.rows.map((r) => {
      const o = { t: EPOCH + 1000 * (num(r.interval_start_s) || 0), t_end: EPOCH + 1000 * (num(r.interval_end_s) || 0), measured: r.measured === undefined ? 1 : num(r.measured) };
      for (const c of text.columns) if (c !== 'time_of_day') o[c] = num(r[c]);
      return o;
    });
  }
  // When there is no timeseries.csv, the kpis' hour:HH segments give one row per hour of the day.
  function hourRows(rows) {
    const by = new Map();
    for (const r of rows) {
      const m = /^hour:(\d\d)$/.exec(r.segment);
      if (!m) continue;
      const h = Number(m[1]);
      if (!by.has(h)) by.set(h, { t: EPOCH + h * 3600e3, t_end: EPOCH + (h + 1) * 3600e3, hour: m[1] + ':00', measured: 1, interval_start_s: h * 3600, interval_end_s: (h + 1) * 3600 });
      by.get(h)[r.kpi] = r.value;
    }
    const out = [...by.values()].sort((a, b) => a.t - b.t);
    return out.length ? { columns: Object.keys(Object.assign({}, ...out)), rows: out, hourly: true } : null;
  }
  const TIME_AXIS = {
    title: 'time of day (day N from the start of the run, warm-up included)',
    labelExpr: "utcFormat(datum.value, '%H:%M') == '00:00' ? 'day ' + utcdate(datum.value) : utcFormat(datum.value, '%H:%M')",
    labelAngle: 0, tickCount: 12,
  };
  function unmeasuredLayer(rows) {
    const grey = rows.filter((r) => r.measured === 0);
    if (!grey.length) return [];
    return [{
      data: { values: grey }, mark: { type: 'rect', color: '#000', opacity: 0.06 },
      encoding: { x: { field: 't', type: 'temporal', scale: { type: 'utc' } }, x2: { field: 't_end' } },
    }];
  }
  function present(ts, cols) { return ts ? cols.filter((c) => ts.columns.includes(c)) : []; }
  // One chart of several columns over time. series: [{col, name, dash?}]
  function timeChart(chart, ts, series, unit, yTitle, opts) {
    opts = opts || {};
    const long = [];
    for (const r of ts.rows) {
      for (const s of series) {
        const v = r[s.col];
        if (v === null || v === undefined) continue;
        if (opts.log && !(v > 0)) continue;
        long.push({ t: r.t, t_end: r.t_end, hour: r.hour, series: s.name, value: v, style: s.style || 'demand' });
      }
    }
    if (!long.length) { absent(chart, 'every value of ' + series.map((s) => s.col).join(', ') + ' is empty'); return; }
    const order = series.map((s) => s.name);
    // Hourly rows (from hour:HH segments) are categories; intervals of timeseries.csv are times.
    const x = ts.hourly ? { field: 'hour', type: 'ordinal', title: 'hour of the day (measured days)', axis: { labelAngle: 0 } }
      : { field: 't', type: 'temporal', scale: { type: 'utc' }, axis: TIME_AXIS };
    const enc = {
      x,
      y: { field: 'value', type: 'quantitative', axis: axisFor(unit, yTitle), stack: opts.stack ? 'zero' : null, scale: opts.log ? { type: 'log' } : {} },
      color: { field: 'series', type: 'nominal', sort: order, title: opts.legend || null, scale: opts.colours ? { domain: order, range: opts.colours } : {}, legend: { orient: 'right' } },
      tooltip: [ts.hourly ? { field: 'hour', title: 'hour' } : { field: 't', type: 'temporal', format: '%H:%M', title: 'from' }, { field: 'series' }, { field: 'value', format: ',.4~g' }],
    };
    if (opts.dash) enc.strokeDash = { field: 'style', type: 'nominal', title: null, scale: { domain: opts.dash.domain, range: opts.dash.range } };
    const mark = opts.stack ? (ts.hourly ? { type: 'bar' } : { type: 'area', interpolate: 'step-after' })
      : { type: 'line', interpolate: ts.hourly ? 'linear' : 'step-after', point: !!ts.hourly };
    draw(chart, {
      width: opts.width || WIDE, height: opts.height || 240,
      layer: [...unmeasuredLayer(ts.rows), { data: { values: long }, mark, encoding: enc }],
    });
  }

  function tapsCharts(s, ts) {
    const a = figure(s, 'taps-over-day', 'Taps over the day: accepted and refused by reason (stacked)',
      'Per interval; grey bands are warm-up and drain, which the KPIs leave out.');
    const b = figure(s, 'refusals-over-day', 'Refused taps over the day, by reason (stacked)',
      'The refused part of the chart above, on its own scale.');
    if (!ts) { absent(a, 'no timeseries.csv and no hour:HH segments in kpis.csv'); absent(b, 'no timeseries.csv'); return; }
    const reasons = ts.columns.filter((c) => /^taps_refused_/.test(c) && ts.rows.some((r) => r[c] > 0));
    const accepted = present(ts, ['taps_accepted']);
    if (!accepted.length && !reasons.length) { absent(a, 'no taps_accepted or taps_refused_<reason> columns'); absent(b, 'no taps_refused_<reason> columns'); return; }
    const refusedSeries = reasons.map((c) => ({ col: c, name: 'refused: ' + reasonName(c) }));
    const colours = ['#0072B2', ...PALETTE.slice(1)];
    timeChart(a, ts, [...accepted.map((c) => ({ col: c, name: 'accepted' })), ...refusedSeries], 'count', 'taps per interval', { stack: true, colours: colours.slice(0, accepted.length + refusedSeries.length), legend: 'taps' });
    if (!reasons.length) absent(b, 'no tap was refused');
    else timeChart(b, ts, refusedSeries, 'count', 'refused taps per interval', { stack: true, colours: PALETTE.slice(1, 1 + refusedSeries.length), legend: 'reason' });
  }

  function cloudCharts(s, ts) {
    const load = figure(s, 'cloud-load', 'Cloud requests per second against capacity',
      'Solid: requests sent per second; dashed: what the servers can serve (servers ÷ mean service time). Log scale.');
    const lat = figure(s, 'cloud-latency', 'Cloud latency, p50 and p99',
      'Per interval, answered requests only. Log scale.');
    const queues = figure(s, 'queue-lengths', 'Cloud queue lengths',
      'Time average of requests waiting or in service over each interval.');
    if (!ts) { absent(load, 'no timeseries.csv'); absent(lat, 'no timeseries.csv'); absent(queues, 'no timeseries.csv'); return; }
    const demand = [['token_requests_per_s', 'token requests'], ['top_ups_per_s', 'top-ups'], ['uploads_per_s', 'uploads']];
    const capacity = [['issuing_capacity_per_s', 'issuing capacity'], ['settlement_capacity_per_s', 'settlement capacity']];
    const series = [...demand.filter(([c]) => ts.columns.includes(c)).map(([c, n]) => ({ col: c, name: n })),
      ...capacity.filter(([c]) => ts.columns.includes(c)).map(([c, n]) => ({ col: c, name: n, style: 'capacity' }))];
    if (!series.length) absent(load, 'no *_per_s columns in timeseries.csv');
    else timeChart(load, ts, series, 'per_s', 'requests per second, log scale', { log: true, legend: 'requests', dash: { domain: ['demand', 'capacity'], range: [[1, 0], [6, 4]] } });
    const latCols = [['token_request_latency_p50_s', 'token requests p50', 'p50'], ['token_request_latency_p99_s', 'token requests p99', 'p99'],
      ['upload_latency_p50_s', 'uploads p50', 'p50'], ['upload_latency_p99_s', 'uploads p99', 'p99']];
    const latSeries = latCols.filter(([c]) => ts.columns.includes(c)).map(([c, n, q]) => ({ col: c, name: n, style: q }));
    if (!latSeries.length) absent(lat, 'no *_latency_p50_s / *_latency_p99_s columns in timeseries.csv');
    else timeChart(lat, ts, latSeries, 's', 'latency, log scale', { log: true, legend: 'request, quantile', colours: ['#0072B2', '#0072B2', '#E69F00', '#E69F00'].slice(0, latSeries.length), dash: { domain: ['p50', 'p99'], range: [[1, 0], [6, 4]] } });
    const qs = [['issuing_queue_mean', 'issuing (token requests)'], ['settlement_queue_mean', 'settlement (uploads)']]
      .filter(([c]) => ts.columns.includes(c)).map(([c, n]) => ({ col: c, name: n }));
    if (!qs.length) absent(queues, 'no *_queue_mean columns in timeseries.csv');
    else timeChart(queues, ts, qs, 'count', 'requests in the queue, mean', { legend: 'queue', height: 200 });
  }

  function moneyCharts(s, ts) {
    const c = figure(s, 'money-over-day', 'Balance and credit exposure over the day',
      'Unpaid debt: fares owed by accounts that went negative; pending fares: taps not yet settled; credit exposure: what the city has let riders travel on without cover.');
    if (!ts) { absent(c, 'no timeseries.csv'); return; }
    const cols = ts.columns.filter((k) => ['unpaid_debt', 'pending_fares', 'credit_exposure'].includes(k) || /_balance$/.test(k));
    if (!cols.length) { absent(c, 'no money columns in timeseries.csv'); return; }
    timeChart(c, ts, cols.map((k) => ({ col: k, name: label(k).toLowerCase() })), CURRENCY || 'money', 'amount', { legend: 'amount' });
  }

  function settlementChart(s, all, ts) {
    const c = figure(s, 'settlement-lag', 'Settlement lag: time from tap to settled fare',
      'The statistics the run reports (mean, max and any quantiles).');
    const stats = [...all.entries()].filter(([k, v]) => /^settlement_lag_.+_s$/.test(k) && v.value !== null)
      .map(([k, v]) => ({ stat: k.replace(/^settlement_lag_/, '').replace(/_s$/, ''), value: v.value, low: v.low, high: v.high }));
    if (!stats.length) { absent(c, 'no settlement_lag_*_s KPIs'); return; }
    // Ticks in round minutes or hours rather than seconds shown as "6.67 min".
    const top = Math.max(...stats.map((d) => Math.max(d.value, d.high || 0)));
    const [div, unitName] = top >= 7200 ? [3600, 'h'] : top >= 120 ? [60, 'min'] : [1, 's'];
    for (const d of stats) {
      d.label = human(d.value, 's');
      d.value /= div;
      if (d.low !== null && d.low !== undefined) { d.low /= div; d.high /= div; }
    }
    const layers = [{ mark: { type: 'bar', color: '#0072B2' }, encoding: { y: { field: 'stat', type: 'nominal', sort: null, title: 'statistic' }, x: { field: 'value', type: 'quantitative', title: 'settlement lag (' + unitName + ')', axis: { format: ',.4~g' } } } },
      { mark: { type: 'text', align: 'left', dx: 4 }, encoding: { y: { field: 'stat', type: 'nominal', sort: null }, x: { field: 'value', type: 'quantitative' }, text: { field: 'label' } } }];
    if (stats.some((d) => d.low !== null && d.low !== undefined)) {
      layers.push({ mark: { type: 'rule', color: '#000' }, encoding: { y: { field: 'stat', type: 'nominal', sort: null }, x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' } } });
    }
    draw(c, { width: WIDE - 100, height: { step: 28 }, data: { values: stats }, layer: layers });
  }

  function expiryChart(s, all, ts) {
    const c = figure(s, 'tokens-expired', 'Tokens wasted by expiry',
      'Tokens dropped at expiry with taps left on them, per interval (or the run\'s totals against the tokens granted).');
    if (ts && ts.columns.includes('tokens_expired_unused') && !ts.hourly) {
      timeChart(c, ts, [{ col: 'tokens_expired_unused', name: 'tokens expired unused' }], 'count', 'tokens per interval', { stack: true, colours: ['#D55E00'], legend: null, height: 200 });
      return;
    }
    const keys = ['grants', 'tokens_expired_unused', 'taps_expired_unused'].filter((k) => all.has(k) && all.get(k).value !== null);
    if (!keys.length) { absent(c, 'no tokens_expired_unused column or KPI'); return; }
    draw(c, {
      width: WIDE - 100, height: { step: 30 },
      data: { values: keys.map((k) => ({ what: label(k), value: all.get(k).value, label: human(all.get(k).value, 'count') })) },
      layer: [{ mark: { type: 'bar' }, encoding: { y: { field: 'what', type: 'nominal', sort: null, title: null }, x: { field: 'value', type: 'quantitative', axis: axisFor('count', 'tokens or taps over the measured days') }, color: { field: 'what', type: 'nominal', legend: null, scale: { domain: keys.map(label), range: ['#0072B2', '#D55E00', '#E69F00'].slice(0, keys.length) } } } },
        { mark: { type: 'text', align: 'left', dx: 4 }, encoding: { y: { field: 'what', type: 'nominal', sort: null }, x: { field: 'value', type: 'quantitative' }, text: { field: 'label' } } }],
    });
  }

  function segmentCharts(s, rows) {
    const groups = { class: 'rider class', coverage: 'coverage class' };
    const seg = rows.filter((r) => /^(class|coverage):/.test(r.segment));
    const specs = [['refusal_rate', 'Refusal rate by segment', 'share'], ['riders_refused', 'Riders who met a refusal, by segment', 'count']];
    for (const [kpi, title, unit] of specs) {
      const c = figure(s, 'segments-' + kpi.replace(/_/g, '-'), title, 'Rider classes and coverage classes (network coverage where riders travel); bars are the measured days' + (seg.some((r) => r.low !== null) ? ', whiskers the 95 % CI over replications.' : '.'));
      const data = seg.filter((r) => r.kpi === kpi && r.value !== null).map((r) => {
        const [g, name] = [r.segment.slice(0, r.segment.indexOf(':')), r.segment.slice(r.segment.indexOf(':') + 1)];
        return { group: groups[g] || g, name, value: r.value, low: r.low, high: r.high, label: human(r.value, unit) };
      });
      if (!data.length) { absent(c, 'no class:<name> or coverage:<name> segments of ' + kpi + ' in kpis.csv'); continue; }
      const y = { field: 'name', type: 'nominal', sort: null, title: null };
      const layers = [
        { mark: { type: 'bar' }, encoding: { y, x: { field: 'value', type: 'quantitative', axis: axisFor(unit, label(kpi).toLowerCase()) }, color: { field: 'group', type: 'nominal', title: 'segment', scale: { domain: ['rider class', 'coverage class'], range: ['#0072B2', '#E69F00'] } } } },
        { mark: { type: 'text', align: 'left', dx: 4 }, encoding: { y, x: { field: 'value', type: 'quantitative' }, text: { field: 'label' } } },
      ];
      if (data.some((d) => d.low !== null)) layers.push({ mark: { type: 'rule', color: '#000' }, encoding: { y, x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' } } });
      draw(c, {
        data: { values: data },
        facet: { row: { field: 'group', type: 'nominal', title: null, header: { labelAngle: 0, labelAlign: 'left', labelAnchor: 'start', labelOrient: 'top' } } },
        spec: { width: WIDE - 250, height: { step: 24 }, layer: layers },
        resolve: { scale: { y: 'independent' } },
      });
    }
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

  // ---------------------------------------------------------------- a run or its replications
  function renderRun(kind) {
    const summary = json('summary.json');
    const rows = kpiRows(csv('kpis.csv'));
    const all = headlineFrom(summary, rows);
    const reps = MANIFEST.replications || (summary && summary.replications) || 1;
    const name = (summary && summary.name) || MANIFEST.name || 'run';
    header(kind, (kind === 'replications' ? 'Replicated run “' : 'Run “') + name + '”', kind === 'replications'
      ? reps + ' replications' + (Array.isArray(MANIFEST.seeds) ? ', seeds ' + MANIFEST.seeds.join(', ') : '') + '; headline figures are means with 95 % confidence intervals.'
      : 'seed ' + MANIFEST.seed + ', version ' + (MANIFEST.version || '?') + ', fingerprint ' + (MANIFEST.fingerprint || '?') + '; a single run, so no confidence intervals.');
    const h = section('Headline KPIs', 'Over the measured days (the warm-up is left out).');
    if (all.size) cards(h, all, kind === 'replications' ? '' : 'single run: no CI');
    else h.append(el('p', { class: 'note' }, 'Not in this run: no summary.json or kpis.csv.'));

    let tsText = csv('timeseries.csv');
    let tsNote = null;
    if (!tsText && kind === 'replications') {
      const rep = Object.keys(FILES).find((f) => /^rep-\d+\/timeseries\.csv$/.test(f));
      if (rep) { tsText = csv(rep); tsNote = 'Time series of ' + rep.split('/')[0] + ' (one replication of ' + reps + ').'; }
    }
    let ts = tsText && tsText.rows.length ? Object.assign({}, tsText, { rows: seriesRows(tsText) }) : null;
    if (!ts) ts = hourRows(rows);
    const day = section('Taps over the day', tsNote || (ts && ts.hourly ? 'From the hour:HH segments of kpis.csv (measured days only).' : null));
    tapsCharts(day, ts);
    const segs = section('Refusals by segment');
    segmentCharts(segs, rows);
    const cloud = section('The cloud: load, capacity, latency and queues', tsNote);
    const full = ts && !ts.hourly ? ts : null;
    cloudCharts(cloud, full);
    const money = section('Money over the day', tsNote);
    moneyCharts(money, full);
    const settle = section('Settlement and token expiry');
    settlementChart(settle, all, full);
    expiryChart(settle, all, ts);
    foot();
  }

  // ---------------------------------------------------------------- a sweep
  function meets(row, targets) {
    return targets.every((t) => {
      const v = num(row[t.kpi + '_mean'] !== undefined ? row[t.kpi + '_mean'] : row[t.kpi]);
      if (v === null) return false;
      return { '<=': v <= t.value, '>=': v >= t.value, '<': v < t.value, '>': v > t.value, '==': v === t.value }[t.op];
    });
  }
  function renderSweep() {
    const sw = csv('sweep.csv');
    const targets = DATA.targets || [];
    const targetText = targets.map((t) => t.kpi + ' ' + t.op + ' ' + human(t.value, unitOf(t.kpi))).join(' and ');
    header('sweep', 'Sweep “' + (MANIFEST.name || MANIFEST.scenario_file || 'sweep') + '”',
      (sw ? sw.rows.length + ' points' : 'no points') + (MANIFEST.replications ? ', ' + MANIFEST.replications + ' replications each' : '') + (MANIFEST.common_random_numbers ? ', common random numbers' : '') + '. Points show means, whiskers 95 % confidence intervals.');
    if (!sw || !sw.rows.length) { section('Sweep', 'Not in this run: no sweep.csv.'); foot(); return; }
    const axes = sw.columns.filter((c) => c !== 'point' && !/_(mean|ci_low|ci_high)$/.test(c));
    const kpis = sw.columns.filter((c) => /_mean$/.test(c)).map((c) => c.replace(/_mean$/, ''));
    const key = (a) => 'axis_' + axes.indexOf(a);
    const numericAxis = Object.fromEntries(axes.map((a) => [a, sw.rows.every((r) => num(r[a]) !== null)]));
    const points = sw.rows.map((r) => {
      const o = { point: r.point, meets: targets.length > 0 && meets(r, targets) };
      // Axis paths have dots, which Vega-Lite would read as nested fields: keys axis_<i> instead.
      for (const a of axes) o[key(a)] = numericAxis[a] ? num(r[a]) : r[a];
      for (const k of kpis) { o[k + '_mean'] = num(r[k + '_mean']); o[k + '_ci_low'] = num(r[k + '_ci_low']); o[k + '_ci_high'] = num(r[k + '_ci_high']); }
      return o;
    });
    const shown = [...new Set([...targets.map((t) => t.kpi), ...HEADLINE])].filter((k) => kpis.includes(k));
    const headline = (shown.length ? shown : kpis).slice(0, 6);

    // Targets first: what the analyst asked.
    const ts = section('Points meeting the target', targets.length ? 'Target: ' + targetText + ' (on the mean). Those points are circled in black in every chart below.' : 'No target given; add one with hcesim report DIR --target \'refusal_rate<=0.001\' (repeatable; every target must hold).');
    if (targets.length) {
      const missing = targets.filter((t) => !kpis.includes(t.kpi));
      if (missing.length) ts.append(el('p', { class: 'note' }, 'Not in this sweep: ' + missing.map((t) => t.kpi).join(', ') + ' (no <kpi>_mean column), so no point meets the target.'));
      const good = points.filter((p) => p.meets);
      ts.append(el('p', { class: 'meets-count' }, good.length + ' of ' + points.length + ' points meet the target.'));
      ts.append(good.length ? table(['point', ...axes, ...targets.map((t) => t.kpi + ' (mean)')], good.map((p) => [p.point, ...axes.map((a) => p[key(a)]), ...targets.map((t) => human(p[t.kpi + '_mean'], unitOf(t.kpi)))]))
        : el('p', {}, 'No point of the sweep meets the target.'));
    }

    const colourAxis = (a) => axes.find((b) => b !== a);
    const sec = section('Each KPI against each axis', axes.length > 1 ? 'One line per value of a second axis.' : null);
    const grid = el('div', { class: 'grid2' });
    sec.append(grid);
    for (const k of headline) {
      for (const a of axes) {
        const c = figure(grid, 'sweep-' + k + '-vs-' + a.replace(/[^a-z0-9_]/gi, '_'), label(k) + ' against ' + a);
        sweepLine(c, points, k, a, colourAxis(a), HALF - 140, key);
      }
    }
    // Any KPI, chosen from a list.
    const ex = section('Any KPI', 'Choose the KPI from the list under each chart.');
    for (const a of axes) {
      const c = figure(ex, 'sweep-any-vs-' + a.replace(/[^a-z0-9_]/gi, '_'), 'A KPI of your choice against ' + a);
      const long = [];
      for (const p of points) for (const k of kpis) long.push(Object.assign({ kpi: k, mean: p[k + '_mean'], low: p[k + '_ci_low'], high: p[k + '_ci_high'], meets: p.meets, point: p.point }, Object.fromEntries(axes.map((b) => [key(b), p[key(b)]]))));
      sweepLine(c, long, null, a, colourAxis(a), WIDE - 200, key, { kpis, first: headline[0] || kpis[0] });
    }
    if (axes.length === 2) {
      const hm = section('Heatmaps of the two-axis grid', 'Colour: the KPI\'s mean (viridis, readable in grey and by colour-blind readers); black frame: meets the target.');
      const g2 = el('div', { class: 'grid2' });
      hm.append(g2);
      for (const k of headline) heatmap(figure(g2, 'heatmap-' + k, label(k) + ' over ' + axes[0] + ' × ' + axes[1]), points, k, axes, key);
    } else if (axes.length > 2) {
      section('Heatmaps', 'Not drawn: the sweep has ' + axes.length + ' axes; heatmaps are for two-axis grids.');
    }
    metamodel(section('Metamodel', 'A regression of each KPI\'s mean on the axes (metamodel.csv): the coefficient of each term, and R² of the fit.'), headline);
    foot();
  }
  function xEnc(points, a, key) {
    const numeric = points.every((p) => typeof p[key(a)] === 'number');
    return numeric ? { field: key(a), type: 'quantitative', title: a, scale: { zero: false }, axis: { labelExpr: 'human(datum.value, "", 4)', tickCount: 6 } } : { field: key(a), type: 'nominal', title: a, axis: { labelAngle: 0 } };
  }
  function sweepLine(chart, points, k, a, colour, width, key, pick) {
    const mean = k ? k + '_mean' : 'mean';
    const low = k ? k + '_ci_low' : 'low';
    const high = k ? k + '_ci_high' : 'high';
    const unit = k ? unitOf(k) : '';
    const data = points.filter((p) => p[mean] !== null && p[mean] !== undefined);
    if (!data.length) { absent(chart, 'no values of ' + (k || 'any KPI')); return; }
    const x = xEnc(data, a, key);
    const colourEnc = colour ? { field: key(colour), type: 'nominal', title: colour, legend: { orient: 'bottom', direction: 'horizontal' } } : { value: '#0072B2' };
    const yTitle = k ? label(k) + ' (' + unitTitle(unit) + ')' : 'chosen KPI (its unit)';
    // The chosen KPI's unit comes from a lookup in the expression when the KPI is picked.
    const unitExpr = pick ? JSON.stringify(Object.fromEntries(pick.kpis.map((q) => [q, unitOf(q)]))) + '[kpi_pick]' : '"' + unit + '"';
    const y = { field: mean, type: 'quantitative', title: yTitle, scale: { zero: false }, axis: { labelExpr: 'human(datum.value, ' + unitExpr + ', 4)' } };
    const detail = colour ? [{ field: key(colour), type: 'nominal' }] : [];
    const tooltip = [{ field: 'point' }, { field: key(a), title: a }, ...(colour ? [{ field: key(colour), title: colour }] : []), { field: mean, title: 'mean', format: ',.4~g' }, { field: low, title: 'CI low', format: ',.4~g' }, { field: high, title: 'CI high', format: ',.4~g' }];
    const layers = [
      { mark: { type: 'line', point: { filled: true, size: 50 } }, encoding: { x, y, color: colourEnc, detail, tooltip } },
      { mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { x, y: { field: low, type: 'quantitative' }, y2: { field: high }, color: colourEnc } },
      { transform: [{ filter: 'datum.meets' }], mark: { type: 'point', shape: 'circle', size: 260, strokeWidth: 2.5, color: '#000', filled: false }, encoding: { x, y } },
    ];
    const spec = { width, height: 230, data: { values: data }, layer: layers };
    if (pick) {
      spec.params = [{ name: 'kpi_pick', value: pick.first, bind: { input: 'select', options: pick.kpis, name: 'KPI ' } }];
      spec.transform = [{ filter: 'datum.kpi == kpi_pick' }];
    }
    draw(chart, spec);
  }
  function heatmap(chart, points, k, axes, key) {
    const data = points.filter((p) => p[k + '_mean'] !== null).map((p) => Object.assign({}, p, { label: human(p[k + '_mean'], unitOf(k)) }));
    if (!data.length) { absent(chart, 'no values of ' + k); return; }
    const x = { field: key(axes[0]), type: 'ordinal', title: axes[0], sort: 'ascending', axis: { labelAngle: 0 } };
    const y = { field: key(axes[1]), type: 'ordinal', title: axes[1], sort: 'descending' };
    draw(chart, {
      width: HALF - 170, height: 230, data: { values: data },
      layer: [
        { mark: { type: 'rect' }, encoding: { x, y, color: { field: k + '_mean', type: 'quantitative', title: unitTitle(unitOf(k)), scale: { scheme: 'viridis' }, legend: { labelExpr: 'human(datum.value, "' + unitOf(k) + '", 4)' } } } },
        { transform: [{ filter: 'datum.meets' }], mark: { type: 'rect', fill: null, stroke: '#000', strokeWidth: 3 }, encoding: { x, y } },
        { mark: { type: 'text', fontSize: 11 }, encoding: { x, y, text: { field: 'label' }, color: { condition: { test: 'datum["' + k + '_mean"] > ' + midpoint(data, k), value: '#000' }, value: '#fff' } } },
      ],
    });
  }
  function midpoint(data, k) {
    const v = data.map((p) => p[k + '_mean']);
    return (Math.min(...v) + Math.max(...v)) / 2;
  }
  function metamodel(sec, headline) {
    const c = figure(sec, 'metamodel', 'Metamodel coefficients', 'Each coefficient is the change of the KPI per unit of the term (interaction terms a*b per unit of the product); the intercept is left out.');
    const mm = csv('metamodel.csv');
    if (!mm || !mm.rows.length) { absent(c, 'no metamodel.csv'); return; }
    const rows = mm.rows.map((r) => ({ kpi: r.kpi, term: r.term, coefficient: num(r.coefficient), r2: num(r.r2) })).filter((r) => r.coefficient !== null && r.term !== 'intercept');
    const kpis = [...new Set(rows.map((r) => r.kpi))];
    const chosen = kpis.filter((k) => headline.includes(k));
    const use = (chosen.length ? chosen : kpis).slice(0, 8);
    const data = rows.filter((r) => use.includes(r.kpi)).map((r) => {
      const r2 = mm.rows.find((q) => q.kpi === r.kpi && num(q.r2) !== null);
      return Object.assign(r, { panel: label(r.kpi) + ' (' + unitOf(r.kpi) + ')' + (r2 ? ', R² ' + sig(num(r2.r2), 2) : ''), label: human(r.coefficient, '') , sign: r.coefficient >= 0 ? 'raises the KPI' : 'lowers the KPI' });
    });
    if (!data.length) { absent(c, 'metamodel.csv has no coefficients besides the intercept'); return; }
    draw(c, {
      data: { values: data },
      facet: { row: { field: 'panel', type: 'nominal', title: null, header: { labelAngle: 0, labelAlign: 'left', labelAnchor: 'start', labelOrient: 'top', labelFontWeight: 'bold' } } },
      spec: {
        width: WIDE - 300, height: { step: 24 },
        layer: [
          { mark: 'bar', encoding: { y: { field: 'term', type: 'nominal', title: null }, x: { field: 'coefficient', type: 'quantitative', title: 'coefficient (KPI unit per unit of the term)', axis: { labelExpr: 'human(datum.value, "", 4)', tickCount: 5 } }, color: { field: 'sign', type: 'nominal', title: null, scale: { domain: ['raises the KPI', 'lowers the KPI'], range: ['#D55E00', '#0072B2'] } } } },
          { mark: { type: 'rule', color: '#555' }, encoding: { x: { datum: 0 } } },
        ],
      },
      resolve: { scale: { x: 'independent', y: 'independent' } },
    });
  }

  // ---------------------------------------------------------------- a comparison
  function renderComparison() {
    const cmp = csv('comparison.csv');
    const a = MANIFEST.a || (MANIFEST.folders && MANIFEST.folders[0]) || 'A';
    const b = MANIFEST.b || (MANIFEST.folders && MANIFEST.folders[1]) || 'B';
    header('comparison', 'Comparison: B against A', 'A = ' + a + ', B = ' + b + '. Difference = B − A with its 95 % confidence interval.');
    const sec = section('KPI differences', 'Verdict per KPI: better, worse, or no significant difference (the CI contains 0). Lower is better for refusals, losses and latencies; higher for taps accepted and fares settled.');
    const c = figure(sec, 'comparison-deltas', 'Change of each KPI, B against A (% of A)', 'Point: the difference as a share of A\'s mean; whisker: its 95 % CI. KPIs whose A mean is 0 are only in the table.');
    if (!cmp || !cmp.rows.length) { absent(c, 'no comparison.csv'); foot(); return; }
    const rows = cmp.rows.map((r) => ({ kpi: r.kpi, unit: r.unit || unitOf(r.kpi), a: num(r.a_mean), b: num(r.b_mean), d: num(r.difference), low: num(r.ci_low), high: num(r.ci_high), paired: r.paired, verdict: r.verdict || '' }));
    const rel = rows.filter((r) => r.a !== null && r.a !== 0 && r.d !== null).map((r) => ({
      kpi: label(r.kpi), verdict: r.verdict, change: 100 * r.d / Math.abs(r.a),
      low: r.low === null ? null : 100 * r.low / Math.abs(r.a), high: r.high === null ? null : 100 * r.high / Math.abs(r.a),
      text: human(r.d, r.unit) + ' (' + human(r.a, r.unit) + ' → ' + human(r.b, r.unit) + ')',
    }));
    if (!rel.length) absent(c, 'no KPI with a non-zero mean in A');
    else {
      const y = { field: 'kpi', type: 'nominal', sort: null, title: null };
      const colour = { field: 'verdict', type: 'nominal', title: 'verdict', scale: { domain: Object.keys(VERDICT_COLOURS), range: Object.values(VERDICT_COLOURS) }, legend: { orient: 'top' } };
      draw(c, {
        width: WIDE - 260, height: { step: 22 }, data: { values: rel },
        layer: [
          { mark: { type: 'rule', color: '#555' }, encoding: { x: { datum: 0 } } },
          { mark: { type: 'rule', strokeWidth: 2 }, encoding: { y, x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' }, color: colour } },
          { mark: { type: 'point', filled: true, size: 70 }, encoding: { y, x: { field: 'change', type: 'quantitative', title: 'change, B against A (% of A)', axis: { labelExpr: 'human(datum.value, "percent", 4)', tickCount: 8 } }, color: colour, tooltip: [{ field: 'kpi' }, { field: 'text', title: 'difference' }, { field: 'verdict' }] } },
        ],
      });
    }
    const verdictCell = (v) => ({ text: v, class: v === 'better' ? 'verdict-better' : v === 'worse' ? 'verdict-worse' : '' });
    sec.append(table(['KPI', 'A', 'B', 'difference B − A', '95 % CI', 'paired', 'verdict'],
      rows.map((r) => [r.kpi, human(r.a, r.unit), human(r.b, r.unit), human(r.d, r.unit), r.low === null ? '' : human(r.low, r.unit) + ' … ' + human(r.high, r.unit), r.paired, verdictCell(r.verdict)]),
      [false, true, true, true, true, false, false]));
    foot();
  }

  // ---------------------------------------------------------------- go
  ROOT.textContent = '';
  try {
    if (DATA.kind === 'sweep') renderSweep();
    else if (DATA.kind === 'comparison') renderComparison();
    else renderRun(DATA.kind);
  } catch (e) {
    console.error('report: ' + (e && e.stack ? e.stack : e));
    ROOT.append(el('p', { class: 'chart failed' }, 'The report could not be drawn: ' + e.message));
  }
  state.ready = Promise.all(state.pending).then(() => state.charts);
})();
