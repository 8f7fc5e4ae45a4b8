#!/usr/bin/env bash
# suggest batch: one output line per input record, in input order; bad records
# become error records and the run goes on; spans check against the input.
set -uo pipefail
SUGGEST="$1"; ROOT="$2"; SHARED="$3"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

{
  echo '{"id": "a", "text": "HISTORY:  s/p C5\u2013C6 fusion.  Doing well."}'
  echo 'this is not json'
  echo '{"id": 7, "text": "IMPRESSION:  Solid fusion L4-5.  No hardware failure."}'
  echo ''
  echo '{"id": "no-text"}'
  echo '{"text": "no id here"}'
  echo '{"id": "e", "text": ""}'
  echo '{"id": "last", "text": "PLAN:  Follow up.\r\nCall Dr. Smith."}'
} > "$tmp/in.jsonl"
"$SUGGEST" batch --input "$tmp/in.jsonl" --output "$tmp/out.jsonl" 2> "$tmp/err"; rc=$?
[ $rc -eq 1 ] || fail "exit $rc (expected 1: some records failed)"
/usr/bin/python3 - "$tmp/out.jsonl" <<'PY' || exit 1
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
got = [(r["id"], r["status"], r.get("error", {}).get("kind")) for r in rows]
want = [("a", "ok", None), ("", "error", "bad_record"), ("7", "ok", None),
        ("no-text", "error", "bad_record"), ("", "error", "bad_record"),
        ("e", "error", "empty_note"), ("last", "ok", None)]
assert got == want, got
assert "line 2" in rows[1]["error"]["message"], rows[1]
PY
/usr/bin/python3 "$ROOT/tests/cli/check_spans.py" "$tmp/out.jsonl" --jsonl "$tmp/in.jsonl" || fail spans
grep -q 'not json' "$tmp/err" && fail "record text leaked into the log"

# A corpus slice: every record ok, spans exact.
head -n 300 "$SHARED/corpus/mtsamples.jsonl" > "$tmp/corpus.jsonl"
"$SUGGEST" batch --input "$tmp/corpus.jsonl" --output "$tmp/corpus_out.jsonl" || fail "corpus batch"
[ "$(wc -l < "$tmp/corpus_out.jsonl")" -eq 300 ] || fail "corpus line count"
/usr/bin/python3 "$ROOT/tests/cli/check_spans.py" "$tmp/corpus_out.jsonl" --jsonl "$tmp/corpus.jsonl" || fail "corpus spans"

# Output to a full disk is a clear I/O error, not a crash.
if [ -w /dev/full ]; then
  "$SUGGEST" batch --input "$tmp/corpus.jsonl" --output /dev/full 2> "$tmp/full"; rc=$?
  [ $rc -eq 4 ] || fail "/dev/full exit $rc"
fi
echo "1 passed, 0 failed"
