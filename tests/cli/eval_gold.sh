#!/usr/bin/env bash
# Regression guard for `suggest-dev eval` on the dev gold notes: code and
# fused-segment F1 must not fall below the figures in docs/evaluation.md
# minus 0.02 (one note's worth of slack on 62 notes).
set -euo pipefail
SUGGEST="$1"; ROOT="$2"; SHARED="$3"
SUGGEST_DEV="${SUGGEST_DEV:-$(dirname "$SUGGEST")/suggest-dev}"  # developer commands (tests/CMakeLists.txt)
out=$("$SUGGEST_DEV" eval --gold "$SHARED/gold/dev.jsonl" --json)
/usr/bin/python3 - "$out" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
assert r["notes"] == 62, r["notes"]
codes, seg = r["codes"]["f1"], r["segments"]["f1"]
print(f"codes F1 {codes:.3f}, segments F1 {seg:.3f}")
for d in r["disagreements"]:
    print("  ", d)
assert codes >= 0.98, f"code F1 {codes} below guard"
assert seg >= 0.98, f"segment F1 {seg} below guard"
print("1 passed, 0 failed")
PY
