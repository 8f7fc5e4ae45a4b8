#!/usr/bin/env bash
# Issue 18: `suggest models compile` writes the compiled Vectorscan databases
# beside the models (<models>/compiled/), and a load finds them first: with
# no usable cache directory at all, the debug log names the file used and
# the results are the same. Entries for other rules are ignored (debug log),
# and compiling again removes them.
set -uo pipefail
SUGGEST="$1"; ROOT="$2"; SHARED="$3"
tmp=$(mktemp -d); trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cp -r "$ROOT/models" "$tmp/models"
rm -rf "$tmp/models/compiled"
note="$ROOT/examples/notes/rheumatology_as.txt"
# A cache directory that cannot exist (under a regular file), even for root.
touch "$tmp/file"
export SUGGEST_CACHE_DIR="$tmp/file/cache"

"$SUGGEST" analyze --models "$tmp/models" "$note" > "$tmp/ref.json" || fail "reference run"

"$SUGGEST" models compile --models "$tmp/models" > "$tmp/list" 2> "$tmp/err" ||
  fail "compile: $(cat "$tmp/err")"
if [ "${SUGGEST_HAVE_VECTORSCAN:-1}" = 0 ] && [ ! -s "$tmp/list" ]; then
  echo "skipped: built without Vectorscan"; exit 77
fi
[ -s "$tmp/list" ] || fail "compile listed nothing"
while read -r f; do [ -s "$f" ] || fail "missing $f"; done < "$tmp/list"
# Databases (*.hsdb) and the rule locator's plan (*.txt): every file listed.
n=$(ls "$tmp/models/compiled"/* | wc -l)
[ "$n" -eq "$(wc -l < "$tmp/list")" ] || fail "compiled/ holds $n files"

# Used at load: a debug line per database, same result.
"$SUGGEST" --log-level debug analyze --models "$tmp/models" "$note" > "$tmp/a.json" 2> "$tmp/log" ||
  fail "analyze with compiled models"
cmp "$tmp/ref.json" "$tmp/a.json" || fail "result differs with compiled models"
used=$(grep -c "compiled database .*/compiled/.* used" "$tmp/log")
[ "$used" -eq "$n" ] || { cat "$tmp/log"; fail "compiled databases used: $used of $n"; }
# A read-only models directory is fine.
chmod -R a-w "$tmp/models"
"$SUGGEST" --log-level debug analyze --models "$tmp/models" "$note" > "$tmp/b.json" 2> "$tmp/log" ||
  fail "read-only models"
cmp "$tmp/ref.json" "$tmp/b.json" || fail "result differs, read-only models"
chmod -R u+w "$tmp/models"

# Entries for other rules (a stale name) are ignored with a debug line.
for f in "$tmp/models/compiled"/*; do mv "$f" "${f%.*}0.${f##*.}"; done
"$SUGGEST" --log-level debug analyze --models "$tmp/models" "$note" > "$tmp/c.json" 2> "$tmp/log" ||
  fail "stale compiled entries"
cmp "$tmp/ref.json" "$tmp/c.json" || fail "result differs with stale entries"
grep -q "compiled database .* not found .*ignored" "$tmp/log" || { cat "$tmp/log"; fail "no debug line for stale entries"; }
grep -q "compiled database .* used" "$tmp/log" && fail "a stale entry was used"
# Compiling again replaces the entries and removes the stale ones.
"$SUGGEST" models compile --models "$tmp/models" > /dev/null 2>&1 || fail "compile again"
[ "$(ls "$tmp/models/compiled"/* | wc -l)" -eq "$n" ] || fail "stale entries not removed"
# The load's checks of a rule file (examples, counterexamples) are skipped
# only for the bytes that passed them (checked-*.txt): a file changed since
# is checked again, and its error reported (exit 3), compiled/ or not.
ls "$tmp/models/compiled"/checked-*.txt > /dev/null 2>&1 || fail "no checked-*.txt entries"
cp "$tmp/models/rules/fusion.toml" "$tmp/fusion.toml"
printf '\n[[rule]]\nid = "late_fusion_probe"\nkind = "fusion_procedure"\npattern = '"'"'\\bzzfusion\\b'"'"'\nexamples = ["a fusion"]\n' >> "$tmp/models/rules/fusion.toml"
"$SUGGEST" analyze --models "$tmp/models" "$note" > /dev/null 2> "$tmp/err"; rc=$?
[ $rc -eq 3 ] || fail "changed rule file with compiled/: exit $rc"
grep -q "example does not match" "$tmp/err" || fail "changed rule file: $(cat "$tmp/err")"
cp "$tmp/fusion.toml" "$tmp/models/rules/fusion.toml"
# A torn entry under the right name is a miss: the checks run, same result.
for f in "$tmp/models/compiled"/checked-*.txt; do cp "$f" "$f.good"; printf 'torn' > "$f"; done
"$SUGGEST" analyze --models "$tmp/models" "$note" > "$tmp/e.json" || fail "torn checked entries"
cmp "$tmp/ref.json" "$tmp/e.json" || fail "result differs with torn checked entries"
for f in "$tmp/models/compiled"/checked-*.txt; do mv "$f.good" "$f"; done

# A corrupt entry under the right name: refused by Vectorscan, compiled again.
for f in "$tmp/models/compiled"/*.hsdb; do head -c 100 /dev/urandom > "$f"; done
"$SUGGEST" analyze --models "$tmp/models" "$note" > "$tmp/d.json" || fail "corrupt entries"
cmp "$tmp/ref.json" "$tmp/d.json" || fail "result differs with corrupt entries"

# Errors: a models directory that does not load (exit 3).
"$SUGGEST" models compile --models "$tmp/nope" 2> /dev/null; rc=$?
[ $rc -eq 3 ] || fail "missing models: exit $rc"
# A compiled/ that cannot be written (here a regular file in its place): exit 4.
cp -r "$ROOT/models" "$tmp/m2"; rm -rf "$tmp/m2/compiled"; touch "$tmp/m2/compiled"
"$SUGGEST" models compile --models "$tmp/m2" 2> "$tmp/err"; rc=$?
[ $rc -eq 4 ] || fail "unwritable compiled/: exit $rc"
grep -q "cannot write" "$tmp/err" || fail "unwritable compiled/: $(cat "$tmp/err")"
echo "ok"
