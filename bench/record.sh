#!/usr/bin/env bash
# The record benchmarks of QUALITY.md ("Benchmarks" 1 and 6), each against a
# reference measured in the same run (bench/record_bench.cpp says how):
#   1. durable record append vs a bare single-row insert commit (target ≥ 0.7)
#   2. inclusion proofs in a tree of N entries vs prepared primary-key reads of
#      the same nodes (target ≥ 0.5)
#   3. full verification (verify_record) vs `openssl speed sha256` on messages
#      of the mean entry size (target ≥ 0.5)
# Prints figures and ratios; never fails for being slow.
#
#   bench/record.sh [--entries N] [--dir DIR] [--pg] [--only append|proofs|verify]
#                   [--seconds S] [--rounds R] [--proofs K]
#
#   --entries N   tree size of 2 and 3 (default 10,000,000; 100,000 with --pg).
#                 Filling goes through RecordLog::append, 50,000 per transaction,
#                 and takes a while: 1M entries ≈ 2 min, 10M ≈ 30 min on 2 cores.
#   --dir DIR     keep the SQLite databases in DIR and reuse a filled one there
#                 (default: a temporary folder, removed afterwards)
#   --pg          run on a throwaway PostgreSQL 15 (scripts/pg.sh) instead of SQLite
#   --only WHICH  run one benchmark
#   --seconds S, --rounds R   benchmark 1: R alternating rounds of S s each side
#                 (default 5 × 2 s)
#   --proofs K    benchmark 2: random leaves per round (default 10,000)
#
# Builds build/release/bench/xzzf_record_bench (configuring build/release with
# the release preset when needed). Needs the build packages (scripts/deps.sh)
# and openssl; --pg needs postgresql-15 (scripts/deps.sh --test).
set -euo pipefail
cd "$(dirname "$0")/.."

entries=""
dir=""
pg=0
only=""
seconds=2
rounds=5
proofs=10000
while [[ $# -gt 0 ]]; do
  case "$1" in
    --entries) entries="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    --pg) pg=1; shift ;;
    --only) only="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --proofs) proofs="$2"; shift 2 ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    *) echo "record.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$only" in ""|append|proofs|verify) ;; *) echo "record.sh: --only append|proofs|verify" >&2; exit 2 ;; esac
if [[ -z "$entries" ]]; then
  if ((pg)); then entries=100000; else entries=10000000; fi
fi

if [[ ! -f build/release/build.ninja ]]; then cmake --preset release >/dev/null; fi
cmake --build build/release --target xzzf_record_bench >/dev/null
bench=build/release/bench/xzzf_record_bench

tmp=$(mktemp -d /tmp/xzzf-record-bench.XXXXXX)
cleanup() {
  if ((pg)) && [[ -d "$tmp/pg" ]]; then scripts/pg.sh stop "$tmp/pg" >/dev/null 2>&1 || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
if [[ -z "$dir" ]]; then dir="$tmp"; fi
mkdir -p "$dir"
dir=$(realpath "$dir")

if ((pg)); then
  url=$(scripts/pg.sh start "$tmp/pg" 2>"$tmp/pg.log") || { cat "$tmp/pg.log" >&2; exit 1; }
  # One database per benchmark, so that the appends of 1 do not change the
  # tree of 2 and 3.
  psql -X -q -v ON_ERROR_STOP=1 "$url" -c 'CREATE DATABASE bench_append' -c 'CREATE DATABASE bench_tree'
  append_db="${url%/*}/bench_append"
  tree_db="${url%/*}/bench_tree"
else
  append_db="sqlite://$dir/append.db"
  tree_db="sqlite://$dir/record-$entries.db"
fi

echo "record benchmarks: $(nproc) cores, $(date -I), $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
run() {  # NAME ARGS… : runs one benchmark, timing it
  local name=$1 start=$SECONDS
  shift
  echo
  "$bench" "$name" "$@" 2>&1 | grep -v '\[info\] storage: applied migration'
  echo "($name: $((SECONDS - start)) s)"
}
if [[ -z "$only" || "$only" == append ]]; then
  rm -f "$dir/append.db" "$dir/append.db-wal" "$dir/append.db-shm"
  run append --db "$append_db" --rounds "$rounds" --seconds "$seconds"
fi
if [[ -z "$only" || "$only" == proofs ]]; then
  run proofs --db "$tree_db" --entries "$entries" --proofs "$proofs"
fi
if [[ -z "$only" || "$only" == verify ]]; then
  run verify --db "$tree_db" --entries "$entries"
fi
