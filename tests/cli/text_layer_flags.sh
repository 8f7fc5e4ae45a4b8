#!/usr/bin/env bash
# Issue 14 item 4: the text layer means what the output holds, nothing else.
# analyze includes it by default, batch leaves it out by default; both take
# --text-layer and --no-text-layer, and each spelling gives what the other
# command's default gives (byte for byte, apart from the input's shape).
set -uo pipefail
SUGGEST="$1"; ROOT="$2"; SHARED="$3"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

note="$ROOT/examples/notes/op_note_acdf.txt"
/usr/bin/python3 - "$note" "$tmp/in.jsonl" <<'PY'
import json, sys
text = open(sys.argv[1], encoding="utf-8", newline="").read()
open(sys.argv[2], "w", encoding="utf-8").write(json.dumps({"id": "n", "text": text}) + "\n")
PY
a() { "$SUGGEST" analyze --id n "$@" "$note"; }
b() { "$SUGGEST" batch --input "$tmp/in.jsonl" --output - "$@" 2> /dev/null; }
a > "$tmp/a_default" || fail "analyze"
a --text-layer > "$tmp/a_on" || fail "analyze --text-layer"
a --no-text-layer > "$tmp/a_off" || fail "analyze --no-text-layer"
b > "$tmp/b_default" || fail "batch"
b --text-layer > "$tmp/b_on" || fail "batch --text-layer"
b --no-text-layer > "$tmp/b_off" || fail "batch --no-text-layer"
cmp -s "$tmp/a_default" "$tmp/a_on" || fail "analyze: default is not --text-layer"
cmp -s "$tmp/b_default" "$tmp/b_off" || fail "batch: default is not --no-text-layer"
cmp -s "$tmp/a_on" "$tmp/b_on" || fail "--text-layer: analyze and batch differ"
cmp -s "$tmp/a_off" "$tmp/b_off" || fail "--no-text-layer: analyze and batch differ"
grep -q '"sections"' "$tmp/a_on" || fail "--text-layer: no sections"
grep -q '"sections"' "$tmp/a_off" && fail "--no-text-layer: sections"
echo "1 passed, 0 failed"
