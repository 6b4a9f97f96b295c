#!/usr/bin/env bash
# Installs what hcesim builds and tests with, only what is missing (idempotent): the Debian 12
# packages, then the report's chart library (Vega-Lite) and its browser-test driver from npm with
# the committed lock file (report/package-lock.json) into report/node_modules.
set -euo pipefail
packages=(build-essential cmake ninja-build git pkg-config
  libboost-dev libeigen3-dev libprotobuf-dev protobuf-compiler
  libbenchmark-dev libgtest-dev libgmock-dev libssl-dev libcli11-dev
  libopenmpi-dev openmpi-bin libsqlite3-dev libjemalloc-dev clang-format
  clang-14 libclang-rt-14-dev llvm-14 # the fuzz preset: clang, libFuzzer, llvm-symbolizer
  chromium)                           # headless, for the report's render test
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
else
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "setup: packages done"
fi

# The report: vega, vega-lite, vega-embed (inlined into report.html) and puppeteer-core (drives
# Debian's chromium in the render test; it downloads no browser). Needs Node >= 20 and npm.
report="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/report"
if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
  echo "setup: error: node and npm (Node >= 20) are needed for the report's chart library" >&2
  exit 1
fi
stamp="$report/node_modules/.package-lock.json"
if [ -f "$stamp" ] && [ ! "$report/package-lock.json" -nt "$stamp" ]; then
  echo "setup: report/node_modules up to date"
else
  echo "setup: npm ci in report/"
  (cd "$report" && npm ci --no-audit --no-fund --loglevel=error)
  echo "setup: report/node_modules done"
fi
