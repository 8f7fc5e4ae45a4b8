"""Checks every span of suggest's JSON output against the original bytes.

usage: check_spans.py RESULT.jsonl NOTE_FILE [NOTE_FILE...]
       check_spans.py RESULT.jsonl --jsonl INPUT.jsonl

For each ok record: every object with "begin"/"end"/"text" must satisfy
original[begin:end] == text (as bytes), 0 <= begin <= end <= len(original).
"""
import json
import sys


def walk(node):
    if isinstance(node, dict):
        if "begin" in node and "end" in node and "text" in node:
            yield node
        for v in node.values():
            yield from walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from walk(v)


def main():
    results = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
    if sys.argv[2] == "--jsonl":
        originals = {}
        for line in open(sys.argv[3], encoding="utf-8"):
            if line.strip():
                try:
                    rec = json.loads(line)
                    originals[str(rec["id"])] = rec["text"].encode("utf-8")
                except Exception:
                    pass
    else:
        originals = {p: open(p, "rb").read() for p in sys.argv[2:]}
    checked = 0
    for r in results:
        if r["status"] != "ok":
            continue
        orig = originals[r["id"]]
        for span in walk(r):
            b, e = span["begin"], span["end"]
            assert 0 <= b <= e <= len(orig), (r["id"], b, e)
            got = orig[b:e].decode("utf-8")
            assert got == span["text"], (r["id"], b, e, got, span["text"])
            checked += 1
    assert checked > 0, "no spans checked"
    print(f"{checked} spans ok")


main()
