#!/usr/bin/env bash
# Benchmark 3 of QUALITY.md: the public read API against nginx serving the same
# bytes as a static file, both under the same wrk load on loopback in the same
# run: /api/v1/public/info, and /api/v1/public/subjects (a database query) on a
# database loaded with `xzzf demo`. Prints both rates and their ratio per path
# (target ≥ 0.5). Never fails for being slow.
#   bench/public_read.sh [SECONDS]      (default 10 s per run)
# Needs build/release/xzzf (scripts/build.sh) and nginx-light + wrk
# (scripts/deps.sh --test).
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10}"
threads=2
connections=64

out=$(mktemp -d /tmp/xzzf-bench.XXXXXX)
chmod 755 "$out"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$out"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# xzzf on SQLite with the demo organization, access log to a file as nginx
# writes its own.
mkdir -p "$out/xzzf"
build/release/xzzf demo --db "sqlite://$out/xzzf/xzzf.db" --data-dir "$out/xzzf" >"$out/demo.out" 2>&1 || { cat "$out/demo.out"; exit 1; }
build/release/xzzf serve --db "sqlite://$out/xzzf/xzzf.db" --listen 127.0.0.1:0 --data-dir "$out/xzzf" \
  --set log.access=file --set log.level=warn >"$out/xzzf.out" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -qs 'listening on' "$out/xzzf.out" && break; sleep 0.1; done
xzzf_url=$(sed -nE 's/.*xzzf listening on (http:[^ ]+).*/\1/p' "$out/xzzf.out")
[[ -n "$xzzf_url" ]] || { cat "$out/xzzf.out"; exit 1; }

# nginx serving the same bytes from a file, with two workers for two cores.
nginx_port=$(free_port)
mkdir -p "$out/nginx/logs" "$out/nginx/www/api/v1/public"
paths=(/api/v1/public/info /api/v1/public/subjects)
for path in "${paths[@]}"; do
  curl -fsS "$xzzf_url$path" >"$out/nginx/www$path"
done
cat >"$out/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $out/nginx/nginx.pid;
error_log $out/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log $out/nginx/logs/access.log;
  default_type application/json;
  client_body_temp_path $out/nginx/tmp;
  server {
    listen 127.0.0.1:$nginx_port;
    root $out/nginx/www;
    location / { try_files \$uri =404; }
  }
}
CONF
nginx -p "$out/nginx" -c "$out/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)
for _ in $(seq 50); do curl -fsS "http://127.0.0.1:$nginx_port/api/v1/public/info" >/dev/null 2>&1 && break; sleep 0.1; done

run_wrk() {  # URL → requests per second
  local url="$1" log="$2"
  wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "$url" >"$log" 2>&1
  if grep -q 'Non-2xx' "$log"; then echo "bench: non-2xx answers from $url" >&2; cat "$log" >&2; fi
  awk '/Requests\/sec/ {print $2}' "$log"
}
p99() { awk '/ 99%/ {print $2}' "$1"; }

for path in "${paths[@]}"; do
  name=$(basename "$path")
  echo "bench: $path vs nginx static file, wrk -t$threads -c$connections -d${duration}s, $(stat -c %s "$out/nginx/www$path") bytes"
  run_wrk "http://127.0.0.1:$nginx_port$path" "$out/wrk-warm.log" >/dev/null  # warm both caches
  nginx_rps=$(run_wrk "http://127.0.0.1:$nginx_port$path" "$out/wrk-nginx-$name.log")
  xzzf_rps=$(run_wrk "$xzzf_url$path" "$out/wrk-xzzf-$name.log")
  ratio=$(python3 -c "print(f'{$xzzf_rps / $nginx_rps:.2f}')")
  printf '  nginx (static file)  %10.0f req/s  p99 %s\n' "$nginx_rps" "$(p99 "$out/wrk-nginx-$name.log")"
  printf '  xzzf %-16s%10.0f req/s  p99 %s\n' "$name" "$xzzf_rps" "$(p99 "$out/wrk-xzzf-$name.log")"
  echo "  ratio xzzf/nginx: $ratio (target >= 0.5)"
done
