#!/usr/bin/env bash
# Bad input gets a clear error record and the right exit code.
set -uo pipefail
SUGGEST="$1"; ROOT="$2"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

printf "ok \xc0\xaf zqxj-note-words" > "$tmp/bad.txt"
"$SUGGEST" analyze "$tmp/bad.txt" > "$tmp/o1" 2> "$tmp/e1"; rc=$?
[ $rc -eq 1 ] || fail "invalid utf8 exit $rc"
grep -q '"kind":"invalid_utf8"' "$tmp/o1" || fail "no invalid_utf8 kind: $(cat $tmp/o1)"
grep -q '"offset":3' "$tmp/o1" || fail "wrong offset: $(cat $tmp/o1)"
grep -q "zqxj" "$tmp/e1" && fail "note text leaked into the log"

"$SUGGEST" analyze --repair-utf8 "$tmp/bad.txt" > "$tmp/o2"; rc=$?
[ $rc -eq 0 ] || fail "repair exit $rc"
grep -q '"replaced_bytes":2' "$tmp/o2" || fail "repair count: $(cat $tmp/o2)"

: > "$tmp/empty.txt"
"$SUGGEST" analyze "$tmp/empty.txt" > "$tmp/o3"; rc=$?
[ $rc -eq 1 ] || fail "empty exit $rc"
grep -q '"kind":"empty_note"' "$tmp/o3" || fail "empty kind"

printf 'a note of some size' > "$tmp/big.txt"
"$SUGGEST" analyze --max-note-bytes 5 "$tmp/big.txt" > "$tmp/o4"; rc=$?
[ $rc -eq 1 ] || fail "too large exit $rc"
grep -q '"kind":"note_too_large"' "$tmp/o4" || fail "too large kind"

"$SUGGEST" analyze "$tmp/does-not-exist.txt" > /dev/null 2>&1; rc=$?
[ $rc -eq 4 ] || fail "missing file exit $rc"

"$SUGGEST" analyze --models "$tmp/nowhere" "$ROOT/examples/notes/radiology_ct.txt" > /dev/null 2> "$tmp/e5"; rc=$?
[ $rc -eq 3 ] || fail "missing models exit $rc"
grep -q 'models directory not found' "$tmp/e5" || fail "models message: $(cat $tmp/e5)"

"$SUGGEST" frobnicate > /dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "usage exit $rc"
echo "1 passed, 0 failed"
