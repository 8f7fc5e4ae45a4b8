#!/usr/bin/env bash
# Every `suggest batch` result line for the whole corpus (with --text-layer and
# on the default fast path) hashes to the checked-in snapshot
# tests/data/corpus_output_digests.tsv: the guard that performance work leaves
# outputs byte-identical. A regression snapshot, not a correctness claim;
# regenerate on purpose with scripts/corpus_digests.py --write (see its header).
set -uo pipefail
SUGGEST="$1"; ROOT="$2"; SHARED="$3"
/usr/bin/python3 "$ROOT/scripts/corpus_digests.py" --suggest "$SUGGEST" \
  --corpus "$SHARED/corpus/mtsamples.jsonl" \
  --check "$ROOT/tests/data/corpus_output_digests.tsv" || { echo "FAIL: outputs changed"; exit 1; }
echo "1 passed, 0 failed"
