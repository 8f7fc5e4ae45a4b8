#!/usr/bin/env bash
# Issue 19 (hardening): each reproducer of the red-team pass, as a regression
# test of the CLI. docs/security.md lists the guards and their tests.
set -uo pipefail
SUGGEST="$1"; ROOT="$2"; SHARED="$3"
SUGGEST_DEV="${SUGGEST_DEV:-$(dirname "$SUGGEST")/suggest-dev}"  # developer commands (tests/CMakeLists.txt)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
PY=/usr/bin/python3
cd "$tmp"

note='PAST SURGICAL HISTORY: L4-L5 fusion in 2015.'
printf '%s\n' "$note" > note.txt
printf '{"id":"a","text":"%s"}\n{"id":"b","text":"%s"}\n' "$note" "$note" > in.jsonl
printf 'id,text\na,"%s"\nb,"%s"\n' "$note" "$note" > in.csv
cp in.jsonl in.jsonl.orig; cp in.csv in.csv.orig; cp note.txt note.txt.orig

# ---- item 6: an output that is an input is refused (exit 2), input intact --
"$SUGGEST" batch --input in.jsonl --output in.jsonl 2> err; rc=$?
[ $rc -eq 2 ] || fail "batch --output = --input: exit $rc (expected 2)"
grep -q "refusing to run: --output in.jsonl is the input file in.jsonl" err || fail "message: $(cat err)"
cmp -s in.jsonl in.jsonl.orig || fail "input was changed"
ln -s in.jsonl link.jsonl
"$SUGGEST" batch --input in.jsonl --output link.jsonl 2> err; rc=$?
[ $rc -eq 2 ] || fail "batch --output symlink to --input: exit $rc"
cmp -s in.jsonl in.jsonl.orig || fail "input changed through a symlink"
"$SUGGEST" batch --input link.jsonl --output "$tmp/./in.jsonl" 2> err; rc=$?
[ $rc -eq 2 ] || fail "batch --input symlink, --output other spelling: exit $rc"
ln in.jsonl hard.jsonl
"$SUGGEST" batch --input in.jsonl --output hard.jsonl 2> err; rc=$?
[ $rc -eq 2 ] || fail "batch --output hard link of --input: exit $rc"
rm hard.jsonl
"$SUGGEST" batch --input in.csv --output in.csv 2> err; rc=$?
[ $rc -eq 2 ] || fail "CSV batch --output = --input: exit $rc"
cmp -s in.csv in.csv.orig || fail "CSV input changed"
"$SUGGEST" batch --input in.jsonl --output out.jsonl --summary in.jsonl 2> err; rc=$?
[ $rc -eq 2 ] || fail "--summary = --input: exit $rc"
cmp -s in.jsonl in.jsonl.orig || fail "input changed by --summary"
"$SUGGEST" report --html note.txt note.txt 2> err; rc=$?
[ $rc -eq 2 ] || fail "report --html NOTE NOTE: exit $rc"
cmp -s note.txt note.txt.orig || fail "note overwritten by its report"
ln -s note.txt page.html
"$SUGGEST" report --html page.html note.txt 2> err; rc=$?
[ $rc -eq 2 ] || fail "report --html symlink-to-note: exit $rc"
cmp -s note.txt note.txt.orig || fail "note overwritten through a symlink"
rm page.html
# Not over-eager: distinct files still work.
"$SUGGEST" batch --input in.jsonl --output out.jsonl 2> err || fail "plain batch: $(cat err)"
[ "$(wc -l < out.jsonl)" -eq 2 ] || fail "plain batch output"
echo "ok: output = input refused"

# ---- item 4: planted symlinks never redirect a write -----------------------
echo "precious" > victim.txt
# The old reproducer: report's temporary name was OUT.tmp.PID. Plant links at
# every name a PID could give and at the target itself.
for p in $(seq 1 4); do :; done
bash -c 'ln -s victim.txt out.html.tmp.$$; exec "$0" report --html out.html note.txt' \
  "$SUGGEST" 2> err || fail "report with a planted tmp link: $(cat err)"
[ "$(cat victim.txt)" = "precious" ] || fail "victim overwritten through the temporary name"
grep -q "L4-L5" out.html || fail "report page not written"
ls -a | grep -q '\.out\.html\.tmp\.' && fail "temporary file left behind"
# A symlink at the page path itself is replaced, not followed.
ln -s victim.txt out2.html
"$SUGGEST" report --html out2.html note.txt 2> err || fail "report over a link: $(cat err)"
[ "$(cat victim.txt)" = "precious" ] || fail "victim overwritten through the page path"
[ -L out2.html ] && fail "page path still a symlink"
# Batch pages in a directory: a link planted at a page name.
mkdir pages && ln -s ../victim.txt pages/a.html
"$SUGGEST" report --html pages --input in.jsonl 2> err || fail "report --input: $(cat err)"
[ "$(cat victim.txt)" = "precious" ] || fail "victim overwritten through a batch page"
# Batch output and summary: a link at the output path is refused (exit 4).
ln -s victim.txt bout.jsonl
"$SUGGEST" batch --input in.jsonl --output bout.jsonl 2> err; rc=$?
[ $rc -eq 4 ] || fail "batch --output symlink: exit $rc"
grep -q "symbolic link" err || fail "batch symlink message: $(cat err)"
[ "$(cat victim.txt)" = "precious" ] || fail "victim overwritten by batch"
ln -s victim.txt sum.json
"$SUGGEST" batch --input in.jsonl --output bout2.jsonl --summary sum.json 2> err ||
  fail "batch --summary over a link: $(cat err)"
[ "$(cat victim.txt)" = "precious" ] || fail "victim overwritten by --summary"
grep -q '"notes": 2' sum.json || fail "summary not written"
# Hard-linked output refused (it would change the other name too).
ln victim.txt hl.jsonl
"$SUGGEST" batch --input in.jsonl --output hl.jsonl 2> err; rc=$?
[ $rc -eq 4 ] || fail "batch --output hard link: exit $rc"
[ "$(cat victim.txt)" = "precious" ] || fail "victim overwritten through a hard link"
# /dev/stdout (a symlink to a non-regular file) still works.
"$SUGGEST" batch --input in.jsonl --output /dev/stdout > viastdout.jsonl 2> err ||
  fail "--output /dev/stdout: $(cat err)"
[ "$(wc -l < viastdout.jsonl)" -eq 2 ] || fail "/dev/stdout output"
echo "ok: planted links"

# ---- item 2: limits while reading; invalid limits are usage errors --------
start=$(date +%s)
timeout 60 "$SUGGEST" analyze --max-note-bytes 1000 /dev/zero > z.json 2> err; rc=$?
[ $rc -eq 1 ] || fail "analyze /dev/zero: exit $rc (expected 1: note_too_large)"
grep -q '"kind":"note_too_large"' z.json || fail "/dev/zero: $(cat z.json)"
[ $(( $(date +%s) - start )) -lt 30 ] || fail "/dev/zero took too long"
head -c 5000 /dev/zero | tr '\0' 'a' | "$SUGGEST" analyze --max-note-bytes 1000 - > s.json; rc=$?
[ $rc -eq 1 ] || fail "stdin over the limit: exit $rc"
grep -q '"kind":"note_too_large"' s.json || fail "stdin: $(cat s.json)"
mkfifo fifo.txt
( head -c 3000000 /dev/zero | tr '\0' 'a' > fifo.txt ) 2>/dev/null &
timeout 60 "$SUGGEST" analyze --max-note-bytes 1000 fifo.txt > f.json; rc=$?
wait
[ $rc -eq 1 ] || fail "FIFO over the limit: exit $rc"
grep -q '"kind":"note_too_large"' f.json || fail "FIFO: $(cat f.json)"
printf 'abc' | "$SUGGEST" analyze --max-note-bytes 3 - > ok.json || fail "stdin at the limit"
for bad in -1 0 4294967295 18446744073709551615 abc; do
  "$SUGGEST" analyze --max-note-bytes "$bad" note.txt > /dev/null 2> err; rc=$?
  [ $rc -eq 2 ] || fail "--max-note-bytes $bad: exit $rc (expected 2)"
  "$SUGGEST" batch --max-note-bytes "$bad" --input in.jsonl --output x.jsonl 2> err; rc=$?
  [ $rc -eq 2 ] || fail "batch --max-note-bytes $bad: exit $rc (expected 2)"
done
"$SUGGEST" analyze --max-note-bytes 4294967294 note.txt > /dev/null || fail "ceiling refused"
# A JSONL line far past the limit is skipped, not held: later records survive.
{ printf '{"id":"big","text":"'; head -c 2000000 /dev/zero | tr '\0' 'a'; printf '"}\n'
  printf '{"id":"after","text":"%s"}\n' "$note"; } > big.jsonl
"$SUGGEST" batch --max-note-bytes 1000 --input big.jsonl --output big.out 2> err; rc=$?
[ $rc -eq 1 ] || fail "big JSONL line: exit $rc"
$PY - big.out <<'PY' || fail "big JSONL records"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [r["status"] for r in rows] == ["error", "ok"], rows
assert rows[0]["error"]["kind"] == "note_too_large", rows[0]
assert rows[1]["id"] == "after"
PY
echo "ok: limits while reading"

# ---- item 7: ids kept exactly as written ----------------------------------
{ printf '{"id":12345678901234567890,"text":"%s"}\n' "$note"
  printf '{"id":123456789012345678901234567890,"text":"%s \\u2013 x"}\n' "$note"
  printf '{"id":-92233720368547758080,"text":"%s"}\n' "$note"
  printf '{"id":9223372036854775807,"text":"%s"}\n' "$note"
  printf '{"id":9223372036854775808,"text":"%s \\u2013"}\n' "$note"
  printf '{"id":-0,"text":"%s"}\n' "$note"
  printf '{"id":1.5,"text":"%s"}\n' "$note"; } > ids.jsonl
"$SUGGEST" batch --input ids.jsonl --output ids.out 2> err; rc=$?
[ $rc -eq 1 ] || fail "ids: exit $rc (the 1.5 id is a bad record)"
$PY - ids.out <<'PY' || fail "ids"
import json, sys
got = [json.loads(l)["id"] for l in open(sys.argv[1])]
want = ["12345678901234567890", "123456789012345678901234567890", "-92233720368547758080",
        "9223372036854775807", "9223372036854775808", "0", ""]
assert got == want, got
PY
if [ -n "${SUGGEST_PYTHONPATH:-}" ] || [ -d "$ROOT/libsuggest/python/suggest" ]; then
  PYTHONPATH="$ROOT/libsuggest/python" PYTHONDONTWRITEBYTECODE=1 $PY - ids.jsonl <<'PY' || fail "Python ids"
import sys
from suggest import batch
ids = [r.id for r in batch.read_records(sys.argv[1])]
want = ["12345678901234567890", "123456789012345678901234567890", "-92233720368547758080",
        "9223372036854775807", "9223372036854775808", "0", ""]
assert ids == want, ids
PY
fi
echo "ok: ids"

# ---- item 8: an unterminated CSV quote loses no later row ------------------
{ printf 'id,text\n'
  printf 'r1,"%s"\n' "$note"
  printf 'r2,"%s\n' "$note"          # the quote never closes: odd quotes to the end
  printf 'r3,%s\n' "$note"            # (RFC 4180 would read r3..r7 into r2's text)
  printf 'r4,%s\n' "$note"
  printf 'r5,%s\n' "$note"
  printf 'r6,%s\n' "$note"
  printf 'r7,%s\n' "$note"; } > q.csv
"$SUGGEST" batch --input q.csv --output q.out 2> err; rc=$?
[ $rc -eq 1 ] || fail "unterminated quote: exit $rc"
$PY - q.out <<'PY' || fail "unterminated quote rows"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
got = [(r["id"], r["status"]) for r in rows]
assert len(rows) == 7, got
assert got[0] == ("r1", "ok") and got[1][1] == "error", got
assert rows[1]["error"]["kind"] == "bad_record", rows[1]
assert "line 3" in rows[1]["error"]["message"] and "unterminated" in rows[1]["error"]["message"]
assert [g for g in got[2:]] == [("r3", "ok"), ("r4", "ok"), ("r5", "ok"), ("r6", "ok"),
                                ("r7", "ok")], got
PY
echo "ok: CSV unterminated quote"
# ---- item 10: CSV output cells are never formulas --------------------------
{ printf 'id,text
'
  printf '"=HYPERLINK(""http://x"",""y"")","%s"
' "$note"
  printf '+1,"%s"
' "$note"; printf -- '-2,"%s"
' "$note"; printf '@SUM(A1),"%s"
' "$note"
  printf 'plain,"%s"
' "$note"; } > f.csv
"$SUGGEST" batch --input f.csv --output f.out.csv 2> err || fail "formula CSV: $(cat err)"
$PY - f.out.csv <<'PY' || fail "CSV formula injection"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
ids = [r["id"] for r in rows]
assert ids == ["'=HYPERLINK(\"http://x\",\"y\")", "'+1", "'-2", "'@SUM(A1)", "plain"], ids
for r in rows:
    assert r["id"][0] not in "=+-@", r
PY
echo "ok: CSV formula cells"
# ---- item 10: ids are logged escaped (no forged lines, no ANSI escapes) ----
printf '{"id":"x\\n[error] forged\\u001b[31m","text":""}\n' > logid.jsonl
"$SUGGEST" batch --input logid.jsonl --output logid.out 2> err; rc=$?
[ $rc -eq 1 ] || fail "log id: exit $rc"
grep -q 'note x\\x0a\[error\] forged\\x1b\[31m failed' err || fail "id not escaped in the log: $(cat -v err)"
grep -q "$(printf '\033')" err && fail "raw ESC in the log"
[ "$(grep -c . err)" -ge 1 ] && ! grep -q '^\[error\] forged' err || fail "forged log line"
echo "ok: ids logged escaped"
# ---- item 10: UTF-16 without a byte order mark is refused, not "no codes" --
$PY - <<'PY'
note = "PAST SURGICAL HISTORY: L4-L5 fusion in 2015.\n"
open("u16le.txt", "wb").write(note.encode("utf-16-le"))
open("u16be.txt", "wb").write(note.encode("utf-16-be"))
open("u16bom.txt", "wb").write(note.encode("utf-16"))
# Not UTF-16: a UTF-8 note with a few stray NUL bytes is still analysed.
open("nul.txt", "wb").write(note.encode() + b"\0\0" + note.encode())
PY
for f in u16le u16be u16bom; do
  "$SUGGEST" analyze $f.txt > $f.json 2> err; rc=$?
  [ $rc -eq 1 ] || fail "$f: exit $rc"
  grep -q '"kind":"utf16_input"' $f.json || fail "$f: $(head -c 300 $f.json)"
done
grep -q 'UTF-16LE without a byte order mark' u16le.json || fail "u16le message"
grep -q 'UTF-16BE without a byte order mark' u16be.json || fail "u16be message"
"$SUGGEST" analyze nul.txt > nul.json 2> err || fail "stray NULs refused: $(cat err)"
grep -q '"Z98.1"' nul.json || fail "stray NULs: no Z98.1"
mkdir u16dir && cp u16le.txt nul.txt u16dir/
"$SUGGEST" batch --input u16dir --output u16dir.jsonl 2> err; rc=$?
[ $rc -eq 1 ] || fail "folder with a UTF-16 note: exit $rc"
$PY - <<'PY' || fail "folder records"
import json
rows = {r["id"]: r for r in map(json.loads, open("u16dir.jsonl"))}
assert rows["u16le.txt"]["error"]["kind"] == "utf16_input", rows["u16le.txt"]
assert rows["nul.txt"]["status"] == "ok", rows["nul.txt"]
PY
echo "ok: UTF-16 refused"

# ---- item 10: eval on an empty gold file is an error, not perfect scores ---
: > empty.jsonl
"$SUGGEST_DEV" eval --gold empty.jsonl > out 2> err; rc=$?
[ $rc -eq 4 ] || fail "eval on empty gold: exit $rc: $(cat out)"
grep -q 'holds no notes' err || fail "eval empty message: $(cat err)"
"$SUGGEST_DEV" eval-negex --negex empty.jsonl > out 2> err; rc=$?
[ $rc -eq 4 ] || fail "eval-negex on an empty set: exit $rc"
grep -q 'holds no rows' err || fail "eval-negex empty message: $(cat err)"
echo "ok: empty gold refused"

# ---- item 10: --resume into another run's output is refused, untouched ----
export SOURCE_DATE_EPOCH=1700000000  # FHIR Provenance.recorded: the same on every run
for fmt in jsonl csv fhir; do
  fmtflag=(); [ $fmt = fhir ] && fmtflag=(--output-format fhir)
  printf '{"id":"x1","text":"%s"}\n{"id":"x2","text":"%s"}\n{"id":"x3","text":"%s"}\n' \
    "$note" "$note" "$note" > other_in.jsonl
  "$SUGGEST" batch "${fmtflag[@]}" --input other_in.jsonl --output other.$fmt 2> err || fail "other run ($fmt)"
  head -c -5 other.$fmt > part.$fmt  # interrupted: a torn last record
  cp part.$fmt part.$fmt.orig
  "$SUGGEST" batch "${fmtflag[@]}" --resume --input in.jsonl --output part.$fmt 2> err; rc=$?
  [ $rc -eq 2 ] || fail "resume into another run's $fmt output: exit $rc"
  grep -q 'refusing to --resume: .* was not written from this input' err || fail "$fmt: $(cat err)"
  cmp -s part.$fmt part.$fmt.orig || fail "refused resume changed the $fmt output"
  # The same input resumes as before (and completes the file).
  "$SUGGEST" batch "${fmtflag[@]}" --resume --input other_in.jsonl --output part.$fmt 2> err || fail "own resume ($fmt): $(cat err)"
  cmp -s part.$fmt other.$fmt || fail "own resume ($fmt) differs from the full run"
done
echo "ok: resume guarded"
echo "hardening: all checks passed"
