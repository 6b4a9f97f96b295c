#!/usr/bin/env bash
# Memory per rider by DESIGN §7: (peak RSS at 1 M riders - peak RSS at 100 k) / 900 k, ledger and
# results included, measured on whole `hcesim run` processes (release build) of the default
# scenario with no warm-up and one measured day (the drain settles every tap).
# Usage: scripts/measure_memory.sh [SMALL LARGE] (riders; default 100000 1000000)
# HCESIM_BIN=path/to/hcesim measures another build (e.g. one configured with -DHCESIM_JEMALLOC=OFF).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin="${HCESIM_BIN:-$root/build/release/apps/hcesim}"
small=${1:-100000}
large=${2:-1000000}
out=$(mktemp -d /tmp/hcesim_memory.XXXXXX)
trap 'rm -rf "$out"' EXIT
[ -x "$bin" ] || { echo "no hcesim at $bin: build it (cmake --build --preset release --target hcesim) or set HCESIM_BIN" >&2; exit 1; }
declare -A rss wall
for n in "$small" "$large"; do
  /usr/bin/time -f '%M %e %U %S' -o "$out/time.$n" "$bin" run "$root/scenarios/default.txtpb" --quiet \
    --set "population.riders=$n" --set warmup=0s --set days=1 --out "$out/run.$n" >"$out/log.$n"
  read -r kib secs user sys <"$out/time.$n"
  rss[$n]=$kib
  wall[$n]=$secs
  echo "riders=$n peak_rss_kib=$kib wall_s=$secs cpu_s=$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')"
done
awk -v a="${rss[$small]}" -v b="${rss[$large]}" -v s="$small" -v l="$large" 'BEGIN {
  printf "bytes_per_rider=%.0f  ((%d - %d) KiB * 1024 / %d)\n", (b - a) * 1024 / (l - s), b, a, l - s }'
