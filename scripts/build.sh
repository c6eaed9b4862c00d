#!/usr/bin/env bash
# Builds the web app (web/dist) and the release binary (build/release/xzzf).
# Installs nothing: run scripts/deps.sh first (serve.sh and test.sh do).
# XZZF_WERROR=ON turns compiler warnings into errors (CI).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "xzzf: building the web app"
npm run --silent build

echo "xzzf: building the server (release)"
# Pass the warning setting only when asked: changing it rebuilds everything,
# so serve.sh after test.sh keeps what the cache holds.
werror=()
if [[ -n "${XZZF_WERROR:-}" ]]; then werror=(-DXZZF_WERROR="$XZZF_WERROR"); fi
cmake --preset release "${werror[@]}" >/dev/null
cmake --build --preset release -- -j"$(nproc)"
