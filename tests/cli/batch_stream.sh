#!/usr/bin/env bash
# Issue 18: JSONL lines longer than the streaming threshold are read in
# pieces (batch_input.cc, LongLine): the same records come out as when the
# line is parsed whole, and a record whose note is over --max-note-bytes is
# refused while reading, with its id, its exact size and bounded memory.
set -uo pipefail
SUGGEST="$1"; ROOT="$2"; SHARED="$3"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
PY=/usr/bin/python3

# 1. Every line streamed (threshold 1 byte) == every line parsed whole: the
# corpus plus records with escapes, \u (surrogate pairs, lone surrogates),
# raw UTF-8 (valid, overlong, surrogates, beyond U+10FFFF), control bytes,
# keys in any order, a repeated or escaped "text" key, nested metadata,
# a non-string text, a bad setting, invalid JSON, a blank line.
head -n 400 "$SHARED/corpus/mtsamples.jsonl" > "$tmp/in.jsonl"
$PY - "$tmp/in.jsonl" <<'PY'
import sys
note = "PAST SURGICAL HISTORY: L4-L5 fusion in 2015. Ankylosing spondylitis."
lines = [
    '{"id":"esc","text":"a\\"b\\\\c\\/d\\b\\f\\n\\r\\t ' + note + '"}',
    '{"text":"' + note + ' \\u00e9\\u2013\\ud83d\\ude00 x","id":"u"}',
    '{"id":"lone-high","text":"' + note + ' \\ud83d x"}',
    '{"id":"lone-low","text":"' + note + ' \\ude00 x"}',
    '{"id":"high-then-bad","text":"' + note + ' \\ud83d\\u0041"}',
    '{"id":"badhex","text":"\\u12G4 ' + note + '"}',
    '{"id":"badesc","text":"\\x ' + note + '"}',
    '{"id":"nul","text":"a\\u0000b ' + note + '"}',
    '{"id":"ctl","text":"a\tb ' + note + '"}',
    '{"id":"dup","text":"first","text":"' + note + '"}',
    '{"id":"keyesc","\\u0074ext":"' + note + '"}',
    '{"id":"nested","meta":{"text":"inner","a":[1,{"text":2}]},"text":"' + note + '","n":1.5e3}',
    '{"id":"nontext","text":5}',
    '{"id":"setting","text":"' + note + '","setting":"ward"}',
    '{"id":"setting2","setting":"inpatient","text":"' + note + '"}',
    '{"id":"trunc","text":"' + note,
    '[{"id":"arr","text":"' + note + '"}]',
    '   ',
    '{"id":"crlf","text":"' + note + '"}\r',
    '{"id":12345678901234567890123,"text":"' + note + '"}',
    '{"id":"tail","text":"' + note + '"} x',
    '{ "id" : "spaces" , "text" : "' + note + '" }',
]
raw = [
    b'{"id":"utf8","text":"caf\xc3\xa9 \xe2\x80\x93 \xf0\x9f\x98\x80 ' + note.encode() + b'"}',
    b'{"id":"overlong","text":"\xc0\xaf ' + note.encode() + b'"}',
    b'{"id":"surrogate","text":"\xed\xa0\x80 ' + note.encode() + b'"}',
    b'{"id":"big-cp","text":"\xf4\x90\x80\x80 ' + note.encode() + b'"}',
    b'{"id":"e0","text":"\xe0\x9f\xbf ' + note.encode() + b'"}',
    b'{"id":"truncated-utf8","text":"\xe2\x80 ' + note.encode() + b'"}',
    b'{"id":"ok-ed","text":"\xed\x9f\xbf ' + note.encode() + b'"}',
    b'{"id":"ok-f4","text":"\xf4\x8f\xbf\xbf ' + note.encode() + b'"}',
]
with open(sys.argv[1], "ab") as f:
    for l in lines: f.write(l.encode() + b"\n")
    for l in raw: f.write(l + b"\n")
    f.write(b'{"id":"last-no-newline","text":"' + note.encode() + b'"}')
PY
"$SUGGEST" batch --threads 2 --input "$tmp/in.jsonl" --output "$tmp/whole.jsonl" 2> "$tmp/e1"
SUGGEST_BATCH_STREAM_LINE_BYTES=1 "$SUGGEST" batch --threads 2 --input "$tmp/in.jsonl" \
  --output "$tmp/streamed.jsonl" 2> "$tmp/e2"
cmp "$tmp/whole.jsonl" "$tmp/streamed.jsonl" || {
  diff <(cut -c1-300 "$tmp/whole.jsonl") <(cut -c1-300 "$tmp/streamed.jsonl") | head -20
  fail "streamed lines differ from lines parsed whole"; }
# From a pipe too (blocks end where the buffered input ends).
cat "$tmp/in.jsonl" | "$SUGGEST" batch --threads 2 --input - --output "$tmp/pipe.jsonl" 2> /dev/null
cmp "$tmp/whole.jsonl" "$tmp/pipe.jsonl" || fail "stdin pipe differs"

# 2. A note over the limit: refused while streaming, the error Analyze gives
# (same kind and message), the id kept, the records around it written.
$PY - "$tmp/big.jsonl" <<'PY'
import sys
note = "PAST SURGICAL HISTORY: L4-L5 fusion in 2015."
with open(sys.argv[1], "w") as f:
    f.write('{"id":"before","text":"%s"}\n' % note)
    f.write('{"id":"big","text":"' + "ab\\n" * 40000 + '"}\n')     # 120,000 bytes of note
    f.write('{"text":"' + "x" * 5000 + '","id":"big-id-after"}\n')  # id after the text
    f.write('{"id":"after","text":"%s"}\n' % note)
PY
"$SUGGEST" batch --max-note-bytes 4000 --input "$tmp/big.jsonl" --output "$tmp/big.out" 2> /dev/null
rc=$?; [ $rc -eq 1 ] || fail "big: exit $rc"
$PY - "$tmp/big.out" <<'PY' || fail "big records"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
got = [(r["id"], r["status"], r.get("error", {}).get("kind")) for r in rows]
assert got == [("before", "ok", None), ("big", "error", "note_too_large"),
               ("big-id-after", "error", "note_too_large"), ("after", "ok", None)], got
assert rows[1]["error"]["message"] == "note of 120000 bytes exceeds the limit of 4000 bytes", rows[1]
assert rows[2]["error"]["message"] == "note of 5000 bytes exceeds the limit of 4000 bytes", rows[2]
PY
# Every line streamed: the same records (the 5,000-byte note above was
# parsed whole and refused by Analyze; streamed, it is refused while read).
SUGGEST_BATCH_STREAM_LINE_BYTES=1 "$SUGGEST" batch --max-note-bytes 4000 \
  --input "$tmp/big.jsonl" --output "$tmp/big2.out" 2> /dev/null
cmp "$tmp/big.out" "$tmp/big2.out" || fail "refused while streaming != refused by Analyze"

# 3. A 65 MiB record under the default 64 MiB limit: peak RSS stays under
# 100 MiB (the line is never held whole). Not in sanitizer builds (shadow
# memory) or without GNU time.
if [ "${SUGGEST_SANITIZER:-none}" != none ] || [ ! -x /usr/bin/time ]; then
  echo "ok (RSS check skipped: sanitizer build or no /usr/bin/time)"; exit 0
fi
$PY - "$tmp/huge.jsonl" <<'PY'
import sys
note = "PAST SURGICAL HISTORY: L4-L5 fusion in 2015."
with open(sys.argv[1], "w") as f:
    f.write('{"id":"huge","text":"')
    chunk = ("fusion of the lumbar spine " * 40)[:1024]
    for _ in range(65 * 1024): f.write(chunk)
    f.write('"}\n')
    f.write('{"id":"after","text":"%s"}\n' % note)
PY
/usr/bin/time -v "$SUGGEST" batch --threads 2 --input "$tmp/huge.jsonl" --output "$tmp/huge.out" \
  2> "$tmp/time.txt"; rc=$?
[ $rc -eq 1 ] || { tail -5 "$tmp/time.txt"; fail "huge: exit $rc"; }
kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/time.txt")
echo "peak RSS refusing a 65 MiB record: $kb KiB"
[ "$kb" -lt $((100 * 1024)) ] || fail "peak RSS $kb KiB >= 100 MiB"
$PY - "$tmp/huge.out" <<'PY' || fail "huge records"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [(r["id"], r["status"]) for r in rows] == [("huge", "error"), ("after", "ok")], rows
assert rows[0]["error"]["kind"] == "note_too_large", rows[0]
assert rows[0]["error"]["message"] == "note of 68157440 bytes exceeds the limit of 67108864 bytes", rows[0]
PY
echo "ok"
