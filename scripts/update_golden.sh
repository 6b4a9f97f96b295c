#!/usr/bin/env bash
# Regenerates the golden results under results/golden/ (docs/results.md, "Golden results"): runs
# each golden configuration with the release build and keeps its summary.json, kpis.csv and
# fingerprint. A deliberate, reviewed change: run this, read `git diff results/golden`, commit
# with the reason the numbers moved.
#
#   scripts/update_golden.sh           # rewrite every golden folder
#   scripts/update_golden.sh --check   # run them and show the differences, write nothing
#
# Each folder's args.txt holds the `hcesim run` arguments after the scenario (one per line); the
# golden test (tests/apps/golden_slow_test.cc) runs the same. HCESIM_BIN picks another binary.
set -euo pipefail
cd "$(dirname "$0")/.."

check=0
if [[ "${1:-}" == "--check" ]]; then
  check=1
elif [[ $# -gt 0 ]]; then
  echo "usage: $0 [--check]" >&2
  exit 2
fi

bin="${HCESIM_BIN:-build/release/apps/hcesim}"
if [[ -z "${HCESIM_BIN:-}" ]]; then
  cmake --preset release >/dev/null
  cmake --build --preset release --target hcesim >/dev/null
fi

status=0
for dir in results/golden/*/; do
  dir="${dir%/}"
  scenario="$(cat "$dir/scenario.txt")"
  mapfile -t args < <(grep -v '^\s*$' "$dir/args.txt" || true)
  out="$(mktemp -d)"
  "$bin" run "$scenario" "${args[@]}" --quiet --out "$out" >/dev/null
  sed -n 's/.*"fingerprint": "\([0-9a-f]*\)".*/\1/p' "$out/manifest.json" >"$out/fingerprint.txt"
  for f in summary.json kpis.csv fingerprint.txt; do
    if [[ $check == 1 ]]; then
      if ! diff -u "$dir/$f" "$out/$f"; then
        status=1
      fi
    else
      cp "$out/$f" "$dir/$f"
    fi
  done
  rm -rf "$out"
  echo "$dir: $([[ $check == 1 ]] && echo checked || echo written) (fingerprint $(cat "$dir/fingerprint.txt"))"
done
exit $status
