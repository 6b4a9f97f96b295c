// report.html's script, part 5: a comparison of two folders (deltas with CIs and verdicts).
// ---------------------------------------------------------------- a comparison
// A difference of two shares is in percentage points, not per cent.
function diff(v, unit) {
  return unit === 'share' ? human(v, unit).replace(/ %$/, ' pp') : human(v, unit);
}

function renderComparison() {
  const cmp = csv('comparison.csv');
  const a = MANIFEST.a || (MANIFEST.folders && MANIFEST.folders[0]) || 'A';
  const b = MANIFEST.b || (MANIFEST.folders && MANIFEST.folders[1]) || 'B';
  header('comparison', 'Comparison: B against A', 'A = ' + a + ', B = ' + b + '. Difference = B − A with its 95 % confidence interval.');
  const sec = section('KPI differences', 'Verdict per KPI: better, worse, or no significant difference (the CI contains 0); no interval when either folder is a single run (not tested). Lower is better for refusals, losses and latencies; higher for taps accepted and fares settled.');
  const c = figure(sec, 'comparison-deltas', 'Change of each KPI, B against A (% of A)', 'Point: the difference as a share of A\'s mean; whisker: its 95 % CI. KPIs whose A mean is 0 are only in the table.');
  if (!cmp || !cmp.rows.length) { absent(c, 'no comparison.csv'); foot(); return; }
  const rows = cmp.rows.map((r) => ({ kpi: r.kpi, unit: r.unit || unitOf(r.kpi), a: num(r.a_mean), b: num(r.b_mean), d: num(r.difference), low: num(r.ci_low), high: num(r.ci_high), paired: r.paired, verdict: r.verdict || '' }));
  const rel = rows.filter((r) => r.a !== null && r.a !== 0 && r.d !== null).map((r) => ({
    kpi: label(r.kpi), verdict: r.verdict, change: 100 * r.d / Math.abs(r.a),
    low: r.low === null ? null : 100 * r.low / Math.abs(r.a), high: r.high === null ? null : 100 * r.high / Math.abs(r.a),
    text: diff(r.d, r.unit) + ' (' + human(r.a, r.unit) + ' → ' + human(r.b, r.unit) + ')',
  }));
  if (!rel.length) absent(c, 'no KPI with a non-zero mean in A');
  else {
    const y = { field: 'kpi', type: 'nominal', sort: null, title: null };
    // Only the verdicts present, in a fixed order; one the contract does not name gets grey.
  const seen = [...new Set(rel.map((r) => r.verdict))];
  const domain = [...Object.keys(VERDICT_COLOURS).filter((v) => seen.includes(v)), ...seen.filter((v) => !(v in VERDICT_COLOURS))];
  const colour = { field: 'verdict', type: 'nominal', title: 'verdict', scale: { domain, range: domain.map((v) => VERDICT_COLOURS[v] || '#555555') }, legend: { orient: 'top' } };
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
    rows.map((r) => [r.kpi, human(r.a, r.unit), human(r.b, r.unit), diff(r.d, r.unit), r.low === null ? '' : diff(r.low, r.unit) + ' … ' + diff(r.high, r.unit), r.paired, verdictCell(r.verdict)]),
    [false, true, true, true, true, false, false]));
  foot();
}
