#!/usr/bin/env bash
# Builds the frame decoder's libFuzzer target with Debian's clang and runs it for a bounded time.
#   scripts/fuzz_frame.sh [SECONDS]   (default 30; needs build/dev configured for the .pb.cc)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-30}
gen="$root/build/dev/proto/gen"
out="$root/build/fuzz"
mkdir -p "$out/corpus"
[ -f "$gen/proto/live.pb.cc" ] || cmake --build --preset dev --target proto >/dev/null
clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -I"$root/base/include" \
  -I"$root/live/include" -I"$gen" "$root/fuzz/frame_fuzz.cc" "$root/live/src/frame.cc" \
  "$gen/proto/live.pb.cc" -lprotobuf -o "$out/frame_fuzz"
"$out/frame_fuzz" -max_total_time="$seconds" -max_len=20000 "$out/corpus"
