#!/usr/bin/env bash
# On demand: builds the libFuzzer target of the .xlsx reader with clang++
# (AddressSanitizer + UndefinedBehaviorSanitizer) in build/fuzz and runs it.
#   scripts/fuzz.sh [SECONDS]   fuzz for SECONDS (default 60) from fuzz/corpus/sheets
#   scripts/fuzz.sh --seed      rewrite the seed corpus fuzz/corpus/sheets
# Inputs the fuzzer finds go to build/fuzz/corpus/sheets (the committed seeds
# stay as they are); a crashing input is saved under build/fuzz/artifacts/ and
# fails the run. Replay one with: build/fuzz/fuzz/sheets_read_fuzz FILE
set -euo pipefail
cd "$(dirname "$0")/.."

build=build/fuzz
seeds=fuzz/corpus/sheets
export CXX=clang++
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++ -DXZZF_FUZZ=ON -DXZZF_TESTS=OFF >/dev/null

if [[ "${1:-}" == "--seed" ]]; then
  ninja -C "$build" sheets_fuzz_corpus
  rm -f "$seeds"/*
  "$build/fuzz/sheets_fuzz_corpus" "$seeds"
  ls -l "$seeds"
  exit 0
fi

seconds="${1:-60}"
ninja -C "$build" sheets_read_fuzz
mkdir -p "$build/corpus/sheets" "$build/artifacts"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
"$build/fuzz/sheets_read_fuzz" -max_total_time="$seconds" -print_final_stats=1 \
  -dict=fuzz/sheets.dict -rss_limit_mb=2048 -timeout=10 \
  -artifact_prefix="$build/artifacts/" "$build/corpus/sheets" "$seeds"
