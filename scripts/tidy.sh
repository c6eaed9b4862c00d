#!/usr/bin/env bash
# On demand: clang-tidy over every target through the `tidy` preset (clang 14).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh --test
missing=()
for p in clang-14 clang-tidy-14; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO=sudo
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
cmake --preset tidy >/dev/null
cmake --build --preset tidy -- -j"$(nproc)"
