#!/usr/bin/env bash
# suggest-dev eval-negex on the NegEx kit's dev half: the Negated-class F1 must
# not fall more than 0.01 below the figure in docs/evaluation.md (0.983).
set -uo pipefail
SUGGEST="$1"; ROOT="$2"; SHARED="$3"
SUGGEST_DEV="${SUGGEST_DEV:-$(dirname "$SUGGEST")/suggest-dev}"  # developer commands (tests/CMakeLists.txt)
FLOOR=0.973
fail() { echo "FAIL: $*"; exit 1; }
NEGEX="$SHARED/negex/negex_dev.jsonl"; CONTEXT="$SHARED/negex/context_dev.jsonl"
if [ ! -f "$NEGEX" ] || [ ! -f "$CONTEXT" ]; then
  echo "skipped: $NEGEX not present"; exit 0
fi
out=$("$SUGGEST_DEV" eval-negex --json --negex "$NEGEX" --context "$CONTEXT") || fail "exit $?"
/usr/bin/python3 - "$out" "$FLOOR" <<'PY' || exit 1
import json, sys
r = json.loads(sys.argv[1]); floor = float(sys.argv[2])
f1 = r["negex"]["f1"]
print("negex Negated P %.3f R %.3f F1 %.3f acc %.4f" % (
    r["negex"]["precision"], r["negex"]["recall"], f1, r["negex"]["accuracy"]))
assert r["negex"]["rows"] == 1175, r["negex"]["rows"]
assert f1 >= floor, "Negated F1 %.4f < %.3f" % (f1, floor)
assert r["context"]["negation"]["f1"] >= floor - 0.01, r["context"]["negation"]
PY
echo "1 passed, 0 failed"
