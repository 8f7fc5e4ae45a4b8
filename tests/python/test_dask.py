"""suggest.dask_runner on a LocalCluster (2 worker processes) gives, note for
note and byte for byte, what the single-process `suggest batch` writes -
error records included - for JSONL and CSV inputs; each worker loads the
engine once; resume redoes only missing parts.

Environment as test_suggest.py, plus SUGGEST_SHARED_DIR (the corpus).
"""

from __future__ import annotations

import csv
import glob
import io
import json
import os
import subprocess
import sys
import tempfile
import unittest

CLI = os.environ["SUGGEST_CLI"]
CORPUS = os.path.join(os.environ.get("SUGGEST_SHARED_DIR", ""), "corpus")
MAX_NOTE_BYTES = 12000  # a few corpus notes are larger: note_too_large records

from suggest import batch

try:
    from distributed import Client, LocalCluster

    from suggest import dask_runner
except ImportError:  # not the Debian interpreter with python3-dask/-distributed
    Client = None


def read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def cli_batch(path: str, *extra: str) -> tuple[int, bytes]:
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "out.jsonl")
        p = subprocess.run([CLI, "batch", "--input", path, "--output", out, "--no-progress",
                            "--max-note-bytes", str(MAX_NOTE_BYTES), *extra],
                           capture_output=True)
        return p.returncode, read(out)


def parts(out_dir: str) -> bytes:
    return b"".join(read(p) for p in sorted(glob.glob(os.path.join(out_dir, "part-*.jsonl"))))


def corpus_subset() -> list[bytes]:
    """~300 corpus lines: every core spine note (suggestions) plus every 25th
    other note (mostly none)."""
    core = {int(x) for x in read(os.path.join(CORPUS, "spine_core_ids.txt")).split()}
    out = []
    for i, line in enumerate(read(os.path.join(CORPUS, "mtsamples.jsonl")).splitlines()):
        if json.loads(line)["id"] in core or i % 25 == 0:
            out.append(line)
    return out


@unittest.skipIf(Client is None, "needs python3-dask and python3-distributed")
@unittest.skipUnless(os.path.exists(os.path.join(CORPUS, "mtsamples.jsonl")), "no corpus")
class DaskRunnerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        d = cls.tmp.name
        lines = corpus_subset()
        cls.n_corpus = len(lines)
        # Planted bad records between the notes (the CLI's error-record rule).
        planted = [b'{"id": "p-json", "text": ', b'{"text": "no id"}', b'{"id": "p-notext"}',
                   b'{"id": "p-empty", "text": ""}', b'{"id": "p-utf8", "text": "\xff"}', b'',
                   b'[1]', b'{"id": 42, "text": "Status post L4-L5 fusion."}\r']
        for k, bad in enumerate(planted):
            lines.insert(17 + 37 * k, bad)
        cls.jsonl = os.path.join(d, "notes.jsonl")
        with open(cls.jsonl, "wb") as f:
            f.write(b"\n".join(lines) + b"\n")
        # The same notes as CSV (CRLF records, quoted newlines and commas),
        # with bad rows.
        buf = io.StringIO(newline="")
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(["id", "specialty", "text"])
        for i, line in enumerate(lines):
            try:
                r = json.loads(line)
                w.writerow([r["id"], r.get("specialty", ""), r["text"]])
            except (ValueError, KeyError, TypeError):
                pass
            if i % 50 == 7:
                buf.write('bad-%d,x,a "quote" inside\r\n' % i)
            if i % 70 == 9:
                buf.write("short-%d,only two\r\n\r\n" % i)
        buf.write('last,x,"unterminated\r\n')
        cls.csv = os.path.join(d, "notes.csv")
        with open(cls.csv, "wb") as f:
            f.write(buf.getvalue().encode())
        cls.cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
        cls.client = Client(cls.cluster)

    @classmethod
    def tearDownClass(cls):
        cls.client.close()
        cls.cluster.close()
        cls.tmp.cleanup()

    def run_dask(self, inputs, name, **kw):
        out = os.path.join(self.tmp.name, name)
        summary = dask_runner.run(inputs, out, client=self.client, partition_size=64 << 10,
                                  max_note_bytes=MAX_NOTE_BYTES, **kw)
        return out, summary

    def test_jsonl_and_csv_equal_cli(self):
        rc_j, want_j = cli_batch(self.jsonl)
        rc_c, want_c = cli_batch(self.csv)
        self.assertEqual((rc_j, rc_c), (1, 1))
        out, summary = self.run_dask([self.jsonl, self.csv], "both")
        got = parts(out)
        # Note for note first (readable failures), then byte for byte.
        want_lines = (want_j + want_c).splitlines()
        got_lines = got.splitlines()
        self.assertEqual(len(got_lines), len(want_lines))
        for i, (g, w) in enumerate(zip(got_lines, want_lines)):
            self.assertEqual(g, w, f"record {i}")
        self.assertEqual(got, want_j + want_c)

        self.assertGreater(summary["partitions"], 8)  # really partitioned
        self.assertEqual(summary["notes"], len(want_lines))
        self.assertEqual(summary["errors"], (want_j + want_c).count(b'"status":"error"'))
        kinds = summary["error_kinds"]
        for k in ("bad_record", "empty_note", "note_too_large"):
            self.assertGreater(kinds.get(k, 0), 0, kinds)
        self.assertGreater(summary["codes"].get("Z98.1", 0), 10, summary["codes"])
        # Each worker process loaded the engine exactly once.
        loads = summary["worker_model_loads"]
        self.assertTrue(1 <= len(loads) <= 2, loads)
        self.assertEqual(set(loads.values()), {1}, loads)
        self.assertTrue(os.path.exists(os.path.join(out, "_SUCCESS")))
        self.assertFalse(glob.glob(os.path.join(out, "*.tmp*")))

    def test_resume_and_rerun(self):
        out, first = self.run_dask(self.jsonl, "resume")
        whole = parts(out)
        names = sorted(glob.glob(os.path.join(out, "part-*.jsonl")))
        os.unlink(names[1])
        os.unlink(names[-1])
        with open(names[-1] + ".tmp-1-x", "w") as f:
            f.write("partial")  # a killed task's leftover
        os.unlink(os.path.join(out, "_SUCCESS"))
        _, again = self.run_dask(self.jsonl, "resume", resume=True)
        self.assertEqual(parts(out), whole)
        self.assertEqual(again["resumed_skipped_partitions"], len(names) - 2)
        self.assertFalse(glob.glob(os.path.join(out, "*.tmp*")))
        # Other options: resume refuses; a fresh run replaces every part.
        with self.assertRaises(batch.UsageError):
            self.run_dask(self.jsonl, "resume", resume=True, offsets="codepoints")
        _, fresh = self.run_dask(self.jsonl, "resume", offsets="codepoints")
        self.assertEqual(fresh["resumed_skipped_partitions"], 0)
        self.assertEqual(parts(out), cli_batch(self.jsonl, "--offsets", "codepoints")[1])

    def test_settings(self):
        """--setting and per-record settings (JSONL key, CSV column) through
        the workers: the CLI's lines, invalid_setting records included."""
        lines = corpus_subset()[:40]
        names = ["inpatient", "outpatient", "ward", None]
        recs = []
        for i, line in enumerate(lines):
            d = json.loads(line)
            if names[i % 4] is not None:
                d["setting"] = names[i % 4]
            recs.append(d)
        jsonl = os.path.join(self.tmp.name, "settings.jsonl")
        with open(jsonl, "w", encoding="utf-8") as f:
            for d in recs:
                f.write(json.dumps(d) + "\n")
        csv_path = os.path.join(self.tmp.name, "settings.csv")
        with open(csv_path, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["id", "setting", "text"])
            for d in recs:
                w.writerow([d["id"], d.get("setting", ""), d["text"]])
        for path in (jsonl, csv_path):
            with self.subTest(path=os.path.basename(path)):
                rc, want = cli_batch(path, "--setting", "inpatient")
                self.assertEqual(rc, 1)
                out, summary = self.run_dask(path, "settings-" + os.path.basename(path),
                                             setting="inpatient")
                self.assertEqual(parts(out), want)
                self.assertEqual(summary["error_kinds"].get("invalid_setting"), 10)
                self.assertEqual(want.count(b'"setting":"inpatient"'), 20)
        with self.assertRaises(ValueError):
            self.run_dask(jsonl, "settings-bad", setting="ward")

    def test_usage_errors(self):
        with self.assertRaises(batch.UsageError):
            self.run_dask(self.csv, "usage", text_column="body")
        with self.assertRaises(FileNotFoundError):
            self.run_dask(os.path.join(self.tmp.name, "missing.jsonl"), "usage")

    def test_command_line(self):
        """python3 -m suggest.dask_runner against the running scheduler."""
        out = os.path.join(self.tmp.name, "cmd")
        p = subprocess.run(
            [sys.executable, "-m", "suggest.dask_runner", "--input", self.csv,
             "--output-dir", out, "--scheduler", self.cluster.scheduler_address,
             "--partition-size", "100KiB", "--max-note-bytes", str(MAX_NOTE_BYTES)],
            capture_output=True, text=True)
        self.assertEqual(p.returncode, 1, p.stderr)  # some error records, like the CLI
        self.assertIn("dask summary:", p.stderr)
        self.assertEqual(parts(out), cli_batch(self.csv)[1])
        p = subprocess.run([sys.executable, "-m", "suggest.dask_runner", "--input", self.csv,
                            "--output-dir", out, "--scheduler", self.cluster.scheduler_address,
                            "--id-column", "nope"], capture_output=True, text=True)
        self.assertEqual(p.returncode, 2, p.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
