#!/usr/bin/env bash
# The care setting (issue 13): `analyze --setting` echoes it and a bad value is
# a usage error (exit 2); `batch` takes a per-record "setting" (JSONL key, CSV
# column) that wins over --setting, and a bad one is an invalid_setting error
# record for that note only, in input order; --resume keeps working; every ok
# result carries "setting" and a "not_coded" array.
set -uo pipefail
SUGGEST="$1"; ROOT="$2"; SHARED="$3"
SUGGEST_DEV="${SUGGEST_DEV:-$(dirname "$SUGGEST")/suggest-dev}"  # developer commands (tests/CMakeLists.txt)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
PY=/usr/bin/python3

note="$tmp/note.txt"
printf 'HISTORY:  s/p L4-L5 posterior spinal fusion in 2015.\n' > "$note"

# ---- analyze -----------------------------------------------------------------
"$SUGGEST" analyze --setting inpatient "$note" > "$tmp/in.json" || fail "analyze --setting inpatient"
"$SUGGEST" analyze --setting outpatient "$note" > "$tmp/out.json" || fail "analyze --setting outpatient"
"$SUGGEST" analyze "$note" > "$tmp/default.json" || fail "analyze"
"$SUGGEST" analyze --no-text-layer --setting inpatient "$note" > "$tmp/in_fast.json" ||
  fail "analyze --no-text-layer --setting inpatient"
$PY - "$tmp" <<'PY' || fail "analyze output"
import json, sys
d = sys.argv[1]
r = {k: json.load(open(f"{d}/{k}.json")) for k in ("in", "out", "default", "in_fast")}
assert r["in"]["setting"] == "inpatient", r["in"].get("setting")
assert r["in_fast"]["setting"] == "inpatient"
assert r["out"]["setting"] == "outpatient" and r["default"]["setting"] == "outpatient"
for k, v in r.items():
    keys = list(v)
    assert keys.index("setting") == keys.index("code_set") + 1, (k, keys)
    assert keys.index("not_coded") == keys.index("gaps") + 1, (k, keys)
    assert isinstance(v["not_coded"], list), k
assert r["out"] == r["default"]
print("analyze ok")
PY

for bad in ward Inpatient ""; do
  "$SUGGEST" analyze --setting "$bad" "$note" > "$tmp/bad.out" 2>&1; rc=$?
  [ $rc -eq 2 ] || fail "analyze --setting '$bad': exit $rc (expected 2)"
done
"$SUGGEST" batch --setting ward --input "$note" --output "$tmp/x.jsonl" > /dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "batch --setting ward: exit $rc (expected 2)"

# ---- batch JSONL ---------------------------------------------------------------
cat > "$tmp/in.jsonl" <<'EOF'
{"id": "a", "setting": "inpatient", "text": "HISTORY:  s/p L4-L5 posterior spinal fusion in 2015."}
{"id": "b", "text": "HISTORY:  s/p C5-C6 ACDF.", "setting": "outpatient"}
{"id": "c", "text": "HISTORY:  s/p C5-C6 ACDF.", "setting": "ward"}
EOF
check_three() {  # results file, what the second one's setting should be
  $PY - "$1" "$2" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [r["id"] for r in rows] == ["a", "b", "c"], [r["id"] for r in rows]
assert [r["status"] for r in rows] == ["ok", "ok", "error"], rows
assert rows[0]["setting"] == "inpatient" and rows[1]["setting"] == sys.argv[2], rows[:2]
assert all(isinstance(r["not_coded"], list) for r in rows[:2])
e = rows[2]["error"]
assert e["kind"] == "invalid_setting", e
assert e["message"] == 'setting must be "outpatient" or "inpatient", got "ward"', e
assert set(rows[2]) == {"id", "status", "error"}, rows[2]
print("three records ok")
PY
}
"$SUGGEST" batch --input "$tmp/in.jsonl" --output "$tmp/out.jsonl" 2> "$tmp/err"; rc=$?
[ $rc -eq 1 ] || fail "batch jsonl: exit $rc (expected 1: one error record)"
check_three "$tmp/out.jsonl" outpatient || fail "batch jsonl"
# A per-record value wins over the flag, in both directions.
"$SUGGEST" batch --setting inpatient --input "$tmp/in.jsonl" --output "$tmp/out2.jsonl" 2>/dev/null
check_three "$tmp/out2.jsonl" outpatient || fail "batch jsonl --setting inpatient"
# Records without a setting take the flag.
printf '{"id": "d", "text": "s/p L4-5 fusion."}\n' > "$tmp/plain.jsonl"
"$SUGGEST" batch --setting inpatient --input "$tmp/plain.jsonl" --output "$tmp/plain.out" 2>/dev/null ||
  fail "batch plain"
grep -q '"setting":"inpatient"' "$tmp/plain.out" || fail "flag not applied to a record without setting"

# Non-string settings (the full JSON parser's path) and a \u escape in a
# valid one; the log names the line, never the value.
cat > "$tmp/odd.jsonl" <<'EOF'
{"id": "n1", "text": "s/p L4-5 fusion.", "setting": 1}
{"id": "n2", "text": "s/p L4-5 fusion.", "setting": null}
{"id": "n3", "text": "s/p L4-5 fusion.", "setting": ["inpatient"]}
{"id": "n4", "text": "s/p L4-5 fusion.", "setting": "in\u0070atient"}
{"id": "n5", "text": "s/p L4-5 fusion.", "setting": "SECRETWARD"}
{"id": "n6", "text": "s/p L4-5 fusion.", "setting": ""}
{"id": "n7", "setting": "ward"}
EOF
"$SUGGEST" --log-level info batch --input "$tmp/odd.jsonl" --output "$tmp/odd.out" 2> "$tmp/odd.err"; rc=$?
[ $rc -eq 1 ] || fail "odd settings: exit $rc"
grep -q SECRETWARD "$tmp/odd.err" && fail "setting value leaked into the log"
$PY - "$tmp/odd.out" <<'PY' || fail "odd settings output"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
got = [(r["id"], r["status"], r.get("setting") or r["error"]["kind"]) for r in rows]
assert got == [("n1", "error", "invalid_setting"), ("n2", "error", "invalid_setting"),
               ("n3", "error", "invalid_setting"), ("n4", "ok", "inpatient"),
               ("n5", "error", "invalid_setting"), ("n6", "error", "invalid_setting"),
               ("n7", "error", "bad_record")], got
msg = [r["error"]["message"] for r in rows if r["status"] == "error"]
assert msg[0].endswith("got a number") and msg[1].endswith("got null"), msg
assert msg[2].endswith("got an array") and msg[3].endswith('got "SECRETWARD"'), msg
assert msg[4].endswith('got ""'), msg
print("odd settings ok")
PY

# --resume: cut after the first record, resume, same output as one run.
head -n 1 "$tmp/out.jsonl" > "$tmp/resumed.jsonl"
"$SUGGEST" batch --resume --input "$tmp/in.jsonl" --output "$tmp/resumed.jsonl" 2>/dev/null
cmp -s "$tmp/resumed.jsonl" "$tmp/out.jsonl" || fail "--resume output differs"

# ---- batch CSV -------------------------------------------------------------------
printf 'id,setting,text\n' > "$tmp/in.csv"
printf 'a,inpatient,"HISTORY:  s/p L4-L5 posterior spinal fusion in 2015."\n' >> "$tmp/in.csv"
printf 'b,outpatient,"HISTORY:  s/p C5-C6 ACDF."\n' >> "$tmp/in.csv"
printf 'c,ward,"HISTORY:  s/p C5-C6 ACDF."\n' >> "$tmp/in.csv"
"$SUGGEST" batch --input "$tmp/in.csv" --output "$tmp/csv.jsonl" 2>/dev/null; rc=$?
[ $rc -eq 1 ] || fail "batch csv: exit $rc (expected 1)"
check_three "$tmp/csv.jsonl" outpatient || fail "batch csv"
# An empty cell takes the flag.
printf 'id,text,setting\nd,"s/p L4-5 fusion.",\ne,"s/p L4-5 fusion.",outpatient\n' > "$tmp/empty.csv"
"$SUGGEST" batch --setting inpatient --input "$tmp/empty.csv" --output "$tmp/empty.out" 2>/dev/null ||
  fail "batch csv empty cell"
$PY - "$tmp/empty.out" <<'PY' || fail "csv empty cell"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [(r["id"], r["setting"]) for r in rows] == [("d", "inpatient"), ("e", "outpatient")], rows
PY
# CSV output carries the error record as a row.
"$SUGGEST" batch --input "$tmp/in.csv" --output "$tmp/out.csv" 2>/dev/null
grep -q '^c,error,,,,,,,invalid_setting,' "$tmp/out.csv" || fail "csv output error row"

# ---- eval: a gold record's "setting" is honoured; a bad one is a malformed gold
cat > "$tmp/gold.jsonl" <<'EOF'
{"id": "g1", "setting": "inpatient", "text": "HISTORY:  s/p L4-L5 posterior spinal fusion in 2015.", "codes_required": ["Z98.1"], "fused_segments": ["L4-L5"]}
{"id": "g2", "text": "HISTORY:  s/p C5-C6 ACDF.", "codes_required": ["Z98.1"], "fused_segments": ["C5-C6"]}
EOF
"$SUGGEST_DEV" eval --gold "$tmp/gold.jsonl" --json > "$tmp/eval.json" || fail "eval with settings"
$PY -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["notes"] == 2, r' "$tmp/eval.json" ||
  fail "eval notes"
printf '{"id": "g3", "setting": "ward", "text": "s/p C5-C6 ACDF."}\n' > "$tmp/badgold.jsonl"
"$SUGGEST_DEV" eval --gold "$tmp/badgold.jsonl" > /dev/null 2>&1; rc=$?
[ $rc -eq 4 ] || fail "eval with a bad gold setting: exit $rc (expected 4)"

echo "1 passed, 0 failed"
