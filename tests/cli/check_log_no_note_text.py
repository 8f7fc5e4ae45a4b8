#!/usr/bin/env python3
"""Checks that no note text appears in a log (issue 7: no PHI in logs).

    check_log_no_note_text.py LOG NOTES...

NOTES are files of note text: a JSONL file of {"text": ...} records (lines
that are not valid JSON count as raw text: a broken record's bytes must not
be logged either), or any other file, read as one note. Every 24-byte window
of every note, taken every 12 bytes, is looked up in the log's bytes (so any
leaked run of 35 bytes or more is found). A
window is skipped when it has fewer than 8 letters (white space, digits,
punctuation: dates, doses, "----") or when all its words are words of the
program's own messages (a note saying "bad record" would otherwise match a
log line). Exit 1 and the first leaks on stdout if any window is found.

--self-test LOG NOTES...: the same check, and proof that it can fail: a copy
of LOG with 36 bytes of a note appended must be caught.
"""

import json
import re
import sys

WINDOW = 24
STRIDE = 12

# Words of the messages suggest writes to stderr (spdlog lines, progress,
# summary), lower case. A window made only of these could match a log line
# without coming from a note.
MESSAGE_WORDS = set("""
suggest trace debug info warning warn error critical batch progress notes note
s eta summary errors error codes none done resuming after records record
failed invalid argument utf bytes exceeds the limit of line bad not a json
object or missing id string integer text row has fields header quote inside
an unquoted field after closing unterminated quoted model loaded from models
cannot read input file regular is directory write output no space left on
device too large were written whole later resume continues them open such
load found not_found invalid_argument note_too_large invalid_utf at byte
empty empty_note resumed skipped
""".split())


def letters(b):
    return sum(1 for c in b if 65 <= c <= 90 or 97 <= c <= 122 or c >= 0x80)


def only_message_words(b):
    words = re.findall(rb"[A-Za-z]+", b)
    return all(w.decode().lower() in MESSAGE_WORDS for w in words)


def notes_of(path):
    data = open(path, "rb").read()
    if not path.endswith(".jsonl"):
        return [data]
    out = []
    for line in data.splitlines():
        try:
            rec = json.loads(line)
            text = rec.get("text") if isinstance(rec, dict) else None
            out.append(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else line)
        except (ValueError, UnicodeDecodeError):
            out.append(line)  # not JSON (bad UTF-8, broken): its raw bytes
    return out


def leaks(log, notes):
    # Every WINDOW-byte substring of the log, for O(1) lookups.
    grams = {log[i:i + WINDOW] for i in range(max(0, len(log) - WINDOW + 1))}
    found, checked = [], []
    for note in notes:
        for i in range(0, len(note) - WINDOW + 1, STRIDE):
            w = note[i:i + WINDOW]
            if letters(w) < 8 or only_message_words(w):
                continue
            checked.append((note, i))
            if w in grams:
                found.append(w)
    return found, checked


def main(argv):
    self_test = argv[:1] == ["--self-test"]
    if self_test:
        argv = argv[1:]
    log = open(argv[0], "rb").read()
    notes = [n for p in argv[1:] for n in notes_of(p)]
    found, checked = leaks(log, notes)
    if len(checked) < 1000:
        print(f"only {len(checked)} windows checked: not a meaningful sample")
        return 1
    if self_test:
        if found:
            print(f"note text in the log ({len(found)} of {len(checked)} windows), e.g.:")
            for w in found[:5]:
                print("  ", w)
            return 1
        # 36 bytes of a note, not aligned with the sampled windows: the 24
        # bytes of a checked window with 6 bytes of the note on each side.
        note, i = checked[len(checked) // 2]
        start = max(0, i - 6)
        planted = log + b"\n[info] x " + note[start:i + WINDOW + 6] + b"\n"
        if not leaks(planted, notes)[0]:
            print("self-test: a planted note substring was not detected")
            return 1
        print(f"self-test ok ({len(checked)} windows)")
        return 0
    if found:
        print(f"note text in the log ({len(found)} of {len(checked)} windows), e.g.:")
        for w in found[:5]:
            print("  ", w)
        return 1
    print(f"ok: {len(checked)} windows, none in the log ({len(log)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
