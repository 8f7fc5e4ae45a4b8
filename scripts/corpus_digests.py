"""Per-note output digests of `suggest batch` over the whole corpus.

A REGRESSION SNAPSHOT, not a correctness claim: the checked-in file records
what the code printed when it was last regenerated, so a change meant to be
output-neutral (performance work, refactoring) can prove it changed no byte of
any result. When rules, code tables or the result shape change on purpose,
regenerate the file and review the listed ids in the same change:

  /usr/bin/python3 scripts/corpus_digests.py --suggest build/suggest \
      --corpus ../shared/corpus/mtsamples.jsonl \
      --write tests/data/corpus_output_digests.tsv

Check (what ctest `cli.corpus_output_digests` runs):

  /usr/bin/python3 scripts/corpus_digests.py --suggest build/suggest \
      --corpus ../shared/corpus/mtsamples.jsonl \
      --check tests/data/corpus_output_digests.tsv [--keep DIR]

Each data row is: id <TAB> sha256(result line, --text-layer) <TAB>
sha256(result line, default fast path). The digest covers the exact bytes of
the output line without its newline. Standard library only.
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile

HEADER = (
    "# Regression snapshot of `suggest batch` output over the whole corpus\n"
    "# (not a correctness claim). Regenerate on purpose with\n"
    "# scripts/corpus_digests.py --write when outputs change intentionally.\n"
    "id\tsha256_text_layer\tsha256_fast_path\n"
)


def run_batch(suggest, corpus, out, text_layer):
    cmd = [suggest, "batch", "--input", corpus, "--output", out, "--no-progress"]
    if text_layer:
        cmd.append("--text-layer")
    # Exit 1 means some note failed; its error record is output like any
    # other and is part of the snapshot.
    rc = subprocess.run(cmd).returncode
    if rc not in (0, 1):
        sys.exit(f"error: {' '.join(cmd)} exited {rc}")


def digests(path):
    rows = []
    with open(path, "rb") as f:
        for line in f:
            line = line.rstrip(b"\n")
            rid = json.loads(line)["id"]
            rows.append((rid, hashlib.sha256(line).hexdigest()))
    return rows


def compute(suggest, corpus, workdir):
    full_path = os.path.join(workdir, "text_layer.jsonl")
    fast_path = os.path.join(workdir, "fast_path.jsonl")
    run_batch(suggest, corpus, full_path, True)
    run_batch(suggest, corpus, fast_path, False)
    full, fast = digests(full_path), digests(fast_path)
    if [r for r, _ in full] != [r for r, _ in fast]:
        sys.exit("error: the two runs returned different ids or orders")
    return [(rid, a, b) for (rid, a), (_, b) in zip(full, fast)]


def read_snapshot(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or line.startswith("id\t"):
                continue
            rows.append(tuple(line.rstrip("\n").split("\t")))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--suggest", required=True, help="the suggest binary")
    ap.add_argument("--corpus", required=True, help="JSONL corpus (mtsamples.jsonl)")
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", metavar="TSV", help="write the snapshot")
    mode.add_argument("--check", metavar="TSV", help="compare with the snapshot")
    ap.add_argument("--keep", metavar="DIR",
                    help="keep the two batch outputs here (to inspect a difference)")
    args = ap.parse_args()

    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
        rows = compute(args.suggest, args.corpus, args.keep)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            rows = compute(args.suggest, args.corpus, tmp)

    if args.write:
        with open(args.write, "w", encoding="utf-8") as f:
            f.write(HEADER)
            for row in rows:
                f.write("\t".join(row) + "\n")
        print(f"wrote {len(rows)} rows to {args.write}")
        return

    want = read_snapshot(args.check)
    if [r[0] for r in want] != [r[0] for r in rows]:
        sys.exit(f"FAIL: ids differ from the snapshot ({len(rows)} results, "
                 f"{len(want)} snapshot rows)")
    bad = [(g[0], "text_layer" if g[1] != w[1] else "", "fast_path" if g[2] != w[2] else "")
           for g, w in zip(rows, want) if g != w]
    if bad:
        print(f"FAIL: {len(bad)} of {len(rows)} notes differ from {args.check}:")
        for rid, a, b in bad[:20]:
            print(f"  id {rid}: {' '.join(x for x in (a, b) if x)}")
        print("If the change is intended, regenerate with scripts/corpus_digests.py --write "
              "(see its header); --keep DIR keeps the outputs to diff.")
        sys.exit(1)
    print(f"{len(rows)} notes: outputs identical to the snapshot (text layer and fast path)")


if __name__ == "__main__":
    main()
