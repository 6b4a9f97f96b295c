#!/usr/bin/env bash
# Speed-up of a study (8 sweep points x 4 replications on a small city) on 2 threads and on
# 2 MPI ranks x 1 thread, each against 1 rank x 1 thread. The three run in turn, ROUNDS times (this
# VM's speed drifts by ±10 % between runs), and the medians are printed. Needs the release build:
#   cmake --preset release && cmake --build --preset release --target hcesim
# Usage: scripts/bench_study.sh [hcesim binary] [riders] [rounds]
set -euo pipefail
bin=${1:-build/release/apps/hcesim}
riders=${2:-20000}
rounds=${3:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
study=(scenarios/default.txtpb --set population.riders="$riders"
  --set city.synthetic.metro_lines=2 --set city.synthetic.stations_per_line=10
  --set city.synthetic.bus_routes=20 --set city.synthetic.stops_per_bus_route=10
  --set city.synthetic.size_km=8 --set warmup=0s --set drain=6h
  --replications 4 --sweep token_policy.offline_limit=1,2,3,4,5,6,8,10 --quiet)
seconds() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N); echo "$t1 - $t0" | bc; }
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
echo "load before: $(uptime)"
s1=() s2=() s3=()
for round in $(seq "$rounds"); do
  one=$(seconds "$bin" run "${study[@]}" --jobs 1 --out "$work/j1")
  two=$(seconds "$bin" run "${study[@]}" --jobs 2 --out "$work/j2")
  mpi=$(seconds mpirun --allow-run-as-root --oversubscribe -np 2 "$bin" run "${study[@]}" --jobs 1 --out "$work/mpi")
  s2+=("$(echo "$one / $two" | bc -l)") s3+=("$(echo "$one / $mpi" | bc -l)")
  printf 'round %d: 1 rank x --jobs 1 %.2f s, --jobs 2 %.2f s (%.2fx), 2 ranks x --jobs 1 %.2f s (%.2fx)\n' \
    "$round" "$one" "$two" "${s2[-1]}" "$mpi" "${s3[-1]}"
  cmp -s "$work/j1/sweep.csv" "$work/j2/sweep.csv" && cmp -s "$work/j1/sweep.csv" "$work/mpi/sweep.csv" ||
    { echo "sweep.csv differs between the three runs" >&2; exit 1; }
done
echo "load after: $(uptime)"
printf 'median speed-up over %d rounds: --jobs 2 %.2fx, 2 ranks x --jobs 1 %.2fx (sweep.csv identical in every run)\n' \
  "$rounds" "$(median "${s2[@]}")" "$(median "${s3[@]}")"
