#!/usr/bin/env bash
# suggest analyze on every example note: valid JSON, sentences and sections
# present, every span's text equals the original bytes at its offsets.
set -euo pipefail
SUGGEST="$1"; ROOT="$2"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for f in "$ROOT"/examples/notes/*.txt; do
  "$SUGGEST" analyze "$f" >> "$tmp/out.jsonl"
done
/usr/bin/python3 "$ROOT/tests/cli/check_spans.py" "$tmp/out.jsonl" "$ROOT"/examples/notes/*.txt
/usr/bin/python3 - "$tmp/out.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    assert r["status"] == "ok", r
    assert len(r["sentences"]) >= 3, r["id"]
    assert len(r["sections"]) >= 3, r["id"]
    for k in ("suggestions", "facts", "suppressed", "gaps"):
        assert isinstance(r[k], list)
print("analyze ok")
PY
# stdin works and the CRLF example keeps byte offsets of the original.
"$SUGGEST" analyze - < "$ROOT/examples/notes/clinic_followup_crlf.txt" > "$tmp/stdin.jsonl"
grep -q '"id":"stdin"' "$tmp/stdin.jsonl"
