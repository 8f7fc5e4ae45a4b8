#!/usr/bin/env bash
# The shipped `suggest` compiles in no path of the build machine (issue 14):
# neither the source tree nor the build tree appears in its bytes (defaults,
# __FILE__, debug info; CMakeLists.txt -ffile-prefix-map). The developer
# commands that default to ../shared data are suggest-dev, which is not
# installed; `suggest eval` points there and exits 2.
set -uo pipefail
SUGGEST="$1"; ROOT="$2"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v strings > /dev/null || { echo "skipped: no strings (binutils)"; exit 77; }
src=$(cd "$ROOT" && pwd -P)
bld=$(cd "$(dirname "$SUGGEST")" && pwd -P)
# A sanitizer build is never shipped, and its runtime keeps the source
# location of every check (UBSan's, not remapped by -ffile-prefix-map): the
# path check is for the build that ships (SUGGEST_SANITIZER from
# tests/CMakeLists.txt).
if [ "${SUGGEST_SANITIZER:-none}" = none ]; then
  for dir in "$src" "$bld"; do
    n=$(strings -a "$SUGGEST" | grep -c -F "$dir")
    [ "$n" -eq 0 ] || fail "$n strings of $SUGGEST name $dir: $(strings -a "$SUGGEST" | grep -F "$dir" | head -3)"
  done
  echo "ok: no path of the source or build tree in $SUGGEST"
else
  echo "path check skipped: ${SUGGEST_SANITIZER} sanitizer build (not shipped)"
fi

for cmd in eval eval-negex assertion; do
  "$SUGGEST" "$cmd" --json > /dev/null 2> "$tmp/err"; rc=$?
  msg=$(cat "$tmp/err")
  [ $rc -eq 2 ] || fail "suggest $cmd: exit $rc (expected 2)"
  [ "$(printf '%s\n' "$msg" | wc -l)" -eq 1 ] || fail "suggest $cmd: not one line: $msg"
  [[ "$msg" == *"suggest-dev $cmd"* ]] || fail "suggest $cmd: no hint to suggest-dev: $msg"
done
echo "ok: suggest eval / eval-negex / assertion point to suggest-dev (exit 2)"
echo "1 passed, 0 failed"
