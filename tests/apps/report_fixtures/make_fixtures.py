#!/usr/bin/env python3
"""Writes the hand-made results folders the report tests draw (docs/results.md shapes), for the
files whose producers (segments, timeseries, replications, sweeps, compare) may not have landed.
Deterministic: run it again after changing it and commit the output."""
import json, math, os, shutil

HERE = os.path.dirname(os.path.abspath(__file__))
REASONS = ['malformed', 'unknown_key_version', 'withdrawn_key_version', 'bad_cryptogram', 'expired',
           'not_yet_valid', 'counter_over_limit', 'token_denylisted', 'account_denylisted', 'replayed',
           'store_full', 'no_usable_token']
SCENARIO = 'name: "fixture"\nseed: 7\ndays: 1\nwarmup: "24h"\npopulation {\n  riders: 20000\n}\n'


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        f.write(text)


def demand(h):  # two rush hours
    return 0.1 + math.exp(-((h - 8) ** 2) / 2) + 0.8 * math.exp(-((h - 18) ** 2) / 3)


def timeseries():
    cols = ['interval_start_s', 'interval_end_s', 'day', 'time_of_day', 'measured', 'taps_accepted',
            'taps_refused'] + ['taps_refused_' + r for r in REASONS] + [
            'fallback_taps', 'token_requests', 'token_requests_per_s', 'token_request_latency_p50_s',
            'token_request_latency_p99_s', 'grants', 'uploads', 'uploads_per_s', 'upload_latency_p50_s',
            'upload_latency_p99_s', 'top_ups', 'top_ups_per_s', 'issuing_queue_mean',
            'settlement_queue_mean', 'issuing_capacity_per_s', 'settlement_capacity_per_s',
            'unpaid_debt', 'pending_fares', 'credit_exposure', 'tokens_expired_unused']
    lines = [','.join(cols)]
    step = 1800
    for i in range(96):
        s = i * step
        h = (s % 86400) / 3600
        d = demand(h)
        acc = int(4000 * d)
        nut = int(60 * d * d)
        exp = int(8 * d)
        refused = {r: 0 for r in REASONS}
        refused['no_usable_token'] = nut
        refused['expired'] = exp
        tr = 1.2 * d
        up = 2.5 * d
        row = [s, s + step, s // 86400 + 1, '%02d:%02d' % (int(h), int(round((h % 1) * 60))), int(s >= 86400),
               acc, nut + exp] + [refused[r] for r in REASONS] + [
               int(5 * d), int(tr * step), round(tr, 4), round(0.0012 + 0.001 * d, 6), '' if d < 0.12 else round(0.006 + 0.02 * d * d, 6),
               int(tr * step * 0.98), int(up * step), round(up, 4), round(0.003 + 0.002 * d, 6), round(0.02 + 0.05 * d * d, 6),
               int(0.1 * d * step), round(0.1 * d, 4), round(0.02 * d, 4), round(0.05 * d * d, 4), 900, 450,
               '%.2f' % (40 * d + i * 0.5), '%.2f' % (800 * d), '%.2f' % (1500 + 900 * d), int(30 * (1 if 1 <= h < 2 else 0.05))]
        lines.append(','.join(str(x) for x in row))
    return '\n'.join(lines) + '\n'


KPIS_ALL = [('trips', 41230, 'count'), ('taps_accepted', 80512, 'count'), ('taps_refused', 1311, 'count'),
            ('refusal_rate', 0.01602, 'share')] + [('taps_refused_' + r, {'no_usable_token': 1170, 'expired': 141}.get(r, 0), 'count') for r in REASONS] + [
            ('riders_refused', 1022, 'count'), ('fares_settled', 160210.5, 'CNY'), ('unpaid_debt', 412.0, 'CNY'),
            ('pending_fares', 0.0, 'CNY'), ('fraud_loss', 0.0, 'CNY'), ('revenue_at_risk', 412.0, 'CNY'),
            ('settlement_lag_mean_s', 1362.5, 's'), ('settlement_lag_p50_s', 610.0, 's'), ('settlement_lag_p99_s', 9100.0, 's'),
            ('settlement_lag_max_s', 10853.0, 's'), ('token_requests_sent', 33130, 'count'),
            ('token_requests_peak_per_second', 4.1, 'per_s'), ('token_requests_latency_p50_s', 0.0014, 's'),
            ('token_requests_latency_p99_s', 0.0085, 's'), ('grants', 32570, 'count'), ('tokens_expired_unused', 20650, 'count'),
            ('taps_expired_unused', 43710, 'count'), ('uploads_latency_p99_s', 0.0228, 's')]
SEGMENTS = {'class:commuter': (0.011, 420), 'class:student': (0.019, 310), 'class:occasional': (0.031, 292),
            'coverage:good': (0.008, 330), 'coverage:patchy': (0.024, 452), 'coverage:poor': (0.061, 240)}


def kpis_csv(replicated):
    head = 'kpi,segment,mean,ci_low,ci_high,n,unit' if replicated else 'kpi,segment,value,unit'
    lines = [head]

    def row(k, seg, v, u):
        if replicated:
            hw = abs(v) * 0.05
            lines.append('%s,%s,%s,%s,%s,3,%s' % (k, seg, v, v - hw, v + hw, u))
        else:
            lines.append('%s,%s,%s,%s' % (k, seg, v, u))
    for k, v, u in KPIS_ALL:
        row(k, 'all', v, u)
    for seg, (rate, riders) in SEGMENTS.items():
        row('refusal_rate', seg, rate, 'share')
        for r in REASONS:
            row('taps_refused_' + r, seg, {'no_usable_token': int(riders * 1.1), 'expired': int(riders * 0.15)}.get(r, 0), 'count')
        row('riders_refused', seg, riders, 'count')
        row('riders_refused_share', seg, round(riders / 12000, 5), 'share')
    if not replicated:
        for h in range(24):
            d = demand(h + 0.5)
            row('taps_accepted', 'hour:%02d' % h, int(8000 * d), 'count')
            row('taps_refused', 'hour:%02d' % h, int(120 * d * d), 'count')
    return '\n'.join(lines) + '\n'


def run_manifest(kind, extra):
    m = {'scenario_file': 'scenarios/default.txtpb', 'scenario': SCENARIO, 'seed': 7,
         'command_line': 'hcesim run --set population.riders=20000', 'version': 'fixture',
         'fingerprint': '0123456789abcdef', 'events': 1234567, 'wall_time_s': 3.2, 'peak_memory_kib': 123456,
         'currency': 'CNY', 'kind': kind, 'replications': 1}
    m.update(extra)
    return json.dumps(m, indent=2) + '\n'


def main():
    for d in ['run_full', 'replications', 'sweep', 'sweep_one_axis', 'comparison']:
        shutil.rmtree(os.path.join(HERE, d), ignore_errors=True)
    # A single run with every file of the contract.
    write(os.path.join(HERE, 'run_full/manifest.json'), run_manifest('run', {}))
    write(os.path.join(HERE, 'run_full/summary.json'), json.dumps({
        'name': 'fixture', 'currency': 'CNY', 'replications': 1, 'confidence_intervals': 'none: a single run',
        'kpis': {k: v for k, v, u in KPIS_ALL}, 'units': {k: u for k, v, u in KPIS_ALL}}, indent=2) + '\n')
    write(os.path.join(HERE, 'run_full/kpis.csv'), kpis_csv(False))
    write(os.path.join(HERE, 'run_full/timeseries.csv'), timeseries())
    # Three replications: CIs, and the time series of rep-1.
    write(os.path.join(HERE, 'replications/manifest.json'), run_manifest('replications', {'replications': 3, 'seeds': [7, 8, 9]}))
    write(os.path.join(HERE, 'replications/summary.json'), json.dumps({
        'name': 'fixture', 'currency': 'CNY', 'replications': 3, 'confidence_intervals': '95% t',
        'kpis': {k: {'mean': v, 'ci_low': v * 0.95, 'ci_high': v * 1.05, 'half_width': abs(v) * 0.05, 'n': 3,
                     'values': [v * 0.97, v, v * 1.03]} for k, v, u in KPIS_ALL},
        'units': {k: u for k, v, u in KPIS_ALL}}, indent=2) + '\n')
    write(os.path.join(HERE, 'replications/kpis.csv'), kpis_csv(True))
    write(os.path.join(HERE, 'replications/rep-1/timeseries.csv'), timeseries())
    write(os.path.join(HERE, 'replications/rep-1/manifest.json'), run_manifest('run', {'seed': 7}))
    # A crossed two-axis sweep with a metamodel.
    axes = ['token_policy.offline_limit', 'population.hce_share']
    kpis = ['refusal_rate', 'taps_accepted', 'unpaid_debt', 'token_requests_latency_p99_s']
    lines = [','.join(['point'] + axes + [k + s for k in kpis for s in ('_mean', '_ci_low', '_ci_high')])]
    p = 0
    for limit in [1, 2, 3, 4]:
        for share in [0.4, 0.6, 0.8]:
            vals = {'refusal_rate': 0.004 / limit + 0.0005 * share, 'taps_accepted': 60000 + 30000 * share - 500 * limit,
                    'unpaid_debt': 100 + 90 * limit * share, 'token_requests_latency_p99_s': 0.006 + 0.004 * share / limit}
            row = [str(p), str(limit), str(share)]
            for k in kpis:
                v = vals[k]
                row += ['%.6g' % v, '%.6g' % (v * 0.93), '%.6g' % (v * 1.07)]
            lines.append(','.join(row))
            p += 1
    write(os.path.join(HERE, 'sweep/sweep.csv'), '\n'.join(lines) + '\n')
    write(os.path.join(HERE, 'sweep/metamodel.csv'), 'kpi,term,coefficient,r2\n' + ''.join(
        '%s,%s,%s,%s\n' % r for r in [
            ('refusal_rate', 'intercept', 0.0041, 0.91), ('refusal_rate', axes[0], -0.00081, 0.91), ('refusal_rate', axes[1], 0.0005, 0.91),
            ('refusal_rate', axes[0] + '*' + axes[1], 0.00001, 0.91),
            ('taps_accepted', 'intercept', 60000, 0.99), ('taps_accepted', axes[0], -500, 0.99), ('taps_accepted', axes[1], 30000, 0.99),
            ('unpaid_debt', 'intercept', 100, 0.97), ('unpaid_debt', axes[0], 54, 0.97), ('unpaid_debt', axes[1], 225, 0.97),
            ('unpaid_debt', axes[0] + '*' + axes[1], 90, 0.97)]))
    write(os.path.join(HERE, 'sweep/manifest.json'), json.dumps({
        'kind': 'sweep', 'name': 'fixture-sweep', 'scenario_file': 'scenarios/default.txtpb', 'scenario': SCENARIO,
        'axes': [{'field': axes[0], 'values': [1, 2, 3, 4]}, {'field': axes[1], 'values': [0.4, 0.6, 0.8]}], 'points': 12,
        'design': 'crossed', 'replications': 3, 'common_random_numbers': True, 'currency': 'CNY', 'version': 'fixture'},
        indent=2) + '\n')
    # One text-valued axis, a single replication (no CIs), a point without a value, no metamodel,
    # money close together (axis ticks must still read differently).
    write(os.path.join(HERE, 'sweep_one_axis/manifest.json'), json.dumps({'kind': 'sweep', 'currency': 'INR'}) + '\n')
    write(os.path.join(HERE, 'sweep_one_axis/sweep.csv'),
          'point,token_policy.expiry,refusal_rate_mean,refusal_rate_ci_low,refusal_rate_ci_high,'
          'fares_settled_mean,fares_settled_ci_low,fares_settled_ci_high\n'
          '0,24h,0.01,,,100.5,,\n1,48h,0.005,,,101.5,,\n2,72h,,,,102,,\n')
    # A comparison.
    write(os.path.join(HERE, 'comparison/manifest.json'), json.dumps({
        'kind': 'comparison', 'a': 'results/runs/base', 'b': 'results/runs/longer-expiry', 'version': 'fixture'}, indent=2) + '\n')
    write(os.path.join(HERE, 'comparison/comparison.csv'), 'kpi,unit,a_mean,b_mean,difference,ci_low,ci_high,paired,verdict\n' + ''.join(
        ','.join(str(x) for x in r) + '\n' for r in [
            ('refusal_rate', 'share', 0.0160, 0.0081, -0.0079, -0.0095, -0.0063, 'true', 'better'),
            ('taps_accepted', 'count', 80512, 81320, 808, 402, 1214, 'true', 'better'),
            ('riders_refused', 'count', 1022, 540, -482, -560, -404, 'true', 'better'),
            ('unpaid_debt', 'CNY', 412.0, 655.5, 243.5, 120.0, 367.0, 'true', 'worse'),
            ('revenue_at_risk', 'CNY', 412.0, 655.5, 243.5, 120.0, 367.0, 'true', 'worse'),
            ('fraud_loss', 'CNY', 0.0, 0.0, 0.0, 0.0, 0.0, 'true', 'no significant difference'),
            ('token_requests_latency_p99_s', 's', 0.0085, 0.0083, -0.0002, -0.0007, 0.0003, 'true', 'no significant difference'),
            ('settlement_lag_mean_s', 's', 1362.5, 1340.1, -22.4, -80.2, 35.4, 'true', 'no significant difference'),
            ('fares_settled', 'CNY', 160210.5, 160890.0, 679.5, 80.0, 1279.0, 'true', 'better'),
            ('tokens_expired_unused', 'count', 20650, 6120, -14530, -15020, -14040, 'true', 'better'),
            ('token_requests_sent', 'count', 33130, 12010, -21120, -21900, -20340, 'true', 'lower'),
            ('trips', 'count', 41230, 41230, 0, 0, 0, 'true', 'no significant difference')]))


main()
