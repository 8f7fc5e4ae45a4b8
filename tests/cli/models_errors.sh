#!/usr/bin/env bash
# A broken models folder stops analyze and batch with exit 3 and a message
# naming the file (and line:column for bad data) before any output is written.
# The loaders' own messages are unit-tested (tests/unit: bad_rules,
# bad_sections, bad_context, bad_codes); this is the end-to-end contract.
set -uo pipefail
SUGGEST="$1"; ROOT="$2"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
RUNNER=()  # a command prefix, e.g. (timeout 60)

note="$ROOT/examples/notes/radiology_ct.txt"
printf '{"id": "a", "text": "s/p L4-L5 fusion"}\n' > "$tmp/in.jsonl"

# $1 = label, $2 = models folder, $3 = regex the message must match;
# further args go to suggest before the subcommand's own.
expect_load_error() {
  local label="$1" models="$2" want="$3"
  shift 3
  "${RUNNER[@]}" "$SUGGEST" analyze --models "$models" "$@" "$note" > "$tmp/out" 2> "$tmp/err"; rc=$?
  [ $rc -eq 3 ] || fail "$label: analyze exit $rc, expected 3"
  [ -s "$tmp/out" ] && fail "$label: analyze wrote output"
  grep -Eq "cannot load models: .*$want" "$tmp/err" || fail "$label: message: $(cat "$tmp/err")"
  rm -f "$tmp/out.jsonl"
  "${RUNNER[@]}" "$SUGGEST" batch --models "$models" "$@" --input "$tmp/in.jsonl" --output "$tmp/out.jsonl" \
    2> "$tmp/err"; rc=$?
  [ $rc -eq 3 ] || fail "$label: batch exit $rc, expected 3"
  [ -e "$tmp/out.jsonl" ] && fail "$label: batch created its output"
  grep -Eq "cannot load models: .*$want" "$tmp/err" || fail "$label: batch message: $(cat "$tmp/err")"
}

fresh() { rm -rf "$tmp/m"; cp -r "$ROOT/models" "$tmp/m"; }

# The copy itself loads (so every failure below is the one we made).
fresh
"$SUGGEST" analyze --models "$tmp/m" "$note" > /dev/null 2>&1 || fail "an intact copy does not load"

expect_load_error "missing folder" "$tmp/nowhere" "models directory not found: $tmp/nowhere"

fresh; rm "$tmp/m/sections.toml"
expect_load_error "missing file" "$tmp/m" "$tmp/m/sections.toml: error: cannot read file"

fresh; rm "$tmp/m/rules/fusion.toml"
expect_load_error "missing rule pack" "$tmp/m" "$tmp/m/manifest.toml:[0-9]+:[0-9]+: error: packs.concepts: no pack file rules/fusion.toml"

# Unreadable: root reads any file whatever its mode, so a folder stands in
# for the file (it used to load as an empty document: "missing
# schema_version"); chmod 000 is tried when not root.
fresh; rm "$tmp/m/context.toml"; mkdir "$tmp/m/context.toml"
expect_load_error "folder in place of a file" "$tmp/m" \
  "$tmp/m/context.toml: error: cannot read file: it is a directory"
if [ "$(id -u)" -ne 0 ]; then
  fresh; chmod 000 "$tmp/m/map.toml"
  expect_load_error "unreadable file" "$tmp/m" "$tmp/m/map.toml: error: cannot read file"
fi

# A FIFO (or device) in place of a file would block the load forever: refused
# without being opened. `timeout` turns a hang into a failure.
fresh; rm "$tmp/m/rules/dish.toml"; mkfifo "$tmp/m/rules/dish.toml"
RUNNER=(timeout 60)
expect_load_error "FIFO in place of a rule pack" "$tmp/m" \
  "$tmp/m/rules/dish.toml: error: cannot read file: not a regular file"
fresh; rm "$tmp/m/icd10cm/fy2027/codes.tsv"; mkfifo "$tmp/m/icd10cm/fy2027/codes.tsv"
expect_load_error "FIFO in place of the code table" "$tmp/m" \
  "$tmp/m/icd10cm/fy2027/codes.tsv: error: cannot read file"
RUNNER=()

# A MANIFEST whose year disagrees with its folder would mislabel every result.
fresh; sed -i 's/^fiscal_year\t2027$/fiscal_year\t2026/' "$tmp/m/icd10cm/fy2027/MANIFEST"
expect_load_error "MANIFEST year mismatch" "$tmp/m" \
  "$tmp/m/icd10cm/fy2027/MANIFEST:[0-9]+:[0-9]+: error: fiscal_year 2026 disagrees with the folder name \"fy2027\""

fresh; printf '\n[[section]\nkind = \n' >> "$tmp/m/sections.toml"
line=$(wc -l < "$tmp/m/sections.toml")
expect_load_error "corrupt TOML" "$tmp/m" "$tmp/m/sections.toml:$((line - 1)):[0-9]+: error: "

fresh; : > "$tmp/m/map.toml"
expect_load_error "empty file" "$tmp/m" "$tmp/m/map.toml:1:1: error: missing schema_version"

fresh; printf 'schema_version = 1\n\xff\xfe\n' > "$tmp/m/context.toml"
expect_load_error "invalid UTF-8" "$tmp/m" "$tmp/m/context.toml:[0-9]+:[0-9]+: error: .*utf-8"

fresh; rm -r "$tmp/m/icd10cm/fy2027"
expect_load_error "missing code table" "$tmp/m" "$tmp/m/icd10cm/fy2027/.*cannot read file"

fresh
expect_load_error "unknown code-set year" "$tmp/m" "fy1999" --code-set-year 1999

# The prescreen's reading of a rule (screen = "tail") is checked at load: a
# value it does not know, or a pattern with no tail to screen by.
fresh; sed -i 's/^attributes = { screen = "tail" }$/attributes = { screen = "tale" }/' "$tmp/m/rules/fusion.toml"
grep -q 'screen = "tale"' "$tmp/m/rules/fusion.toml" || fail "fusion.toml has no screen = \"tail\" rule to break"
expect_load_error "unknown screen value" "$tmp/m" \
  "$tmp/m/rules/fusion.toml:[0-9]+:[0-9]+: error: rule \"fusion_named_spinal\": screen must be \"tail\", \"head\" or \"acronym\""
fresh; sed -i '/^id = "dish_named"$/,/^attributes/s/^attributes = { explains_fusion = "note" }$/attributes = { explains_fusion = "note", screen = "tail" }/' "$tmp/m/rules/dish.toml"
grep -q 'screen = "tail"' "$tmp/m/rules/dish.toml" || fail "could not mark dish_named"
expect_load_error "screen by a tail it lacks" "$tmp/m" \
  "$tmp/m/rules/dish.toml:[0-9]+:[0-9]+: error: rule \"dish_named\": screen = \"tail\" needs"
# screen = "acronym" needs a rule with original_case and an acronym group
# every match holds.
fresh; sed -i '/^id = "dish_named"$/,/^attributes/s/^attributes = { explains_fusion = "note" }$/attributes = { explains_fusion = "note", screen = "acronym" }/' "$tmp/m/rules/dish.toml"
grep -q 'screen = "acronym"' "$tmp/m/rules/dish.toml" || fail "could not mark dish_named"
expect_load_error "screen by an acronym it lacks" "$tmp/m" \
  "$tmp/m/rules/dish.toml:[0-9]+:[0-9]+: error: rule \"dish_named\": screen = \"acronym\" needs"
# A rule screened two ways (screen and screen_pattern) is a load error.
fresh; sed -i 's/^attributes = { screen = "tail" }$/attributes = { screen = "tail" }\nscreen_pattern = '"'"'\\b(?:fusions?|arthrodesis)\\b'"'"'/' "$tmp/m/rules/fusion.toml"
grep -q '^screen_pattern' "$tmp/m/rules/fusion.toml" || fail "could not add a screen_pattern"
expect_load_error "screen twice" "$tmp/m" \
  "$tmp/m/rules/fusion.toml:[0-9]+:[0-9]+: error: rule \"fusion_named_spinal\": screen and screen_pattern both"
echo "1 passed, 0 failed"
