"""suggest.batch reads JSONL/CSV and writes result/error lines exactly as
`suggest batch` does (the Dask runner relies on it), and its partitions
(any size) give the same records as one pass. No Dask needed.

Environment as test_suggest.py (SUGGEST_LIBRARY, PYTHONPATH, SUGGEST_CLI).
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import unittest

import suggest
from suggest import batch

CLI = os.environ["SUGGEST_CLI"]

FUSION = "HISTORY:  Status post L4-L5 posterior spinal fusion in 2019."
AS = "IMPRESSION:  Ankylosing spondylitis of the lumbar spine with fusion L2 to L4."

# Every line is a separate case; comments say what the CLI does with it.
JSONL_LINES = [
    b'{"id": "a", "text": "' + FUSION.encode() + b'"}',
    b'{"id": 7, "text": "' + AS.encode() + b'"}',                 # integer id -> "7"
    b'{"id": -3, "text": "x"}',
    b'{"id": -0, "text": "x"}',
    b'{"id": 18446744073709551615, "text": "x"}',                # kept as written (issue 19 item 7)
    b'{"id": 9223372036854775808, "text": "x"}',
    b'{"id": 18446744073709551616, "text": "x"}',                # beyond uint64: kept as written
    b'{"id": 1.0, "text": "x"}',
    b'{"id": 1e2, "text": "x"}',
    b'{"id": true, "text": "x"}',
    b'{"id": null, "text": "x"}',
    b'',                                                         # blank: skipped
    b' \t ',                                                     # blank too
    b'{"id": "crlf", "text": "' + FUSION.encode() + b'"}\r',     # CRLF line end
    b'\r',                                                       # CRLF blank: skipped
    b'{not json',
    b'[1, 2]',
    b'"a string"',
    b'null',
    b'{"text": "no id"}',
    b'{"id": "no-text"}',
    b'{"id": "num-text", "text": 5}',
    b'{"id": "empty", "text": ""}',                              # empty_note
    b'{"id": "bad-utf8", "text": "fusion \xff here"}',           # invalid JSON
    b'\xef\xbb\xbf{"id": "bom", "text": "' + FUSION.encode() + b'"}',
    b'{"id": "nan", "text": "x", "v": NaN}',
    b'{"id": "inf", "text": "x", "v": -Infinity}',
    b'{"id": "lone", "text": "a\\ud800b"}',
    b'{"id": "lone-key", "text": "x", "\\udc00": 1}',
    b'{"id": "pair", "text": "fusion \\ud83d\\ude00 of L4-L5"}',
    b'{"id": "esc", "text": "literal \\\\ud800 is text"}',
    b'{"id": "d1", "id": "d2", "text": "' + AS.encode() + b'"}',  # last key wins
    b'{"id": "a\\u0001\\t\\"\\\\\\/\\u007f\\u2028\\u00e9\xc3\xa9", "text": "x"}',
    b'{"id": "big", "text": "' + b"spinal fusion L4-L5. " * 20 + b'"}',  # > max bytes
    b'{"id": "trail", "text": "x"} xyz',
    b'{"id": "huge", "text": "x", "v": 1' + b"0" * 5000 + b'}',      # overflow: bad
    b'{"id": "inf", "text": "x", "w": 1e400}',                   # overflow: bad
    b'{"id": "big-ok", "text": "x", "v": 1' + b"0" * 300 + b', "w": -1.5e300}',
    b'{"id": "nul", "text": "fusion\\u0000 L4-L5 fusion"}',
    b'{"id":"compact","text":"' + AS.encode() + b'"}',
    b'  {"id": "spaces", "text": "x"}  ',
    b'{"id": "last", "text": "' + FUSION.encode() + b'"}',        # no final newline
]

CSV_DATA = (
    b'\xef\xbb\xbfextra,text,id\r\n'
    b'x,"' + FUSION.encode() + b'\nsecond line, ""quoted""",1\n'
    b'y,bad "quote" here,2\n'
    b'z,"' + AS.encode() + b'"trailing,3\r\n'
    b'only two,fields\n'
    b'\n'
    b'\r\n'
    b'""\n'                                 # one empty quoted field: a blank line too
    b'w,"",5\n'                             # empty_note
    b'v,"fusion \xff L4-L5",6\n'            # invalid_utf8 (offset)
    b'u,"lone\rCR",7\n'
    b'q,' + FUSION.encode() + b',\xfe\xffid\n'  # invalid UTF-8 id
    b'p,"' + AS.encode() + b'",8,extra\n'
    b't,"' + b"fusion L4-L5 " * 30 + b'",big\n'
    b's,"a,b\r\nc",9,\n'
    b'r,"""q""",10\n'
    b'o,"' + FUSION.encode() + b'",trailing-comma-eof,'
    b'\n"unterminated,' + FUSION.encode() + b'\n,11\n'
)


def cli_batch(path: str, *extra: str) -> tuple[int, bytes]:
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "out.jsonl")
        p = subprocess.run([CLI, "batch", "--input", path, "--output", out, "--no-progress",
                            "--threads", "2", *extra], capture_output=True)
        data = b""
        if os.path.exists(out):
            with open(out, "rb") as f:
                data = f.read()
        return p.returncode, data


def py_lines(model, records, **options) -> bytes:
    return "".join(line + "\n" for line, _, _ in batch.process(model, records, **options)).encode()


class BatchParityTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.model = suggest.Model()
        cls.tmp = tempfile.TemporaryDirectory()
        cls.jsonl = os.path.join(cls.tmp.name, "in.jsonl")
        with open(cls.jsonl, "wb") as f:
            f.write(b"\n".join(JSONL_LINES))
        cls.csv = os.path.join(cls.tmp.name, "in.csv")
        with open(cls.csv, "wb") as f:
            f.write(CSV_DATA)

    @classmethod
    def tearDownClass(cls):
        cls.model.close()
        cls.tmp.cleanup()

    OPTS = {"offsets": "bytes", "invalid_utf8": "error", "max_note_bytes": 300,
            "text_layer": False}

    def check(self, path: str, fmt: str, cli_args=(), **read_args):
        rc, want = cli_batch(path, "--max-note-bytes", "300", *cli_args)
        self.assertEqual(rc, 1)  # there are error records
        got = py_lines(self.model, batch.read_records(path, fmt, **read_args), **self.OPTS)
        self.assertEqual(got.decode().splitlines(), want.decode().splitlines())
        self.assertEqual(got, want)
        return want

    def test_jsonl(self):
        want = self.check(self.jsonl, None)
        text = want.decode()
        for fragment in ('"id":"7","status":"ok"', '"id":"18446744073709551615"',
                         '"id":"9223372036854775808"', '"id":"18446744073709551616"',
                         '"id":"d2"', '"id":"bom","status":"ok"', '"kind":"empty_note"',
                         '"kind":"note_too_large"', 'line 16: not a JSON object',
                         '"id":"no-text","status":"error"'):
            self.assertIn(fragment, text)
        self.assertEqual(len(want.splitlines()), len(JSONL_LINES) - 3)

    def test_csv(self):
        want = self.check(self.csv, None)
        text = want.decode()
        for fragment in ('"id":"1","status":"ok"', "quote inside an unquoted field 2",
                         "text after a closing quote in field 2", "has 2 fields, the header has 3",
                         '"kind":"invalid_utf8"', '"id":"\ufffd\ufffdid"', "unterminated quoted"):
            self.assertIn(fragment, text)

    def test_csv_columns_and_usage(self):
        alt = os.path.join(self.tmp.name, "alt.txt")  # not .csv: --format csv
        with open(alt, "wb") as f:
            f.write(b"note_id,body\nn1,\"" + FUSION.encode() + b"\"\nn2,\n")
        rc, want = cli_batch(alt, "--format", "csv", "--id-column", "note_id",
                             "--text-column", "body")
        got = py_lines(self.model, batch.read_records(alt, "csv", id_column="note_id",
                                                      text_column="body"), **self.OPTS)
        self.assertEqual(got, want)
        for data in (b"id,body\n1,x\n", b""):
            with open(alt, "wb") as f:
                f.write(data)
            rc, _ = cli_batch(alt, "--format", "csv")
            self.assertEqual(rc, 2)
            with self.assertRaises(batch.UsageError):
                list(batch.read_records(alt, "csv"))

    def test_partitions_equal_one_pass(self):
        """Any partition size: the partitions' records, concatenated, are the
        records of one pass (line and row numbers included)."""
        for path, fmt in ((self.jsonl, "jsonl"), (self.csv, "csv")):
            buf = batch.open_buffer(path)
            whole = py_lines(self.model, batch.read_records(path, fmt), **self.OPTS)
            for size in (1, 2, 3, 17, 64, 100, 333, 1000, 1 << 20):
                with self.subTest(fmt=fmt, size=size):
                    got = b""
                    if fmt == "jsonl":
                        parts = batch.plan_jsonl(buf, size)
                        for s, e, first in parts:
                            got += py_lines(self.model, batch.jsonl_records(buf, s, e, first),
                                            **self.OPTS)
                    else:
                        h = batch.read_csv_header(buf)
                        parts = batch.plan_csv(buf, h, size)
                        for s, e, lines, rows in parts:
                            got += py_lines(self.model,
                                            batch.csv_records(buf, h, s, e, lines, rows),
                                            **self.OPTS)
                    self.assertEqual(got, whole)
                    self.assertEqual(parts[0][0], 0 if fmt == "jsonl" else h.data_start)
                    self.assertEqual(parts[-1][1], len(buf))
                    if size == 1:
                        self.assertGreater(len(parts), 10)
            buf.close()

    def test_options(self):
        """--offsets, --repair-utf8 and --text-layer map to the same options."""
        rc, want = cli_batch(self.csv, "--offsets", "codepoints", "--repair-utf8",
                             "--text-layer")
        got = py_lines(self.model, batch.read_records(self.csv), offsets="codepoints",
                       invalid_utf8="replace", text_layer=True)
        self.assertEqual(got, want)
        self.assertIn(b'"replaced_bytes":1', got)
        self.assertIn(b'"sections":', got)

    def test_settings(self):
        """Per-record "setting" (JSONL key, CSV column) wins over the run's
        setting; a bad one is an invalid_setting error line, as in the CLI."""
        jsonl = os.path.join(self.tmp.name, "settings.jsonl")
        with open(jsonl, "wb") as f:
            f.write(b"\n".join([
                b'{"id": "a", "setting": "inpatient", "text": "' + FUSION.encode() + b'"}',
                b'{"id": "b", "text": "' + FUSION.encode() + b'", "setting": "outpatient"}',
                b'{"id": "c", "text": "' + FUSION.encode() + b'", "setting": "ward"}',
                b'{"id": "d", "text": "' + FUSION.encode() + b'"}',
                b'{"id": "e", "text": "x", "setting": 1}',
                b'{"id": "f", "text": "x", "setting": null}',
                b'{"id": "g", "text": "x", "setting": false}',
                b'{"id": "h", "text": "x", "setting": {"a": 1}}',
                b'{"id": "i", "text": "x", "setting": "in\\u0070atient"}',
                b'{"id": "j", "text": "x", "setting": "a\\"b\\u00e9"}',
                b'{"id": "k", "setting": "ward"}',
            ]) + b"\n")
        csv_path = os.path.join(self.tmp.name, "settings.csv")
        with open(csv_path, "wb") as f:
            f.write(b'id,setting,text\na,inpatient,"' + FUSION.encode() + b'"\n'
                    b'b,outpatient,x\nc,ward,x\nd,,x\ne,"a""b",x\n')
        for path in (jsonl, csv_path):
            for flag in ("outpatient", "inpatient"):
                with self.subTest(path=path, flag=flag):
                    rc, want = cli_batch(path, "--max-note-bytes", "300", "--setting", flag)
                    self.assertEqual(rc, 1)
                    got = py_lines(self.model, batch.read_records(path),
                                   **{**self.OPTS, "setting": flag})
                    self.assertEqual(got.decode().splitlines(), want.decode().splitlines())
                    lines = want.decode().splitlines()
                    self.assertIn('"setting":"inpatient"', lines[0])
                    self.assertIn('"setting":"outpatient"', lines[1])
                    self.assertIn('"kind":"invalid_setting","message":"setting must be '
                                  '\\"outpatient\\" or \\"inpatient\\", got \\"ward\\""', lines[2])
                    self.assertIn(f'"setting":"{flag}"', lines[3])

    def test_input_fields(self):
        """Per-record date_of_service, patient_id, encounter_id (JSONL keys, CSV
        columns): the same lines as `suggest batch`, mixed code sets, bad
        values as error lines naming the field (issue 15)."""
        jsonl = os.path.join(self.tmp.name, "fields.jsonl")
        f = FUSION.encode()
        with open(jsonl, "wb") as out:
            out.write(b"\n".join([
                b'{"id": "a", "text": "' + f + b'", "date_of_service": "2026-09-30", '
                b'"patient_id": "P1", "encounter_id": "E1"}',
                b'{"id": "b", "text": "' + f + b'", "date_of_service": "2026-10-01"}',
                b'{"id": "c", "text": "' + f + b'", "date_of_service": "2020-01-01"}',
                b'{"id": "d", "text": "' + f + b'", "date_of_service": "2026-9-1"}',
                b'{"id": "e", "text": "' + f + b'", "patient_id": 3}',
                b'{"id": "f", "text": "' + f + b'", "encounter_id": ""}',
                b'{"id": "g", "text": "' + f + b'", "setting": "ward", "patient_id": 3}',
                b'{"id": "h", "text": "' + f + b'", "patient_id": "\\u00dc\\t"}',
            ]) + b"\n")
        csv_path = os.path.join(self.tmp.name, "fields.csv")
        with open(csv_path, "wb") as out:
            out.write(b'id,encounter_id,text,date_of_service,patient_id\n'
                      b'a,E1,"' + f + b'",2026-09-30,P1\nb,,"' + f + b'",2026-10-01,\n'
                      b'c,,x,2020-01-01,\nd,,x,,\n')
        for path in (jsonl, csv_path):
            with self.subTest(path=path):
                rc, want = cli_batch(path, "--max-note-bytes", "300")
                self.assertEqual(rc, 1)
                got = py_lines(self.model, batch.read_records(path), **self.OPTS)
                self.assertEqual(got.decode().splitlines(), want.decode().splitlines())
                rows = [json.loads(line) for line in want.decode().splitlines()]
                self.assertEqual(rows[0]["code_set"], "ICD-10-CM FY2026")
                self.assertEqual((rows[0]["patient_id"], rows[0]["encounter_id"]), ("P1", "E1"))
                self.assertEqual(rows[1]["code_set"], "ICD-10-CM FY2027")
                self.assertEqual(rows[2]["error"]["kind"], "no_code_set_for_date")
        kinds = [json.loads(line).get("error", {}).get("kind")
                 for line in cli_batch(jsonl, "--max-note-bytes", "300")[1].decode().splitlines()]
        self.assertEqual(kinds, [None, None, "no_code_set_for_date", "invalid_date_of_service",
                                 "invalid_patient_id", "invalid_encounter_id", "invalid_setting",
                                 "invalid_patient_id"])

    def test_memory_error_fails_one_note(self):
        """A MemoryError while one note is handled becomes that note's
        resource_exhausted record; the notes around it are analysed as usual
        (issue 19: nothing is lost). The failure is injected into the real
        model for the record with id "oom"."""
        real = self.model

        class Failing:
            def _json_and_codes(self, text, id, **options):
                if id == "oom":
                    raise MemoryError()
                return real._json_and_codes(text, id, **options)

        recs = [batch.Record("a", FUSION.encode(), None), batch.Record("oom", b"x", None),
                batch.Record("b", AS.encode(), None)]
        got = list(batch.process(Failing(), recs))
        want = list(batch.process(real, [recs[0], recs[2]]))
        self.assertEqual([got[0], got[2]], want)
        line, kind, codes = got[1]
        self.assertEqual(kind, "resource_exhausted")
        self.assertEqual(codes, [])
        self.assertEqual(line, batch.error_line("oom", "resource_exhausted",
                                                "out of memory while analysing this note"))

    def test_error_line(self):
        self.assertEqual(batch.error_line("a\"\n", "bad_record", "line 1: x"),
                         '{"id":"a\\"\\n","status":"error","error":{"kind":"bad_record",'
                         '"message":"line 1: x"}}')
        self.assertEqual(batch.error_line("", "invalid_utf8", "m", 3),
                         '{"id":"","status":"error","error":{"kind":"invalid_utf8",'
                         '"message":"m","offset":3}}')


if __name__ == "__main__":
    unittest.main(verbosity=2)
