#!/usr/bin/env bash
# Installs every Debian and npm package that building, serving and testing xzzf
# needs, and only what is missing. Safe to run again.
#   scripts/deps.sh          build + serve packages
#   scripts/deps.sh --test   also the test and benchmark tools
set -euo pipefail
cd "$(dirname "$0")/.."

build_pkgs=(
  cmake ninja-build g++ pkg-config ccache
  libboost-dev nlohmann-json3-dev libexpected-dev libtomlplusplus-dev
  libsoci-dev libsqlite3-dev libpq-dev libsodium-dev libssl-dev
  libspdlog-dev libfmt-dev libcli11-dev libicu-dev
  libzip-dev libpugixml-dev libxlsxwriter-dev libqrencode-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  nodejs npm sqlite3 curl ca-certificates
)
test_pkgs=(
  postgresql-15 postgresql-client-15 chromium chromium-driver nginx-light wrk python3
  clang-format-14 openssl
)

want=("${build_pkgs[@]}")
if [[ "${1:-}" == "--test" ]]; then want+=("${test_pkgs[@]}"); fi

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
# node and npm may come from another source than Debian's packages on some machines.
if command -v node >/dev/null && command -v npm >/dev/null; then
  filtered=()
  for p in "${missing[@]}"; do [[ "$p" == nodejs || "$p" == npm ]] || filtered+=("$p"); done
  missing=("${filtered[@]}")
fi

if ((${#missing[@]})); then
  echo "xzzf: installing Debian packages: ${missing[*]}"
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# One npm project at the root: the web app's packages and the browser tests'.
if [[ ! -f node_modules/.package-lock.json ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "xzzf: installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi
