#!/usr/bin/env bash
# suggest-dev assertion: one {"id", "assertion", "cue"} line per input record, in
# order; cue spans are bytes of the input sentence; bad records still answer.
set -uo pipefail
SUGGEST="$1"; ROOT="$2"
SUGGEST_DEV="${SUGGEST_DEV:-$(dirname "$SUGGEST")/suggest-dev}"  # developer commands (tests/CMakeLists.txt)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
{
  echo '{"id": 1, "sentence": "No evidence of FUSION at C5\u2013C6.", "concept": "fusion"}'
  echo '{"id": "2", "sentence": "There is no fracture but SOLID  FUSION.", "concept": "solid fusion"}'
  echo '{"id": 3, "sentence": "Possible pseudarthrosis at L4-5.", "concept": "PSEUDARTHROSIS"}'
  echo '{"id": 4, "sentence": "Status\u00a0post ACDF in 2012.", "concept": "acdf"}'
  echo '{"id": 5, "sentence": "Mother had ankylosing spondylitis.", "concept": "ankylosing spondylitis"}'
  echo '{"id": 6, "sentence": "Plan for L4-5 TLIF.", "concept": "tlif"}'
  echo 'not json'
  echo '{"id": 8, "sentence": "Solid fusion.", "concept": "nonunion"}'
} > "$tmp/in.jsonl"
"$SUGGEST_DEV" assertion --input "$tmp/in.jsonl" --output "$tmp/out.jsonl" 2> "$tmp/err"; rc=$?
[ $rc -eq 1 ] || fail "exit $rc (expected 1: two records failed)"
/usr/bin/python3 - "$tmp/in.jsonl" "$tmp/out.jsonl" <<'PY' || exit 1
import json, sys
ins = []
for l in open(sys.argv[1]):
    try: ins.append(json.loads(l))
    except ValueError: ins.append(None)
outs = [json.loads(l) for l in open(sys.argv[2])]
assert len(outs) == len(ins), (len(outs), len(ins))
want = ["negated", "present", "possible", "historical", "family", "hypothetical", None, "present"]
assert [o["assertion"] for o in outs] == want, [o["assertion"] for o in outs]
cue_text = {1: "No evidence of", 3: "Possible", 4: "Status\u00a0post", 5: "Mother", 6: "Plan for"}
for i, o in enumerate(outs):
    assert set(o) >= {"id", "assertion", "cue"}, o
    if ins[i] is None:
        assert o["error"]["kind"] == "bad_record", o
        continue
    assert o["id"] == ins[i]["id"], o
    if i + 1 in cue_text:
        c = o["cue"]
        raw = ins[i]["sentence"].encode("utf-8")
        assert raw[c["begin"]:c["end"]].decode("utf-8") == c["text"] == cue_text[i + 1], o
    else:
        assert o["cue"] is None, o
assert outs[7]["error"]["kind"] == "concept_not_found", outs[7]
PY
echo "1 passed, 0 failed"
