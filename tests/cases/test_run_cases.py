#!/usr/bin/env python3
"""Tests of the case runner itself (run_cases.py): the parser's errors and the
comparison of each expectation key against a hand-written result, without the
binary. ctest: cases.runner."""

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_cases  # noqa: E402


def parse(text):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "t.cases")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return run_cases.parse_file(path)


NOTE = "=== A case\nIMPRESSION: Spontaneous fusion from L4 to S1.\n---\n"

RESULT = {
    "status": "ok",
    "suggestions": [
        {"code": "M43.27", "rank": 1, "rationale": "lumbosacral at L4-L5 L5-S1",
         "evidence": [{"begin": 12, "end": 46, "text": "Spontaneous fusion from L4 to S1", "fact": 0}]},
        {"code": "M43.26", "rank": 2, "rationale": "lumbar at L4-L5",
         "evidence": [{"begin": 12, "end": 46, "text": "Spontaneous fusion from L4 to S1", "fact": 0}]},
    ],
    "facts": [{"id": 0, "kind": "ankylosis", "assertion": "present", "text": "Spontaneous fusion",
               "segments": ["L4-L5", "L5-S1"], "weak": True}],
    "suppressed": [{"code": "Z98.1", "reason": "Excludes1 at M43.2", "facts": [0]}],
    "gaps": [{"kind": "region_unspecified", "message": "query", "facts": [0]}],
    "not_coded": [],
}


def problems(expectations):
    (case,) = parse(NOTE + expectations)
    return run_cases.compare(case, RESULT)


class ParseTest(unittest.TestCase):
    def test_every_key(self):
        (c,) = parse(NOTE + "ranked: M43.27 M43.26\nsuppressed: Z98.1\ngaps: region_unspecified\n"
                     "evidence: M43.27: Spontaneous fusion from L4 to S1\n"
                     "rationale: M43.27: L5-S1 | !cervical\n"
                     "fact: Spontaneous fusion | kind=ankylosis weak=true\n")
        self.assertEqual(c.codes, {"M43.27", "M43.26"})
        self.assertEqual(c.ranked, ["M43.27", "M43.26"])
        self.assertEqual(c.suppressed, {"Z98.1"})
        self.assertEqual(c.gaps, ["region_unspecified"])
        self.assertEqual(c.evidence, [("M43.27", ["Spontaneous fusion from L4 to S1"])])
        self.assertEqual(c.rationale, [("M43.27", [(True, "L5-S1"), (False, "cervical")])])
        self.assertEqual(c.facts, [("Spontaneous fusion", {"kind": "ankylosis", "weak": "true"})])

    def test_errors_name_the_line(self):
        for text, want in [
            ("codes: M43.27\nranked: M43.27\n", "both 'codes:' and 'ranked:'"),
            ("segments: L4-L5\n", "has no 'codes:' line"),
            ("codes: M43.27\nevidence: M43.26: x\n", "names a code that is not expected"),
            ("codes: M43.27\nevidence: M43.27 words\n", "'evidence:' must be 'CODE: text"),
            ("codes: M43.27\nrationale: M43.27: a | !\n", "empty text after '!'"),
            ("codes: M43.27\nrationale: M43.27: a\nrationale: M43.27: b\n", "given twice"),
            ("codes: M43.27\nfact: Spontaneous fusion\n", "'fact:' must be 'words | field=value"),
            ("codes: M43.27\nfact: x | kind\n", "'fact:' must be"),
            ("codes: M43.27\ngaps: region\n", "unknown gap kind 'region'"),
            ("codes: M43.27\ngaps: none region_unspecified\n", "'none' cannot be mixed"),
            ("codes: M43.27\nsuppressed: M43.22\nsuppressed: Z98.1\n", "'suppressed:' given twice"),
            ("codes: M43.27\nwhy: x\n", "expected one of codes:, ranked:"),
        ]:
            with self.subTest(text=text):
                with self.assertRaises(run_cases.CasesError) as e:
                    parse(NOTE + text)
                self.assertIn(want, str(e.exception))
                self.assertRegex(str(e.exception), r"^t\.cases:\d+: ")


class CompareTest(unittest.TestCase):
    def test_matching_expectations_pass(self):
        self.assertEqual(problems(
            "ranked: M43.27 M43.26\nsuppressed: Z98.1\ngaps: region_unspecified\n"
            "evidence: M43.27: Spontaneous fusion from L4 to S1\n"
            "evidence: M43.26: Spontaneous fusion from L4 to S1\n"
            "rationale: M43.26: lumbar | !lumbosacral\n"
            "rationale: Z98.1: Excludes1\n"
            "fact: Spontaneous fusion | kind=ankylosis weak=true\n"), [])

    def test_each_key_reports_its_mismatch(self):
        for exp, want in [
            ("ranked: M43.26 M43.27\n", "ranked expected M43.26 M43.27 got M43.27 M43.26"),
            ("codes: M43.27 M43.26\nsuppressed: none\n", "suppressed expected none got Z98.1"),
            ("codes: M43.27 M43.26\ngaps: none\n", "gaps expected none got region_unspecified"),
            ("codes: M43.27 M43.26\nevidence: M43.27: Spontaneous fusion\n",
             "evidence of M43.27 expected Spontaneous fusion got Spontaneous fusion from L4 to S1"),
            ("codes: M43.27 M43.26\nrationale: M43.26: cervical\n", "rationale of M43.26 lacks 'cervical'"),
            ("codes: M43.27 M43.26\nrationale: M43.26: !lumbar\n", "rationale of M43.26 has 'lumbar'"),
            ("codes: M43.27 M43.26\nrationale: M45.0: x\n", "M45.0 is neither suggested nor suppressed"),
            ("codes: M43.27 M43.26\nfact: Spontaneous fusion | assertion=negated\n",
             "no fact 'Spontaneous fusion' with assertion=negated (have assertion=present)"),
            ("codes: M43.27 M43.26\nfact: fusion | kind=ankylosis\n",
             "(have no fact with these words)"),
        ]:
            with self.subTest(exp=exp):
                got = problems(exp)
                self.assertEqual(len(got), 1, got)
                self.assertIn(want, got[0])

    def test_ranked_is_not_checked_when_the_codes_differ(self):
        self.assertEqual(problems("ranked: M43.27\n"), ["codes expected M43.27 got M43.26 M43.27"])


if __name__ == "__main__":
    unittest.main()
