#!/usr/bin/env bash
# Tamper test (QUALITY.md, reliability suite 2): the record is tampered with
# offline, one attack per fresh copy of the database file, and
# `xzzf record verify` must exit 1 and report the expected first bad sequence
# number. See tests/reliability/README.md.
#
#   tests/reliability/tamper.sh
#
# Builds the database: the demo city, then acts through the server (an account
# changes its password; agencies are added, renamed and abolished) with a
# signed checkpoint after every entry; stops the server with SIGTERM; exports
# the checkpoints and copies the public key file, as a portal would publish
# them. The attacks (an attacker with the file drops the append-only triggers
# first):
#   update    one entry's payload (seq K)                        -> K
#             (and again with its leaf hash recomputed)          -> K
#   delete    entry K                                            -> K
#   reorder   swap all columns but seq of entries K < L          -> K
#   insert    an entry at the end, beyond the head (seq = size)  -> size
#   flip      one bit inside entry K's payload in the raw file   -> K
#   truncate  entries >= K, their nodes and checkpoints; head = K
#             (database alone: clean; with the exported checkpoints and key) -> K
#   rewrite   entry K changed, every leaf and node hash recomputed, checkpoints
#             that no longer match deleted (database alone: clean; with the
#             exported checkpoints and key) -> size of the last exported
#             checkpoint that still matches (K with one after every entry)
# The clean copy must verify (exit 0) with everything. Three more probes store
# rows whose seq is not a non-negative integer (-1, 77.5, 'x'), which SQLite's
# column affinity lets an attacker do; TAMPER_EXTRA=0 leaves them out.
#
# Environment: XZZF_BIN (default build/release/xzzf), TAMPER_KEEP=1 keeps the
# work directory (it is always kept, and named, on failure). Needs sqlite3,
# curl and python3.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
bin=${XZZF_BIN:-$root/build/release/xzzf}
started=$SECONDS

for tool in sqlite3 curl python3; do
  command -v "$tool" >/dev/null || { echo "tamper: $tool is missing (scripts/deps.sh --test installs it)" >&2; exit 2; }
done
[[ -x "$bin" ]] || { echo "tamper: $bin not found (build it with scripts/build.sh, or set XZZF_BIN)" >&2; exit 2; }

work=$(mktemp -d -t xzzf-tamper.XXXXXX)
server_pid=""
keep=${TAMPER_KEEP:-0}
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then kill -KILL "$server_pid" 2>/dev/null || true; fi
  if [[ "$keep" == 1 ]]; then echo "tamper: work directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
die() { echo "tamper: $*" >&2; keep=1; exit 1; }

master=$work/master.db
db_url() { echo "sqlite://$1"; }
data=$work/data
export XZZF_TESTING_FAST_HASHING=1

# ---------------------------------------------------------------------------
# 1. The database: demo, then acts through the server, a checkpoint after each.

"$bin" demo --db "$(db_url "$master")" --data-dir "$data" >"$work/demo.log" 2>&1 || { cat "$work/demo.log"; die "xzzf demo failed"; }

: >"$work/server.log"
"$bin" serve --db "$(db_url "$master")" --data-dir "$data" --listen 127.0.0.1:0 \
  --web-dir "$work/no-web" --set record.checkpoint_every_entries=1 --set log.access=off \
  >"$work/server.log" 2>&1 &
server_pid=$!
url=""
for _ in $(seq 200); do
  url=$(sed -nE 's/^xzzf listening on (http:\/\/[^ ]+).*/\1/p' "$work/server.log" | head -1 || true)
  [[ -n "$url" ]] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; die "the server exited before listening"; }
  sleep 0.1
done
[[ -n "$url" ]] || { cat "$work/server.log"; die "the server did not start in 20 s"; }

csrf=""
# api METHOD PATH [JSON]: the answer's body in $work/body, its status on stdout.
api() {
  local args=(-sS -o "$work/body" -w '%{http_code}' -X "$1" -b "$work/cookies" -c "$work/cookies"
    -H 'content-type: application/json')
  [[ -n "$csrf" ]] && args+=(-H "x-csrf-token: $csrf")
  [[ $# -ge 3 ]] && args+=(--data "$3")
  curl "${args[@]}" "$url$2"
}
# field PATH: a member of the last answer's JSON, e.g. user.department_id.
field() {
  python3 -c 'import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."): v = v[k]
print(v)' "$work/body" "$1"
}
status_is() { # GOT WANT WHAT: the last answer must have status WANT
  [[ "$1" == "$2" ]] || die "$3: HTTP $1, expected $2: $(cat "$work/body")"
}
head_size() { sqlite3 -cmd '.timeout 5000' "$master" 'SELECT size FROM record_head WHERE id = 1'; }
# Waits until the server has signed a checkpoint of the whole tree.
signed() {
  local size last
  size=$(head_size)
  for _ in $(seq 100); do
    last=$(sqlite3 -cmd '.timeout 5000' "$master" 'SELECT COALESCE(MAX(size), 0) FROM record_checkpoints')
    [[ "$last" == "$size" ]] && return 0
    sleep 0.05
  done
  die "no checkpoint of size $size within 5 s (last: $last)"
}

demo_pw='Xzzf-Demo-2026'
new_pw='Tamper-Test-Pass-2026'
signed
status_is "$(api POST /api/v1/session "{\"username\":\"scjg_admin\",\"password\":\"$demo_pw\"}")" 200 "login"
csrf=$(field csrf_token)
status_is "$(api PUT /api/v1/session/password "{\"current_password\":\"$demo_pw\",\"new_password\":\"$new_pw\"}")" 204 "password change"
signed
csrf=""
status_is "$(api POST /api/v1/session "{\"username\":\"scjg_admin\",\"password\":\"$new_pw\"}")" 200 "login"
csrf=$(field csrf_token)
dept=$(field user.department_id)

# add_agency NAME: adds it; its id in $agency.
add_agency() {
  status_is "$(api POST "/api/v1/departments/$dept/agencies" "{\"name\":\"$1\",\"duties\":\"篡改测试\"}")" 201 "add agency $1"
  agency=$(field id)
  signed
}
add_agency '篡改测试一股'
add_agency '篡改测试-update-target'
update_id=$agency
add_agency '篡改测试-flip-marker'
add_agency '篡改测试二股'
add_agency '篡改测试-rewrite-target'
add_agency '篡改测试三股'
renamed_id=$agency
status_is "$(api PUT "/api/v1/departments/$dept/agencies/$renamed_id" '{"name":"篡改测试三股（更名）","duties":"改"}')" 200 "rename agency"
signed
status_is "$(api POST "/api/v1/departments/$dept/agencies/$update_id/abolish" "{\"effective_date\":\"$(date -u -d "+8 hours" +%F)\"}")" 200 "abolish agency"
signed
add_agency '篡改测试四股'
add_agency '篡改测试五股'

kill -TERM "$server_pid"
status=0
wait "$server_pid" || status=$?
server_pid=""
((status == 0)) || { cat "$work/server.log"; die "the server exited with $status on SIGTERM"; }

# What a portal publishes: the checkpoints and the public key, outside the database.
sqlite3 "$master" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
cp "$data/record-signing.key.pub" "$work/public.key"
"$bin" record export-checkpoints --db "$(db_url "$master")" --out "$work/checkpoints.jsonl" >"$work/export.log" 2>&1
rm -f "$master-wal" "$master-shm"

size=$(head_size)
seq_of() { # the seq of the agency.created entry of the agency named $1
  sqlite3 "$master" "SELECT seq FROM record_entries WHERE action = 'agency.created' AND payload LIKE '%\"name\":\"$1\"%'"
}
k_update=$(seq_of '篡改测试-update-target')
k_flip=$(seq_of '篡改测试-flip-marker')
k_rewrite=$(seq_of '篡改测试-rewrite-target')
[[ -n "$k_update" && -n "$k_flip" && -n "$k_rewrite" ]] || die "the acts' entries were not found"
checkpoints=$(wc -l <"$work/checkpoints.jsonl")
first_cp=$(python3 -c 'import json,sys; print(min(json.loads(l)["size"] for l in open(sys.argv[1])))' "$work/checkpoints.jsonl")
echo "tamper: database of $size entries, $checkpoints exported checkpoints (sizes $first_cp to $size)"

# ---------------------------------------------------------------------------
# 2. The attacks, each on a fresh copy.

fresh() { # NAME: a fresh copy of the database, its path on stdout
  cp "$master" "$work/$1.db"
  echo "$work/$1.db"
}
drop_triggers() { # DB: what an attacker with the file does first: every trigger on the record
  local t
  for t in $(sqlite3 "$1" "SELECT name FROM sqlite_master WHERE type = 'trigger'
      AND tbl_name IN ('record_entries', 'record_nodes', 'record_checkpoints')"); do
    sqlite3 "$1" "DROP TRIGGER $t"
  done
}

# rehash.py DB leaf SEQ | all: recomputes entry SEQ's leaf hash, or every
# leaf and node hash, from the stored columns by RFC 9162 over the canonical
# entry bytes of src/record/entry.hpp (the stored payload is already canonical).
cat >"$work/rehash.py" <<'PY'
import hashlib, sqlite3, sys

path, mode = sys.argv[1], sys.argv[2]
con = sqlite3.connect(path)
algorithm = con.execute("SELECT algorithm FROM record_head WHERE id = 1").fetchone()[0]


def H(b):
    return hashlib.new(algorithm, b).digest()


def text(s):
    short = {8: "\\b", 9: "\\t", 10: "\\n", 12: "\\f", 13: "\\r"}
    out = []
    for ch in s:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ord(ch) < 0x20:
            out.append(short.get(ord(ch), "\\u%04x" % ord(ch)))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def num(v):
    return "null" if v is None else str(int(v))


def leaf(row):
    seq, at_us, actor, jurisdiction, department, subject_type, subject_id, action, payload = row
    canonical = ('{"action":' + text(action) + ',"actor_user_id":' + num(actor) + ',"at_us":' + num(at_us)
                 + ',"department_id":' + num(department) + ',"jurisdiction_id":' + num(jurisdiction)
                 + ',"payload":' + payload + ',"seq":' + num(seq) + ',"subject_id":' + num(subject_id)
                 + ',"subject_type":' + text(subject_type) + "}")
    return H(b"\x00" + canonical.encode("utf-8"))


select = ("SELECT seq, at_us, actor_user_id, jurisdiction_id, department_id, subject_type, "
          "subject_id, action, payload FROM record_entries")
if mode == "leaf":
    row = con.execute(select + " WHERE seq = ?", (int(sys.argv[3]),)).fetchone()
    con.execute("UPDATE record_entries SET leaf_hash = ? WHERE seq = ?", (leaf(row).hex(), row[0]))
else:
    leaves = []
    for row in con.execute(select + " ORDER BY seq").fetchall():
        assert row[0] == len(leaves), "the entries have a gap"
        leaves.append(leaf(row))
    con.executemany("UPDATE record_entries SET leaf_hash = ? WHERE seq = ?",
                    [(h.hex(), i) for i, h in enumerate(leaves)])
    # Every complete subtree (level, idx), level 0 being the leaves.
    con.execute("DELETE FROM record_nodes")
    level, hashes = 0, leaves
    while hashes:
        con.executemany("INSERT INTO record_nodes (level, idx, hash) VALUES (?, ?, ?)",
                        [(level, i, h.hex()) for i, h in enumerate(hashes)])
        hashes = [H(b"\x01" + hashes[2 * i] + hashes[2 * i + 1]) for i in range(len(hashes) // 2)]
        level += 1
con.commit()
PY

rows=()
failures=0
# check ATTACK DB EXPECTED OUTSIDE: runs the verifier; EXPECTED is a seq or
# "none" (must verify clean); OUTSIDE is "none" (the database alone) or "key"
# (public key) or "key+cp" (public key and exported checkpoints).
check() {
  local attack=$1 db=$2 expected=$3 outside=$4 args=(record verify --db "$(db_url "$2")") out code=0
  case "$outside" in
    key) args+=(--public-key "$work/public.key") ;;
    key+cp) args+=(--public-key "$work/public.key" --checkpoints "$work/checkpoints.jsonl") ;;
  esac
  out=$("$bin" "${args[@]}" 2>&1) || code=$?
  local reported problem detected result
  reported=$(sed -nE 's/^first bad sequence number: ([0-9]+)$/\1/p' <<<"$out" | tail -1)
  problem=$(sed -nE 's/.*\[([a-z_]+)\].*/\1/p' <<<"$out" | head -1)
  detected=no
  [[ $code == 1 ]] && detected=yes
  if [[ "$expected" == none ]]; then
    [[ $code == 0 ]] && result=ok || result=FAIL
  else
    [[ $code == 1 && "$reported" == "$expected" ]] && result=ok || result=FAIL
  fi
  if [[ $result != ok ]]; then
    failures=$((failures + 1))
    echo "tamper: $attack ($outside): exit $code, expected $expected:" >&2
    while IFS= read -r line; do echo "    $line"; done <<<"$out" >&2
  fi
  rows+=("$(printf '%-46s %-7s %-9s %-9s %-9s %-20s %s' "$attack" "$outside" "${expected/none/clean}" "${reported:--}" "$detected" "${problem:--}" "$result")")
}

# The clean copy verifies with everything given.
db=$(fresh clean)
check "clean copy" "$db" none none
check "clean copy" "$db" none key+cp

# update: entry K's payload says another name.
db=$(fresh update)
drop_triggers "$db"
sqlite3 "$db" "UPDATE record_entries SET payload = replace(payload, 'update-target', 'update-forged') WHERE seq = $k_update"
check "update payload of entry $k_update" "$db" "$k_update" none

# update with its leaf hash: entry K's payload and leaf hash agree, the tree
# nodes above it do not.
db=$(fresh update-leaf)
drop_triggers "$db"
sqlite3 "$db" "UPDATE record_entries SET payload = replace(payload, 'update-target', 'update-forged') WHERE seq = $k_update"
python3 "$work/rehash.py" "$db" leaf "$k_update" || die "rehash failed"
check "update entry $k_update and its leaf hash" "$db" "$k_update" none

# delete: entry K, in the demo part of the record.
k=$((size / 2))
db=$(fresh delete)
drop_triggers "$db"
sqlite3 "$db" "DELETE FROM record_entries WHERE seq = $k"
check "delete entry $k" "$db" "$k" none

# reorder: entries K and L swap everything but their seq.
k=$((size / 5))
l=$((size - 2))
db=$(fresh reorder)
drop_triggers "$db"
sqlite3 "$db" "CREATE TEMP TABLE pair AS SELECT * FROM record_entries WHERE seq IN ($k, $l);
  UPDATE record_entries SET (at_us, actor_user_id, jurisdiction_id, department_id, subject_type,
      subject_id, action, payload, leaf_hash) =
    (SELECT at_us, actor_user_id, jurisdiction_id, department_id, subject_type, subject_id,
       action, payload, leaf_hash FROM pair
     WHERE pair.seq = CASE record_entries.seq WHEN $k THEN $l ELSE $k END)
  WHERE seq IN ($k, $l);"
check "reorder: swap entries $k and $l" "$db" "$k" none

# insert: a copy of the last entry as entry 'size', beyond the head.
db=$(fresh insert)
drop_triggers "$db"
sqlite3 "$db" "INSERT INTO record_entries (seq, at_us, actor_user_id, jurisdiction_id, department_id,
    subject_type, subject_id, action, payload, leaf_hash)
  SELECT seq + 1, at_us + 1, actor_user_id, jurisdiction_id, department_id, subject_type,
    subject_id, action, payload, leaf_hash FROM record_entries WHERE seq = $((size - 1))"
check "insert entry $size after the head" "$db" "$size" none

# flip: one bit of a letter inside entry K's payload, in the raw file.
db=$(fresh flip)
payload=$(sqlite3 "$db" "SELECT payload FROM record_entries WHERE seq = $k_flip")
python3 - "$db" "$payload" <<'PY' || die "flip failed"
import sys
path, payload = sys.argv[1], sys.argv[2].encode("utf-8")
data = bytearray(open(path, "rb").read())
marker = payload.index(b"flip-marker") + len(b"flip-")   # the 'm' of "marker"
hits, at = [], data.find(payload)
while at >= 0:
    hits.append(at)
    at = data.find(payload, at + 1)
if not hits:
    sys.exit("the payload's bytes are not in the file (is the WAL checkpointed?)")
for at in hits:                      # stale copies in free pages too, if any
    data[at + marker] ^= 0x20        # 'm' -> 'M': valid UTF-8, still canonical JSON
open(path, "wb").write(data)
print(f"tamper: flipped bit 5 of byte {hits[0] + marker} ({len(hits)} copy(ies) of the payload in the file)")
PY
integrity=$(sqlite3 "$db" 'PRAGMA integrity_check')
[[ "$integrity" == ok ]] || die "the flipped file is no longer a valid SQLite database: $integrity"
[[ "$(sqlite3 "$db" "SELECT payload LIKE '%flip-Marker%' FROM record_entries WHERE seq = $k_flip")" == 1 ]] ||
  die "the flipped bit is not in entry $k_flip's payload"
check "flip a bit in entry $k_flip (file)" "$db" "$k_flip" none

# truncate: the tail from K on, with its nodes and checkpoints; head = K.
k=$((size - 3))
db=$(fresh truncate)
drop_triggers "$db"
sqlite3 "$db" "DELETE FROM record_entries WHERE seq >= $k;
  DELETE FROM record_nodes WHERE (idx + 1) * (1 << level) > $k;
  DELETE FROM record_checkpoints WHERE size > $k;
  UPDATE record_head SET size = $k WHERE id = 1;"
check "truncate at $k" "$db" none key
check "truncate at $k" "$db" "$k" key+cp

# rewrite: entry K says another name; every leaf and node hash recomputed;
# the stored checkpoints that no longer match are deleted (without the key no
# checkpoint can be signed).
db=$(fresh rewrite)
drop_triggers "$db"
sqlite3 "$db" "UPDATE record_entries SET payload = replace(payload, 'rewrite-target', 'rewrite-forged') WHERE seq = $k_rewrite"
python3 "$work/rehash.py" "$db" all || die "rewrite failed"
sqlite3 "$db" "DELETE FROM record_checkpoints WHERE size > $k_rewrite"
# The last exported checkpoint that still matches: the largest size <= K.
k_cp=$(python3 -c 'import json,sys; print(max([json.loads(l)["size"] for l in open(sys.argv[1]) if json.loads(l)["size"] <= int(sys.argv[2])], default=0))' \
  "$work/checkpoints.jsonl" "$k_rewrite")
check "rewrite the tree after changing entry $k_rewrite" "$db" none key
check "rewrite the tree after changing entry $k_rewrite" "$db" "$k_cp" key+cp

# Rows whose seq is not a non-negative integer, which SQLite's column affinity
# would store as given once the triggers of migration 0006 are dropped
# (TAMPER_EXTRA=0 leaves these probes out).
if [[ "${TAMPER_EXTRA:-1}" == 1 ]]; then
  columns="at_us, actor_user_id, jurisdiction_id, department_id, subject_type, subject_id, action, payload, leaf_hash"
  k=$((size / 2))
  db=$(fresh negative)
  drop_triggers "$db"
  sqlite3 "$db" "INSERT INTO record_entries (seq, $columns) SELECT -1, $columns FROM record_entries WHERE seq = 0"
  check "insert entry -1 before the first" "$db" 0 none
  db=$(fresh fraction)
  drop_triggers "$db"
  sqlite3 "$db" "INSERT INTO record_entries (seq, $columns) SELECT $k.5, $columns FROM record_entries WHERE seq = $k"
  check "insert entry $k.5 in the middle" "$db" $((k + 1)) none
  db=$(fresh text)
  drop_triggers "$db"
  sqlite3 "$db" "INSERT INTO record_entries (seq, $columns) SELECT 'x', $columns FROM record_entries WHERE seq = $k"
  check "insert entry 'x' (text seq)" "$db" "$size" none
fi

# ---------------------------------------------------------------------------
echo
printf '%-46s %-7s %-9s %-9s %-9s %-20s %s\n' attack outside expected reported detected problem result
for r in "${rows[@]}"; do echo "$r"; done
echo
echo "tamper: $size entries, $checkpoints exported checkpoints, ${#rows[@]} checks, $((SECONDS - started)) s"
echo "(outside: none = the database alone, key = with the public key, key+cp = with the public key and the exported checkpoints)"
if ((failures)); then
  keep=1
  echo "tamper: FAIL ($failures check(s) wrong)"
  exit 1
fi
echo "tamper: PASS"
