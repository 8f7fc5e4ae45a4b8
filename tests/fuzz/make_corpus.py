#!/usr/bin/env python3
"""Regenerates the checked-in seed corpora and dictionaries of tests/fuzz/.

    python3 tests/fuzz/make_corpus.py [--shared ../shared]

Seeds are small on purpose (libFuzzer mutates them; big seeds only slow it
down): a few spine notes of the MTSamples corpus cut to ~1 KB around their spine
words (scripts/fuzz.sh caps inputs at 256-2048 bytes per harness), the
example notes, hand-made edge cases for the text layer, and for the loaders
the real models/ TOML files, the broken files of tests/data and a few broken
variants. Run it again only to change the seeds; fuzz.sh never writes here.
"""

import argparse
import json
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]
HERE = ROOT / "tests" / "fuzz"

# MTSamples ids: spine surgery/radiology/follow-up notes, and one unrelated
# note (id 0, allergy) for the "no concept can match" fast path. None of the
# held-out (reserved) notes of ../shared/gold/reserved_ids.txt: main() checks.
MTSAMPLE_IDS = [0, 1235, 1236, 1252, 1402, 1435, 1548, 1683]
TRIM = 1000

EDGE_CASES = {
    "invalid_utf8.txt": b"s/p L4-5 fusion \xff\xfe caf\xc3 \xed\xa0\x80 surrogate \xc0\xaf "
                        b"overlong \xf4\x90\x80\x80 too high; C5-6 ACDF\xe2\x82",
    "bom.txt": "\ufeffHISTORY: s/p ACDF C5-6.\n".encode(),
    "crlf.txt": b"PAST SURGICAL HISTORY:\r\n1. L4-L5 posterior spinal fusion 2010.\r\r"
                b"IMPRESSION:\r\nSolid arthrodesis L4-L5.\r\n",
    "combining.txt": "Pseudarthrosi\u0301s at C5\u20136; e\u0301\u0323 fu\u0308sion;"
                     " A\u030a\u0327 arthrode\u0300sis L4\u0301-5.\n".encode(),
    "fullwidth.txt": "ＨＩＳＴＯＲＹ： ｓ／ｐ Ｌ４－Ｌ５ ｆｕｓｉｏｎ． Ｃ５－６ ＡＣＤＦ\n".encode(),
    "levels.txt": ("C5-6, L4-5 and L5-S1, T12 to L2, C5\u2013C6, L4\u20115, C 5-6, C-5 to C-6, "
                   "the fourth and fifth lumbar vertebrae, lumbosacral junction, L3-4 through "
                   "L5-S1, D12, C0-C2, O-C1, C4-5, 5-6 and 6-7, at the 4-5 level, S1-S2.\n"
                   ).encode(),
    "spaces.txt": "s/p\u00a0L4\u00ad5 \ufb01xation ½ fusion\u2028T10\u200bT11\u3000"
                  "\u1680C2\u2009C3 \u201cfused\u201d \u2018L1\u2019\t\v\f\n".encode(),
    "assertions.txt": b"No evidence of ankylosing spondylitis. Mother has AS. Plan for L4-5 fusion. "
                      b"History of Klippel-Feil syndrome. Pseudarthrosis at L5-S1 after prior "
                      b"fusion. Possible ankylosis of the SI joints. CT: solid fusion T12-L2.\n",
    "nul.txt": b"L4-5\x00fusion\x00C5-6 ACDF\x00",
    "supplementary.txt": "s/p \U0001f9b4 fusion L4-5 \U0001d40b\U0001d7d2-\U0001d40b\U0001d7d3; "
                         "\U0001d402\U0001d7d3-\U0001d7d4 ACDF\n".encode(),
    "casefold.txt": "\u0130 \u00df \u03a3 \u03c2 \u212a \u017f FUSION \u0391\u039d\u039a \n".encode(),
    "headers_only.txt": b"HISTORY:\nPAST SURGICAL HISTORY:,\nIMPRESSION:\n:\n,:,\n",
    "whitespace.txt": b" \n\t\r\n   \r",
    "one_byte.txt": b"L",
    # The last byte picks the options of analyze/c_api harnesses: these pin
    # UTF-16 offsets (0x02), code points with the text layer off (0x05),
    # and strict invalid UTF-8 (0x18).
    "opts_utf16.txt": "s/p L4-5 fusion \U0001f9b4 C5\u20136 ACDF\x02".encode(),
    "opts_codepoints_nolayer.txt": "IMPRESSION: solid fusion L4-L5 é\x05".encode(),
    "opts_strict_invalid.txt": b"s/p L4-5 fusion \xff\x18",
}

# Broken variants of real rule packs, for the loaders.
BROKEN_RULES = {
    "unclosed_string.toml": 'schema_version = 1\npack = "fusion"\nversion = "1\nkinds = ["k"]\n',
    "empty_pattern.toml": 'schema_version = 1\npack = "broken"\nversion = "1"\nkinds = ["k"]\n'
                          '[[rule]]\nid = "e"\nkind = "k"\npattern = \'\'\n',
    "levels_two_lexicons.toml": 'schema_version = 1\npack = "levels"\nversion = "1"\n'
                                'kinds = ["level_lexicon"]\n'
                                '[[rule]]\nid = "lex_a"\nkind = "level_lexicon"\npattern = \'x\'\n'
                                'attributes = { a = "L" }\n'
                                '[[rule]]\nid = "lex_b"\nkind = "level_lexicon"\npattern = \'y\'\n',
    "levels_bad_region.toml": 'schema_version = 1\npack = "levels"\nversion = "1"\n'
                              'kinds = ["level_lexicon", "level_region_word"]\n'
                              '[[rule]]\nid = "lex"\nkind = "level_lexicon"\npattern = \'x\'\n'
                              '[[rule]]\nid = "rw"\nkind = "level_region_word"\n'
                              'pattern = \'lumbar\'\nattributes = { region = "moon" }\n',
    "groups.toml": 'schema_version = 1\npack = "groups"\nversion = "1"\nkinds = ["k"]\n'
                   '[[rule]]\nid = "g"\nkind = "k"\n'
                   'pattern = \'(?P<lo>[ctl]\\d+)-(?P<hi>\\d+)|\\b\'\n'
                   'examples = ["c5-6"]\ncounterexamples = []\n',
    "multiline.toml": 'schema_version = 1\npack = "multiline"\nversion = "1"\nkinds = ["k"]\n'
                      '[[rule]]\nid = "m"\nkind = "k"\npattern = \'\'\'\n(fusion\n\'\'\'\n',
    "map_bad_code.toml": 'schema_version = 1\n[[map]]\nid = "x"\nfact = "ankylosis"\n'
                         'assertion = ["present"]\ncode = "M43.2"\nrationale = "r"\n',
    "sections_dup.toml": 'schema_version = 2\n[kinds]\nplan = []\nother = []\n'
                         '[[section]]\nkind = "plan"\nheaders = ["plan"]\n'
                         '[[section]]\nkind = "plan"\nheaders = ["plan"]\n',
    # toml++ 3.3 undefined behaviour (util/toml_file.h, CheckTomlText).
    "non_ascii_key.toml": 'schema_version = 1\npack = "non_ascii"\nStr\u00fcmpel = 1\n',
    "line_ending_backslash.toml": 's = """\\\n\u00a7"""\n',
    "context_empty_pattern.toml": 'schema_version = 1\n[[modifier]]\nid = "neg"\n'
                                  'category = "NEGATED"\ndirection = "forward"\npattern = \'x*\'\n',
}

NOTE_WORDS = [
    "fusion", "arthrodesis", "ankylosis", "ankylosing spondylitis", "pseudarthrosis",
    "pseudoarthrosis", "nonunion", "Klippel-Feil", "congenital", "block vertebra", "ACDF",
    "PLIF", "TLIF", "XLIF", "ALIF", "posterior spinal fusion", "interbody", "instrumentation",
    "pedicle screw", "hardware", "s/p", "status post", "history of", "no evidence of",
    "without", "negative for", "possible", "cannot be excluded", "plan for", "candidate for",
    "mother", "family history", "solid", "bony bridging", "CT", "MRI", "x-ray", "radiograph",
    "cervical", "thoracic", "lumbar", "lumbosacral", "thoracolumbar", "cervicothoracic",
    "sacral", "sacrum", "coccyx", "occiput", "junction", "spine", "vertebrae", "level", "levels",
    "C1", "C2", "C5-6", "C5-C6", "C7-T1", "T12", "T12-L1", "L4-5", "L4-L5", "L5-S1", "S1",
    "L6", "D12", " to ", " through ", " and ", "fourth", "fifth", "HISTORY:",
    "PAST SURGICAL HISTORY:", "IMPRESSION:", "ASSESSMENT AND PLAN:", "FAMILY HISTORY:",
    "PROCEDURE:", "FINDINGS:", "PREOPERATIVE DIAGNOSIS:", "PLAN:", "\r\n", "\xe2\x80\x93",
    "\xef\xbf\xbd", "\xc2\xa0", "\xef\xbb\xbf", "\xcc\x81", "\xef\xbc\xac", "\xef\xbc\x94",
]

RULES_WORDS = [
    "schema_version = 1", "pack = ", "version = ", "kinds = ", "[[rule]]", "id = ", "kind = ",
    "pattern = ", "attributes = ", "examples = ", "counterexamples = ", "note = ",
    "[[section]]", "headers = ", "inherit = true", "[[modifier]]", "category = ",
    "direction = ", "phrases = ", "max_scope = ", "default_max_scope = ", "[[map]]",
    "fact = ", "assertion = ", "when = ", "detail = ", "code = ", "by_region = ",
    "multiple = ", "unspecified = ", "requires = ", "replaces = ", "replaces_reason = ",
    "rationale = ", "\"levels\"", "\"fusion\"", "\"level_lexicon\"", "\"level_atom\"",
    "\"level_region_word\"", "\"level_junction\"", "\"level_root_cue\"", "\"NEGATED\"",
    "\"PSEUDO\"", "\"TERMINATE\"", "\"forward\"", "\"backward\"", "\"both\"", "\"present\"",
    "\"historical\"", "\"lumbar\"", "\"lumbosacral\"", "\"M43.26\"", "\"Z98.1\"", "\"M45.9\"",
    "\"L5-S1\"", "\"before\"", "'''", "\"\"\"", "(?P<", ">", "\\b", "\\s+", "(?:", ")?", "|",
    "{", "}", "[", "]", "=", "#", "\n", "\\u00e9", "1979-05-27T07:32:00Z", "inf", "nan",
    "0x1F", "+1_000",
]


# batch_input_fuzzer: the first byte picks the format (bit 0 CSV, bit 1 a
# "setting" column); the rest is the input file.
BATCH_INPUTS = {
    "jsonl_simple": b"\x00" + b'{"id":"a","text":"s/p L4-5 fusion"}\n{"id":2,"text":"x"}\n',
    "jsonl_mixed": b"\x00" + b'  \n{"text":"t\\u00e9","id":"b","setting":"inpatient"}\r\n'
                   b'{"id":12345678901234567890,"text":"y"}\n{"id":1}\nnot json\n[1]\n'
                   b'{"id":"c","text":"z","extra":{"k":[1,2]}}',
    "csv_simple": b"\x01" + b"id,text\n1,s/p L4-5 fusion\n\n2,\"a, \"\"quoted\"\"\nline\"\r\n",
    "csv_setting": b"\x03" + b"\xef\xbb\xbfid,setting,text\n1,inpatient,x\n2,,y\n3,bogus,z\n4,\"a\"b,w\n",
    "csv_unterminated": b"\x01" + b'id,text\n1,"open\n2,b\n3,c\n',
    "csv_bad_header": b"\x01" + b"name,body\n1,x\n",
}
BATCH_WORDS = ['{"id":', '"text":', '"setting":', '"inpatient"', '"outpatient"', "\\u0000",
               "\\ud800", '"', '""', ",", "\r\n", "\n", "id,text", "id,setting,text",
               "\xef\xbb\xbf", "12345678901234567890", "null", "true", "[", "]", "{", "}"]


def repetition_seed(repeat_byte, unit, tail):
    """repetition_fuzzer's program: a repeat byte, then vocabulary indices."""
    return bytes([repeat_byte] + unit + tail)


def dict_file(path, words):
    def esc(w):
        b = w.encode("latin-1") if all(ord(c) < 256 for c in w) else w.encode()
        return "".join(chr(c) if 32 <= c < 127 and c not in (34, 92) else "\\x%02X" % c
                       for c in b)
    path.write_text("".join('"%s"\n' % esc(w) for w in words))


SPINE = re.compile(r"fusion|arthrodesis|ankylos|pseudarthrosis|ACDF|[CTL]\d-", re.I)


def trim(text, limit):
    """About `limit` bytes of whole sentences around the first spine words."""
    if len(text.encode()) <= limit:
        return text.encode()
    m = SPINE.search(text)
    start = 0
    if m and m.start() > limit // 3:
        start = text.rfind(". ", 0, m.start() - limit // 3) + 2
        start = max(start, 0) if start > 1 else 0
    cut = text[start:].encode()[:limit].decode("utf-8", "ignore")
    stop = max(cut.rfind(". "), cut.rfind(".\n"))
    return (cut[: stop + 1] if stop > limit // 2 else cut).encode() + b"\n"


def write_dir(name, files):
    """Replaces the seeds of one harness, keeping found_* files: inputs that
    once crashed a harness, kept forever as regression seeds."""
    d = HERE / "corpus" / name
    if d.exists():
        for p in d.iterdir():
            if not p.name.startswith("found_"):
                p.unlink()
    d.mkdir(parents=True, exist_ok=True)
    for fname, data in files.items():
        (d / fname).write_bytes(data)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    args = ap.parse_args()

    notes = {}
    wanted = set(MTSAMPLE_IDS)
    reserved = pathlib.Path(args.shared) / "gold" / "reserved_ids.txt"
    if reserved.exists():
        held_out = set(int(x) for x in reserved.read_text().split())
        assert not wanted & held_out, "seed ids include held-out notes: %s" % (wanted & held_out)
    with open(pathlib.Path(args.shared) / "corpus" / "mtsamples.jsonl") as f:
        for line in f:
            row = json.loads(line)
            if row["id"] in wanted:
                slug = re.sub(r"[^a-z0-9]+", "_", row["sample_name"].strip().lower()).strip("_")
                notes["mtsamples_%d_%s.txt" % (row["id"], slug[:40])] = trim(row["text"], TRIM)
    for p in sorted((ROOT / "examples" / "notes").glob("*.txt")):
        notes["example_" + p.name] = p.read_bytes()
    notes.update(EDGE_CASES)
    for name in ("normalize_fuzzer", "analyze_fuzzer", "c_api_fuzzer"):
        write_dir(name, notes)

    rules = {}
    for p in sorted((ROOT / "models").glob("*.toml")):
        rules["models_" + p.name] = p.read_bytes()
    for p in sorted((ROOT / "models" / "rules").glob("*.toml")):
        rules["rules_" + p.name] = p.read_bytes()
    for sub in ("bad_rules", "good_rules", "bad_sections", "bad_context", "bad_levels",
                "bad_manifest"):
        for p in sorted((ROOT / "tests" / "data" / sub).glob("*.toml")):
            rules["%s_%s" % (sub, p.name)] = p.read_bytes()
    fusion = (ROOT / "models" / "rules" / "fusion.toml").read_bytes()
    rules["truncated_fusion.toml"] = fusion[: len(fusion) // 2]
    for fname, text in BROKEN_RULES.items():
        rules["broken_" + fname] = text.encode()
    write_dir("rules_fuzzer", rules)

    write_dir("batch_input_fuzzer", BATCH_INPUTS)
    # Indices into repetition_fuzzer.cc's kVocab (0 "L4", 1 "-", 2 "L5",
    # 4 "C5-C6", 6 "L4-5", 10 " and ", 11 ", ", 13 "fusion", 16 "s/p ",
    # 24 "no ", 26 "history of ", 33 ". ", 35 "\n", 39 "pedicle screws").
    write_dir("repetition_fuzzer", {
        # The poison record's shape: "L4-" many times after "s/p fusion".
        "poison_levels": repetition_seed(255, [0, 1], [16, 13]),
        "coordinated_levels": repetition_seed(120, [4, 10, 6, 11], [13]),
        "negated_sentences": repetition_seed(60, [24, 13, 40, 0, 33], []),
        "history_lines": repetition_seed(90, [26, 6, 13, 35], [16, 2]),
    })

    dict_file(HERE / "normalize_fuzzer.dict", NOTE_WORDS)
    dict_file(HERE / "analyze_fuzzer.dict", NOTE_WORDS)
    dict_file(HERE / "c_api_fuzzer.dict", NOTE_WORDS)
    dict_file(HERE / "rules_fuzzer.dict", RULES_WORDS)
    dict_file(HERE / "batch_input_fuzzer.dict", BATCH_WORDS)
    # Bytes are vocabulary indices: no words to suggest, only a few repeat bytes.
    dict_file(HERE / "repetition_fuzzer.dict", ["\xff", "\x80", "\x10"])


if __name__ == "__main__":
    main()
