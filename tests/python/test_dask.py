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

    # ---- issue 17 item 5: progress, pre-flight, Bag / DataFrame entry points

    def test_progress_lines(self):
        lines: list[str] = []
        _, summary = self.run_dask(self.jsonl, "progress", progress=lines.append,
                                   progress_interval=0)
        self.assertEqual(len(lines), summary["partitions"], lines[:3])
        for line in lines:
            self.assertRegex(line, r"^dask progress: \d+/\d+ partitions, \d+ notes, "
                                   r"[\d.]+ notes/s, \d+%(, ETA \w+)?$")
        self.assertTrue(lines[-1].startswith(
            f"dask progress: {summary['partitions']}/{summary['partitions']} partitions, "
            f"{summary['notes']} notes"), lines[-1])
        self.assertTrue(lines[-1].endswith("100%"), lines[-1])

    def test_preflight_ok(self):
        info = dask_runner.preflight(self.client)
        self.assertEqual(len(info), 2)
        self.assertEqual({len(i["models_version"]) for i in info.values()}, {16}, info)
        with self.assertRaises(dask_runner.WorkerSetupError) as cm:
            dask_runner.preflight(self.client, os.path.join(self.tmp.name, "no-models"))
        self.assertIn("cannot load the models", str(cm.exception))
        self.assertIn("--models", str(cm.exception))

    def test_analyze_bag(self):
        import dask.bag as db
        import suggest.dask
        rc, want = cli_batch(self.jsonl)
        records = []
        for line in read(self.jsonl).splitlines():
            try:
                r = json.loads(line)
            except ValueError:
                continue
            if isinstance(r, dict) and "id" in r and isinstance(r.get("text"), str) and r["text"]:
                records.append(r)
        bag = db.from_sequence(records, npartitions=5)
        got = suggest.dask.analyze_bag(bag, as_json=True,
                                       max_note_bytes=MAX_NOTE_BYTES).compute(scheduler=self.client)
        want_by_id = {json.loads(l)["id"]: l for l in want.decode().splitlines()}
        self.assertEqual(len(got), len(records))
        for line, r in zip(got, records):
            self.assertEqual(line, want_by_id[str(r["id"])])
        dicts = suggest.dask.analyze_bag(bag, max_note_bytes=MAX_NOTE_BYTES).compute(
            scheduler=self.client)
        self.assertEqual([d["id"] for d in dicts], [str(r["id"]) for r in records])
        self.assertEqual(dicts[0], json.loads(got[0]))

    def test_analyze_dataframe(self):
        try:
            import dask.dataframe as dd
            import pandas as pd
        except ImportError:
            self.skipTest("needs python3-pandas")
        import suggest.dask
        rows = [json.loads(l) for l in corpus_subset()[:60]]
        df = pd.DataFrame({"note_id": [r["id"] for r in rows], "body": [r["text"] for r in rows]})
        ddf = dd.from_pandas(df, npartitions=3)
        out = suggest.dask.analyze_dataframe(ddf, text="body", id="note_id").compute(
            scheduler=self.client)
        self.assertEqual(list(out.columns), suggest.dask.RESULT_COLUMNS)
        jsonl = os.path.join(self.tmp.name, "frame.jsonl")
        with open(jsonl, "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps({"id": r["id"], "text": r["text"]}) + "\n")
        want = cli_batch(jsonl)[1].decode().splitlines()
        self.assertEqual(list(out["result"]), want)
        self.assertEqual(list(out["id"]), [str(r["id"]) for r in rows])
        codes = [" ".join(s["code"] for s in json.loads(l).get("suggestions", [])) for l in want]
        self.assertEqual(list(out["codes"]), codes)
        with self.assertRaises(batch.UsageError):
            suggest.dask.analyze_dataframe(ddf, text="text", id="note_id")


# A worker preload that hides the suggest package from the worker (a cluster
# whose workers were set up without it).
HIDE_PACKAGE = """
import os, sys
sys.path[:] = [p for p in sys.path
               if not os.path.isdir(os.path.join(p or ".", "suggest"))]
for name in [m for m in sys.modules if m == "suggest" or m.startswith("suggest.")]:
    del sys.modules[name]
"""


@unittest.skipIf(Client is None, "needs python3-dask and python3-distributed")
@unittest.skipUnless(os.path.exists(os.path.join(CORPUS, "mtsamples.jsonl")), "no corpus")
class WorkerWithoutPackageTest(unittest.TestCase):
    """The pre-flight check on a LocalCluster whose worker cannot import the
    package: a clear message naming the worker, exit 3 from the command."""

    def test_preflight_refuses(self):
        import contextlib
        with tempfile.TemporaryDirectory() as d:
            preload = os.path.join(d, "hide_suggest.py")
            with open(preload, "w") as f:
                f.write(HIDE_PACKAGE)
            notes = os.path.join(d, "n.jsonl")
            with open(notes, "wb") as f:
                f.write(b"\n".join(corpus_subset()[:5]) + b"\n")
            with LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                              dashboard_address=None, preload=[preload]) as cluster, \
                    Client(cluster) as client:
                with self.assertRaises(dask_runner.WorkerSetupError) as cm:
                    dask_runner.run(notes, os.path.join(d, "out"), client=client)
                msg = str(cm.exception)
                self.assertIn("1 of 1 Dask workers cannot run suggest", msg)
                self.assertIn("cannot import the suggest package", msg)
                self.assertIn(next(iter(cm.exception.failures)), msg)  # names the worker
                self.assertIn("Install libsuggest's Python package", msg)
                self.assertFalse(os.path.exists(os.path.join(d, "out", "_manifest.json")))
                err = io.StringIO()
                with contextlib.redirect_stderr(err):
                    rc = dask_runner.main(["--input", notes, "--output-dir",
                                           os.path.join(d, "out2"),
                                           "--scheduler", cluster.scheduler_address])
                self.assertEqual(rc, 3, err.getvalue())
                self.assertIn("error: 1 of 1 Dask workers cannot run suggest", err.getvalue())
                self.assertNotIn("Traceback", err.getvalue())


if __name__ == "__main__":
    unittest.main(verbosity=2)
