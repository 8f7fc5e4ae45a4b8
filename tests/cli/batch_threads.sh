#!/usr/bin/env bash
# suggest batch --threads N writes results strictly in input order: the output
# is byte-identical for 1, 2, 3 and 8 threads (JSONL and CSV). Labelled tsan:
# scripts/test.sh --tsan runs it under ThreadSanitizer, where a race report
# exits the binary with 66, so every run's exit code is checked.
set -uo pipefail
SUGGEST="$1"; ROOT="$2"; SHARED="$3"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

head -n 600 "$SHARED/corpus/mtsamples.jsonl" > "$tmp/in.jsonl"
echo 'not json' >> "$tmp/in.jsonl"
for n in 1 2 3 8; do
  "$SUGGEST" batch --threads $n --text-layer --input "$tmp/in.jsonl" --output "$tmp/o$n.jsonl" \
    2>"$tmp/e$n"; rc=$?
  [ $rc -eq 1 ] || fail "threads $n exit $rc: $(tail -5 "$tmp/e$n")"
  "$SUGGEST" batch --threads $n --input "$tmp/in.jsonl" --output "$tmp/o$n.csv" 2>"$tmp/e$n"; rc=$?
  [ $rc -eq 1 ] || fail "csv threads $n exit $rc: $(tail -5 "$tmp/e$n")"
done
[ "$(wc -l < "$tmp/o1.jsonl")" -eq 601 ] || fail "line count"
cmp "$tmp/o1.jsonl" "$tmp/o2.jsonl" || fail "threads 1 vs 2 differ"
cmp "$tmp/o1.jsonl" "$tmp/o3.jsonl" || fail "threads 1 vs 3 differ"
cmp "$tmp/o1.jsonl" "$tmp/o8.jsonl" || fail "threads 1 vs 8 differ"
cmp "$tmp/o1.csv" "$tmp/o8.csv" || fail "csv threads 1 vs 8 differ"
cmp "$tmp/o1.csv" "$tmp/o2.csv" || fail "csv threads 1 vs 2 differ"
cmp "$tmp/o1.csv" "$tmp/o3.csv" || fail "csv threads 1 vs 3 differ"
/usr/bin/python3 - "$tmp/o2.jsonl" "$tmp/in.jsonl" <<'PY' || exit 1
import json, sys
ids = [str(json.loads(l)["id"]) for l in open(sys.argv[2]) if l.startswith("{")]
out = [json.loads(l)["id"] for l in open(sys.argv[1])]
assert out[:-1] == ids and out[-1] == "", "order"
PY
/usr/bin/python3 "$ROOT/tests/cli/check_spans.py" "$tmp/o2.jsonl" --jsonl "$tmp/in.jsonl" > /dev/null || fail spans

# Progress when stderr is not a terminal: plain info lines, counts only.
"$SUGGEST" --log-level info batch --threads 2 --progress-interval 0 --input "$tmp/in.jsonl" \
  --output "$tmp/p.jsonl" 2> "$tmp/err"; rc=$?
[ $rc -eq 1 ] || fail "progress run exit $rc: $(tail -5 "$tmp/err")"
grep -q "batch progress: [0-9]* notes, [0-9.]* notes/s" "$tmp/err" || fail "no progress lines"
/usr/bin/python3 - "$tmp/err" "$tmp/in.jsonl" <<'PY' || fail "note text in the log"
import json, sys
log = open(sys.argv[1], encoding="utf-8").read()
for l in open(sys.argv[2], encoding="utf-8"):
    if l.startswith("{"):
        t = json.loads(l)["text"].strip()
        if len(t) > 40: assert t[:40] not in log
PY
echo "1 passed, 0 failed"
