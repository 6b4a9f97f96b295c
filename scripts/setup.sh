#!/usr/bin/env bash
# Installs the Debian 12 packages hcesim builds with, only when some are missing (idempotent).
set -euo pipefail
packages=(build-essential cmake ninja-build git pkg-config
  libboost-dev libeigen3-dev libprotobuf-dev protobuf-compiler
  libbenchmark-dev libgtest-dev libgmock-dev libssl-dev libcli11-dev
  libopenmpi-dev openmpi-bin libsqlite3-dev clang-format
  clang-14 libclang-rt-14-dev llvm-14) # the fuzz preset: clang, libFuzzer, llvm-symbolizer
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi
echo "setup: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
