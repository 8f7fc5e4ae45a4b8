"""Golden JSON for the example notes: `suggest analyze` output, compared as text.

usage: check_golden.py SUGGEST ROOT NOTE
  runs `SUGGEST analyze --models ROOT/models --id examples/notes/NOTE.txt
  ROOT/examples/notes/NOTE.txt` (default options: the text layer is in) and
  compares the result with ROOT/tests/golden/NOTE.json. On a difference it
  prints a unified diff (golden -> actual) and fails.

SUGGEST_UPDATE_GOLDEN=1 in the environment rewrites the golden file instead
(`SUGGEST_UPDATE_GOLDEN=1 ctest -R golden`); read `git diff tests/golden`
before committing it (docs/testing.md says when and how).

Masked before comparing and writing, and why:
  - "models_version": a digest of models/, which changes with every edit of
    any rule file (daily), whether or not this note's output changes. The key
    stays, with the value "<masked>", so that its presence is still checked.
Nothing else is masked: the id is given with --id (not the checkout's
path), and no other field depends on the machine, the time or the build
directory. The engine version is kept: a release bump updates the goldens.

The golden is pretty-printed (indent 2, UTF-8) in a fixed key order (top
level: TOP_ORDER below, codes before facts before the text layer; nested
objects: sorted keys), so its text is stable whatever order the JSON writer
emits keys in, and a failure reads as a diff of named fields, not as a hash.
"""
import difflib
import json
import os
import subprocess
import sys

MASK = "<masked>"


# Top-level keys in reading order (what was coded and why first, the text
# layer last); keys not listed follow in sorted order. Nested keys are sorted.
TOP_ORDER = ["id", "status", "error", "schema_version", "engine", "models_version",
             "code_set", "setting", "suggestions", "not_coded", "gaps", "suppressed",
             "facts", "sections", "sentences"]


def sort_nested(node):
    if isinstance(node, dict):
        return {k: sort_nested(node[k]) for k in sorted(node)}
    if isinstance(node, list):
        return [sort_nested(v) for v in node]
    return node


def normalize(result):
    if "models_version" in result:
        result["models_version"] = MASK
    result = sort_nested(result)
    keys = [k for k in TOP_ORDER if k in result] + sorted(k for k in result if k not in TOP_ORDER)
    ordered = {k: result[k] for k in keys}
    return json.dumps(ordered, indent=2, ensure_ascii=False) + "\n"


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    suggest, root, note = sys.argv[1:]
    rel = f"examples/notes/{note}.txt"
    golden_path = os.path.join(root, "tests", "golden", f"{note}.json")
    cmd = [suggest, "analyze", "--models", os.path.join(root, "models"),
           "--id", rel, os.path.join(root, rel)]
    run = subprocess.run(cmd, capture_output=True)
    if run.returncode != 0:
        sys.stderr.write(run.stderr.decode("utf-8", "replace"))
        print(f"golden {note}: `{' '.join(cmd)}` exited {run.returncode}")
        return 1
    lines = run.stdout.decode("utf-8").splitlines()
    if len(lines) != 1:
        print(f"golden {note}: expected one JSON line, got {len(lines)}")
        return 1
    actual = normalize(json.loads(lines[0]))

    if os.environ.get("SUGGEST_UPDATE_GOLDEN") == "1":
        old = open(golden_path, encoding="utf-8").read() if os.path.exists(golden_path) else None
        if old != actual:
            with open(golden_path, "w", encoding="utf-8") as f:
                f.write(actual)
            print(f"golden {note}: rewrote {golden_path} (review with `git diff tests/golden`)")
        else:
            print(f"golden {note}: unchanged")
        return 0

    if not os.path.exists(golden_path):
        print(f"golden {note}: {golden_path} is missing; create it with "
              f"`SUGGEST_UPDATE_GOLDEN=1 ctest -R golden` and check it by hand")
        return 1
    expected = open(golden_path, encoding="utf-8").read()
    if expected == actual:
        print(f"golden {note}: ok")
        return 0
    diff = difflib.unified_diff(expected.splitlines(keepends=True),
                                actual.splitlines(keepends=True),
                                fromfile=f"tests/golden/{note}.json (golden)",
                                tofile=f"suggest analyze {rel} (actual)", n=4)
    sys.stdout.writelines(diff)
    print(f"\ngolden {note}: output differs from the golden (diff above: - golden, + actual).\n"
          f"If every change is intended, run `SUGGEST_UPDATE_GOLDEN=1 ctest -R golden`, "
          f"read `git diff tests/golden` and commit it with the change that caused it "
          f"(docs/testing.md).")
    return 1


if __name__ == "__main__":
    sys.exit(main())
