#!/usr/bin/env bash
# suggest batch --resume refuses (exit 2, naming what differs, output left as
# it was) to append to an output written by another run: another input,
# other options, other models or engine version, another CSV column layout.
# The run manifest OUT.manifest.json beside the output says what the run was
# (issue 17 item 4). An output without a manifest (an older suggest) is
# resumed with a warning and the record-id check only.
set -uo pipefail
SUGGEST="$1"; ROOT="$2"; SHARED="$3"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

head -n 40 "$SHARED/corpus/mtsamples.jsonl" > "$tmp/in.jsonl"
run() { "$SUGGEST" batch --threads 2 --no-progress --input "$@"; }

run "$tmp/in.jsonl" --output "$tmp/out.jsonl" 2> /dev/null || fail "first run"
[ -f "$tmp/out.jsonl.manifest.json" ] || fail "no manifest beside the output"
/usr/bin/python3 - "$tmp/out.jsonl.manifest.json" <<'PY' || fail "manifest content"
import json, sys
m = json.load(open(sys.argv[1]))
assert m["suggest_run_manifest"] == 1 and m["input"]["kind"] == "file", m
assert len(m["models_version"]) == 16 and m["options"]["--setting"] == "outpatient", m
assert m["options"]["--output-format"] == "jsonl", m
PY
cp "$tmp/out.jsonl" "$tmp/ref.jsonl"
# Half the output, as a killed run would leave it.
head -n 20 "$tmp/ref.jsonl" > "$tmp/out.jsonl"
cp "$tmp/out.jsonl" "$tmp/half.jsonl"

# $1 = what the message must name; the rest: the resume's arguments.
refused() {
  local want="$1"; shift
  "$@" 2> "$tmp/err"; local rc=$?
  [ $rc -eq 2 ] || fail "resume ($want): exit $rc, expected 2: $(cat "$tmp/err")"
  grep -q "^suggest: error: refusing to --resume: .* was written by another run: .*$want" "$tmp/err" ||
    fail "message does not name '$want': $(cat "$tmp/err")"
  cmp -s "$tmp/out.jsonl" "$tmp/half.jsonl" || fail "a refused resume ($want) changed the output"
  echo "ok: refused: $(cut -c1-160 "$tmp/err")"
}

# Another input: the same ids and size, other text (one letter changed).
sed '1s/a/e/' "$tmp/in.jsonl" > "$tmp/other.jsonl"
refused "the input differs (.* have the same size but other content)" \
  run "$tmp/other.jsonl" --output "$tmp/out.jsonl" --resume
# Another input: more records.
head -n 60 "$SHARED/corpus/mtsamples.jsonl" > "$tmp/longer.jsonl"
refused "the input differs (.* was [0-9]* bytes, this run's .* is [0-9]*)" \
  run "$tmp/longer.jsonl" --output "$tmp/out.jsonl" --resume
# Other options.
refused "options differ: --setting was outpatient, this run's is inpatient" \
  run "$tmp/in.jsonl" --output "$tmp/out.jsonl" --resume --setting inpatient
refused "options differ: --text-layer was false, this run's is true" \
  run "$tmp/in.jsonl" --output "$tmp/out.jsonl" --resume --text-layer
refused "options differ: --offsets was bytes, this run's is utf16" \
  run "$tmp/in.jsonl" --output "$tmp/out.jsonl" --resume --offsets utf16
# Other models: a copy of the models with one more comment line has another
# models version.
cp -r "$ROOT/models" "$tmp/models"
rm -rf "$tmp/models/compiled"
printf '\n# a reviewer edit\n' >> "$tmp/models/map.toml"
refused "the models differ (models version [0-9a-f]*, this run's [0-9a-f]*)" \
  run "$tmp/in.jsonl" --output "$tmp/out.jsonl" --resume --models "$tmp/models"
# Another engine version (as an older suggest would have written it).
cp "$tmp/out.jsonl.manifest.json" "$tmp/manifest.keep"
sed -i 's/"engine_version": *"[^"]*"/"engine_version": "0.0.1"/' "$tmp/out.jsonl.manifest.json"
refused "the engine differs (suggest 0.0.1, this run's" \
  run "$tmp/in.jsonl" --output "$tmp/out.jsonl" --resume
cp "$tmp/manifest.keep" "$tmp/out.jsonl.manifest.json"

# The same input moved elsewhere, same options: resumed, byte-identical.
cp "$tmp/in.jsonl" "$tmp/moved.jsonl"
run "$tmp/moved.jsonl" --output "$tmp/out.jsonl" --resume 2> "$tmp/err" || fail "resume: $(cat "$tmp/err")"
cmp "$tmp/out.jsonl" "$tmp/ref.jsonl" || fail "resumed output differs from an uninterrupted run"

# No manifest (an older suggest): resumed with a warning, ids checked.
head -n 20 "$tmp/ref.jsonl" > "$tmp/out.jsonl"
rm "$tmp/out.jsonl.manifest.json"
run "$tmp/in.jsonl" --output "$tmp/out.jsonl" --resume 2> "$tmp/err" || fail "resume without manifest"
grep -q "^suggest: warning: --resume: no .*manifest.json beside the output" "$tmp/err" ||
  fail "no warning without a manifest: $(cat "$tmp/err")"
cmp "$tmp/out.jsonl" "$tmp/ref.jsonl" || fail "resume without manifest: output differs"
[ -f "$tmp/out.jsonl.manifest.json" ] || fail "manifest not written on resume"

# A CSV output with the older column layout (no evidence_text): refused.
run "$tmp/in.jsonl" --output "$tmp/out.csv" 2> /dev/null || fail "csv run"
cp "$tmp/out.csv" "$tmp/ref.csv"
printf 'id,status,code,title,score,rank,rationale,evidence,error_kind,error_message\n1,ok,,,,,,,,\n' \
  > "$tmp/out.csv"
run "$tmp/in.jsonl" --output "$tmp/out.csv" --resume 2> "$tmp/err"; rc=$?
[ $rc -eq 2 ] || fail "old CSV layout: exit $rc"
grep -q "has other CSV columns" "$tmp/err" || fail "old CSV layout message: $(cat "$tmp/err")"
# ... and the same layout resumes.
head -n 5 "$tmp/ref.csv" > "$tmp/out.csv"
run "$tmp/in.jsonl" --output "$tmp/out.csv" --resume 2> /dev/null || fail "csv resume"
cmp "$tmp/out.csv" "$tmp/ref.csv" || fail "csv resume differs"

# Output to /dev/null: no manifest attempted beside it.
run "$tmp/in.jsonl" --output /dev/null 2> "$tmp/err" || fail "/dev/null run"
grep -q manifest "$tmp/err" && fail "manifest warning for /dev/null: $(cat "$tmp/err")"
echo "1 passed, 0 failed"
