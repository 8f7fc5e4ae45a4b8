#!/usr/bin/env bash
# example.cpp / example.c: runs an example of the build tree on every note of
# NOTES_DIR and checks each line (code, rank, score, evidence text) against
# `suggest analyze` of the same build.
#
#   check_example.sh EXAMPLE CLI NOTES_DIR
set -euo pipefail
example=$1 cli=$2 notes_dir=$3
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/suggest-example.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

codes=0
for note in "$notes_dir"/*.txt; do
  "$example" "$note" > "$tmp/out"
  "$cli" analyze --no-text-layer "$note" > "$tmp/cli.json"
  echo -n "$(basename "$note"): "
  /usr/bin/python3 "$here/compare_codes.py" "$tmp/out" "$tmp/cli.json"
  codes=$((codes + $(wc -l < "$tmp/out")))
done
# Guard against a vacuous pass: the example notes do give suggestions.
[[ $codes -gt 0 ]] || { echo "FAIL: no suggestions for any note" >&2; exit 1; }
