#!/usr/bin/env bash
# Regression guard for `suggest-dev eval` on the second development set
# (tests/dev2/dev2.jsonl, 123 reconciled contrast notes, see tests/dev2/README.md).
# The set has no required code and no fused segment, so code and segment F1
# are degenerate (1.0 from tp 0, fp 0, fn 0) and cannot drop. The guard is
# therefore on false positives: measured code fp 0 and segment fp 0 (README
# "Results"); any false-positive code or fused segment fails. If positive labels
# are ever added to dev2.jsonl, replace this with an F1 guard (measured - 0.02).
set -euo pipefail
SUGGEST="$1"; ROOT="$2"
SUGGEST_DEV="${SUGGEST_DEV:-$(dirname "$SUGGEST")/suggest-dev}"  # developer commands (tests/CMakeLists.txt)
out=$("$SUGGEST_DEV" eval --gold "$ROOT/tests/dev2/dev2.jsonl" --json)
/usr/bin/python3 - "$out" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
assert r["notes"] == 123, r["notes"]
c, s = r["codes"], r["segments"]
print(f"codes tp {c['tp']} fp {c['fp']} fn {c['fn']} F1 {c['f1']:.3f}; "
      f"segments tp {s['tp']} fp {s['fp']} fn {s['fn']} F1 {s['f1']:.3f}")
for d in r["disagreements"]:
    print("  ", d)
assert c["tp"] + c["fn"] == 0 and s["tp"] + s["fn"] == 0, \
    "dev2 now has positive labels: replace the fp guard with an F1 guard"
assert c["fp"] <= 0, f"{c['fp']} false-positive code(s) on dev2 (measured 0)"
assert s["fp"] <= 0, f"{s['fp']} false-positive fused segment(s) on dev2 (measured 0)"
print("1 passed, 0 failed")
PY
