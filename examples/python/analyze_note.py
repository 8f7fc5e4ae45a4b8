#!/usr/bin/env python3
"""analyze_note: the Python package `suggest` in one file.

Loads the models (models_dir=None: $SUGGEST_MODELS, else the models installed
beside libsuggest), analyses one note and prints one line per suggestion,
best first, like examples/c and examples/cpp:

    CODE<TAB>rank=N<TAB>score=S<TAB>"evidence text" | "more evidence"

and, on stderr, the models directory used ("models: DIR").

    python3 examples/python/analyze_note.py NOTE.txt

Exit status: 0 ok, 1 the note could not be analysed, 2 usage, 3 models failed
to load, 4 the note could not be read.
"""

import sys

import suggest


def one_line(text: str) -> str:
    # An evidence span may cross a line break: print control characters as spaces.
    return "".join(" " if ord(c) < 0x20 or c == "\x7f" else c for c in text)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(f"usage: {argv[0]} NOTE.txt", file=sys.stderr)
        return 2
    try:
        # A str note: offsets are code points, so note[e.begin:e.end] == e.text.
        with open(argv[1], encoding="utf-8", errors="surrogateescape") as f:
            note = f.read()
    except OSError as e:
        print(f"cannot read {argv[1]}: {e}", file=sys.stderr)
        return 4
    try:
        model = suggest.Model(text_layer=False)  # sections/sentences are not printed
    except suggest.ModelLoadError as e:
        print(f"cannot load models: {e}", file=sys.stderr)
        return 3
    except suggest.LibraryError as e:
        print(f"cannot load libsuggest: {e}", file=sys.stderr)
        return 3
    with model:
        print(f"models: {model.models_dir}", file=sys.stderr)
        try:
            result = model.analyze(note, id=argv[1])
        except suggest.SuggestError as e:  # e.g. InvalidUtf8Error, EmptyNoteError
            where = f" at byte {e.offset}" if e.offset is not None else ""
            print(f"{argv[1]}: {e}{where}", file=sys.stderr)
            return 1
    for s in result.suggestions:
        assert all(note[e.begin:e.end] == e.text for e in s.evidence)
        evidence = " | ".join(f'"{one_line(e.text)}"' for e in s.evidence)
        print(f"{s.code}\trank={s.rank}\tscore={s.score:.2f}\t{evidence}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
