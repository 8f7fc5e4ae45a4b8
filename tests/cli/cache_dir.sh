#!/usr/bin/env bash
# Issue 14 item 4: the library writes no cache unless asked
# (LoadOptions::cache_dir); the CLI asks for the per-user one
# ($SUGGEST_CACHE_DIR, else $XDG_CACHE_HOME/libsuggest, else
# ~/.cache/libsuggest), --cache-dir DIR for another, --cache-dir off (or
# SUGGEST_CACHE_DIR=off) for none. The results are the same every way.
set -uo pipefail
SUGGEST="$1"; ROOT="$2"; SHARED="$3"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
files() { find "$@" -type f 2> /dev/null | wc -l; }

note="$ROOT/examples/notes/rheumatology_as.txt"
mkdir -p "$tmp/home"
export HOME="$tmp/home"
unset XDG_CACHE_HOME SUGGEST_CACHE_DIR

# Off: nothing anywhere.
"$SUGGEST" analyze --cache-dir off "$note" > "$tmp/off.json" || fail "analyze --cache-dir off"
[ "$(files "$tmp/home")" -eq 0 ] || fail "--cache-dir off wrote $(find "$tmp/home" -type f)"
SUGGEST_CACHE_DIR=off "$SUGGEST" analyze "$note" > "$tmp/envoff.json" || fail "SUGGEST_CACHE_DIR=off"
[ "$(files "$tmp/home")" -eq 0 ] || fail "SUGGEST_CACHE_DIR=off wrote $(find "$tmp/home" -type f)"

# The default: ~/.cache/libsuggest, then $XDG_CACHE_HOME/libsuggest, then
# $SUGGEST_CACHE_DIR.
"$SUGGEST" analyze "$note" > "$tmp/home.json" || fail "analyze (default cache)"
if [ "${SUGGEST_HAVE_VECTORSCAN:-1}" = 0 ] && [ "$(files "$tmp/home")" -eq 0 ]; then
  echo "skipped: built without Vectorscan (nothing to cache)"; exit 77
fi
n=$(files "$tmp/home/.cache/libsuggest")
[ "$n" -gt 0 ] || fail "nothing cached under \$HOME/.cache/libsuggest"
[ "$(files "$tmp/home")" -eq "$n" ] || fail "files outside the cache directory"
XDG_CACHE_HOME="$tmp/xdg" "$SUGGEST" analyze "$note" > "$tmp/xdg.json" || fail "XDG_CACHE_HOME"
[ "$(files "$tmp/xdg/libsuggest")" -eq "$n" ] || fail "XDG cache: $(files "$tmp/xdg")"
SUGGEST_CACHE_DIR="$tmp/env" XDG_CACHE_HOME="$tmp/xdg2" "$SUGGEST" analyze "$note" \
  > "$tmp/env.json" || fail "SUGGEST_CACHE_DIR"
[ "$(files "$tmp/env")" -eq "$n" ] || fail "SUGGEST_CACHE_DIR cache: $(files "$tmp/env")"
[ ! -e "$tmp/xdg2" ] || fail "SUGGEST_CACHE_DIR does not win over XDG_CACHE_HOME"

# --cache-dir DIR wins over the environment; batch and models compile take it too.
SUGGEST_CACHE_DIR="$tmp/env2" "$SUGGEST" analyze --cache-dir "$tmp/flag" "$note" \
  > "$tmp/flag.json" || fail "analyze --cache-dir DIR"
[ "$(files "$tmp/flag")" -eq "$n" ] || fail "--cache-dir DIR: $(files "$tmp/flag")"
[ ! -e "$tmp/env2" ] || fail "--cache-dir does not win over SUGGEST_CACHE_DIR"
printf '{"id": "a", "text": "Status post L4-L5 fusion."}\n' > "$tmp/in.jsonl"
"$SUGGEST" batch --cache-dir "$tmp/batch" --input "$tmp/in.jsonl" --output "$tmp/out.jsonl" \
  2> /dev/null || fail "batch --cache-dir"
[ "$(files "$tmp/batch")" -eq "$n" ] || fail "batch --cache-dir: $(files "$tmp/batch")"
cp -r "$ROOT/models" "$tmp/models"; rm -rf "$tmp/models/compiled"
"$SUGGEST" models compile --cache-dir off --models "$tmp/models" > /dev/null ||
  fail "models compile --cache-dir off"
[ "$(files "$tmp/models/compiled")" -eq "$n" ] || fail "compile: $(files "$tmp/models/compiled")"

for f in envoff home xdg env flag; do
  cmp -s "$tmp/off.json" "$tmp/$f.json" || fail "result with cache $f differs"
done
echo "1 passed, 0 failed"
