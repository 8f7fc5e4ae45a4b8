#!/usr/bin/env bash
# The checked-in code tables (models/icd10cm/fy*/) are exactly what
# scripts/gen_code_table.py makes from ../shared/icd10cm: regenerate into a
# temp dir and diff, so the data cannot drift from the script (or the script
# from the data). Args: suggest binary (unused), source root, shared dir.
set -uo pipefail
ROOT="$2"; SHARED="$3"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

for year in 2027 2026; do
  /usr/bin/python3 "$ROOT/scripts/gen_code_table.py" --year "$year" \
      --shared "$SHARED" --out "$tmp" 2> "$tmp/log.$year" \
    || { cat "$tmp/log.$year"; fail "generator failed for FY$year"; }
  diff -ru "$ROOT/models/icd10cm/fy$year" "$tmp/fy$year" \
    || fail "models/icd10cm/fy$year differs from the generator output; run scripts/gen_code_table.py --year $year"
done
# --make-default is the only thing that touches OUT/default.
[ ! -e "$tmp/default" ] || fail "generator wrote default without --make-default"
default=$(cat "$ROOT/models/icd10cm/default") || fail "no models/icd10cm/default"
[ -f "$ROOT/models/icd10cm/$default/codes.tsv" ] || fail "default $default has no codes.tsv"

# A year whose notes were never checked is refused unless asked for.
if /usr/bin/python3 "$ROOT/scripts/gen_code_table.py" --year 2025 \
    --shared "$SHARED" --out "$tmp" 2> "$tmp/log.2025"; then
  fail "unchecked notes year accepted"
fi
grep -q 'error:' "$tmp/log.2025" || fail "no error message for an unchecked year"
# Notes whose title disagrees with the order file fail the run, writing nothing.
mkdir -p "$tmp/shared/icd10cm"
ln -s "$SHARED/icd10cm/icd10cm_order_2027.txt" "$tmp/shared/icd10cm/"
sed 's/"Arthrodesis status"/"Arthrodesis state"/' "$SHARED/icd10cm/spine_codes.json" \
  > "$tmp/shared/icd10cm/spine_codes.json"
if /usr/bin/python3 "$ROOT/scripts/gen_code_table.py" --year 2027 \
    --shared "$tmp/shared" --out "$tmp/mismatch" 2> "$tmp/log.mismatch"; then
  fail "title mismatch accepted"
fi
grep -q "Z98.1: title differs" "$tmp/log.mismatch" || { cat "$tmp/log.mismatch"; fail "mismatch not reported"; }
[ ! -e "$tmp/mismatch" ] || fail "files written despite the error"
echo "ok"
