#!/usr/bin/env bash
# suggest batch with CSV input (RFC 4180: quoted newlines, doubled quotes,
# CRLF; a bad row becomes an error record and the run goes on) and CSV output
# (one row per suggestion; fixed columns).
set -uo pipefail
SUGGEST="$1"; ROOT="$2"; SHARED="$3"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

printf 'id,text,extra\n' > "$tmp/in.csv"
printf '1,"HISTORY:  s/p C5-C6 fusion.\nDoing well, ""great"".",x\n' >> "$tmp/in.csv"
printf '2,bad "quote" here SECRET1,y\n' >> "$tmp/in.csv"
printf '"3","IMPRESSION:  Solid fusion L4-5.\r\nNo hardware failure.",z\r\n' >> "$tmp/in.csv"
printf '4,SECRET2 only two fields\n' >> "$tmp/in.csv"
printf '\n' >> "$tmp/in.csv"
printf '5,"",e\n' >> "$tmp/in.csv"
printf '6,"PLAN:  Follow up.",f\n' >> "$tmp/in.csv"
printf '7,"unterminated SECRET3\n' >> "$tmp/in.csv"

"$SUGGEST" batch --input "$tmp/in.csv" --output "$tmp/out.jsonl" --summary "$tmp/sum.json" \
  2> "$tmp/err"; rc=$?
[ $rc -eq 1 ] || fail "exit $rc (expected 1)"
grep -q SECRET "$tmp/err" && fail "record text leaked into the log"
/usr/bin/python3 - "$tmp/out.jsonl" "$tmp/in.csv" "$tmp/sum.json" <<'PY' || exit 1
import csv, json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
got = [(r["id"], r["status"], r.get("error", {}).get("kind")) for r in rows]
want = [("1", "ok", None), ("2", "error", "bad_record"), ("3", "ok", None),
        ("4", "error", "bad_record"), ("5", "error", "empty_note"), ("6", "ok", None),
        ("7", "error", "bad_record")]
assert got == want, got
assert "line 4" in rows[1]["error"]["message"], rows[1]
assert "line 7" in rows[3]["error"]["message"], rows[3]
# Spans are exact against the CSV field text (quotes undone, newlines kept).
texts = {r[0]: r[1] for r in csv.reader(open(sys.argv[2], newline="", encoding="utf-8")) if len(r) > 1}
assert texts["1"] == 'HISTORY:  s/p C5-C6 fusion.\nDoing well, "great".'
n = 0
for r in rows:
    for s in r.get("suggestions", []):
        for e in s["evidence"]:
            t = texts[r["id"]].encode()
            assert t[e["begin"]:e["end"]].decode() == e["text"], (r["id"], e); n += 1
assert n >= 2, n
assert [s["code"] for s in rows[0]["suggestions"]] == ["Z98.1"], rows[0]
summ = json.load(open(sys.argv[3]))
assert summ["notes"] == 7 and summ["errors"] == 4, summ
assert summ["codes"].get("Z98.1") == 2, summ
assert summ["error_kinds"] == {"bad_record": 3, "empty_note": 1}, summ
for k in ("elapsed_seconds", "notes_per_second"): assert k in summ, summ
PY
grep -q "batch summary: 7 notes, 4 errors" "$tmp/err" || fail "no summary on stderr"

# CSV output: the columns, one row per suggestion, an empty code for a note
# without suggestions, status=error with kind/message for an error record.
"$SUGGEST" batch --input "$tmp/in.csv" --output "$tmp/out.csv" 2> /dev/null
/usr/bin/python3 - "$tmp/out.csv" "$tmp/out.jsonl" "$tmp/in.csv" <<'PY' || exit 1
import csv, json, sys
lines = open(sys.argv[1], newline="", encoding="utf-8").read()
# evidence_text is appended last (issue 17 item 4): the older columns keep their places.
assert lines.startswith("id,status,code,title,score,rank,rationale,evidence,error_kind,error_message,"
                        "evidence_text\n")
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
texts = {r[0]: r[1] for r in csv.reader(open(sys.argv[3], newline="", encoding="utf-8")) if len(r) > 1}
js = [json.loads(l) for l in open(sys.argv[2])]
want = []
for r in js:
    if r["status"] == "error":
        want.append((r["id"], "error", "", r["error"]["kind"], r["error"]["message"]))
    elif not r["suggestions"]:
        want.append((r["id"], "ok", "", "", ""))
    else:
        for s in r["suggestions"]:
            want.append((r["id"], "ok", s["code"], "", ""))
got = [(r["id"], r["status"], r["code"], r["error_kind"], r["error_message"]) for r in rows]
assert got == want, (got, want)
for r in rows:
    if not r["code"]: 
        assert r["rank"] == "" and r["evidence"] == "" and r["evidence_text"] == "", r
        continue
    j = next(x for x in js if x["id"] == r["id"])
    s = next(x for x in j["suggestions"] if x["code"] == r["code"])
    assert r["title"] == s["title"] and int(r["rank"]) == s["rank"], r
    assert abs(float(r["score"]) - s["score"]) < 1e-9 and r["rationale"] == s["rationale"], r
    pairs = [tuple(map(int, p.split("-"))) for p in r["evidence"].split(";")]
    assert pairs == [(e["begin"], e["end"]) for e in s["evidence"]], (pairs, s)
    for b, e in pairs:
        assert texts[r["id"]].encode()[b:e], r
    # The evidence text: each span's text (line breaks as spaces), " | " between.
    want_text = " | ".join(e["text"].replace("\r", " ").replace("\n", " ").replace("\t", " ")
                           for e in s["evidence"])
    assert r["evidence_text"] == want_text, (r["evidence_text"], want_text)
PY

# Other column names, --format csv on a non-.csv name, --output-format csv to stdout.
printf 'note_id,body\nx1,"HISTORY:  s/p L4-5 fusion."\n' > "$tmp/notes.txt"
"$SUGGEST" batch --input "$tmp/notes.txt" --format csv --id-column note_id --text-column body \
  --output-format csv --output - > "$tmp/o2" 2>/dev/null || fail "custom columns"
sed -n 2p "$tmp/o2" | grep -q '^x1,ok,Z98.1,' || fail "custom columns output: $(cat "$tmp/o2")"
"$SUGGEST" batch --input "$tmp/notes.txt" --format csv --output - > /dev/null 2> "$tmp/err"; rc=$?
[ $rc -eq 2 ] || fail "missing CSV column: exit $rc (expected 2)"
# A user error: one `suggest: error:` line listing the columns there are and the flag.
grep -q '^suggest: error: CSV header has no column named "id"; its columns are: note_id, body\. Name the id column with --id-column NAME$' "$tmp/err" ||
  fail "missing CSV column message: $(cat "$tmp/err")"
echo "1 passed, 0 failed"
