#!/usr/bin/env bash
# No note text in the logs (issue 7): `suggest batch` over ~500 corpus notes,
# with records that fail (invalid UTF-8, notes over a small --max-note-bytes,
# broken JSONL lines and CSV rows, a folder with unreadable and invalid
# files), at --log-level info, debug and trace; no 24-byte window of any note
# may appear in stderr (check_log_no_note_text.py, which first proves on each
# log that it catches a planted note substring). Debug and trace add only the
# models folder line (docs/cli.md, "Limits and errors").
set -uo pipefail
SUGGEST="$1"; ROOT="$2"; SHARED="$3"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
check="$ROOT/tests/cli/check_log_no_note_text.py"

# 480 corpus notes (ids as strings), then broken records carrying note text:
# invalid UTF-8 inside a JSONL line (a bad_record), a line that is not JSON,
# an object without "text".
head -n 480 "$SHARED/corpus/mtsamples.jsonl" > "$tmp/in.jsonl"
/usr/bin/python3 - "$tmp/in.jsonl" <<'PY'
import json, sys
notes = [json.loads(l)["text"] for l in open(sys.argv[1], encoding="utf-8")]
with open(sys.argv[1], "ab") as out:
    for k in range(5):
        t = notes[k * 7].encode()
        out.write(b'{"id": "bad-utf8-%d", "text": "' % k + t[:600].replace(b'"', b"'").replace(b"\n", b" ")
                  + b"\xc3\x28 " + t[600:1200].replace(b'"', b"'").replace(b"\n", b" ") + b'"}\n')
        out.write(b"not json: " + notes[k * 11 + 1][:500].encode().replace(b"\n", b" ") + b"\n")
        out.write(json.dumps({"id": f"no-text-{k}", "body": notes[k * 13 + 2][:500]}).encode() + b"\n")
PY
# The same notes as CSV, with rows broken mid-text (a quote inside an unquoted
# field, a wrong field count).
/usr/bin/python3 - "$tmp/in.jsonl" "$tmp/in.csv" <<'PY'
import csv, json, sys
rows = []
for l in open(sys.argv[1], "rb"):
    try:
        r = json.loads(l)
    except ValueError:
        continue
    if "text" in r:
        rows.append((str(r["id"]), r["text"]))
with open(sys.argv[2], "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["id", "text"])
    for i, (rid, text) in enumerate(rows[:200]):
        w.writerow([rid, text])
        if i % 40 == 0:
            f.write(f'broken-{i},{text[:80].replace(",", " ")} "quoted" {text[80:200].replace(",", " ")}\r\n')
            f.write(f'short-{i}\r\n')
PY
# A folder: notes, an invalid UTF-8 file, a FIFO (read_error).
mkdir "$tmp/dir"
/usr/bin/python3 - "$tmp/in.jsonl" "$tmp/dir" <<'PY'
import json, os, sys
notes = []
for l in open(sys.argv[1], "rb"):
    try:
        notes.append(json.loads(l)["text"])
    except (ValueError, KeyError):
        pass
for i, t in enumerate(notes[:60]):
    open(os.path.join(sys.argv[2], f"n{i:03}.txt"), "w", encoding="utf-8").write(t)
open(os.path.join(sys.argv[2], "bad.txt"), "wb").write(notes[61].encode()[:800] + b"\xff\xfe" + notes[61].encode()[800:])
PY
mkfifo "$tmp/dir/fifo.txt"

for level in info debug trace; do
  log="$tmp/$level.log"
  : > "$log"
  # JSONL: every record type; --max-note-bytes 6000 refuses ~1 note in 10.
  "$SUGGEST" --log-level $level batch --threads 2 --max-note-bytes 6000 --progress-interval 0 \
    --input "$tmp/in.jsonl" --output "$tmp/o.jsonl" 2>> "$log"; rc=$?
  [ $rc -eq 1 ] || fail "$level: jsonl exit $rc"
  "$SUGGEST" --log-level $level batch --threads 2 --text-layer --input "$tmp/in.csv" \
    --output "$tmp/o.csv" 2>> "$log"; rc=$?
  [ $rc -eq 1 ] || fail "$level: csv exit $rc"
  timeout 60 "$SUGGEST" --log-level $level batch --max-note-bytes 6000 --input "$tmp/dir" \
    --output "$tmp/o2.jsonl" 2>> "$log"; rc=$?
  [ $rc -eq 1 ] || fail "$level: folder exit $rc"
  # analyze: a refused note, an invalid UTF-8 note, a good one.
  "$SUGGEST" --log-level $level analyze --max-note-bytes 6000 "$tmp"/dir/*[0-9].txt \
    "$tmp/dir/bad.txt" > /dev/null 2>> "$log"; rc=$?
  [ $rc -eq 1 ] || fail "$level: analyze exit $rc"

  # The log is not trivially empty: it has the lines the runs must produce.
  grep -q "batch progress: [0-9]* notes" "$log" || fail "$level: no progress lines"
  grep -q "note [^ ]* failed: invalid_argument: note of [0-9]* bytes exceeds" "$log" ||
    fail "$level: no note_too_large line"
  grep -q "bad record: not a JSON object" "$log" || fail "$level: no bad record line"
  grep -q "bad record: row [0-9]*: quote inside an unquoted field" "$log" || fail "$level: no CSV bad row line"
  grep -q "failed: invalid_argument: invalid UTF-8 at byte" "$log" || fail "$level: no invalid UTF-8 line"
  grep -q "cannot read input file fifo.txt: not a regular file" "$log" || fail "$level: no read_error line"
  if [ $level != info ]; then
    grep -q "model loaded from" "$log" || fail "$level: no debug line"
  fi

  # --self-test: the log is clean, and the same log with a note substring
  # planted in it is caught.
  /usr/bin/python3 "$check" --self-test "$log" "$tmp/in.jsonl" "$tmp/in.csv" \
    "$tmp"/dir/*[0-9].txt "$tmp/dir/bad.txt" || fail "$level: note text in the log, or no check"
done
echo "1 passed, 0 failed"
