#!/usr/bin/env bash
# Issue 19 items 1/3, the reproducer itself: the poison record
# {"id":"p","text":"s/p fusion " + "L4-"*20_000_000} (60 MB, inside the default
# 64 MiB limit) under `ulimit -v 3000000` gives an ok record within bounded
# memory (matches per rule capped, "truncated": true; docs/rules.md "Limits")
# or an error record of kind resource_exhausted, and the records after it are
# written, with and without --resume. No abort.
set -uo pipefail
SUGGEST="$1"; ROOT="$2"; SHARED="$3"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
PY=/usr/bin/python3
# ulimit -v and the sanitizers' shadow memory cannot coexist: skip (77) there.
# SUGGEST_SANITIZER comes from tests/CMakeLists.txt (address, thread or none).
if [ "${SUGGEST_SANITIZER:-none}" != none ]; then echo "skipped: sanitizer build"; exit 77; fi

$PY - "$tmp/in.jsonl" <<'PY'
import json, sys
note = "PAST SURGICAL HISTORY: L4-L5 fusion in 2015."
with open(sys.argv[1], "w") as f:
    f.write(json.dumps({"id": "before", "text": note}) + "\n")
    f.write(json.dumps({"id": "p", "text": "s/p fusion " + "L4-" * 20_000_000}) + "\n")
    f.write(json.dumps({"id": "after", "text": note}) + "\n")
PY
# 3 GB of address space, the issue's container: the poison note took ~8 GB
# (~125 bytes per input byte) before matches per rule were capped.
LIMIT=3000000
run() { (ulimit -v $LIMIT; exec "$SUGGEST" batch --threads 1 --no-progress "$@"); }
run --input "$tmp/in.jsonl" --output "$tmp/out.jsonl" 2> "$tmp/err"; rc=$?
# 0: the poison note analysed within the limit; 1: its error record.
[ $rc -eq 0 ] || [ $rc -eq 1 ] || { tail -3 "$tmp/err"; fail "exit $rc (expected 0 or 1)"; }
rc_first=$rc
check() {
  $PY - "$1" <<'PY' || fail "records of $1"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
got = [(r["id"], r["status"], r.get("error", {}).get("kind")) for r in rows]
if got[1] == ("p", "ok", None):
    assert rows[1].get("truncated") is True, "poison record not marked truncated"
    print("note: the poison note was analysed within the limit (bounded memory)")
else:
    assert got[1] == ("p", "error", "resource_exhausted"), got
assert got[0] == ("before", "ok", None) and got[2] == ("after", "ok", None), got
PY
}
check "$tmp/out.jsonl"
# --resume after the first record: the poison record again, then the rest.
head -n 1 "$tmp/out.jsonl" > "$tmp/res.jsonl"
run --input "$tmp/in.jsonl" --output "$tmp/res.jsonl" --resume 2> "$tmp/err2"; rc=$?
[ $rc -eq $rc_first ] || { tail -3 "$tmp/err2"; fail "--resume exit $rc"; }
check "$tmp/res.jsonl"
cmp -s "$tmp/out.jsonl" "$tmp/res.jsonl" || fail "--resume output differs"
# analyze too: an error line, exit 1, no abort.
$PY -c 'import sys; sys.stdout.write("s/p fusion " + "L4-" * 20000000)' > "$tmp/p.txt"
(ulimit -v $LIMIT; exec "$SUGGEST" analyze --no-text-layer "$tmp/p.txt") > "$tmp/a.json" 2> "$tmp/err3"; rc=$?
[ $rc -eq 1 ] || [ $rc -eq 0 ] || { tail -3 "$tmp/err3"; fail "analyze exit $rc"; }
[ $rc -eq 0 ] || grep -q '"kind":"resource_exhausted"' "$tmp/a.json" || fail "analyze: $(head -c 300 "$tmp/a.json")"
echo "hardening_oom: all checks passed"
