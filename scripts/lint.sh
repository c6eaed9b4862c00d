#!/usr/bin/env bash
# Checks formatting (clang-format) and the include rules of ARCHITECTURE.md:
# only src/storage/ includes SOCI, SQLite or libpq; only src/server/ includes
# Beast or Asio. Prints every violation; exits non-zero if there is one.
set -uo pipefail
cd "$(dirname "$0")/.."

status=0
format=$(command -v clang-format-14 || command -v clang-format || true)
if [[ -z "$format" ]]; then
  echo "lint: clang-format not found (scripts/deps.sh --test installs it)" >&2
  exit 1
fi

mapfile -t files < <(git ls-files --cached --others --exclude-standard -- 'src/*.hpp' 'src/*.cpp' 'tests/*.hpp' 'tests/*.cpp' 'bench/*.cpp' 'fuzz/*.cpp')
for f in "${files[@]}"; do
  [[ -f "$f" ]] || continue
  if ! "$format" --dry-run --Werror "$f" >/dev/null 2>&1; then
    echo "lint: $f is not formatted (run: $format -i $f)"
    status=1
  fi
done

check_includes() {
  local pattern="$1" allowed="$2" what="$3"
  local hits
  hits=$(grep -rnE "#include\s*[<\"]($pattern)" src --include='*.hpp' --include='*.cpp' | grep -v "^src/$allowed/" || true)
  if [[ -n "$hits" ]]; then
    echo "lint: only src/$allowed/ may include $what:"
    echo "$hits"
    status=1
  fi
}
check_includes 'soci/|sqlite3\.h|libpq-fe\.h|postgresql/' storage 'SOCI, SQLite or libpq'
check_includes 'boost/beast|boost/asio' server 'Beast or Asio'

# The checked-in calendar must be what the chinese-days package gives
# (docs/calendar.md); skipped when node_modules is not installed yet.
if [[ -d node_modules/chinese-days ]]; then
  if ! node scripts/gen-calendar.mjs --check >/dev/null; then
    echo "lint: src/rules/data/calendar-cn.tsv differs from chinese-days (run: node scripts/gen-calendar.mjs)"
    status=1
  fi
fi

if ((status == 0)); then echo "lint: ${#files[@]} files formatted, include rules kept"; fi
exit $status
