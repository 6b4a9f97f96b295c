#!/usr/bin/env bash
# CTest `report_render`: draws report.html of a small real run and of hand-made replications, sweep
# and comparison folders (tests/apps/report_fixtures, the shapes of docs/results.md), opens each in
# headless Debian Chromium through report/render_test.mjs (fails on any console error, a chart
# without marks, overlapping axis labels) and keeps a screenshot of each in OUT/screenshots.
# Skipped (exit 77) only when chromium or report/node_modules is absent: scripts/setup.sh
# installs both.
#   report_render_test.sh HCESIM_BIN SOURCE_DIR OUT_DIR
set -euo pipefail
hcesim=$1
src=$2
out=$3
chromium=${HCESIM_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  echo "SKIP: $chromium not found (scripts/setup.sh installs Debian's chromium)"
  exit 77
fi
for f in puppeteer-core/package.json vega/build/vega.min.js vega-lite/build/vega-lite.min.js \
  vega-embed/build/vega-embed.min.js; do
  if [ ! -f "$src/report/node_modules/$f" ]; then
    echo "SKIP: $src/report/node_modules/$f not found (scripts/setup.sh runs npm ci in report/)"
    exit 77
  fi
done
if ! command -v node >/dev/null; then
  echo "SKIP: node not found (Node 20 is needed for the report's browser test)"
  exit 77
fi

rm -rf "$out"
mkdir -p "$out"
cp -r "$src/tests/apps/report_fixtures/"{run_full,replications,sweep,sweep_one_axis,comparison} "$out/"
# Without timeseries.csv, taps over the day come from the hour:HH segments of kpis.csv.
cp -r "$out/run_full" "$out/run_hours"
rm "$out/run_hours/timeseries.csv"

# A real run writes its report by default.
"$hcesim" run "$src/scenarios/default.txtpb" --set population.riders=300 \
  --set city.synthetic.metro_lines=2 --set city.synthetic.stations_per_line=8 \
  --set city.synthetic.bus_routes=10 --set city.synthetic.stops_per_bus_route=8 \
  --set city.synthetic.size_km=6 --set warmup=24h --set drain=6h --seed 3 --quiet \
  --out "$out/run_small" >"$out/run_small.log"
grep -q "^report: $out/run_small/report.html" "$out/run_small.log"

for d in run_full run_hours replications; do
  "$hcesim" report "$out/$d" >/dev/null
done
"$hcesim" report "$out/sweep" --target 'refusal_rate<=0.0015' --target 'unpaid_debt<=300' >/dev/null
"$hcesim" report "$out/sweep_one_axis" --target 'refusal_rate<=0.006' >/dev/null
"$hcesim" report "$out/comparison" >/dev/null

cd "$src/report"
node render_test.mjs "$out/screenshots" \
  "run_small=$out/run_small/report.html" \
  "run_full=$out/run_full/report.html:all" \
  "replications=$out/replications/report.html:all" \
  "sweep=$out/sweep/report.html:all" \
  "comparison=$out/comparison/report.html:all" \
  "sweep_one_axis=$out/sweep_one_axis/report.html" "text:sweep_one_axis=1 of 3 points meet" \
  "drew:sweep_one_axis=sweep-fares_settled-vs-token_policy_expiry" \
  "run_hours=$out/run_hours/report.html" "drew:run_hours=taps-over-day" \
  "drew:run_hours=refusals-over-day" "text:run_hours=From the hour:HH segments" \
  "text:run_full=1.6 %" "text:run_full=160 k CNY" "text:run_full=22.7 min" \
  "text:run_full=8.5 ms" "text:replications=95 % CI 1.5 % … 1.7 %" \
  "text:sweep=1 of 12 points meet the target." "text:comparison=120 CNY … 367 CNY" "text:comparison=-0.95 pp … -0.63 pp" \
  "text:run_small=Taps accepted"
