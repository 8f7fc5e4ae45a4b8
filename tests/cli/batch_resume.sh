#!/usr/bin/env bash
# suggest batch --resume: kill -9 a run mid-way, resume into the same output,
# and get a file byte-identical to an uninterrupted run (JSONL and CSV).
set -uo pipefail
SUGGEST="$1"; ROOT="$2"; SHARED="$3"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# The first 600 corpus notes, repeated with distinct ids until a run lasts long
# enough to be killed mid-way.
make_input() {  # $1 = copies
  /usr/bin/python3 - "$SHARED/corpus/mtsamples.jsonl" "$1" > "$tmp/in.jsonl" <<'PY'
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()[:600]
for k in range(int(sys.argv[2])):
    for l in lines:
        r = json.loads(l); r["id"] = f"{r['id']}#{k}"
        print(json.dumps(r))
PY
}

count() { [ -f "$1" ] && wc -l < "$1" || echo 0; }

# $1 = output file name. Starts a run, kills it with SIGKILL once more than 50
# records are out but not all; returns 1 if the run finished first.
run_and_kill() {
  local out="$tmp/$1" total pid n
  total=$(wc -l < "$tmp/in.jsonl")
  rm -f "$out"
  "$SUGGEST" batch --threads 2 --text-layer --no-progress --input "$tmp/in.jsonl" \
    --output "$out" 2>/dev/null &
  pid=$!
  while kill -0 $pid 2>/dev/null; do
    n=$(count "$out")
    if [ "$n" -gt 50 ] && [ "$n" -lt "$total" ]; then
      kill -9 $pid; wait $pid 2>/dev/null
      echo "killed at $n of $total lines"
      return 0
    fi
    sleep 0.01
  done
  # Finished before it could be killed: it must have succeeded (under TSan a
  # race report exits with 66).
  wait $pid 2>/dev/null || fail "uninterrupted run exit $?"
  return 1
}

copies=1
for fmt in jsonl csv; do
  while :; do
    make_input $copies
    "$SUGGEST" batch --threads 2 --text-layer --input "$tmp/in.jsonl" --output "$tmp/ref.$fmt" \
      2>/dev/null || fail "reference run ($fmt)"
    run_and_kill "out.$fmt" && break
    copies=$((copies * 2))
    [ $copies -le 64 ] || fail "could not kill a run mid-way"
  done
  # Whatever kill -9 left, also leave a partial last line for resume to cut.
  printf '{"id": "partial' >> "$tmp/out.$fmt"
  "$SUGGEST" batch --resume --threads 2 --text-layer --input "$tmp/in.jsonl" \
    --output "$tmp/out.$fmt" 2> "$tmp/err" || fail "resume run ($fmt)"
  grep -q "resumed records skipped" "$tmp/err" || fail "resume skipped nothing ($fmt)"
  cmp "$tmp/ref.$fmt" "$tmp/out.$fmt" || fail "resumed $fmt output differs from an uninterrupted run"
  # Resuming a finished run changes nothing.
  "$SUGGEST" batch --resume --threads 1 --text-layer --input "$tmp/in.jsonl" \
    --output "$tmp/out.$fmt" 2>/dev/null || fail "second resume ($fmt)"
  cmp "$tmp/ref.$fmt" "$tmp/out.$fmt" || fail "resume of a finished $fmt run changed it"
done

# Order with 1 thread equals order with 2.
"$SUGGEST" batch --threads 1 --text-layer --input "$tmp/in.jsonl" --output "$tmp/t1.csv" \
  2>/dev/null || fail "threads 1"
cmp "$tmp/ref.csv" "$tmp/t1.csv" || fail "threads 1 vs 2 differ"
echo "1 passed, 0 failed"
