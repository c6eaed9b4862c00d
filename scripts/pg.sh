#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for tests.
#   scripts/pg.sh start DIR   initialises a cluster in DIR, starts it on a free
#                             loopback port and prints its URL (one line on
#                             stdout; also written to DIR/url)
#   scripts/pg.sh stop DIR    stops that cluster and removes DIR
# All other output goes to stderr. Works from any working directory; when run
# as root the server runs as the postgres user, which must own DIR (the server
# refuses to run as root).
set -euo pipefail

die() { echo "pg.sh: $*" >&2; exit 1; }
say() { echo "pg.sh: $*" >&2; }

usage() { die "usage: pg.sh start|stop DIR"; }

# initdb and pg_ctl live in the version's bin folder, which is not on PATH on a
# fresh Debian machine (and a link on PATH may belong to another version).
find_bindir() {
  local d=/usr/lib/postgresql/15/bin
  if [[ -x "$d/initdb" && -x "$d/pg_ctl" ]]; then
    echo "$d"
    return
  fi
  if command -v pg_config >/dev/null && [[ -x "$(pg_config --bindir)/initdb" ]]; then
    pg_config --bindir
    return
  fi
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
    dirname "$(command -v initdb)"
    return
  fi
  die "PostgreSQL 15 server binaries not found (install postgresql-15)"
}

# Runs a command as the cluster's owner: postgres when we are root, else us.
# From /, since postgres may not be allowed into the caller's folder (every
# path given is absolute).
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# When root, the postgres user must be able to reach DIR: grant search
# permission on ancestors below the temporary folder (mktemp -d makes them
# 0700); anywhere else, refuse rather than loosen a folder we do not own.
ensure_reachable() {
  local dir=$1 tmp parent
  [[ $(id -u) -eq 0 ]] || return 0
  tmp=$(realpath -m "${TMPDIR:-/tmp}")
  parent=$(dirname "$dir")
  while [[ "$parent" != "/" ]]; do
    if ! runuser -u postgres -- test -x "$parent"; then
      if [[ "$parent" == "$tmp"/* ]]; then
        say "granting search permission on $parent to reach the cluster folder"
        chmod o+x "$parent"
      else
        die "the postgres user cannot reach $dir (no search permission on $parent)"
      fi
    fi
    parent=$(dirname "$parent")
  done
}

start() {
  local dir=$1 bindir port attempt url
  bindir=$(find_bindir)
  if [[ -e "$dir/data/PG_VERSION" ]]; then die "$dir already holds a cluster"; fi
  mkdir -p "$dir"
  dir=$(realpath "$dir")
  mkdir -p "$dir/data" "$dir/sock"
  if [[ $(id -u) -eq 0 ]]; then
    chown postgres: "$dir" "$dir/data" "$dir/sock"
    ensure_reachable "$dir"
  fi
  chmod 0700 "$dir/data"

  say "initdb in $dir/data"
  as_owner "$bindir/initdb" -D "$dir/data" -U postgres --locale=C.UTF-8 -E UTF8 --auth=trust \
    --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }

  # The port is free when checked but another process may take it before the
  # server binds it: try a few.
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    cat >"$dir/data/xzzf.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir/sock'
max_connections = 300
shared_buffers = 32MB
EOF
    if [[ $(id -u) -eq 0 ]]; then chown postgres: "$dir/data/xzzf.conf"; fi
    if ! grep -q "^include_if_exists = 'xzzf.conf'" "$dir/data/postgresql.conf"; then
      echo "include_if_exists = 'xzzf.conf'" >>"$dir/data/postgresql.conf"
    fi
    say "starting on 127.0.0.1:$port (attempt $attempt)"
    if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
      >&2; then
      break
    fi
    tail -n 20 "$dir/server.log" >&2 || true
    port=""
  done
  [[ -n "$port" ]] || die "the server did not start"

  "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -t 30 || die "the server does not answer"
  local psql=("$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres)
  "${psql[@]}" -d postgres -c 'CREATE DATABASE xzzf_test' >&2
  "${psql[@]}" -d xzzf_test -c 'CREATE EXTENSION IF NOT EXISTS pg_trgm' >&2

  url="postgresql://postgres@127.0.0.1:$port/xzzf_test"
  echo "$url" >"$dir/url"
  echo "$url"
}

stop() {
  local dir=$1 bindir
  [[ -d "$dir" ]] || { say "$dir does not exist"; return 0; }
  dir=$(realpath "$dir")
  # Refuse to delete a folder that this script did not make.
  [[ -e "$dir/data/PG_VERSION" || -e "$dir/url" ]] || die "$dir does not look like a pg.sh cluster"
  bindir=$(find_bindir)
  if [[ -e "$dir/data/postmaster.pid" ]]; then
    say "stopping the server in $dir/data"
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >&2 || say "pg_ctl stop failed"
  fi
  rm -rf "$dir"
}

[[ $# -eq 2 ]] || usage
case "$1" in
  start) start "$2" ;;
  stop) stop "$2" ;;
  *) usage ;;
esac
