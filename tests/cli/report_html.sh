#!/usr/bin/env bash
# suggest report --html: one page for note files, one page per note + index.html
# for a batch input. Checks (tests/cli/check_report_html.py) that the pages are
# well-formed self-contained HTML5, that the note text round-trips, and that
# every fact / evidence / cue / level span of `suggest analyze` (or `batch`)
# output is highlighted with exactly the note bytes at [begin, end); error
# notes, file names, exit codes, logs. Then renders in headless Chromium
# (screenshot size, not blank, highlight colours; dumped DOM holds the marks
# and codes). Without chromium: FAIL if $CI is set, else skip (exit 77).
set -uo pipefail
SUGGEST="$1"; ROOT="$2"; SHARED="$3"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
PY=/usr/bin/python3
CHECK="$ROOT/tests/cli/check_report_html.py"
cd "$ROOT" || fail "cd $ROOT"   # note ids are the paths as given: keep them relative

# ---- 1. one page for the example notes --------------------------------------
examples=(examples/notes/*.txt)
"$SUGGEST" report --html "$tmp/examples.html" "${examples[@]}"; rc=$?
[ $rc -eq 0 ] || fail "report examples: exit $rc"
"$SUGGEST" analyze "${examples[@]}" > "$tmp/examples.jsonl" || fail "analyze examples"
$PY "$CHECK" page "$tmp/examples.html" "$tmp/examples.jsonl" "${examples[@]}" || fail "examples page"
# The checker must be able to fail: break the page three ways (an unclosed
# element, a fact highlight moved by one byte, a byte added to a note text).
$PY - "$tmp" <<'PY' || fail "mutations"
import re, sys
d = sys.argv[1]
page = open(f"{d}/examples.html", encoding="utf-8", newline="").read()  # keep CR
text_at = page.index('<div class="text">')
def sub_after(pattern, repl, start):
    m = re.compile(pattern).search(page, start)
    return page[:m.start()] + m.expand(repl) + page[m.end():]
open(f"{d}/bad1.html", "w", encoding="utf-8", newline="").write(sub_after(r"</mark>", "", text_at))
open(f"{d}/bad2.html", "w", encoding="utf-8", newline="").write(
    sub_after(r'(class="f k-[^"]*" title="[^"]*" data-b=")(\d+)"', r'\g<1>1\2"', text_at))
open(f"{d}/bad3.html", "w", encoding="utf-8", newline="").write(sub_after(r'<div class="text">', r'<div class="text">x', 0))
PY
for b in bad1 bad2 bad3; do
  cmp -s "$tmp/$b.html" "$tmp/examples.html" && fail "$b: mutation did not apply"
  $PY "$CHECK" page "$tmp/$b.html" "$tmp/examples.jsonl" "${examples[@]}" > /dev/null 2>&1 &&
    fail "checker accepted broken page $b"
done

# --html - writes the same page to stdout; a single note has no table of contents.
"$SUGGEST" report --html - "${examples[@]}" > "$tmp/stdout.html" || fail "report --html -"
cmp -s "$tmp/stdout.html" "$tmp/examples.html" || fail "--html - differs from the file"
"$SUGGEST" report --html "$tmp/one.html" examples/notes/rheumatology_as.txt || fail "one note"
grep -q '<nav>' "$tmp/one.html" && fail "table of contents for a single note"
grep -q '<nav>' "$tmp/examples.html" || fail "no table of contents for 5 notes"

# ---- 2. hard notes: escaping, controls, invalid UTF-8, errors, logs ---------
mkdir -p "$tmp/n"
printf 'HISTORY:  s/p L4-5 fusion <script>alert(1)</script> & "x" ZEBRAQUUX\x01\x7f.\r\nIMPRESSION:  Solid fusion L4-5.\n' > "$tmp/n/tricky.txt"
printf 'HISTORY:  s/p L4-5 fusion \xff\xfe and \xe2\x82 here.\n' > "$tmp/n/bad_utf8.txt"
printf '\nIMPRESSION:\n  Ankylosing spondylitis, lumbar \xe2\x80\x94 caf\xc3\xa9 \xf0\x9f\x98\x80.\n' > "$tmp/n/unicode.txt"
n=("$tmp/n/tricky.txt" "$tmp/n/bad_utf8.txt" "$tmp/n/unicode.txt")
"$SUGGEST" --log-level trace report --html "$tmp/hard.html" "${n[@]}" 2> "$tmp/hard.err"; rc=$?
[ $rc -eq 1 ] || fail "invalid UTF-8 note: exit $rc (expected 1)"
"$SUGGEST" analyze "${n[@]}" > "$tmp/hard.jsonl" 2>/dev/null
$PY "$CHECK" page "$tmp/hard.html" "$tmp/hard.jsonl" "${n[@]}" || fail "hard page"
grep -q 'invalid_utf8' "$tmp/hard.html" || fail "no invalid_utf8 error section"
grep -q 'ZEBRAQUUX' "$tmp/hard.err" && fail "note text in the logs"
# The note's <script> is text; the page's only script element is its own
# review script (check_report_html.py checks it against the page's CSP).
grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$tmp/hard.html" || fail "note <script> not escaped"
[ "$(grep -oi '<script' "$tmp/hard.html" | wc -l)" -eq 1 ] || fail "unescaped <script>"
# --repair-utf8: the note is shown, each bad byte as U+FFFD.
"$SUGGEST" report --repair-utf8 --html "$tmp/repair.html" "${n[@]}"; rc=$?
[ $rc -eq 0 ] || fail "--repair-utf8: exit $rc"
"$SUGGEST" analyze --repair-utf8 "${n[@]}" > "$tmp/repair.jsonl"
$PY "$CHECK" page "$tmp/repair.html" "$tmp/repair.jsonl" "${n[@]}" || fail "repair page"
grep -c $'\xef\xbf\xbd' "$tmp/repair.html" > /dev/null || fail "no U+FFFD in the repaired page"
# Too large, unreadable file: error section, the run goes on; exit 4 wins over 1.
"$SUGGEST" report --max-note-bytes 60 --html "$tmp/big.html" "${n[0]}" examples/notes/radiology_ct.txt 2>/dev/null; rc=$?
[ $rc -eq 1 ] || fail "--max-note-bytes: exit $rc"
grep -q 'note_too_large' "$tmp/big.html" || fail "no note_too_large section"
"$SUGGEST" report --html "$tmp/missing.html" "$tmp/nope.txt" "${n[0]}" 2>/dev/null; rc=$?
[ $rc -eq 4 ] || fail "missing file: exit $rc (expected 4)"
grep -q 'read_error' "$tmp/missing.html" || fail "no read_error section"
grep -q 'ZEBRAQUUX' "$tmp/missing.html" || fail "the readable note is missing"
# Usage (2), models (3), unwritable output (4).
"$SUGGEST" report --html "$tmp/x.html" 2>/dev/null; rc=$?; [ $rc -eq 2 ] || fail "no input: exit $rc"
"$SUGGEST" report "${n[0]}" 2>/dev/null; rc=$?; [ $rc -eq 2 ] || fail "no --html: exit $rc"
"$SUGGEST" report --html "$tmp/x.html" --input "$tmp/x.jsonl" "${n[0]}" 2>/dev/null; rc=$?
[ $rc -eq 2 ] || fail "files and --input: exit $rc"
"$SUGGEST" report --html - --input "$tmp/x.jsonl" 2>/dev/null; rc=$?
[ $rc -eq 2 ] || fail "--input with --html -: exit $rc"
"$SUGGEST" report --offsets utf16 --html "$tmp/x.html" "${n[0]}" 2>/dev/null; rc=$?
[ $rc -eq 2 ] || fail "--offsets accepted: exit $rc"
"$SUGGEST" report --models "$tmp/no-models" --html "$tmp/x.html" "${n[0]}" 2>/dev/null; rc=$?
[ $rc -eq 3 ] || fail "bad models: exit $rc"
"$SUGGEST" report --html "$tmp/no-dir/x.html" "${n[0]}" 2>/dev/null; rc=$?
[ $rc -eq 4 ] || fail "unwritable output: exit $rc"
[ -e "$tmp/x.html" ] && fail "a failed run left $tmp/x.html"

# ---- 3. a batch of corpus spine notes -> one page per note + index ----------
$PY - "$SHARED/corpus/mtsamples.jsonl" "$SHARED/corpus/spine_core_ids.txt" "$tmp/batch.jsonl" <<'PY' || fail "batch input"
import json, sys
core = {int(x) for x in open(sys.argv[2])}
seen, recs = set(), []
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    if r["id"] in core and r["text"] not in seen and len(recs) < 20:
        seen.add(r["text"])
        recs.append({"id": r["id"], "text": r["text"]})
assert len(recs) == 20, len(recs)
t = recs[0]["text"]
recs += [
    {"id": str(recs[1]["id"]), "text": t},    # duplicate id -> "-2"
    {"id": "../evil/x", "text": t},           # no path escapes the directory
    {"id": "Index", "text": t},               # index.html is taken (case-insensitively)
    {"id": "empty", "text": ""},              # empty_note error row
]
with open(sys.argv[3], "w", encoding="utf-8") as out:
    for i, r in enumerate(recs):
        out.write(json.dumps(r) + "\n")
        if i == 5:
            out.write("this is not json\n")   # bad_record error row
PY
"$SUGGEST" report --html "$tmp/pages" --input "$tmp/batch.jsonl" 2> "$tmp/batch.err"; rc=$?
[ $rc -eq 1 ] || fail "batch report: exit $rc (expected 1: two error records)"
"$SUGGEST" batch --text-layer --no-progress --input "$tmp/batch.jsonl" --output "$tmp/batch.out.jsonl" 2>/dev/null
$PY "$CHECK" batch "$tmp/pages" "$tmp/batch.out.jsonl" "$tmp/batch.jsonl" || fail "batch pages"
for f in note_.._evil_x.html Index-2.html; do
  [ -f "$tmp/pages/$f" ] || fail "expected page $f"
done
dup=$($PY -c 'import json,sys; print(json.loads(open(sys.argv[1]).readlines()[1])["id"])' "$tmp/batch.jsonl")
[ -f "$tmp/pages/$dup.html" ] && [ -f "$tmp/pages/$dup-2.html" ] || fail "duplicate id $dup pages"
[ -e "$tmp/evil" ] && fail "a page escaped the output directory"
# A folder input works the same way (ids are relative paths).
mkdir -p "$tmp/folder/sub"
cp examples/notes/rheumatology_as.txt "$tmp/folder/sub/as.txt"
"$SUGGEST" report --html "$tmp/fpages" --input "$tmp/folder" || fail "folder report"
grep -q 'href="sub_as.txt.html"' "$tmp/fpages/index.html" || fail "folder index link"
grep -q 'M45.6' "$tmp/fpages/sub_as.txt.html" || fail "folder page"
"$SUGGEST" report --html "$tmp/examples.html" --input "$tmp/batch.jsonl" 2>/dev/null; rc=$?
[ $rc -eq 4 ] || fail "--html FILE with --input: exit $rc (expected 4: not a directory)"

# ---- 3b. bidi controls and invisible characters (issue 19 item 9) ----------
# Trojan-Source: U+202E (RLO) ... U+202C reorders what a reviewer reads. Every
# invisible format character is shown as a visible marker, never raw.
printf 'PAST SURGICAL HISTORY: s/p fusion L4-L5 in 2015. \xe2\x80\xae5L-4L noisuf \xe2\x80\xac ok\xe2\x80\x8b \xe2\x81\xa6x\xe2\x81\xa9 \xef\xbb\xbf.\n' > "$tmp/bidi.txt"
"$SUGGEST" report --html "$tmp/bidi.html" "$tmp/bidi.txt" || fail "bidi report"
"$SUGGEST" analyze "$tmp/bidi.txt" > "$tmp/bidi.json" || fail "bidi analyze"
$PY "$CHECK" page "$tmp/bidi.html" "$tmp/bidi.json" "$tmp/bidi.txt" || fail "bidi page"
$PY - "$tmp/bidi.html" <<'PY' || fail "bidi markers"
import sys
page = open(sys.argv[1], encoding="utf-8").read()
for cp in (0x202E, 0x202C, 0x200B, 0x2066, 0x2069, 0xFEFF):
    assert chr(cp) not in page, f"raw U+{cp:04X} in the page"
    assert "\u27e8U+%04X\u27e9" % cp in page, f"no marker for U+{cp:04X}"
assert "unicode-bidi:isolate" in page
PY

# ---- 4. headless Chromium ---------------------------------------------------
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then
  [ -n "${CI:-}" ] && fail "chromium is not installed (required when CI is set; scripts/setup.sh installs it)"
  echo "SKIP: chromium not installed (the HTML checks passed)"
  exit 77
fi
chrome() {
  # A private profile and HOME: Chromium writes both.
  HOME="$tmp/home" timeout 180 "$CHROME" --headless --no-sandbox --disable-gpu \
    --disable-dev-shm-usage --disable-background-networking --no-first-run \
    --user-data-dir="$tmp/profile" "$@" 2>> "$tmp/chrome.err"
}
mkdir -p "$tmp/home"
chrome --screenshot="$tmp/shot.png" --window-size=1280,1600 --force-device-scale-factor=1 \
  "file://$tmp/examples.html" > /dev/null ||
  { tail -5 "$tmp/chrome.err"; fail "chromium --screenshot"; }
[ -s "$tmp/shot.png" ] || fail "no screenshot"
$PY "$CHECK" png "$tmp/shot.png" 1280 1600 || fail "screenshot"
chrome --dump-dom "file://$tmp/examples.html" > "$tmp/dom.html" ||
  { tail -5 "$tmp/chrome.err"; fail "chromium --dump-dom"; }
$PY "$CHECK" dom "$tmp/dom.html" "$tmp/examples.html" || fail "rendered DOM"
page=$(cd "$tmp/pages" && grep -l '<td class="code">' -- *.html | head -1)
[ -n "$page" ] || fail "no batch page with a suggestion"
chrome --dump-dom "file://$tmp/pages/$page" > "$tmp/dom2.html" || fail "chromium --dump-dom batch page"
$PY "$CHECK" dom "$tmp/dom2.html" "$tmp/pages/$page" || fail "rendered DOM of $page"
# The rendered text of the bidi note: markers, no raw control, and the text
# content equals the analysed note with each invisible character as a marker.
chrome --dump-dom "file://$tmp/bidi.html" > "$tmp/dom3.html" || fail "chromium --dump-dom bidi"
$PY "$CHECK" bidi "$tmp/dom3.html" "$tmp/bidi.txt" || fail "rendered bidi page"
echo "report_html: all checks passed"
