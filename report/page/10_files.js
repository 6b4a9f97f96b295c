// report.html's script, part 1: the inlined results files, reading CSV and JSON, numbers for
// people, KPI names and units. `hcesim report` joins report/page/*.js in name order into one
// function, so these names are shared by the parts and nothing leaks into the page's globals.
const DATA = JSON.parse(document.getElementById('hcesim-data').textContent);
const FILES = DATA.files || {};
const ROOT = document.getElementById('report');

// Okabe–Ito (colour-blind safe), then Paul Tol's muted scheme when more series are needed.
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#56B4E9', '#CC79A7', '#F0E442',
  '#000000', '#332288', '#88CCEE', '#44AA99', '#117733', '#999933', '#DDCC77', '#CC6677',
  '#882255', '#AA4499'];
// Verdicts of comparison.csv; `higher`/`lower` are for KPIs with no better direction.
const VERDICT_COLOURS = { better: '#009E73', worse: '#D55E00', 'no significant difference': '#8C8C8C', 'no interval': '#BBBBBB', higher: '#56B4E9', lower: '#CC79A7' };
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
  pending_fares: 'Pending fares', fares_unsent: 'Fares not yet uploaded', credit_exposure: 'Credit exposure',
  fraud_loss: 'Fraud loss', journeys_unfinished: 'Unfinished journeys (exit refused)',
  fares_unfinished: 'Fares of unfinished journeys',
  peak_unpaid_debt: 'Peak unpaid debt', settlement_lag_mean_s: 'Settlement lag, mean',
  settlement_lag_max_s: 'Settlement lag, max', token_requests_latency_p99_s: 'Token request latency p99',
  uploads_latency_p99_s: 'Upload latency p99', token_requests_peak_per_second: 'Token requests, peak',
  tokens_expired_unused: 'Tokens wasted by expiry', taps_expired_unused: 'Taps wasted by expiry',
  top_ups_declined: 'Top-ups declined', fallback_taps: 'Fallback taps (card / QR)',
  trips_given_up: 'Trips given up', grants: 'Token grants',
};
const HEADLINE = ['taps_accepted', 'refusal_rate', 'riders_refused', 'fares_settled', 'fares_unfinished', 'revenue_at_risk',
  'unpaid_debt', 'fraud_loss', 'token_requests_latency_p99_s', 'uploads_latency_p99_s',
  'token_requests_peak_per_second', 'settlement_lag_mean_s', 'tokens_expired_unused'];
const MONEY_KPIS = new Set(['fares_settled', 'fares_unfinished', 'unpaid_debt', 'pending_fares', 'fares_unsent',
  'fraud_loss', 'revenue_at_risk', 'peak_unpaid_debt', 'credit_exposure']);
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
