#!/usr/bin/env bash
# Bench of the live cloud service (issue 19) on this machine, release build, loopback:
# token requests and tap uploads as fast as possible, tokens at half that rate (open loop), the
# request mix of a simulated run of scenarios/live_bench.txtpb, and the calibration: each kind's
# open-loop capacity search, then the predicted-vs-measured table, for token requests alone and for
# the scenario's mix (both tables printed at the end; the calibration files hold them too).
# Usage: scripts/bench_live.sh [SECONDS per run, default 10]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-10}
bin="$root/build/release/apps"
data=$(mktemp -d /tmp/hcesim_bench_live.XXXXXX)
loadavg() { echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"; }
"$bin/hcesim-cloud" serve --listen 127.0.0.1:0 --data "$data" --scenario "$root/scenarios/live_bench.txtpb" \
  --token-requests-per-hour 100000000 \
  --rate 1000000 --burst 100000 >"$data/out" 2>"$data/err" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q listening "$data/out" 2>/dev/null && break; sleep 0.1; done
port=$(sed 's/.*://' "$data/out")
lg() { "$bin/hcesim" loadgen --target "127.0.0.1:$port" --data "$data" --duration "$secs" "$@"; }
loadavg
echo "== token requests, closed loop"; lg --mix tokens --as-fast-as-possible | tee "$data/tokens"
rate=$(sed -n 's/^token request: [0-9]* replies (\([0-9.]*\)\/s).*/\1/p' "$data/tokens")
half=$(awk -v r="$rate" 'BEGIN { printf "%d", r / 2 }')
echo "== token requests, open loop at half that: $half/s"; lg --mix tokens --rate "$half"
echo "== tap uploads (50 taps each), closed loop"; lg --mix uploads --as-fast-as-possible
echo "== the mix of a simulated run of live_bench (its busiest hour), open loop at 2,000/s"
lg --scenario "$root/scenarios/live_bench.txtpb" --rate 2000
loadavg
echo "== calibration (token requests): capacity search, then the sweep"
lg --mix tokens --sweep "$(awk -v r="$rate" 'BEGIN { printf "%d,%d,%d,%d,%d,%d,%d,%d", r*0.05, r*0.1, r*0.2, r*0.3, r*0.4, r*0.5, r*0.7, r*0.9 }')" \
  --repeats 3 --calibration "$data/calibration.txtpb" | tee "$data/sweep"
echo "== calibration (the mix of live_bench's simulated busiest hour): each kind's search, the sweep"
lg --scenario "$root/scenarios/live_bench.txtpb" --sweep 500,1000,2000,4000,6000,8000,10000,12000,14000 --search-steps 4 \
  --repeats 3 --calibration "$data/calibration_mix.txtpb" | tee "$data/sweep_mix"
loadavg
echo "== the tables (token requests; the scenario mix)"
sed -n '/^model:/,$p' "$data/sweep"
sed -n '/^model:/,$p' "$data/sweep_mix"
echo "calibration files: $data/calibration.txtpb $data/calibration_mix.txtpb"
