#!/usr/bin/env bash
# README command 1: installs what is missing, builds, loads the demo city and
# serves xzzf on SQLite.
#   scripts/serve.sh [--listen HOST:PORT] [--data-dir DIR]
# Defaults: 127.0.0.1:8080 and ./data. The address is printed once serving.
set -euo pipefail
cd "$(dirname "$0")/.."

listen="127.0.0.1:8080"
data_dir="$PWD/data"
while (($#)); do
  case "$1" in
    --listen) listen="$2"; shift 2 ;;
    --data-dir) data_dir="$(realpath -m "$2")"; shift 2 ;;
    *) echo "usage: scripts/serve.sh [--listen HOST:PORT] [--data-dir DIR]" >&2; exit 2 ;;
  esac
done

scripts/deps.sh
scripts/build.sh
mkdir -p "$data_dir"
# The demo city (永城市): idempotent, so a restart keeps what was changed since.
build/release/xzzf demo --db "sqlite://$data_dir/xzzf.db" --data-dir "$data_dir"
exec build/release/xzzf serve --db "sqlite://$data_dir/xzzf.db" --listen "$listen" --data-dir "$data_dir" \
  --web-dir "$PWD/web/dist"
