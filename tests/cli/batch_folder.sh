#!/usr/bin/env bash
# suggest batch --input DIR: every *.txt below DIR (id = relative path, sorted);
# an entry that cannot be read becomes an error record and the run goes on.
set -uo pipefail
SUGGEST="$1"; ROOT="$2"; SHARED="$3"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

d="$tmp/notes"
mkdir -p "$d/sub/deeper" "$d/b_dir.txt"
printf 'HISTORY:  s/p L4-5 fusion.' > "$d/c.txt"
printf 'IMPRESSION:  Solid fusion L4-5.\nNo hardware failure.' > "$d/sub/deeper/n.txt"
printf 'PLAN:  Follow up.' > "$d/sub/a.txt"
printf 'PLAN:  Follow up.' > "$d/b_dir.txt/x.txt"
printf 'not a note' > "$d/readme.md"
ln -s "$tmp/does-not-exist" "$d/broken.txt"   # runs as root: chmod 000 would not block reads
"$SUGGEST" batch --input "$d" --output "$tmp/out.jsonl" 2> "$tmp/err"; rc=$?
[ $rc -eq 1 ] || fail "exit $rc (expected 1: one unreadable file)"
/usr/bin/python3 - "$tmp/out.jsonl" "$d" <<'PY' || exit 1
import json, sys, os
rows = [json.loads(l) for l in open(sys.argv[1])]
got = [(r["id"], r["status"], r.get("error", {}).get("kind")) for r in rows]
want = [("b_dir.txt/x.txt", "ok", None), ("broken.txt", "error", "read_error"),
        ("c.txt", "ok", None), ("sub/a.txt", "ok", None), ("sub/deeper/n.txt", "ok", None)]
assert got == want, got
for r in rows:
    if r["status"] != "ok": continue
    t = open(os.path.join(sys.argv[2], r["id"]), "rb").read()
    for s in r["suggestions"]:
        for e in s["evidence"]:
            assert t[e["begin"]:e["end"]].decode() == e["text"], e
assert rows[2]["suggestions"][0]["code"] == "Z98.1", rows[2]
PY
grep -q "batch summary: 5 notes, 1 errors" "$tmp/err" || fail "summary"

# A missing input is an I/O error.
"$SUGGEST" batch --input "$tmp/nope" --output "$tmp/x" 2>/dev/null; rc=$?
[ $rc -eq 4 ] || fail "missing input exit $rc"
echo "1 passed, 0 failed"
