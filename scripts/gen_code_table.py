#!/usr/bin/python3
"""Generates the ICD-10-CM code table in models/icd10cm/fy<YEAR>/.

    scripts/gen_code_table.py --year 2027 [--shared DIR] [--out DIR] [--make-default]

Inputs (in SHARED/icd10cm/, see its README.md):
  icd10cm_order_<YEAR>.txt  CMS order file: the code list, billable flags and
                            titles for that fiscal year.
  spine_codes.json          tabular notes (inclusion terms, Excludes1,
                            Excludes2), transcribed from the FY2026 tabular.

Outputs (in OUT/fy<YEAR>/, reviewable text, deterministic):
  codes.tsv   code, billable, short_title, title
  notes.tsv   code, note (excludes1|excludes2|inclusion), text, target
  MANIFEST    fiscal year, effective dates, sources + md5, generator command

With --make-default, OUT/default is set to fy<YEAR> (the code set the engine
loads when it is not told otherwise). Standard library only; run it with
Debian's /usr/bin/python3. Any inconsistency between the sources fails the
run with a message on stderr and exit status 1; nothing is written then.
"""

import argparse
import hashlib
import json
import os
import re
import sys

# Which codes the table holds. A code is taken if it equals an exact code or
# starts with a prefix; then every ancestor of a taken code that exists in the
# order file is added too, because the engine reads notes from ancestors
# (ICD-10-CM convention: a note at a category applies to all codes below it).
FAMILY_PREFIXES = (
    "M43.2",  # Fusion of spine: M43.2 header + M43.20-M43.28
    "M45",  # Ankylosing spondylitis, incl. M45.A- (nr-axSpA)
    "Q76",  # Congenital malformations of spine and bony thorax
    "M48.1",  # Ankylosing hyperostosis [Forestier] / DISH
)
FAMILY_EXACT = (
    "Z98.1",  # Arthrodesis status
    "M96.0",  # Pseudarthrosis after fusion or arthrodesis
    "Z47.89",  # Encounter for other orthopedic aftercare
    "Z98.890",  # Other specified postprocedural states
)

NOTES_FILE = "spine_codes.json"
NOTES_YEAR = 2026  # fiscal year of the tabular the JSON was transcribed from

# Years whose notes are known to equal the JSON's for these families, with the
# evidence. Any other year needs --carry-notes so that stale notes are never
# used silently.
NOTES_EVIDENCE = {
    2026: "spine_codes.json (FY2026 tabular, same fiscal year)",
    2027: ("spine_codes.json (FY2026 tabular); ../shared/icd10cm/README.md "
           "records that the FY2027 Excludes1/Excludes2 notes of these "
           "families are identical to FY2026 (inclusion terms were not "
           "re-checked for FY2027)"),
}

ORDER_LINE = re.compile(
    r"^(\d{5}) ([A-Z0-9]{3,7}) {0,4} ([01]) (.{60}) (.+)$")
CODE = r"[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?"
DOTTED_CODE = re.compile(r"^" + CODE + r"$")
# One reference inside a note's trailing parentheses: "M45.0-", "M80.-",
# "Q76.4", "Q76.3-Q76.4", "M43.3-M43.5X9".
REF_ITEM = re.compile(r"^(" + CODE + r")(?:(\.?-)|-(" + CODE + r"))?$")
NOTE_KINDS = (("inclusion_terms", "inclusion"), ("excludes1", "excludes1"),
              ("excludes2", "excludes2"))


class GenError(Exception):
    pass


def dotted(nodot):
    return nodot if len(nodot) <= 3 else nodot[:3] + "." + nodot[3:]


def md5_of(path):
    h = hashlib.md5()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_order_file(path):
    """Returns {dotted code: (billable, short_title, title, order_no)}."""
    codes = {}
    with open(path, "rb") as f:
        data = f.read()
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError as e:
        raise GenError(f"{path}: not ASCII at byte {e.start}")
    lines = text.split("\r\n")
    if lines and lines[-1] == "":
        lines.pop()
    for n, line in enumerate(lines, 1):
        m = ORDER_LINE.match(line)
        # The code field is cols 7-13 (7 wide); the regex allows 3-7 chars
        # plus padding, so check the exact column of the flag as well.
        if not m or line[14] not in "01" or line[5] != " ":
            raise GenError(f"{path}:{n}: not an order-file line: {line!r}")
        code = dotted(line[6:13].rstrip())
        if code in codes:
            raise GenError(f"{path}:{n}: duplicate code {code}")
        codes[code] = (line[14] == "1", line[16:76].rstrip(), line[77:].rstrip(),
                       line[0:5])
    return codes


def ancestors(code):
    """Shorter dotted prefixes of code, nearest first: M43.26 -> M43.2, M43."""
    out = []
    c = code
    while len(c) > 3:
        c = c[:-1]
        if c.endswith("."):
            c = c[:-1]
        out.append(c)
    return out


def parse_target(text):
    """Normalizes the code reference a note points at.

    Only the last parenthesized group counts, and only if it is a list of code
    references; "juvenile (ankylosing) spondylitis (M08.1)" -> "M08.1".
      "(M45.0-)" -> "M45.0"     trailing "-" / ".-": the code and its children
      "(Q76.4)"  -> "Q76.4"     a code also covers its children
      "(Q76.3-Q76.4)" -> "Q76.3..Q76.4"     a range, both ends kept
      "(Z43-Z49, Z51)" -> "Z43..Z49,Z51"    several references
    Returns "" when the note has no code reference.
    """
    m = re.search(r"\(([^()]*)\)\s*$", text)
    if not m:
        return ""
    items = [s.strip() for s in m.group(1).split(",")]
    refs = []
    for item in items:
        r = REF_ITEM.match(item)
        if not r:
            return ""  # a parenthetical that is not a code list
        lo, hi = r.group(1), r.group(3)
        refs.append(f"{lo}..{hi}" if hi else lo)
    return ",".join(refs)


def select_codes(order):
    taken = set()
    for code in order:
        if code in FAMILY_EXACT or any(code.startswith(p) for p in FAMILY_PREFIXES):
            taken.add(code)
    missing = [c for c in FAMILY_EXACT + FAMILY_PREFIXES if c not in order]
    if missing:
        raise GenError("codes of the requested families missing from the order "
                       "file: " + ", ".join(missing))
    for code in list(taken):
        taken.update(a for a in ancestors(code) if a in order)
    # Table order = order-file order (tabular order), so diffs read naturally.
    return sorted(taken, key=lambda c: order[c][3])


def check_field(value, what):
    if "\t" in value or "\n" in value or "\r" in value:
        raise GenError(f"{what}: tab or line break in {value!r}")
    return value


def build_notes(codes, order, records, year):
    """Own notes of every code; checks the JSON against the order file."""
    errors = []
    rows = []
    for code in codes:
        rec = records.get(code)
        if rec is None:
            errors.append(f"{code}: no record in {NOTES_FILE}, so its notes "
                          "are unknown")
            continue
        billable, short_title, title, _ = order[code]
        if rec["title"] != title:
            errors.append(f"{code}: title differs: {NOTES_FILE} "
                          f"{rec['title']!r}, FY{year} order file {title!r}")
        if rec["short_title"] != short_title:
            errors.append(f"{code}: short title differs: {NOTES_FILE} "
                          f"{rec['short_title']!r}, order file {short_title!r}")
        if rec["billable"] != billable:
            errors.append(f"{code}: billable flag differs: {NOTES_FILE} "
                          f"{rec['billable']}, order file {billable}")
        for field, kind in NOTE_KINDS:
            for text in rec[field]:
                check_field(text, f"{code} {kind}")
                rows.append((code, kind, text, parse_target(text)))
        # The engine rebuilds inherited notes by walking ancestors in the
        # table; make sure that gives exactly what the tabular inherits.
        want = sorted((n["from"], n["type"], n["note"])
                      for n in rec["inherited_notes"]
                      if n["type"] in ("excludes1", "excludes2"))
        got = sorted((a, kind, text) for a in ancestors(code) if a in records
                     and a in codes for field, kind in NOTE_KINDS[1:]
                     for text in records[a][field])
        if want != got:
            errors.append(f"{code}: inherited Excludes notes {want} cannot be "
                          f"rebuilt from ancestors in the table ({got})")
    if errors:
        raise GenError("notes do not match the order file:\n  " +
                       "\n  ".join(errors))
    return rows


def write_tsv(path, header_lines, columns, rows):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for h in header_lines:
            f.write(f"# {h}\n" if h else "#\n")
        f.write("\t".join(columns) + "\n")
        for row in rows:
            f.write("\t".join(row) + "\n")


def main(argv):
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    repo_parent = os.path.dirname(repo)
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--year", type=int, required=True,
                    help="fiscal year of the CMS order file, e.g. 2027")
    ap.add_argument("--shared", default=os.path.join(repo_parent, "shared"),
                    help="folder holding icd10cm/ (default: ../shared)")
    ap.add_argument("--out", default=os.path.join(repo, "models", "icd10cm"),
                    help="output folder; fy<YEAR>/ is written inside "
                         "(default: models/icd10cm)")
    ap.add_argument("--make-default", action="store_true",
                    help="also point OUT/default at fy<YEAR>")
    ap.add_argument("--carry-notes", action="store_true",
                    help=f"allow FY{NOTES_YEAR} notes for a year whose notes "
                         "were not checked (say so in the output)")
    args = ap.parse_args(argv)
    year = args.year

    src = os.path.join(args.shared, "icd10cm")
    order_name = f"icd10cm_order_{year}.txt"
    order_path = os.path.join(src, order_name)
    notes_path = os.path.join(src, NOTES_FILE)
    notes_source = NOTES_EVIDENCE.get(year)
    if notes_source is None:
        if not args.carry_notes:
            raise GenError(
                f"notes for FY{year} were never checked against "
                f"{NOTES_FILE} (FY{NOTES_YEAR}); update the JSON/README in "
                f"{src} and NOTES_EVIDENCE here, or pass --carry-notes")
        notes_source = (f"{NOTES_FILE} (FY{NOTES_YEAR} tabular), carried over "
                        f"to FY{year} UNCHECKED (--carry-notes)")
    for p in (order_path, notes_path):
        if not os.path.isfile(p):
            raise GenError(f"{p}: cannot read file")

    order = read_order_file(order_path)
    with open(notes_path, encoding="utf-8") as f:
        doc = json.load(f)
    if not doc["meta"]["fiscal_year"].startswith(f"FY{NOTES_YEAR} "):
        raise GenError(f"{notes_path}: expected FY{NOTES_YEAR} notes, meta "
                       f"says {doc['meta']['fiscal_year']!r}")
    records = {r["code"]: r for r in doc["codes"]}
    codes = select_codes(order)
    notes = build_notes(codes, order, records, year)

    command = f"scripts/gen_code_table.py --year {year}"
    if args.carry_notes and year not in NOTES_EVIDENCE:
        command += " --carry-notes"
    effective = f"{year - 1}-10-01 to {year}-09-30"
    header = [
        f"ICD-10-CM FY{year} code table for libsuggest (generated; do not edit).",
        f"Effective {effective}.",
        f"Codes, billable flags, titles: {order_name} (md5 {md5_of(order_path)}).",
        f"Notes: {notes_source}; md5 {md5_of(notes_path)}.",
        f"Generator: {command}",
    ]
    code_rows = []
    for c in codes:
        billable, short_title, title, _ = order[c]
        code_rows.append((c, "1" if billable else "0",
                          check_field(short_title, c), check_field(title, c)))

    out = os.path.join(args.out, f"fy{year}")
    os.makedirs(out, exist_ok=True)
    write_tsv(os.path.join(out, "codes.tsv"), header + [
        "billable: 1 = valid for HIPAA transactions, 0 = header (not codable).",
    ], ("code", "billable", "short_title", "title"), code_rows)
    write_tsv(os.path.join(out, "notes.tsv"), header + [
        "note: inclusion | excludes1 (never coded together) | excludes2 (not",
        "included here; may be coded together). A note applies to its code and",
        "every code below it. target: the code reference the note cites,",
        "dotted; 'A..B' is a range, ',' separates several, empty if none.",
    ], ("code", "note", "text", "target"), notes)
    with open(os.path.join(out, "MANIFEST"), "w", encoding="utf-8",
              newline="\n") as f:
        f.write("# key<TAB>value; read by CodeTable::Load "
                "(libsuggest/src/map/code_table.h).\n")
        for k, v in (
            ("fiscal_year", str(year)),
            ("code_set", f"ICD-10-CM FY{year}"),
            ("effective_from", f"{year - 1}-10-01"),
            ("effective_to", f"{year}-09-30"),
            ("order_file", order_name),
            ("order_file_md5", md5_of(order_path)),
            ("notes_file", NOTES_FILE),
            ("notes_file_md5", md5_of(notes_path)),
            ("notes_source", notes_source),
            ("codes", str(len(code_rows))),
            ("notes", str(len(notes))),
            ("generator", command),
        ):
            f.write(f"{k}\t{v}\n")
    if args.make_default:
        with open(os.path.join(args.out, "default"), "w", newline="\n") as f:
            f.write(f"fy{year}\n")
    print(f"wrote {out}: {len(code_rows)} codes, {len(notes)} notes",
          file=sys.stderr)


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except GenError as e:
        print(f"gen_code_table: error: {e}", file=sys.stderr)
        sys.exit(1)
