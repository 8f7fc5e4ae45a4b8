#!/usr/bin/env bash
# The CLI as a user meets it (issue 17 item 4): --version, --help with
# examples and exit codes, usage errors as `suggest: error: ...` with a hint,
# progress lines at the default log level when stderr is not a terminal, and
# on a terminal warnings that never end up glued to the progress line.
set -uo pipefail
SUGGEST="$1"; ROOT="$2"; SHARED="$3"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

v=$("$SUGGEST" --version) || fail "--version exit $?"
[[ "$v" =~ ^suggest\ [0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "--version printed '$v'"
[ "$v" = "suggest $("$SUGGEST" version)" ] || fail "--version and version disagree"
echo "ok: $v"

"$SUGGEST" --help > "$tmp/help" || fail "--help exit $?"
grep -q "^Examples:" "$tmp/help" || fail "--help has no examples"
grep -q "^Exit codes:" "$tmp/help" || fail "--help has no exit codes"
grep -q "^  3  models failed to load" "$tmp/help" || fail "--help exit code 3"
echo "ok: --help shows examples and exit codes"

"$SUGGEST" batch --input x.jsonl --threads 0 > /dev/null 2> "$tmp/err"; rc=$?
[ $rc -eq 2 ] || fail "usage error exit $rc"
grep -q "^suggest: error: --threads" "$tmp/err" || fail "usage error line: $(cat "$tmp/err")"
grep -q "^suggest: hint: see \`suggest batch --help\`" "$tmp/err" || fail "usage hint: $(cat "$tmp/err")"
"$SUGGEST" analyze --models "$tmp/none" - < /dev/null > /dev/null 2> "$tmp/err"; rc=$?
[ $rc -eq 3 ] || fail "missing models exit $rc"
grep -q "^suggest: error: cannot load models: " "$tmp/err" || fail "models error line: $(cat "$tmp/err")"
grep -q "[0-9]\{2\}:[0-9]\{2\}:[0-9]\{2\}" "$tmp/err" && fail "a timestamp in a user error: $(cat "$tmp/err")"
echo "ok: user errors read suggest: error: ... with a hint"

# Progress without a terminal, at the default log level.
head -n 300 "$SHARED/corpus/mtsamples.jsonl" > "$tmp/in.jsonl"
"$SUGGEST" batch --threads 1 --max-note-bytes 4000 --progress-interval 0 --input "$tmp/in.jsonl" \
  --output "$tmp/o.jsonl" 2> "$tmp/err"; rc=$?
[ $rc -eq 1 ] || fail "progress run exit $rc: $(tail -3 "$tmp/err")"
grep -q "^suggest: batch progress: [0-9]* notes, [0-9.]* notes/s, [0-9]*%, ETA [0-9hms]* (elapsed [0-9hms]*)$" \
  "$tmp/err" || fail "no progress lines at the default level: $(head -5 "$tmp/err")"
grep -q "^suggest: warning: note [^ ]* failed: " "$tmp/err" || fail "no warning lines"
grep -q $'\033' "$tmp/err" && fail "terminal escapes without a terminal"
echo "ok: progress lines without a terminal: $(grep -m1 "batch progress" "$tmp/err")"
"$SUGGEST" batch --threads 1 --no-progress --progress-interval 0 --input "$tmp/in.jsonl" \
  --output "$tmp/o.jsonl" 2> "$tmp/err"
grep -q "batch progress" "$tmp/err" && fail "--no-progress still shows progress"

# On a terminal (script(1) gives one): a warning clears the progress line and
# the line is drawn again below it; a warning never follows progress text.
if command -v script > /dev/null; then
  # The whole corpus with the text layer on one thread; the progress line is
  # redrawn at every update (SUGGEST_TTY_PROGRESS_INTERVAL=0, a test hook), so
  # warnings come while it is up whatever the machine's speed.
  SUGGEST_TTY_PROGRESS_INTERVAL=0 script -qfec "'$SUGGEST' batch --threads 1 --text-layer --max-note-bytes 4000 --input '$SHARED/corpus/mtsamples.jsonl' --output '$tmp/t.jsonl'" \
    /dev/null > "$tmp/tty" 2>&1 < /dev/null
  /usr/bin/python3 - "$tmp/tty" <<'PY' || fail "warnings glued to the progress line"
import sys
raw = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
assert "\r\x1b[Kbatch: " in raw, "no progress line on the terminal: %r" % raw[:300]
parts = raw.split("suggest: warning: ")
assert len(parts) > 1, "no warnings on the terminal"
over = 0
for before in parts[:-1]:
    assert before == "" or before.endswith("\n") or before.endswith("\x1b[K"), repr(before[-80:])
    over += before.endswith("\x1b[K")
assert over > 0, "no warning while a progress line was shown"
print(f"ok: {len(parts) - 1} warnings on a terminal, {over} over a progress line, none glued")
PY
fi
echo "1 passed, 0 failed"
