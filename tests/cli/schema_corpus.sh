#!/usr/bin/env bash
# Every result for the whole MTSamples corpus validates against
# docs/result.schema.json; beyond the schema: every span's text is the
# original substring, suggested codes are billable in the code set in force,
# ranks are 1..n, evidence points at existing facts, and M43.29 never appears.
set -euo pipefail
SUGGEST="$1"; ROOT="$2"; SHARED="$3"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# Twice: the default fast path (no text layer) and with sections/sentences.
"$SUGGEST" batch --input "$SHARED/corpus/mtsamples.jsonl" --output "$tmp/fast.jsonl"
"$SUGGEST" batch --text-layer --input "$SHARED/corpus/mtsamples.jsonl" --output "$tmp/out.jsonl"
/usr/bin/python3 "$ROOT/tests/cli/check_spans.py" "$tmp/out.jsonl" --jsonl "$SHARED/corpus/mtsamples.jsonl"
/usr/bin/python3 - "$ROOT" "$tmp/out.jsonl" "$tmp/fast.jsonl" <<'PY'
import json, sys
# The fast path must not change what is found: same suggestions, suppressed,
# gaps and facts (apart from the section/sentence indices it leaves out).
def strip(r):
    r = dict(r)
    r.pop("sections", None); r.pop("sentences", None)
    r["facts"] = [{k: v for k, v in f.items() if k not in ("section", "sentence")}
                  for f in r.get("facts", [])]
    return r
full = [strip(json.loads(l)) for l in open(sys.argv[2])]
fast = [strip(json.loads(l)) for l in open(sys.argv[3])]
assert len(full) == len(fast)
for a, b in zip(full, fast):
    assert a == b, (a["id"], "fast path differs")
from jsonschema import Draft202012Validator
root, out = sys.argv[1], sys.argv[2]
schema = json.load(open(f"{root}/docs/result.schema.json"))
Draft202012Validator.check_schema(schema)
validator = Draft202012Validator(schema)
default = open(f"{root}/models/icd10cm/default").read().strip()
billable = set()
for line in open(f"{root}/models/icd10cm/{default}/codes.tsv"):
    if line.startswith("#") or line.startswith("code\t"):
        continue
    f = line.rstrip("\n").split("\t")
    if f[1] == "1":
        billable.add(f[0])
n = codes = 0
for line in list(open(out)) + list(open(sys.argv[3])):
    r = json.loads(line)
    errors = sorted(validator.iter_errors(r), key=lambda e: e.path)
    assert not errors, (r["id"], errors[0].message, list(errors[0].path))
    n += 1
    if r["status"] != "ok":
        continue
    assert [s["rank"] for s in r["suggestions"]] == list(range(1, len(r["suggestions"]) + 1))
    for s in r["suggestions"]:
        assert s["code"] in billable, (r["id"], s["code"])
        assert s["code"] != "M43.29"
        for e in s["evidence"]:
            assert e["fact"] < len(r["facts"]), r["id"]
        codes += 1
    for f in r["facts"]:
        assert r["facts"][f["id"]] is f
print(f"{n} results valid, {codes} suggestions billable")
assert n == 2 * 4966, n
print("1 passed, 0 failed")
PY
