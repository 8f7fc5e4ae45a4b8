"""The Python package `suggest` (ctypes over the C ABI).

Run by ctest (tests/CMakeLists.txt) with the Debian interpreter and
  SUGGEST_LIBRARY  the built libsuggest.so.1
  PYTHONPATH       libsuggest/python
  SUGGEST_CLI      the built `suggest` (the reference output)
  SUGGEST_SOURCE_DIR the source tree (examples/notes)
"""

from __future__ import annotations

import concurrent.futures
import ctypes
import glob
import json
import os
import pickle
import subprocess
import tempfile
import unittest

import suggest
from suggest import _lib

CLI = os.environ["SUGGEST_CLI"]
ROOT = os.environ["SUGGEST_SOURCE_DIR"]
NOTES = sorted(glob.glob(os.path.join(ROOT, "examples", "notes", "*.txt")))

# Evidence after multi-byte characters: é (2 bytes), — (3), 😀 (4 bytes, 2 UTF-16 units).
UNICODE_NOTE = ("Patiënt — 😀 follow-up.\n\nHISTORY:  Status post L4-L5 posterior spinal "
                "fusion in 2019 😀😀.\n\nIMPRESSION:  Ankylosing spondylitis of the lumbar "
                "spine — naïve.\n")


def read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def cli(*args: str, stdin: bytes | None = None) -> tuple[int, str]:
    p = subprocess.run([CLI, *args], input=stdin, capture_output=True)
    return p.returncode, p.stdout.decode("utf-8")


class PackageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.model = suggest.Model()

    @classmethod
    def tearDownClass(cls):
        cls.model.close()

    def test_version_and_library(self):
        rc, out = cli("version")
        self.assertEqual(rc, 0)
        self.assertIn(suggest.version(), out)
        self.assertEqual(suggest.__version__, suggest.version())
        self.assertEqual(_lib.lib().suggest_abi_version(), suggest.ABI_VERSION)
        self.assertEqual(os.path.realpath(suggest.library_path()),
                         os.path.realpath(os.environ["SUGGEST_LIBRARY"]))
        self.assertTrue(os.path.isdir(self.model.models_dir))

    def test_examples_match_cli(self):
        """The result line is byte for byte `suggest analyze`'s, with and
        without the text layer; the objects agree with the JSON and with the
        typed C accessors."""
        self.assertGreaterEqual(len(NOTES), 5)
        for path in NOTES:
            data = read(path)
            with self.subTest(note=os.path.basename(path)):
                rc, want = cli("analyze", "--no-text-layer", "--id", "n1", path)
                self.assertEqual(rc, 0)
                r = self.model.analyze(data, id="n1", text_layer=False)
                self.assertEqual(r.json + "\n", want)
                rc, want_layer = cli("analyze", "--id", "n1", path)
                r_layer = self.model.analyze(data, id="n1")
                self.assertEqual(r_layer.json + "\n", want_layer)
                self.assertGreater(len(r_layer.sections), 0)
                self.assertEqual(r.sections, ())
                # str input defaults to code point offsets (the JSON says so).
                rc, want_cp = cli("analyze", "--offsets", "codepoints", "--id", "n1", path)
                self.assertEqual(self.model.analyze(data.decode(), id="n1").json + "\n",
                                 want_cp)

                d = json.loads(want)
                self.assertEqual(r.to_dict(), d)
                self.assertEqual(r.id, "n1")
                self.assertEqual(r.code_set, d["code_set"])
                self.assertEqual(r.codes, [s["code"] for s in d["suggestions"]])
                self.assertEqual(len(r.facts), len(d["facts"]))
                self.assertEqual([g.kind for g in r.gaps], [g["kind"] for g in d["gaps"]])
                self.assertEqual([s.code for s in r.suppressed],
                                 [s["code"] for s in d["suppressed"]])
                self._check_typed(data, r)
                for s in r.suggestions:
                    self.assertIsInstance(s.score, float)
                    self.assertTrue(s.title and s.rationale)
                    for e in s.evidence:
                        self.assertEqual(data[e.begin:e.end].decode(), e.text)
                        self.assertEqual(e.rule_id, r.facts[e.fact].rule)
        # At least one example note has suggestions with evidence.
        self.assertTrue(any(self.model.analyze(read(p)).suggestions for p in NOTES))

    def _check_typed(self, data: bytes, r: suggest.Result):
        """Counts, codes, ranks, scores and spans from the typed accessors."""
        lib = _lib.lib()
        h = ctypes.c_void_p()
        err = ctypes.c_void_p()
        opts = lib.suggest_options_new()
        lib.suggest_options_set_include_text_layer(opts, 0)
        m = self.model
        st = lib.suggest_analyze(m._handle, data, len(data), opts, ctypes.byref(h),
                                 ctypes.byref(err))
        lib.suggest_options_free(opts)
        self.assertEqual(st, 0)
        try:
            n = ctypes.c_size_t()
            self.assertEqual(lib.suggest_result_suggestion_count(h), len(r.suggestions))
            self.assertEqual(lib.suggest_result_fact_count(h), len(r.facts))
            self.assertEqual(_lib.string(lib.suggest_result_code_set(h, ctypes.byref(n)), n),
                             r.code_set)
            for i, s in enumerate(r.suggestions):
                self.assertEqual(
                    _lib.string(lib.suggest_result_suggestion_code(h, i, ctypes.byref(n)), n),
                    s.code)
                self.assertEqual(lib.suggest_result_suggestion_rank(h, i), s.rank)
                self.assertAlmostEqual(lib.suggest_result_suggestion_score(h, i), s.score)
                self.assertEqual(lib.suggest_result_suggestion_evidence_count(h, i),
                                 len(s.evidence))
                for j, e in enumerate(s.evidence):
                    span = lib.suggest_result_suggestion_evidence_span(h, i, j)
                    self.assertEqual((span.begin, span.end), (e.begin, e.end))
        finally:
            lib.suggest_result_free(h)

    def test_offsets(self):
        text = UNICODE_NOTE
        data = text.encode()
        u16 = text.encode("utf-16-le")
        rs = {u: self.model.analyze(text, offsets=u) for u in ("codepoints", "bytes", "utf16")}
        self.assertEqual(self.model.analyze(text).json, rs["codepoints"].json)  # str default
        self.assertEqual(self.model.analyze(data).json, rs["bytes"].json)  # bytes default
        self.assertTrue(rs["bytes"].suggestions, rs["bytes"].json)
        for unit, r in rs.items():
            self.assertEqual(r.offset_unit, unit)
            self.assertEqual(r.codes, rs["bytes"].codes)
        n = 0
        for unit, cut in (("codepoints", lambda b, e: text[b:e]),
                          ("bytes", lambda b, e: data[b:e].decode()),
                          ("utf16", lambda b, e: u16[2 * b:2 * e].decode("utf-16-le"))):
            r = rs[unit]
            for s in r.suggestions:
                for e in s.evidence:
                    self.assertEqual(cut(e.begin, e.end), e.text, (unit, e))
                    n += 1
            for f in r.facts:
                self.assertEqual(cut(f.begin, f.end), f.text, (unit, f))
                for sp in f.level_spans:
                    self.assertEqual(cut(sp.begin, sp.end), sp.text)
        self.assertGreater(n, 0)
        # The offsets moved: non-ASCII text precedes the evidence.
        e_cp = rs["codepoints"].suggestions[0].evidence[0]
        e_b = rs["bytes"].suggestions[0].evidence[0]
        self.assertLess(e_cp.begin, e_b.begin)

    def test_errors(self):
        m = self.model
        with self.assertRaises(suggest.InvalidUtf8Error) as cm:
            m.analyze(b"Status post L4-L5 fusion \xff\xfe here.")
        e = cm.exception
        self.assertIsInstance(e, ValueError)
        self.assertIsInstance(e, suggest.SuggestError)
        self.assertEqual((e.status, e.status_name, e.kind, e.offset),
                         (3, "invalid_argument", "invalid_utf8", 25))
        self.assertTrue(e.message)
        # A str decoded with surrogateescape gives back its bytes: same error.
        with self.assertRaises(suggest.InvalidUtf8Error) as cm:
            m.analyze(b"ab\xffcd".decode("utf-8", "surrogateescape"))
        self.assertEqual(cm.exception.offset, 2)
        with self.assertRaises(suggest.InvalidUtf8Error) as cm:
            m.analyze("ab\ud800cd")  # a lone surrogate is no UTF-8 either
        self.assertEqual(cm.exception.offset, 2)
        with self.assertRaises(suggest.EmptyNoteError) as cm:
            m.analyze("")
        self.assertEqual(cm.exception.kind, "empty_note")
        with self.assertRaises(suggest.NoteTooLargeError) as cm:
            m.analyze("x" * 101, max_note_bytes=100)
        self.assertEqual(cm.exception.kind, "note_too_large")
        self.assertTrue(m.analyze("x" * 100, max_note_bytes=100))
        with suggest.Model(max_note_bytes=10) as small:
            with self.assertRaises(suggest.NoteTooLargeError):
                small.analyze("Status post fusion.")
        with self.assertRaises(suggest.ModelLoadError) as cm:
            suggest.Model("/nonexistent/models")
        self.assertEqual(cm.exception.status_name, "not_found")
        self.assertEqual(cm.exception.status, 5)
        with self.assertRaises(suggest.ModelLoadError):
            suggest.Model(code_set_year=1999)  # no such code table
        for bad in ({"offsets": "chars"}, {"invalid_utf8": "ignore"},
                    {"max_note_bytes": -1}):
            with self.assertRaises(ValueError, msg=bad):
                m.analyze("note", **bad)
        with self.assertRaises(ValueError):
            suggest.Model(code_set_year=-1)
        with self.assertRaises(TypeError):
            m.analyze(42)
        # Errors survive pickling (Dask sends a worker's exception back).
        e2 = pickle.loads(pickle.dumps(e))
        self.assertEqual((type(e2), e2.kind, e2.offset, e2.status), (type(e), e.kind, e.offset,
                                                                      e.status))
        with self.assertRaises(TypeError):
            pickle.dumps(m)

    def test_code_set_year(self):
        with suggest.Model(code_set_year=2026) as m26:
            r = m26.analyze(read(NOTES[0]))
            self.assertEqual(r.code_set, "ICD-10-CM FY2026")
            rc, want = cli("analyze", "--code-set-year", "2026", "--no-text-layer", "--id", "x",
                           NOTES[0])
            self.assertEqual(m26.analyze_json(read(NOTES[0]), id="x", text_layer=False) + "\n",
                             want)
        # code_set: the deprecated spelling, for one release.
        with self.assertWarns(DeprecationWarning):
            old = suggest.Model(code_set=2026)
        with old:
            self.assertEqual(old.analyze(read(NOTES[0])).code_set, "ICD-10-CM FY2026")
        with self.assertRaises(ValueError), self.assertWarns(DeprecationWarning):
            suggest.Model(code_set_year=2027, code_set=2026)

    def test_cache_dir(self):
        """cache_dir=True (default): the per-user cache, as the CLI
        ($SUGGEST_CACHE_DIR here); a path: there; False: nothing written
        (the C library's own default)."""
        def files(d: str) -> list[str]:
            return [os.path.join(r, f) for r, _, fs in os.walk(d) for f in fs]
        saved = {v: os.environ.get(v) for v in ("SUGGEST_CACHE_DIR", "XDG_CACHE_HOME", "HOME")}
        with tempfile.TemporaryDirectory() as tmp:
            try:
                os.environ["SUGGEST_CACHE_DIR"] = os.path.join(tmp, "env")
                os.environ["XDG_CACHE_HOME"] = os.path.join(tmp, "xdg")
                os.environ["HOME"] = os.path.join(tmp, "home")
                suggest.Model(cache_dir=False).close()
                suggest.Model(cache_dir=None).close()
                self.assertEqual(files(tmp), [])
                suggest.Model(cache_dir=os.path.join(tmp, "mine")).close()
                suggest.Model().close()
                mine, env = files(os.path.join(tmp, "mine")), files(os.path.join(tmp, "env"))
                self.assertEqual(sorted(files(tmp)), sorted(mine + env))
                # Built with Vectorscan: both hold the same compiled databases.
                self.assertEqual(sorted(map(os.path.basename, mine)),
                                 sorted(map(os.path.basename, env)))
                with self.assertRaises(TypeError):
                    suggest.Model(cache_dir=1)  # type: ignore[arg-type]
            finally:
                for k, v in saved.items():
                    if v is None:
                        os.environ.pop(k, None)
                    else:
                        os.environ[k] = v

    def test_id_written_by_the_library(self):
        """The id is written by the C library (suggest_result_set_id): the
        line is `suggest analyze --id` byte for byte, any str escaped as
        JSON; a non-str id is a TypeError."""
        note = read(NOTES[0])
        for id in ('x', 'a"b\\c\u00e9\u2028\n\x00'):
            line = self.model.analyze_json(note, id=id, text_layer=False)
            self.assertEqual(json.loads(line)["id"], id)
            self.assertTrue(line.startswith('{"id":' + json.dumps(id, ensure_ascii=False)
                                            + ',"status":"ok"'), line[:40])
            self.assertEqual(self.model.analyze(note, id=id).id, id)
        rc, want = cli("analyze", "--no-text-layer", "--id", 'a"b', NOTES[0])
        self.assertEqual(self.model.analyze_json(note, id='a"b', text_layer=False) + "\n", want)
        with self.assertRaises(TypeError):
            self.model.analyze_json(note, id=5)  # type: ignore[arg-type]

    def test_setting(self):
        """setting= per call and per Model is `suggest analyze --setting`, echoed
        in Result.setting; not_coded is always a tuple of NotCoded."""
        data = read(NOTES[0])
        for setting in ("outpatient", "inpatient"):
            with self.subTest(setting=setting):
                rc, want = cli("analyze", "--setting", setting, "--no-text-layer", "--id", "s",
                               NOTES[0])
                self.assertEqual(rc, 0)
                r = self.model.analyze(data, id="s", text_layer=False, setting=setting)
                self.assertEqual(r.json + "\n", want)
                self.assertEqual(r.setting, setting)
                self.assertEqual(r.to_dict()["setting"], setting)
                self.assertIsInstance(r.not_coded, tuple)
                self.assertEqual(len(r.not_coded), len(r.to_dict()["not_coded"]))
                self.assertEqual(self.model.analyze_json(data, id="s", text_layer=False,
                                                         setting=setting) + "\n", want)
        self.assertEqual(self.model.analyze(data).setting, "outpatient")  # the default
        with suggest.Model(setting="inpatient") as m:
            self.assertEqual(m.analyze(data).setting, "inpatient")
            self.assertEqual(m.analyze(data, setting="outpatient").setting, "outpatient")
        for bad in ("ward", "Inpatient", "", 1, None):
            with self.subTest(bad=bad), self.assertRaises(ValueError):
                if bad is None:
                    suggest.Model(setting=bad)
                else:
                    self.model.analyze(data, setting=bad)

    def test_input_fields_and_provenance(self):
        """date_of_service / patient_id / encounter_id per call: the JSON of
        `suggest analyze` with the same flags; provenance on the Result and
        the Model; bad values raise errors naming the field (issue 15)."""
        data = read(NOTES[0])
        rc, want = cli("analyze", "--date-of-service", "2026-09-30", "--patient-id", "P1",
                       "--encounter-id", "E1", "--no-text-layer", "--id", "s", NOTES[0])
        self.assertEqual(rc, 0)
        r = self.model.analyze(data, id="s", text_layer=False, date_of_service="2026-09-30",
                               patient_id="P1", encounter_id="E1")
        self.assertEqual(r.json + "\n", want)
        self.assertEqual(r.code_set, "ICD-10-CM FY2026")
        self.assertEqual((r.date_of_service, r.patient_id, r.encounter_id),
                         ("2026-09-30", "P1", "E1"))
        self.assertEqual((r.schema_version, r.engine), (1, "libsuggest"))
        self.assertEqual(r.engine_version, suggest.__version__ if hasattr(suggest, "__version__")
                         else r.engine_version)
        self.assertEqual(r.models_version, self.model.models_version)
        self.assertRegex(self.model.models_version, r"^[0-9a-f]{16}$")
        plain = self.model.analyze(data)
        self.assertEqual(plain.code_set, "ICD-10-CM FY2027")
        self.assertIsNone(plain.patient_id)
        self.assertEqual(self.model.analyze_json(data, date_of_service="2026-10-01",
                                                 text_layer=False),
                         self.model.analyze_json(data, text_layer=False).replace(
                             '"setting":"outpatient"',
                             '"setting":"outpatient","date_of_service":"2026-10-01"'))
        for kw, kind in ((dict(date_of_service="2026-02-30"), "invalid_date_of_service"),
                         (dict(date_of_service="2024-12-31"), "no_code_set_for_date"),
                         (dict(patient_id=" x"), "invalid_patient_id"),
                         (dict(encounter_id="a\nb"), "invalid_encounter_id")):
            with self.subTest(kw=kw), self.assertRaises(suggest.SuggestError) as cm:
                self.model.analyze(data, **kw)
            self.assertEqual(cm.exception.kind, kind)
            self.assertIsInstance(cm.exception, ValueError)
        with self.assertRaises(TypeError):
            self.model.analyze(data, date_of_service=20261001)

    def test_not_coded_objects(self):
        """NotCoded entries decode from the JSON (hand-made: the mapper may
        leave not_coded empty); code defaults to ""."""
        from suggest._types import result_from_json
        line = json.dumps({
            "id": "x", "status": "ok", "code_set": "ICD-10-CM FY2027", "setting": "inpatient",
            "suggestions": [], "facts": [], "suppressed": [], "gaps": [],
            "not_coded": [{"facts": [0, 2], "basis": "excludes1", "reason": "M48.1 wins.",
                           "code": "M48.12"},
                          {"facts": [1], "basis": "negated", "reason": "No fusion."}]})
        r = result_from_json(line)
        self.assertEqual(r.setting, "inpatient")
        self.assertEqual(r.not_coded, (
            suggest.NotCoded((0, 2), "excludes1", "M48.1 wins.", "M48.12"),
            suggest.NotCoded((1,), "negated", "No fusion.", "")))
        self.assertIn("NotCoded", suggest.__all__)
        with self.assertRaises(AttributeError):
            r.not_coded[0].basis = "x"  # frozen

    def test_repair(self):
        """invalid_utf8="replace" is the CLI's --repair-utf8."""
        data = UNICODE_NOTE.encode().replace(b"follow-up", b"follow\xff\xc3up")
        with tempfile.NamedTemporaryFile(suffix=".txt") as f:
            f.write(data)
            f.flush()
            for unit in ("bytes", "codepoints"):
                rc, want = cli("analyze", "--repair-utf8", "--offsets", unit, "--id", "r", f.name)
                self.assertEqual(rc, 0)
                r = self.model.analyze(data, id="r", invalid_utf8="replace", offsets=unit)
                self.assertEqual(r.json + "\n", want)
                self.assertEqual(r.replaced_bytes, 2)
                self.assertTrue(r.suggestions)
        with suggest.Model(invalid_utf8="replace") as m:
            self.assertEqual(m.analyze(data).replaced_bytes, 2)
            # A surrogateescape'd str: code point offsets index the str.
            s = data.decode("utf-8", "surrogateescape")
            r = m.analyze(s)
            for sug in r.suggestions:
                for e in sug.evidence:
                    self.assertEqual(s[e.begin:e.end], e.text)
            # Any other lone surrogate reads as one U+FFFD (one code point).
            r = m.analyze(UNICODE_NOTE.replace("Patiënt", "Pati\ud800nt"))
            self.assertEqual(r.replaced_bytes, 1)

    def test_threads(self):
        """One Model shared by several Python threads gives the sequential
        results (the GIL is released during analysis)."""
        notes = [read(p) for p in NOTES] * 8 + [UNICODE_NOTE.encode()] * 8
        want = [self.model.analyze_json(n) for n in notes]
        with concurrent.futures.ThreadPoolExecutor(max_workers=6) as ex:
            got = list(ex.map(self.model.analyze_json, notes))
            got_obj = list(ex.map(lambda n: self.model.analyze(n).json, notes))
        self.assertEqual(got, want)
        self.assertEqual(got_obj, want)

    def test_lifetime(self):
        m = suggest.Model()
        r = m.analyze("Status post L4-L5 fusion.")
        m.close()
        m.close()  # idempotent
        self.assertIn("closed", repr(m))
        with self.assertRaises(ValueError):
            m.analyze("Status post L4-L5 fusion.")
        self.assertTrue(r.codes)  # a result outlives its model
        with suggest.Model() as m2:
            self.assertTrue(m2.analyze("s/p C5-C6 ACDF.").json)
        del m2  # __del__ after close is a no-op
        suggest.Model()  # freed by __del__

    def test_session(self):
        """A live session (issue 16): code-point offsets of a str, each result
        exactly analyze() of the session's text, changes(), bad edits."""
        s = self.model.session()
        with self.assertRaises(suggest.EmptyNoteError):
            s.result()
        note = "Seen today for \u00e9valuation. Status post L4-L5 fusion. \U0001D400 end."
        for i in range(0, len(note), 9):
            s.edit(len(s.text()), len(s.text()), note[i:i + 9])
            self.assertEqual(s.result_json(id="x"), self.model.analyze_json(s.text(), id="x"))
        self.assertEqual(s.text(), note)
        r = s.result()
        self.assertIn("Z98.1", r.codes)
        ev = [e for sug in r.suggestions for e in sug.evidence]
        self.assertTrue(all(note[e.begin:e.end] == e.text for e in ev))  # code points
        # "é" is 2 bytes but one code point: replace it in code points.
        at = note.index("\u00e9")
        s.edit(at, at + 1, "e")
        self.assertEqual(s.text(), note.replace("\u00e9", "e"))
        s.result()
        c = s.changes()
        self.assertEqual(set(c), {"suggestions", "gaps", "not_coded", "facts"})
        self.assertEqual(c["suggestions"], {"added": [], "removed": []})
        at = s.text().index("L4-L5")
        s.edit(at, at + len("L4-L5 fusion"), "follow-up")
        s.result()
        c = s.changes()
        self.assertIn("Z98.1", [x["code"] for x in c["suggestions"]["removed"]])
        before = s.text()
        for begin, end, kind in ((5, 4, "edit_out_of_range"), (0, 10**6, "edit_out_of_range")):
            with self.assertRaises(suggest.InvalidNoteError) as cm:
                s.edit(begin, end, "x")
            self.assertEqual(cm.exception.kind, kind)
            self.assertEqual(s.text(), before)
        with self.assertRaises(ValueError):
            s.edit(-1, 0, "x")
        s.close()
        s.close()
        with self.assertRaises(ValueError):
            s.edit(0, 0, "x")
        # UTF-16 offsets: the astral character counts 2.
        with self.model.session(offsets="utf16", max_note_bytes=12) as s16:
            s16.edit(0, 0, "a\U0001D400b")
            with self.assertRaises(suggest.InvalidNoteError) as cm:
                s16.edit(2, 2, "x")
            self.assertEqual(cm.exception.kind, "edit_splits_character")
            s16.edit(3, 4, "B")
            self.assertEqual(s16.text(), "a\U0001D400B")
            with self.assertRaises(suggest.NoteTooLargeError):
                s16.edit(0, 0, "1234567")


if __name__ == "__main__":
    unittest.main(verbosity=2)
