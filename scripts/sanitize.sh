#!/usr/bin/env bash
# On demand (too slow for every CI run on 2 cores): builds the `dev` preset
# (AddressSanitizer + UndefinedBehaviorSanitizer), runs ctest on SQLite and a
# throwaway PostgreSQL, then the HTTP scenarios against the sanitized binary.
# Any sanitizer report fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh --test
cmake --preset dev -DXZZF_WERROR=ON >/dev/null
cmake --build --preset dev -- -j"$(nproc)"

work=$(mktemp -d /tmp/xzzf-sanitize.XXXXXX)
trap 'scripts/pg.sh stop "$work/pg" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
XZZF_TEST_PG_URL=$(scripts/pg.sh start "$work/pg")
export XZZF_TEST_PG_URL
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --preset dev -j2
XZZF_SANITIZED=1 XZZF_BIN="$PWD/build/dev/xzzf" node --test --test-concurrency=1 tests/api/
