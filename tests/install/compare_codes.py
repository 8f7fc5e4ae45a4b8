#!/usr/bin/python3
"""Checks an example's output against `suggest analyze` for the same note.

  compare_codes.py [--codes-only] EXAMPLE_OUTPUT CLI_JSON

EXAMPLE_OUTPUT holds one line per suggestion, as the examples print them:
CODE<TAB>rank=N<TAB>score=S<TAB>"evidence" | "evidence". CLI_JSON is the JSON
line of `suggest analyze`. Code, rank, score (2 decimals) and evidence text
(control characters as spaces) must match, in order. With --codes-only only
the codes are compared: the first word of every line that starts with an
ICD-10-CM code (for examples with their own line format). Prints the codes.
Standard library only (runs with /usr/bin/python3 in CI).
"""
import json
import re
import sys

CODE = re.compile(r"[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$")


def one_line(text):
    return "".join(" " if ord(c) < 0x20 or c == "\x7f" else c for c in text)


def expected_lines(result):
    lines = []
    for s in result["suggestions"]:
        evidence = " | ".join('"%s"' % one_line(e["text"]) for e in s["evidence"])
        lines.append("%s\trank=%d\tscore=%.2f\t%s" % (s["code"], s["rank"], s["score"], evidence))
    return lines


def main():
    args = sys.argv[1:]
    codes_only = args[:1] == ["--codes-only"]
    if codes_only:
        args = args[1:]
    if len(args) != 2:
        sys.exit(__doc__)
    with open(args[0], encoding="utf-8") as f:
        got = f.read().splitlines()
    with open(args[1], encoding="utf-8") as f:
        result = json.loads(f.read())
    if result.get("status") != "ok":
        sys.exit("suggest analyze failed: %r" % result.get("error"))
    want = expected_lines(result)
    if codes_only:
        words = [line.split(None, 1)[0] for line in got if line.strip()]
        got = [w for w in words if CODE.match(w)]
        want = [s["code"] for s in result["suggestions"]]
    if got != want:
        print("example output differs from `suggest analyze`:", file=sys.stderr)
        print("  got:  %r" % got, file=sys.stderr)
        print("  want: %r" % want, file=sys.stderr)
        sys.exit(1)
    print("codes: " + (" ".join(line.split(None, 1)[0] for line in got) or "(none)"))


if __name__ == "__main__":
    main()
