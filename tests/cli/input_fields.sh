#!/usr/bin/env bash
# Input fields and provenance (issue 15 items 1-3): `analyze --date-of-service
# / --patient-id / --encounter-id`; batch records carrying date_of_service,
# patient_id, encounter_id (JSONL keys, CSV columns); the code set chosen by
# the date of service (FY2026 from 2025-10-01 to 2026-09-30, FY2027 from
# 2026-10-01), a mixed batch, bad values as error records naming the field;
# provenance (schema_version, engine, models_version) in every result, and a
# models_version that depends only on the data files (recomputed here in
# Python from the files, and from a copy of models/ with CRLF line ends).
set -uo pipefail
SUGGEST="$1"; ROOT="$2"; SHARED="$3"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
PY=/usr/bin/python3

note="$tmp/note.txt"
printf 'HISTORY:  s/p L4-L5 posterior spinal fusion in 2015.\n' > "$note"

# ---- analyze -----------------------------------------------------------------
"$SUGGEST" analyze --date-of-service 2026-09-30 --patient-id P-1 --encounter-id E-9 "$note" \
  > "$tmp/a26.json" || fail "analyze 2026-09-30"
"$SUGGEST" analyze --date-of-service 2026-10-01 "$note" > "$tmp/a27.json" || fail "analyze 2026-10-01"
"$SUGGEST" analyze --date-of-service 2025-10-01 --code-set-year 2027 "$note" > "$tmp/a26b.json" ||
  fail "analyze 2025-10-01"
"$SUGGEST" analyze "$note" > "$tmp/none.json" || fail "analyze"
"$SUGGEST" analyze --code-set-year 2026 "$note" > "$tmp/none26.json" || fail "analyze --code-set-year 2026"
# --code-set: the deprecated spelling of --code-set-year, with a warning.
"$SUGGEST" analyze --code-set 2026 "$note" > "$tmp/old26.json" 2> "$tmp/old26.err" ||
  fail "analyze --code-set 2026"
cmp -s "$tmp/none26.json" "$tmp/old26.json" || fail "--code-set and --code-set-year differ"
grep -qF -- "--code-set is deprecated; use --code-set-year" "$tmp/old26.err" ||
  fail "no deprecation warning: $(cat "$tmp/old26.err")"
$PY - "$tmp" "$ROOT" <<'PY' || fail "analyze output"
import hashlib, json, os, sys
d, root = sys.argv[1], sys.argv[2]
r = {k: json.load(open(f"{d}/{k}.json")) for k in ("a26", "a27", "a26b", "none", "none26")}
assert r["a26"]["code_set"] == "ICD-10-CM FY2026", r["a26"]["code_set"]
assert r["a26b"]["code_set"] == "ICD-10-CM FY2026"  # the date wins over --code-set-year
assert r["a27"]["code_set"] == "ICD-10-CM FY2027"
assert r["none"]["code_set"] == "ICD-10-CM FY2027"
assert r["none26"]["code_set"] == "ICD-10-CM FY2026"
a = r["a26"]
assert (a["date_of_service"], a["patient_id"], a["encounter_id"]) == ("2026-09-30", "P-1", "E-9"), a
for k in ("date_of_service", "patient_id", "encounter_id"):
    assert k not in r["none"], k
    assert k not in r["a27"] or k == "date_of_service", k
for k, v in r.items():
    keys = list(v)
    assert keys[:5] == ["id", "status", "schema_version", "engine", "models_version"], (k, keys)
    assert v["schema_version"] == 1
    assert v["engine"] == {"name": "libsuggest", "version": v["engine"]["version"]}
# models_version: the same digest computed here from the files the model loads.
files = ["sections.toml", "context.toml", "map.toml", "rules/levels.toml", "manifest.toml"]
files += [f"rules/{n}.toml" for n in ("fusion", "ankylosis", "ankylosing_spondylitis", "dish",
                                      "congenital", "pseudarthrosis", "imaging", "anchors",
                                      "encounter", "timing")]
for y in sorted(os.listdir(f"{root}/models/icd10cm")):
    if y.startswith("fy") and len(y) == 6 and y[2:].isdigit():
        files += [f"icd10cm/{y}/{f}" for f in ("MANIFEST", "codes.tsv", "notes.tsv")]
assert sorted(os.listdir(f"{root}/models/rules")) == sorted(f[6:] for f in files if f.startswith("rules/"))
h = hashlib.sha256()
for f in sorted(files):
    data = open(f"{root}/models/{f}", "rb").read().replace(b"\r\n", b"\n")
    h.update(f.encode() + b"\0" + str(len(data)).encode() + b"\0" + data)
want = h.hexdigest()[:16]
for k, v in r.items():
    assert v["models_version"] == want, (k, v["models_version"], want)
open(f"{d}/want_version", "w").write(want)
print("analyze ok", want)
PY

# The same models elsewhere, with CRLF line ends: the same models version.
cp -r "$ROOT/models" "$tmp/models_crlf"
find "$tmp/models_crlf" -type f \( -name '*.toml' -o -name '*.tsv' -o -name MANIFEST \) \
  -exec sed -i 's/$/\r/' {} +
"$SUGGEST" analyze --models "$tmp/models_crlf" "$note" > "$tmp/crlf.json" || fail "analyze crlf models"
$PY -c "
import json,sys; v=json.load(open('$tmp/crlf.json'))['models_version']
assert v == open('$tmp/want_version').read(), v" || fail "models_version differs with CRLF models"
# A changed rule pack changes it.
cp -r "$ROOT/models" "$tmp/models_changed"
printf '\n# a reviewer comment\n' >> "$tmp/models_changed/map.toml"
"$SUGGEST" analyze --models "$tmp/models_changed" "$note" > "$tmp/changed.json" || fail "analyze changed"
$PY -c "
import json; v=json.load(open('$tmp/changed.json'))['models_version']
assert v != open('$tmp/want_version').read(), v" || fail "models_version unchanged after an edit"

# Bad values: an error record naming the field, exit 1.
check_error() {  # expected kind, expected message part, analyze args...
  local kind="$1" part="$2"; shift 2
  "$SUGGEST" analyze "$@" "$note" > "$tmp/err.json" 2>/dev/null; rc=$?
  [ $rc -eq 1 ] || fail "analyze $*: exit $rc (expected 1)"
  $PY - "$tmp/err.json" "$kind" "$part" <<'PY' || fail "analyze $*: $(cat "$tmp/err.json")"
import json, sys
e = json.load(open(sys.argv[1]))
assert e["status"] == "error" and e["error"]["kind"] == sys.argv[2], e
assert sys.argv[3] in e["error"]["message"], e
PY
}
check_error invalid_date_of_service "date_of_service" --date-of-service 2026-13-01
check_error invalid_date_of_service "date_of_service" --date-of-service 2026-02-29
check_error invalid_date_of_service "date_of_service" --date-of-service 09/15/2026
check_error no_code_set_for_date "FY2026 (2025-10-01 to 2026-09-30), FY2027 (2026-10-01 to 2027-09-30)" \
  --date-of-service 2025-09-30
check_error no_code_set_for_date "FY2028" --date-of-service 2027-10-01
check_error invalid_patient_id "patient_id" --patient-id " P1"
check_error invalid_encounter_id "encounter_id" --encounter-id "$(printf 'E\t1')"
"$SUGGEST" analyze --date-of-service 2028-02-29 "$note" > /dev/null 2>&1; rc=$?
[ $rc -eq 1 ] || fail "a leap day out of range: exit $rc"

# ---- batch: mixed years, JSONL and CSV -----------------------------------------
T='HISTORY:  s/p L4-L5 posterior spinal fusion in 2015.'
cat > "$tmp/in.jsonl" <<EOF
{"id": "a", "text": "$T", "date_of_service": "2026-09-15", "patient_id": "P1", "encounter_id": "E1"}
{"id": "b", "text": "$T", "date_of_service": "2026-10-01"}
{"id": "c", "text": "$T"}
{"id": "d", "text": "$T", "date_of_service": "2024-01-01"}
{"id": "e", "text": "$T", "date_of_service": "tomorrow"}
{"id": "f", "text": "$T", "date_of_service": 20261001}
{"id": "g", "text": "$T", "patient_id": 17}
{"id": "h", "text": "$T", "encounter_id": ""}
{"id": "i", "text": "$T", "setting": "inpatient", "date_of_service": "2025-10-01", "patient_id": "Ü-7"}
EOF
{
  echo 'id,text,date_of_service,patient_id,encounter_id'
  echo "a,\"$T\",2026-09-15,P1,E1"
  echo "b,\"$T\",2026-10-01,,"
  echo "c,\"$T\",,,"
  echo "d,\"$T\",2024-01-01,,"
  echo "e,\"$T\",tomorrow,,"
} > "$tmp/in.csv"
for threads in 1 2; do
  "$SUGGEST" batch --threads $threads --input "$tmp/in.jsonl" --output "$tmp/out$threads.jsonl" \
    --no-progress 2>/dev/null; rc=$?
  [ $rc -eq 1 ] || fail "batch jsonl: exit $rc (expected 1: error records)"
done
cmp -s "$tmp/out1.jsonl" "$tmp/out2.jsonl" || fail "batch output differs with --threads 2"
"$SUGGEST" batch --input "$tmp/in.csv" --output "$tmp/out.csv.jsonl" --output-format jsonl \
  --no-progress 2>/dev/null; rc=$?
[ $rc -eq 1 ] || fail "batch csv: exit $rc (expected 1)"
$PY - "$tmp/out1.jsonl" "$tmp/out.csv.jsonl" <<'PY' || fail "batch output"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
by = {r["id"]: r for r in rows}
assert [r["id"] for r in rows] == list("abcdefghi")
assert by["a"]["code_set"] == "ICD-10-CM FY2026" and by["a"]["patient_id"] == "P1"
assert by["a"]["encounter_id"] == "E1" and by["a"]["date_of_service"] == "2026-09-15"
assert by["b"]["code_set"] == "ICD-10-CM FY2027" and "patient_id" not in by["b"]
assert by["c"]["code_set"] == "ICD-10-CM FY2027" and "date_of_service" not in by["c"]
kinds = {k: by[k]["error"]["kind"] for k in "defgh"}
assert kinds == {"d": "no_code_set_for_date", "e": "invalid_date_of_service",
                 "f": "invalid_date_of_service", "g": "invalid_patient_id",
                 "h": "invalid_encounter_id"}, kinds
assert "FY2026" in by["d"]["error"]["message"] and "FY2027" in by["d"]["error"]["message"]
assert by["f"]["error"]["message"] == "date_of_service must be a string, got a number", by["f"]
assert by["h"]["error"]["message"] == "encounter_id must be a string, got an empty string"
i = by["i"]
assert (i["setting"], i["code_set"], i["patient_id"]) == ("inpatient", "ICD-10-CM FY2026", "Ü-7"), i
for r in rows:
    if r["status"] == "ok":
        assert r["schema_version"] == 1 and len(r["models_version"]) == 16, r
csv_rows = [json.loads(l) for l in open(sys.argv[2])]
assert [r["id"] for r in csv_rows] == list("abcde")
for a, b in zip(rows[:5], csv_rows):
    assert a == b, (a, b)
print("batch ok")
PY
echo "input_fields ok"
