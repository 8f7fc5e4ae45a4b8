#!/usr/bin/env bash
# OMOP CDM v5.4 NOTE_NLP output (issue 15 item 5): `suggest batch
# --output-format omop` over the whole shared corpus (ids made integers) loads
# into SQLite (/usr/bin/python3's sqlite3) under the CDM v5.4 DDL of NOTE_NLP
# - its NOT NULLs enforced by SQLite, its column types and lengths checked on
# every row, and once more under a STRICT copy of the table - with one row per
# fact mention of the JSON output; ids that are not integers are error
# records (exit 1, no rows); --omop-concepts fills
# note_nlp_source_concept_id from a vocabulary CONCEPT.csv.
set -uo pipefail
SUGGEST="$1"; ROOT="$2"; SHARED="$3"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
PY=/usr/bin/python3
export SOURCE_DATE_EPOCH=1790000000  # nlp_date / nlp_datetime: the same on every run

CORPUS="$SHARED/corpus/mtsamples.jsonl"
[ -f "$CORPUS" ] || fail "no corpus at $CORPUS"
# The corpus with integer ids (its own ids are strings), and a few records
# that exercise the rest: a date and patient, a non-integer id.
$PY - "$CORPUS" "$tmp/corpus.jsonl" <<'PY' || fail "preparing the corpus"
import json, sys
with open(sys.argv[1]) as f, open(sys.argv[2], "w") as out:
    n = 0
    for n, line in enumerate(f, 1):
        r = json.loads(line)
        out.write(json.dumps({"id": n, "text": r["text"]}) + "\n")
    t = "Family history: mother had ankylosing spondylitis. No cervical fusion. s/p L4-L5 fusion."
    out.write(json.dumps({"id": n + 1, "text": t, "date_of_service": "2026-01-02",
                          "patient_id": "P1", "setting": "inpatient"}) + "\n")
    out.write(json.dumps({"id": "note-x", "text": t}) + "\n")
    out.write(json.dumps({"id": 922337203685477, "text": t}) + "\n")
PY
printf 'concept_id\tconcept_name\tdomain_id\tvocabulary_id\tconcept_class_id\tstandard_concept\tconcept_code\tvalid_start_date\tvalid_end_date\tinvalid_reason\n45557373\tPersonal history of spinal fusion\tObservation\tICD10CM\t5-char billing code\t\tZ98.1\t20071001\t20991231\t\n1\tx\tCondition\tICD10\tx\t\tZ98.1\t20071001\t20991231\t\n' \
  > "$tmp/CONCEPT.csv"
"$SUGGEST" batch --input "$tmp/corpus.jsonl" --output "$tmp/nlp.csv" --output-format omop \
  --omop-concepts "$tmp/CONCEPT.csv" --no-progress --summary "$tmp/summary.json" 2> "$tmp/err.log"; rc=$?
[ $rc -eq 1 ] || fail "batch omop: exit $rc (expected 1: two records with bad ids)"
"$SUGGEST" batch --input "$tmp/corpus.jsonl" --output "$tmp/out.jsonl" --no-progress 2> /dev/null
"$SUGGEST" batch --input "$tmp/corpus.jsonl" --output "$tmp/resume.csv" --format omop --resume \
  --no-progress > /dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "--resume with omop: exit $rc (expected 2)"
$PY - "$tmp/nlp.csv" "$tmp/out.jsonl" "$tmp/summary.json" <<'PY' || fail "NOTE_NLP load"
import csv, json, re, sqlite3, sys

# OMOP CDM v5.4 NOTE_NLP (OHDSI CommonDataModel, DDL for v5.4).
DDL = """
CREATE TABLE NOTE_NLP (
  note_nlp_id integer NOT NULL,
  note_id integer NOT NULL,
  section_concept_id integer NULL,
  snippet varchar(250) NULL,
  "offset" varchar(50) NULL,
  lexical_variant varchar(250) NOT NULL,
  note_nlp_concept_id integer NULL,
  note_nlp_source_concept_id integer NULL,
  nlp_system varchar(250) NULL,
  nlp_date date NOT NULL,
  nlp_datetime TIMESTAMP NULL,
  term_exists varchar(1) NULL,
  term_temporal varchar(50) NULL,
  term_modifiers varchar(2000) NULL
)"""
COLUMNS = re.findall(r'^[ \t]+"?(\w+)"? ', DDL, re.M)
TYPES = re.findall(r'^[ \t]+"?\w+"? (\w+(?:\(\d+\))?)', DDL, re.M)
# The same table as STRICT (SQLite checks every value's type).
STRICT = re.sub(r"varchar\(\d+\)|date|TIMESTAMP", "TEXT", DDL).replace("integer", "INTEGER")
STRICT = STRICT.replace("NOTE_NLP", "NOTE_NLP_STRICT") + " STRICT"

with open(sys.argv[1], newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f))
header, data = rows[0], rows[1:]
assert header == COLUMNS, header

def value(col_type, text):
    if text == "":
        return None  # an empty field is NULL
    if col_type == "integer":
        assert re.fullmatch(r"-?[0-9]+", text), (col_type, text)
        return int(text)
    m = re.fullmatch(r"varchar\((\d+)\)", col_type)
    if m:
        assert len(text) <= int(m.group(1)), (col_type, len(text))
    elif col_type == "date":
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", text), text
    elif col_type == "TIMESTAMP":
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", text), text
    return text

db = sqlite3.connect(":memory:")
db.execute(DDL)
db.execute(STRICT)
values = [tuple(value(t, x) for t, x in zip(TYPES, r)) for r in data]
assert all(len(r) == len(COLUMNS) for r in data)
marks = ",".join("?" * len(COLUMNS))
db.executemany(f"INSERT INTO NOTE_NLP VALUES ({marks})", values)  # NOT NULLs enforced
db.executemany(f"INSERT INTO NOTE_NLP_STRICT VALUES ({marks})", values)  # types enforced
n = db.execute("SELECT count(*) FROM NOTE_NLP").fetchone()[0]
assert db.execute("SELECT count(DISTINCT note_nlp_id) FROM NOTE_NLP").fetchone()[0] == n
assert db.execute("SELECT count(*) FROM NOTE_NLP WHERE typeof(note_id) != 'integer' "
                  "OR typeof(note_nlp_id) != 'integer'").fetchone()[0] == 0

# Row counts: one per fact mention of the JSON results.
facts = 0
ok_ids = set()
results = {}
for line in open(sys.argv[2]):
    r = json.loads(line)
    # The JSON output takes any id; NOTE_NLP only integer ones (two are not).
    if r["status"] == "ok" and r["id"].isdigit() and int(r["id"]) <= 922337203685476:
        facts += len(r["facts"])
        results[int(r["id"])] = r
assert n == facts, (n, facts)
by_note = dict(db.execute("SELECT note_id, count(*) FROM NOTE_NLP GROUP BY note_id"))
for note_id, r in results.items():
    assert by_note.get(note_id, 0) == len(r["facts"]), note_id
# Per row: the fact it stands for.
negated = 0
for row in db.execute("SELECT * FROM NOTE_NLP"):
    d = dict(zip(COLUMNS, row))
    r = results[d["note_id"]]
    fact = r["facts"][d["note_nlp_id"] - d["note_id"] * 10000 - 1]
    assert d["lexical_variant"] == fact["text"][:250].replace("\n", " ").replace("\r", " ").replace("\t", " "), (d, fact)
    assert d["offset"] == str(fact["begin"])
    assert d["lexical_variant"] in d["snippet"]
    assert d["nlp_date"] == "2026-09-21" and d["nlp_datetime"] == "2026-09-21 14:13:20"
    assert d["nlp_system"] == f"libsuggest {r['engine']['version']}; models {r['models_version']}; {r['code_set']}"
    exists = fact["assertion"] in ("present", "historical")
    assert d["term_exists"] == ("Y" if exists else "N"), (d, fact)
    negated += not exists
    mods = dict(kv.split("=", 1) for kv in d["term_modifiers"].split(";"))
    assert mods["kind"] == fact["kind"] and mods["assertion"] == fact["assertion"]
    assert mods["setting"] == r["setting"]
    codes = [s["code"] for s in r["suggestions"] if any(e["fact"] == fact["id"] for e in s["evidence"])]
    assert mods.get("code") == (codes[0] if codes else None), (mods, codes)
    nc = [x["basis"] for x in r["not_coded"] if fact["id"] in x["facts"]]
    assert mods.get("not_coded") == (nc[0] if nc else None), (mods, nc)
    want_concept = 45557373 if mods.get("code") == "Z98.1" else 0
    assert d["note_nlp_source_concept_id"] == want_concept, d
    assert d["note_nlp_concept_id"] == 0 and d["section_concept_id"] == 0
    if fact.get("when"):
        assert d["term_temporal"] == fact["when"]
assert negated > 0
assert db.execute("SELECT count(*) FROM NOTE_NLP WHERE note_nlp_source_concept_id = 45557373"
                  ).fetchone()[0] > 0
summary = json.load(open(sys.argv[3]))
assert summary["error_kinds"] == {"invalid_note_id": 2}, summary["error_kinds"]
print(f"NOTE_NLP: {n} rows (= fact mentions) of {len(results)} notes loaded; {negated} with term_exists N")
PY
# analyze --format omop: header and rows; a non-integer id is an error.
printf 'HISTORY: s/p L4-L5 fusion. No cervical fusion.' > "$tmp/n.txt"
"$SUGGEST" analyze --format omop --id 7 "$tmp/n.txt" > "$tmp/a.csv" || fail "analyze --format omop"
[ "$(wc -l < "$tmp/a.csv")" -ge 2 ] || fail "analyze --format omop: no rows"
head -1 "$tmp/a.csv" | grep -q '^note_nlp_id,note_id,section_concept_id,snippet,offset,' || fail "header"
"$SUGGEST" analyze --format omop "$tmp/n.txt" > "$tmp/b.csv" 2> /dev/null; rc=$?
[ $rc -eq 1 ] || fail "analyze --format omop with a path id: exit $rc (expected 1)"
echo "omop_note_nlp ok"
