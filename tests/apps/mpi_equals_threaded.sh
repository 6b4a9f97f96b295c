#!/usr/bin/env bash
# CTest: the same sweep under `mpirun -np 2` (each rank --jobs 1) and threaded (--jobs 1) writes
# the same results (manifests compared without wall time, memory, command line, jobs and ranks;
# no report.html: it embeds the manifest).
set -euo pipefail
bin=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
small=(--set population.riders=150 --set city.synthetic.metro_lines=2
  --set city.synthetic.stations_per_line=8 --set city.synthetic.bus_routes=10
  --set city.synthetic.stops_per_bus_route=8 --set city.synthetic.size_km=6
  --set warmup=0s --set drain=6h --replications 2 --sweep token_policy.offline_limit=1,4 --quiet
  --no-report)
"$bin" run "$src/scenarios/default.txtpb" "${small[@]}" --jobs 1 --out "$work/threaded" >/dev/null
# Open MPI under sanitizers: its own allocations are not ours to report.
export ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=0
mpirun --allow-run-as-root --oversubscribe -np 2 \
  "$bin" run "$src/scenarios/default.txtpb" "${small[@]}" --jobs 1 --out "$work/mpi" >"$work/mpi.log"
grep -q "on 2 rank(s)" "$work/mpi.log" || { echo "mpirun did not spread over 2 ranks:"; cat "$work/mpi.log"; exit 1; }
strip() { sed -E '/"(wall_time_s|run_time_s|peak_memory_kib|command_line|jobs|ranks)": /d' "$1"; }
n=0
while IFS= read -r f; do
  rel=${f#"$work/threaded/"}
  [ -f "$work/mpi/$rel" ] || { echo "missing under mpirun: $rel"; exit 1; }
  if [[ $rel == *manifest.json ]]; then
    diff <(strip "$f") <(strip "$work/mpi/$rel") >/dev/null || { echo "differs: $rel"; diff <(strip "$f") <(strip "$work/mpi/$rel") | head; exit 1; }
  else
    cmp -s "$f" "$work/mpi/$rel" || { echo "differs: $rel"; exit 1; }
  fi
  n=$((n + 1))
done < <(find "$work/threaded" -type f)
echo "mpirun -np 2 equals the threaded run: $n files"
