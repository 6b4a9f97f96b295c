// report.html's script, part 3: a run or its replications (time series, segments, cloud,
// money, settlement, expiry).
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
// Every time chart spans the whole run, so their days line up one under the other.
function timeDomain(ts) {
  return [Math.min(...ts.rows.map((r) => r.t)), Math.max(...ts.rows.map((r) => r.t_end))];
}

function timeChart(chart, ts, series, unit, yTitle, opts) {
  opts = opts || {};
  const long = [];
  let values = 0;
  for (const r of ts.rows) {
    for (const s of series) {
      let v = r[s.col];
      if (v === undefined || (opts.log && !(v > 0))) v = null;
      if (v === null && opts.stack) continue;
      // A line keeps its empty intervals as nulls, so it breaks there instead of bridging the gap.
      values += v === null ? 0 : 1;
      long.push({ t: r.t, t_end: r.t_end, hour: r.hour, series: s.name, value: v, style: s.style || 'demand' });
    }
  }
  if (!values) { absent(chart, 'every value of ' + series.map((s) => s.col).join(', ') + ' is empty'); return; }
  const order = series.map((s) => s.name);
  // Hourly rows (from hour:HH segments) are categories; intervals of timeseries.csv are times.
  const x = ts.hourly ? { field: 'hour', type: 'ordinal', title: 'hour of the day (measured days)', axis: { labelAngle: 0 } }
    : { field: 't', type: 'temporal', scale: { type: 'utc', domain: timeDomain(ts) }, axis: TIME_AXIS };
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
    'Per interval; grey background: intervals the KPIs leave out (measured = 0, the warm-up).');
  const b = figure(s, 'refusals-over-day', 'Refused taps over the day, by reason (stacked)',
    'The refused part of the chart above, on its own scale.');
  if (!ts) { absent(a, 'no timeseries.csv and no hour:HH segments in kpis.csv'); absent(b, 'no timeseries.csv'); return; }
  const reasons = ts.columns.filter((c) => /^taps_refused_/.test(c) && ts.rows.some((r) => r[c] > 0));
  const accepted = present(ts, ['taps_accepted']);
  if (!accepted.length && !present(ts, ['taps_refused']).length && !reasons.length) { absent(a, 'no taps_accepted or taps_refused_<reason> columns'); absent(b, 'no taps_refused_<reason> columns'); return; }
  // Without reasons (hour:HH segments carry only the total) the total stands in.
  const refusedSeries = reasons.length ? reasons.map((c) => ({ col: c, name: 'refused: ' + reasonName(c) }))
    : present(ts, ['taps_refused']).filter((c) => ts.rows.some((r) => r[c] > 0)).map((c) => ({ col: c, name: 'refused (all reasons)' }));
  const colours = ['#0072B2', ...PALETTE.slice(1)];
  timeChart(a, ts, [...accepted.map((c) => ({ col: c, name: 'accepted' })), ...refusedSeries], 'count', 'taps per interval', { stack: true, colours: colours.slice(0, accepted.length + refusedSeries.length), legend: 'taps' });
  if (!refusedSeries.length) absent(b, 'no tap was refused');
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
    'Unpaid debt: fares owed by accounts that went negative; fares not yet uploaded: accepted taps still on validators, each at the most it can cost (an entry at the maximum fare, its exit at nothing, a bus boarding at its fare); credit exposure: their sum, what the city has let riders travel on without cover.');
  if (!ts) { absent(c, 'no timeseries.csv'); return; }
  const cols = ts.columns.filter((k) => ['unpaid_debt', 'fares_unsent', 'pending_fares', 'credit_exposure'].includes(k) || /_balance$/.test(k));
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
  const seg = rows.filter((r) => /^(class|coverage):/.test(r.segment)).map((r) => {
    const at = r.segment.indexOf(':');
    return Object.assign({ group: groups[r.segment.slice(0, at)], name: r.segment.slice(at + 1) }, r);
  });
  const ci = seg.some((r) => r.low !== null) ? ', whiskers the 95 % CI over replications.' : '.';
  const note = 'Rider classes and coverage classes (network coverage where riders travel), over the measured days';
  const facet = (spec, data) => ({
    data: { values: data },
    facet: { row: { field: 'group', type: 'nominal', title: null, header: { labelAngle: 0, labelAlign: 'left', labelAnchor: 'start', labelOrient: 'top', labelFontWeight: 'bold' } } },
    spec, resolve: { scale: { y: 'independent' } },
  });
  const y = { field: 'name', type: 'nominal', sort: null, title: null };
  // The facet headers name the groups, so the colour needs no legend.
  const groupColour = { field: 'group', type: 'nominal', legend: null, scale: { domain: ['rider class', 'coverage class'], range: ['#0072B2', '#E69F00'] } };
  // Labels sit past the CI whisker, not on it.
  const labelAt = (r) => Math.max(r.value, r.high === null || r.high === undefined ? r.value : r.high);
  const missing = (kpi) => 'no class:<name> or coverage:<name> segments of ' + kpi + ' in kpis.csv';

  // Refusal rate, with CI whiskers when replicated.
  const rate = figure(s, 'segments-refusal-rate', 'Refusal rate by segment', note + ci);
  const rates = seg.filter((r) => r.kpi === 'refusal_rate' && r.value !== null).map((r) => Object.assign({}, r, { label: human(r.value, 'share'), at: labelAt(r) }));
  if (!rates.length) absent(rate, missing('refusal_rate'));
  else {
    const layers = [
      { mark: 'bar', encoding: { y, x: { field: 'value', type: 'quantitative', axis: axisFor('share', 'refusal rate') }, color: groupColour } },
      { mark: { type: 'text', align: 'left', dx: 4 }, encoding: { y, x: { field: 'at', type: 'quantitative' }, text: { field: 'label' } } },
    ];
    if (rates.some((d) => d.low !== null)) layers.push({ mark: { type: 'rule', color: '#000' }, encoding: { y, x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' } } });
    draw(rate, facet({ width: WIDE - 250, height: { step: 24 }, layer: layers }, rates));
  }

  // Refused taps by reason (stacked), reasons that happened only.
  const why = figure(s, 'segments-refusal-reasons', 'Refused taps by segment and reason (stacked)', note + '.');
  const reasonRows = seg.filter((r) => /^taps_refused_/.test(r.kpi) && r.value > 0);
  if (!reasonRows.length) absent(why, seg.some((r) => /^taps_refused_/.test(r.kpi)) ? 'no tap was refused' : missing('taps_refused_<reason>'));
  else {
    const reasons = [...new Set(reasonRows.map((r) => r.kpi))];
    draw(why, facet({
      width: WIDE - 250, height: { step: 24 }, mark: 'bar',
      encoding: {
        y, x: { field: 'value', type: 'quantitative', stack: 'zero', axis: axisFor('count', 'refused taps') },
        color: { field: 'reason', type: 'nominal', title: 'reason', sort: reasons.map(reasonName), scale: { domain: reasons.map(reasonName), range: PALETTE.slice(1, 1 + reasons.length) } },
        tooltip: [{ field: 'name', title: 'segment' }, { field: 'reason' }, { field: 'value', title: 'taps', format: ',d' }],
      },
    }, reasonRows.map((r) => Object.assign({ reason: reasonName(r.kpi) }, r))));
  }

  // Riders affected: how many, and what share of the segment's HCE riders.
  const who = figure(s, 'segments-riders-refused', 'Riders who met a refusal, by segment', note + ci + ' Labels: riders (share of the segment\'s HCE riders, where known).');
  const share = new Map(seg.filter((r) => r.kpi === 'riders_refused_share').map((r) => [r.segment, r.value]));
  const riders = seg.filter((r) => r.kpi === 'riders_refused' && r.value !== null).map((r) => Object.assign({}, r, {
    at: labelAt(r),
    label: human(r.value, 'count') + (share.get(r.segment) !== null && share.get(r.segment) !== undefined ? ' (' + human(share.get(r.segment), 'share') + ')' : ''),
  }));
  if (!riders.length) absent(who, missing('riders_refused'));
  else {
    const layers = [
      { mark: 'bar', encoding: { y, x: { field: 'value', type: 'quantitative', axis: axisFor('count', 'riders who met a refusal') }, color: groupColour } },
      { mark: { type: 'text', align: 'left', dx: 4 }, encoding: { y, x: { field: 'at', type: 'quantitative' }, text: { field: 'label' } } },
    ];
    if (riders.some((d) => d.low !== null)) layers.push({ mark: { type: 'rule', color: '#000' }, encoding: { y, x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' } } });
    draw(who, facet({ width: WIDE - 250, height: { step: 24 }, layer: layers }, riders));
  }
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
