#!/usr/bin/env bash
# suggest lint MODELS_DIR: a clean folder gives one OK line and exit 0; a
# folder broken in several files at once gives every error in one run
# (PATH:LINE:COLUMN: error: ..., "did you mean" for near misses), a count on
# stderr and exit 1; more than 50 errors end with "... and N more errors".
set -uo pipefail
SUGGEST="$1"; ROOT="$2"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
fresh() { rm -rf "$tmp/m"; cp -r "$ROOT/models" "$tmp/m"; }

fresh
"$SUGGEST" lint "$tmp/m" > "$tmp/out" 2> "$tmp/err"; rc=$?
[ $rc -eq 0 ] || fail "clean copy: exit $rc: $(cat "$tmp/out" "$tmp/err")"
[ "$(wc -l < "$tmp/out")" -eq 1 ] || fail "clean copy: not one line: $(cat "$tmp/out")"
grep -Eq "^suggest lint: OK: $tmp/m \(models [0-9a-f]+, code sets FY[0-9]{4}" "$tmp/out" ||
  fail "clean copy: $(cat "$tmp/out")"

"$SUGGEST" lint "$tmp/nowhere" > "$tmp/out" 2> "$tmp/err"; rc=$?
[ $rc -eq 1 ] || fail "missing folder: exit $rc"
grep -q "models directory not found: $tmp/nowhere" "$tmp/out" || fail "missing folder: $(cat "$tmp/out")"

# Six mistakes in five files (two in fusion.toml).
fresh
printf '\n[[section]]\nkind = "impresion"\nheaders = ["lint test header"]\n' >> "$tmp/m/sections.toml"
printf '\n[[modifier]]\nid = "lint_bad_category"\ncategory = "NEGATD"\ndirection = "forward"\nphrases = ["lint"]\n' \
  >> "$tmp/m/context.toml"
printf '\n[[rule]]\nid = "lint_typo_key"\nkind = "fusion_procedure"\npatern = '"'"'\\blint\\b'"'"'\n' \
  >> "$tmp/m/rules/fusion.toml"
printf '\n[[rule]]\nid = "lint_bad_kind"\nkind = "fusion_procedur"\npattern = '"'"'\\blint\\b'"'"'\n' \
  >> "$tmp/m/rules/fusion.toml"
printf '\n[[rule]]\nid = "lint_example"\nkind = "dish"\npattern = '"'"'\\blint\\b'"'"'\nexamples = ["no match"]\n' \
  >> "$tmp/m/rules/dish.toml"
printf '\n[[map]]\nid = "lint_map"\nfact = "dish"\nassertion = ["presnt"]\ncode = "M48.10"\nrationale = "x"\n' \
  >> "$tmp/m/map.toml"
"$SUGGEST" lint "$tmp/m" > "$tmp/out" 2> "$tmp/err"; rc=$?
[ $rc -eq 1 ] || fail "broken copy: exit $rc, expected 1"
for want in \
  "$tmp/m/sections.toml:[0-9]+:[0-9]+: error: unknown section kind 'impresion' .*; did you mean 'impression'\?" \
  "$tmp/m/context.toml:[0-9]+:[0-9]+: error: modifier \"lint_bad_category\": unknown category \"NEGATD\" .*; did you mean 'NEGATED'\?" \
  "$tmp/m/rules/fusion.toml:[0-9]+:[0-9]+: error: rule \"lint_typo_key\": unknown key \"patern\" \(allowed: .*\); did you mean 'pattern'\?" \
  "$tmp/m/rules/fusion.toml:[0-9]+:[0-9]+: error: rule \"lint_bad_kind\": kind \"fusion_procedur\" is not in this pack's kinds \(allowed: fusion_procedure\); did you mean 'fusion_procedure'\?" \
  "$tmp/m/rules/dish.toml:[0-9]+:[0-9]+: error: rule \"lint_example\": example does not match: \"no match\"" \
  "$tmp/m/map.toml:[0-9]+:[0-9]+: error: map \"lint_map\": unknown assertion \"presnt\" \(allowed: .*\); did you mean 'present'\?"; do
  grep -Eq "^$want\$" "$tmp/out" || fail "missing: $want
got:
$(cat "$tmp/out")"
done
[ "$(wc -l < "$tmp/out")" -eq 6 ] || fail "not exactly 6 errors: $(cat "$tmp/out")"
grep -qx "suggest lint: 6 errors in $tmp/m" "$tmp/err" || fail "summary: $(cat "$tmp/err")"

# analyze reports the same load errors (exit 3), all of them.
"$SUGGEST" analyze --models "$tmp/m" "$ROOT/examples/notes/radiology_ct.txt" > /dev/null 2> "$tmp/err"; rc=$?
[ $rc -eq 3 ] || fail "analyze exit $rc, expected 3"
for f in sections.toml context.toml rules/fusion.toml rules/dish.toml map.toml; do
  grep -q "$tmp/m/$f:" "$tmp/err" || fail "analyze does not name $f: $(cat "$tmp/err")"
done

# More than 50: the first 50 and a count of the rest.
fresh
for i in $(seq 1 60); do
  printf '\n[[rule]]\nid = "lint_many_%d"\nkind = "anchor"\npatern = "x"\n' "$i" >> "$tmp/m/rules/anchors.toml"
done
"$SUGGEST" lint "$tmp/m" > "$tmp/out" 2> "$tmp/err"; rc=$?
[ $rc -eq 1 ] || fail "60 errors: exit $rc"
[ "$(wc -l < "$tmp/out")" -eq 51 ] || fail "60 errors: $(wc -l < "$tmp/out") lines"
[ "$(tail -n 1 "$tmp/out")" = "... and 10 more errors" ] || fail "60 errors: last line $(tail -n 1 "$tmp/out")"
grep -qx "suggest lint: 60 errors in $tmp/m" "$tmp/err" || fail "60 errors summary: $(cat "$tmp/err")"
# The manifest: a misspelt role (the packs it lists are then not read), and,
# with a sound manifest, a rule kind it does not declare and a map rule
# reading one.
fresh
sed -i 's/^dish = \["documents_cause"/dish = ["documents_caus"/' "$tmp/m/manifest.toml"
"$SUGGEST" lint "$tmp/m" > "$tmp/out" 2> "$tmp/err"; rc=$?
[ $rc -eq 1 ] || fail "manifest role: exit $rc"
grep -Eqx "$tmp/m/manifest.toml:[0-9]+:[0-9]+: error: kinds.dish: unknown role \"documents_caus\" \(allowed: .*\); did you mean 'documents_cause'\?" "$tmp/out" ||
  fail "manifest role: $(cat "$tmp/out")"
fresh
sed -i 's/^kinds = \["fusion_procedure"\]/kinds = ["fusion_procedure", "spinal_fusion"]/' "$tmp/m/rules/fusion.toml"
printf '\n[[rule]]\nid = "lint_undeclared"\nkind = "spinal_fusion"\npattern = '"'"'\\blint\\b'"'"'\n' \
  >> "$tmp/m/rules/fusion.toml"
sed -i 's/^fact = "dish"/fact = "dihs"/' "$tmp/m/map.toml"
"$SUGGEST" lint "$tmp/m" > "$tmp/out" 2> "$tmp/err"; rc=$?
[ $rc -eq 1 ] || fail "undeclared kind: exit $rc"
grep -Eqx "$tmp/m/rules/fusion.toml:[0-9]+:8: error: rule \"lint_undeclared\": kind \"spinal_fusion\" is not declared in manifest.toml \[kinds\]" "$tmp/out" ||
  fail "undeclared kind: $(cat "$tmp/out")"
grep -Eqx "$tmp/m/map.toml:[0-9]+:8: error: map \"dish\": fact \"dihs\" is not a kind declared in manifest.toml \[kinds\]; did you mean 'dish'\?" "$tmp/out" ||
  fail "undeclared fact: $(cat "$tmp/out")"
[ "$(wc -l < "$tmp/out")" -eq 2 ] || fail "undeclared kind: not 2 errors: $(cat "$tmp/out")"
echo "PASS"
