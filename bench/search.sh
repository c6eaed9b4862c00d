#!/usr/bin/env bash
# The search benchmark of QUALITY.md ("Benchmarks" 4): Chinese search on N
# items, the indexed query (search::condition in a list's WHERE: COUNT and the
# first page of 20 ids) against a full scan of the same normalized text
# (instr() on SQLite, strpos() on PostgreSQL) in the same run, for queries of
# 1, 2 and 3+ characters, each a mix of common and selective ones; p50/p95 and
# the ratios indexed/scan per length (target p95 ≤ 0.05). Every indexed answer
# is compared with the scan's. Prints figures; never fails for being slow.
#
#   bench/search.sh [--items N] [--dir DIR] [--pg] [--rounds R] [--cap C]
#
#   --items N   items to generate and index (default 100,000); filling goes
#               through search::put, 2,000 per transaction
#   --dir DIR   keep the SQLite database in DIR and reuse a filled one there
#               (default: a temporary folder, removed afterwards)
#   --pg        run on a throwaway PostgreSQL 15 (scripts/pg.sh) instead of SQLite
#   --rounds R  timed rounds per query and side (default 15)
#   --cap C     the indexed total is exact up to C, "more than C" beyond
#               (default 1,000: portal.search_total_cap's default)
#
# Builds build/release/bench/xzzf_search_bench (configuring build/release with
# the release preset when needed); XZZF_BUILD_DIR=DIR builds in DIR instead.
# Needs the build packages (scripts/deps.sh); --pg needs postgresql-15
# (scripts/deps.sh --test).
set -euo pipefail
cd "$(dirname "$0")/.."

items=100000
dir=""
pg=0
rounds=15
cap=1000
while [[ $# -gt 0 ]]; do
  case "$1" in
    --items) items="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    --pg) pg=1; shift ;;
    --rounds) rounds="$2"; shift 2 ;;
    --cap) cap="$2"; shift 2 ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "search.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

build=${XZZF_BUILD_DIR:-build/release}
if [[ ! -f "$build/build.ninja" ]]; then
  if [[ "$build" == build/release ]]; then
    cmake --preset release >/dev/null
  else
    cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  fi
fi
cmake --build "$build" --target xzzf_search_bench >/dev/null
bench="$build/bench/xzzf_search_bench"

tmp=$(mktemp -d /tmp/xzzf-search-bench.XXXXXX)
cleanup() {
  if ((pg)) && [[ -d "$tmp/pg" ]]; then scripts/pg.sh stop "$tmp/pg" >/dev/null 2>&1 || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
if [[ -z "$dir" ]]; then dir="$tmp"; fi
mkdir -p "$dir"
dir=$(realpath "$dir")

if ((pg)); then
  db=$(scripts/pg.sh start "$tmp/pg" 2>"$tmp/pg.log") || { cat "$tmp/pg.log" >&2; exit 1; }
else
  db="sqlite://$dir/search-$items.db"
fi

echo "search benchmark: $(nproc) cores, $(date -I), $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $([[ $pg == 1 ]] && echo PostgreSQL || echo SQLite)"
start=$SECONDS
quiet() { grep -v '\[info\] storage: applied migration' || true; }
if ((pg)); then
  # Fill, then what autovacuum would do before anyone searches (VACUUM cannot
  # run inside the program's transactions).
  "$bench" --db "$db" --items "$items" --fill-only 2>&1 | quiet
  psql -X -q -v ON_ERROR_STOP=1 "$db" -c 'VACUUM ANALYZE'
fi
"$bench" --db "$db" --items "$items" --rounds "$rounds" --cap "$cap" 2>&1 | quiet
echo "(search: $((SECONDS - start)) s)"
