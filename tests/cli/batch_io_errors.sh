#!/usr/bin/env bash
# I/O errors are clear and lose nothing (issue 7): a full disk (/dev/full), a
# file-size limit hit mid-run (ulimit -f: EFBIG), an output folder that does
# not exist, unreadable inputs. A failed write exits 4 with the reason, the
# output holds only whole records (no torn JSONL line / CSV note), and
# --resume then completes it to the bytes of an uninterrupted run.
set -uo pipefail
SUGGEST="$1"; ROOT="$2"; SHARED="$3"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

head -n 300 "$SHARED/corpus/mtsamples.jsonl" > "$tmp/in.jsonl"
total=300

# Every line of a JSONL file is a whole JSON object and the file ends in a
# newline; prints the number of records.
check_jsonl() {
  /usr/bin/python3 - "$1" <<'PY'
import json, sys
data = open(sys.argv[1], "rb").read()
assert data == b"" or data.endswith(b"\n"), "last line is torn (no newline)"
n = 0
for line in data.splitlines():
    json.loads(line)
    n += 1
print(n)
PY
}

# Same for CSV output: parses, ends in a newline; prints the number of notes
# (a note starts at a row whose rank is 1 or empty).
check_csv() {
  /usr/bin/python3 - "$1" <<'PY'
import csv, io, sys
data = open(sys.argv[1], "rb").read()
assert data == b"" or data.endswith(b"\n"), "last row is torn (no newline)"
rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
assert not rows or rows[0][0] == "id", "no header"
assert all(len(r) == 11 for r in rows), "a row with a wrong field count"  # 10 + evidence_text
print(sum(1 for r in rows[1:] if r[5] in ("", "1")))
PY
}

# ---- A full disk: /dev/full.
if [ -w /dev/full ]; then
  "$SUGGEST" batch --threads 2 --input "$tmp/in.jsonl" --output /dev/full 2> "$tmp/err"; rc=$?
  [ $rc -eq 4 ] || fail "/dev/full exit $rc"
  grep -q "cannot write output /dev/full: No space left on device" "$tmp/err" ||
    fail "/dev/full message: $(cat "$tmp/err")"
  "$SUGGEST" analyze "$ROOT/examples/notes/radiology_ct.txt" > /dev/full 2> "$tmp/err"; rc=$?
  [ $rc -eq 4 ] || fail "analyze > /dev/full exit $rc"
  grep -q "cannot write output" "$tmp/err" || fail "analyze /dev/full message: $(cat "$tmp/err")"
  "$SUGGEST" batch --input "$tmp/in.jsonl" --output "$tmp/x.jsonl" --summary /dev/full \
    2> "$tmp/err"; rc=$?
  [ $rc -eq 4 ] || fail "--summary /dev/full exit $rc"
  grep -q "summary: cannot write output /dev/full" "$tmp/err" || fail "summary message"
fi

# ---- A file-size limit reached mid-run: writes fail with EFBIG. The shell
# ignores SIGXFSZ (as the brief's `trap '' XFSZ`); suggest batch also ignores
# it itself, tested after. Outputs with the text layer are ~6 KB per note.
for fmt in jsonl csv; do
  "$SUGGEST" batch --threads 2 --text-layer --input "$tmp/in.jsonl" --output "$tmp/ref.$fmt" \
    2>/dev/null || fail "reference run ($fmt)"
  limit=200  # KiB (bash counts ulimit -f in 1024-byte blocks)
  [ $fmt = csv ] && limit=2
  rm -f "$tmp/out.$fmt"
  ( trap '' XFSZ; ulimit -f $limit
    exec "$SUGGEST" batch --threads 2 --text-layer --input "$tmp/in.jsonl" \
      --output "$tmp/out.$fmt" ) 2> "$tmp/err"; rc=$?
  [ $rc -eq 4 ] || fail "ulimit ($fmt): exit $rc, expected 4: $(cat "$tmp/err")"
  grep -q "cannot write output .*: File too large; [0-9]* records were written whole" "$tmp/err" ||
    fail "ulimit ($fmt) message: $(cat "$tmp/err")"
  written=$(grep -o "[0-9]* records were written whole" "$tmp/err" | grep -o "^[0-9]*")
  size=$(stat -c %s "$tmp/out.$fmt")
  [ "$size" -le $((limit * 1024)) ] || fail "ulimit ($fmt): file larger than the limit"
  if [ $fmt = jsonl ]; then n=$(check_jsonl "$tmp/out.$fmt") || fail "torn JSONL output"
  else n=$(check_csv "$tmp/out.$fmt") || fail "torn CSV output"; fi
  [ "$n" -gt 0 ] && [ "$n" -lt $total ] || fail "ulimit ($fmt): $n records, expected some but not all"
  [ "$n" -eq "$written" ] || fail "ulimit ($fmt): message says $written records, file has $n"
  # What is there is the start of the uninterrupted run, byte for byte.
  cmp -n "$size" "$tmp/out.$fmt" "$tmp/ref.$fmt" || fail "ulimit ($fmt): output differs from the reference"
  # Space again: --resume completes the run.
  "$SUGGEST" batch --resume --threads 2 --text-layer --input "$tmp/in.jsonl" \
    --output "$tmp/out.$fmt" 2> "$tmp/err" || fail "resume ($fmt): $(cat "$tmp/err")"
  cmp "$tmp/ref.$fmt" "$tmp/out.$fmt" || fail "resumed $fmt output differs from an uninterrupted run"
done

# Without the shell's trap, SIGXFSZ would kill the process; suggest ignores it
# and reports the error.
rm -f "$tmp/out.jsonl"
( ulimit -f 50; exec "$SUGGEST" batch --threads 2 --text-layer --input "$tmp/in.jsonl" \
    --output "$tmp/out.jsonl" ) 2> "$tmp/err"; rc=$?
[ $rc -eq 4 ] || fail "ulimit without trap: exit $rc (killed by SIGXFSZ is 153)"
check_jsonl "$tmp/out.jsonl" > /dev/null || fail "ulimit without trap: torn output"
# analyze too: output over the limit is an I/O error (exit 4), not SIGXFSZ.
( ulimit -f 1; exec "$SUGGEST" analyze "$ROOT/examples/notes/"*.txt ) \
  > "$tmp/analyze.json" 2> "$tmp/err"; rc=$?
[ $rc -eq 4 ] || fail "analyze over ulimit -f: exit $rc (killed by SIGXFSZ is 153)"
grep -q "cannot write output" "$tmp/err" || fail "analyze over ulimit -f: $(cat "$tmp/err")"

# ---- Output to a folder that does not exist: exit 4 before any work.
for flags in "" "--resume"; do
  "$SUGGEST" batch $flags --input "$tmp/in.jsonl" --output "$tmp/no/such/dir/out.jsonl" \
    2> "$tmp/err"; rc=$?
  [ $rc -eq 4 ] || fail "missing output folder ($flags) exit $rc"
  grep -q "cannot open output $tmp/no/such/dir/out.jsonl: No such file or directory" "$tmp/err" ||
    fail "missing output folder message: $(cat "$tmp/err")"
done
"$SUGGEST" batch --input "$tmp/in.jsonl" --output "$tmp" 2> "$tmp/err"; rc=$?
[ $rc -eq 4 ] || fail "output is a folder: exit $rc"
grep -q "cannot open output $tmp: Is a directory" "$tmp/err" || fail "output folder message: $(cat "$tmp/err")"

# ---- Unreadable inputs.
"$SUGGEST" batch --input "$tmp/missing.jsonl" --output "$tmp/x.jsonl" 2> "$tmp/err"; rc=$?
[ $rc -eq 4 ] || fail "missing input exit $rc"
grep -q "cannot open input $tmp/missing.jsonl" "$tmp/err" || fail "missing input message"
mkdir "$tmp/adir"
"$SUGGEST" analyze "$tmp/adir" > /dev/null 2> "$tmp/err"; rc=$?
[ $rc -eq 4 ] || fail "analyze of a folder: exit $rc (it used to abort)"
grep -q "cannot read $tmp/adir: Is a directory" "$tmp/err" || fail "analyze folder message: $(cat "$tmp/err")"
echo "some note" > "$tmp/locked.txt"; chmod 000 "$tmp/locked.txt"
if [ "$(id -u)" -ne 0 ]; then  # root reads it anyway
  "$SUGGEST" analyze "$tmp/locked.txt" > /dev/null 2> "$tmp/err"; rc=$?
  [ $rc -eq 4 ] || fail "unreadable file: exit $rc"
  grep -q "Permission denied" "$tmp/err" || fail "unreadable file message: $(cat "$tmp/err")"
fi
rm -f "$tmp/locked.txt"

# A folder input whose *.txt entries are not regular files: a FIFO (would
# block the run) and a folder; and one file over --max-note-bytes, refused by
# its size with the message analyze gives the same file.
mkdir -p "$tmp/notes/sub.txt"
echo "Status post L4-L5 fusion." > "$tmp/notes/a.txt"
mkfifo "$tmp/notes/b.txt"
head -c 5000 /dev/zero | tr '\0' 'x' > "$tmp/notes/c.txt"
timeout 60 "$SUGGEST" batch --max-note-bytes 1000 --input "$tmp/notes" --output "$tmp/f.jsonl" \
  2> "$tmp/err"; rc=$?
[ $rc -eq 1 ] || fail "folder input exit $rc (124 = hung on the FIFO)"
"$SUGGEST" analyze --max-note-bytes 1000 --id c.txt "$tmp/notes/c.txt" > "$tmp/c.json" 2>/dev/null
/usr/bin/python3 - "$tmp/f.jsonl" "$tmp/c.json" <<'PY' || fail "folder input records"
import json, sys
rows = {r["id"]: r for r in map(json.loads, open(sys.argv[1]))}
assert sorted(rows) == ["a.txt", "b.txt", "c.txt"], sorted(rows)
assert rows["a.txt"]["status"] == "ok"
assert rows["b.txt"]["error"]["kind"] == "read_error", rows["b.txt"]
assert "not a regular file" in rows["b.txt"]["error"]["message"], rows["b.txt"]
assert rows["c.txt"]["error"]["kind"] == "note_too_large", rows["c.txt"]
analyze = json.load(open(sys.argv[2]))
assert analyze["error"] == rows["c.txt"]["error"], (analyze, rows["c.txt"])
assert analyze["error"]["message"] == "note of 5000 bytes exceeds the limit of 1000 bytes"
PY
# The same limit on stdin (read, then refused by Model::Analyze): same message.
"$SUGGEST" analyze --max-note-bytes 1000 --id c.txt - < "$tmp/notes/c.txt" > "$tmp/c2.json" 2>/dev/null
cmp "$tmp/c.json" "$tmp/c2.json" || fail "note_too_large differs between a file and stdin"
echo "1 passed, 0 failed"
