// report.html's script, part 4: a sweep (KPIs against axes, heatmaps, metamodel, targets).
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
  // Six digits: a KPI that barely moves across the axis (taps accepted, 28,375 to 28,390) would
  // repeat one four-digit tick label.
  const y = { field: mean, type: 'quantitative', title: yTitle, scale: { zero: false }, axis: { labelExpr: 'human(datum.value, ' + unitExpr + ', 6)' } };
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
// Each axis by the shortest dotted suffix no other axis ends with (the labels are cut at 200 px:
// validators.station_upload_interval*validators.bus_upload_interval and ...*token_policy.lifetime
// read the same).
function shortTerms(terms) {
  const axes = [...new Set(terms.flatMap((t) => t.split('*')))];
  const tail = (a, k) => a.split('.').slice(-k).join('.');
  const short = new Map(axes.map((a) => {
    let k = 1;
    while (k < a.split('.').length && axes.some((b) => b !== a && tail(b, k) === tail(a, k))) k++;
    return [a, tail(a, k)];
  }));
  return (t) => t.split('*').map((a) => short.get(a) || a).join(' × ');
}

function metamodel(sec, headline) {
  const c = figure(sec, 'metamodel', 'Metamodel coefficients', 'Each coefficient is the change of the KPI per unit of the term (interaction terms a × b per unit of the product; each axis named by the end of its path, metamodel.csv has it whole); the intercept is left out.');
  const mm = csv('metamodel.csv');
  if (!mm || !mm.rows.length) { absent(c, 'no metamodel.csv'); return; }
  const termLabel = shortTerms(mm.rows.map((r) => r.term).filter((t) => t !== 'intercept'));
  const rows = mm.rows.map((r) => ({ kpi: r.kpi, term: r.term === 'intercept' ? r.term : termLabel(r.term), coefficient: num(r.coefficient), r2: num(r.r2) })).filter((r) => r.coefficient !== null && r.term !== 'intercept');
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
