#!/usr/bin/env bash
# What the live server gains from the second core (issue 19): closed-loop token requests and tap
# uploads against `hcesim-cloud serve --threads 1` and `--threads 2`, alternating, on this machine
# (release build, loopback). The load generator runs on the same two cores, so --threads 1 leaves
# it a core of its own and --threads 2 makes them share: the ratio is a lower bound of the gain.
# (The group-commit thread is there in both.) So each run also reports the cores the server and
# the load generator used (CPU seconds from /proc and time(1) over the run's wall time): with two
# threads the server using more than one core is the second core at work. (Closed-loop uploads
# take ~15 s of set-up: 1.2 M genuine taps with tokens from the server; not counted.) Prints each round and
# the medians.
# Usage: scripts/bench_live_threads.sh [SECONDS per run, default 5] [ROUNDS, default 3]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-5}
rounds=${2:-3}
bin="$root/build/release/apps"
[ -x "$bin/hcesim-cloud" ] || { echo "build first: cmake --build --preset release" >&2; exit 1; }
work=$(mktemp -d /tmp/hcesim_bench_threads.XXXXXX)
server=""
stop() { [ -n "$server" ] && { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; }; server=""; }
trap 'stop; rm -rf "$work"' EXIT
rate_of() { sed -n "s/^$1: [0-9]* replies (\([0-9.]*\)\/s).*/\1/p" "$2"; }
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
# One closed-loop run of kind $1 (tokens|uploads) into file $2; writes "server_cores lg_cores" of
# the run itself (from the load generator's "setup: ... running" line to its exit) to $2.cores.
measure() {
  local lg s0 l0 t0 s1 l1 t1
  "$bin/hcesim" loadgen --target "127.0.0.1:$port" --data "$data" --duration "$secs" --mix "$1" \
    --as-fast-as-possible >"$2" &
  lg=$!
  until grep -q '^setup: .*running' "$2" 2>/dev/null; do sleep 0.05; done
  s0=$(ticks "$server"); l0=$(ticks "$lg"); t0=$(date +%s.%N)
  while [ "$(awk '{ print $3 }' "/proc/$lg/stat" 2>/dev/null)" = S ] || \
        [ "$(awk '{ print $3 }' "/proc/$lg/stat" 2>/dev/null)" = R ]; do
    l1=$(ticks "$lg" 2>/dev/null || echo "$l1"); sleep 0.05
  done
  s1=$(ticks "$server"); t1=$(date +%s.%N)
  wait "$lg"
  awk -v a="$s0" -v b="$s1" -v c="$l0" -v d="$l1" -v hz="$hz" -v t0="$t0" -v t1="$t1" \
    'BEGIN { printf "%.2f %.2f\n", (b - a) / hz / (t1 - t0), (d - c) / hz / (t1 - t0) }' >"$2.cores"
}
declare -A results
for round in $(seq "$rounds"); do
  for threads in 1 2; do
    data="$work/data.$round.$threads"
    mkdir -p "$data"
    "$bin/hcesim-cloud" serve --listen 127.0.0.1:0 --data "$data" --threads "$threads" \
      --scenario "$root/scenarios/live_bench.txtpb" --token-requests-per-hour 100000000 \
      --rate 1000000 --burst 100000 >"$data/out" 2>"$data/err" &
    server=$!
    for _ in $(seq 50); do grep -q listening "$data/out" 2>/dev/null && break; sleep 0.1; done
    port=$(sed 's/.*://' "$data/out")
    measure tokens "$data/tokens"
    measure uploads "$data/uploads"
    stop
    t=$(rate_of "token request" "$data/tokens")
    u=$(rate_of "tap upload" "$data/uploads")
    results[$threads]+="$t $u;"
    read -r ts tl <"$data/tokens.cores"
    read -r us ul <"$data/uploads.cores"
    echo "round $round, --threads $threads: token requests $t/s (cores: server $ts, load generator $tl)," \
      "tap uploads $u batches/s (server $us, load generator $ul)"
  done
done
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for col in 1 2; do
  name=$([ "$col" = 1 ] && echo "token requests/s" || echo "tap uploads (batches/s)")
  one=$(echo "${results[1]}" | tr ';' '\n' | awk -v c="$col" 'NF { print $c }' | median)
  two=$(echo "${results[2]}" | tr ';' '\n' | awk -v c="$col" 'NF { print $c }' | median)
  awk -v n="$name" -v a="$one" -v b="$two" 'BEGIN { printf "%s: median %.0f with 1 thread, %.0f with 2: %.2fx\n", n, a, b, b / a }'
done
