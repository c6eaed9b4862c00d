#!/usr/bin/env bash
# README command 2: installs what is missing, builds, and runs every test:
# lint, C++ unit and repository tests (ctest), HTTP scenarios on SQLite and on a
# real PostgreSQL 15 server started here on a free loopback port, and the
# browser tests in headless Chromium. Prints one "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

scripts/deps.sh --test
XZZF_WERROR=ON scripts/build.sh

work=$(mktemp -d /tmp/xzzf-test.XXXXXX)
chmod 755 "$work"
cleanup() {
  scripts/pg.sh stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

passed=0
failed=0
# count PASSED FAILED: adds a stage's figures to the totals.
count() { passed=$((passed + $1)); failed=$((failed + $2)); }

echo "== lint"
if scripts/lint.sh; then count 1 0; else count 0 1; fi

echo "== PostgreSQL 15 (throwaway cluster)"
XZZF_TEST_PG_URL=$(scripts/pg.sh start "$work/pg")
export XZZF_TEST_PG_URL
echo "started on ${XZZF_TEST_PG_URL%%/xzzf_test}"

echo "== unit and repository tests (ctest, SQLite and PostgreSQL)"
set +e
ctest --preset release -j2 2>&1 | tee "$work/ctest.log"
ctest_status=${PIPESTATUS[0]}
set -e
total=$(sed -nE 's/.* tests? failed out of ([0-9]+).*/\1/p' "$work/ctest.log" | tail -1)
bad=$(sed -nE 's/.*, ([0-9]+) tests? failed out of.*/\1/p' "$work/ctest.log" | tail -1)
if [[ -z "$total" ]]; then total=0; bad=1; fi
count $((total - bad)) "$bad"
((ctest_status == 0)) || echo "ctest failed"

# node --test prints "# pass N" and "# fail N" at the end.
node_stage() {
  local name="$1"; shift
  echo "== $name"
  set +e
  "$@" 2>&1 | tee "$work/$name.log"
  local st=${PIPESTATUS[0]}
  set -e
  local p f
  p=$(sed -nE 's/^# pass ([0-9]+)$/\1/p' "$work/$name.log" | tail -1)
  f=$(sed -nE 's/^# fail ([0-9]+)$/\1/p' "$work/$name.log" | tail -1)
  p=${p:-0}; f=${f:-0}
  if ((st != 0 && f == 0)); then f=1; fi
  count "$p" "$f"
}
node_stage api node --test --test-concurrency=1 tests/api/
node_stage e2e node --test --test-concurrency=1 tests/e2e/

# Short runs of the reliability scripts (tests/reliability/README.md); each counts as one test.
echo "== reliability: kill -9 under write load (10 iterations)"
if tests/reliability/crash.mjs 10; then count 1 0; else count 0 1; fi
echo "== reliability: offline tampering with the record"
if tests/reliability/tamper.sh; then count 1 0; else count 0 1; fi

echo
echo "test.sh: $passed passed, $failed failed"
((failed == 0))
