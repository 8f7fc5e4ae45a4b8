"""Run libsuggest over an archive of JSONL/CSV files with Dask.

    from distributed import Client, LocalCluster
    from suggest import dask_runner
    with LocalCluster(n_workers=4, threads_per_worker=1) as cluster, Client(cluster) as client:
        summary = dask_runner.run(["notes-1.jsonl", "notes-2.csv"], "out/", client=client)

    python3 -m suggest.dask_runner --input notes.jsonl --output-dir out/ --workers 4
    python3 -m suggest.dask_runner --input notes.jsonl --output-dir out/ --scheduler tcp://host:8786

Each input file is planned (split into byte ranges of about partition_size
that start at a record boundary, with the line/row numbers at each start),
then every partition is one task: the worker process loads the engine once
(a per-process cache), analyses the partition's records in order and writes
output_dir/part-NNNNN.jsonl atomically. Parts are numbered across the inputs
in order, so `cat output_dir/part-*.jsonl` is exactly what `suggest batch`
writes for each input in turn - error records included (suggest.batch
reproduces the CLI's readers and error lines). Guide: docs/dask.md.
"""

from __future__ import annotations

import argparse
import glob
import json
import mmap
import os
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Optional

from dask.base import compute
from dask.delayed import delayed
from dask.utils import parse_bytes

from . import batch
from ._model import Model, code_set_year_arg
from .batch import CsvHeader, UsageError
from .errors import LibraryError, ModelLoadError

__all__ = ["run", "main", "preflight", "Partition", "plan_file", "WorkerSetupError",
           "DEFAULT_PARTITION_SIZE"]

DEFAULT_PARTITION_SIZE = 8 << 20  # bytes of input per task
MANIFEST = "_manifest.json"
SUMMARY = "_summary.json"
SUCCESS = "_SUCCESS"


@dataclass(frozen=True)
class Partition:
    """A byte range of one input file that starts at a record boundary.
    first_line: JSONL line number of its first line; CSV: newlines and data
    rows before it (for the CLI's "line N: row R" messages)."""
    index: int
    path: str
    fmt: str
    start: int
    end: int
    lines_before: int
    rows_before: int = 0
    header: Optional[CsvHeader] = None

    @property
    def name(self) -> str:
        return f"part-{self.index:05d}.jsonl"


# ------------------------------------------------------------------- planning

def plan_file(path: str, fmt: str | None = None, id_column: str = "id",
              text_column: str = "text",
              partition_size: int = DEFAULT_PARTITION_SIZE) -> list[Partition]:
    """Partitions of one file (index 0-based within the file). JSONL: one
    newline scan; CSV: one pass over the records (quoted fields may hold
    newlines, so a record start cannot be found from an arbitrary offset).
    Raises UsageError for a CSV without the id/text column, OSError if the
    file cannot be read."""
    fmt = batch.detect_format(path, fmt)
    buf = batch.open_buffer(path)
    try:
        if fmt == "csv":
            header = batch.read_csv_header(buf, id_column, text_column)
            return [Partition(i, path, fmt, s, e, lines, rows, header)
                    for i, (s, e, lines, rows) in enumerate(
                        batch.plan_csv(buf, header, partition_size))]
        return [Partition(i, path, fmt, s, e, first - 1)
                for i, (s, e, first) in enumerate(batch.plan_jsonl(buf, partition_size))]
    finally:
        if isinstance(buf, mmap.mmap):
            buf.close()


# ------------------------------------------------------------- worker side

_models: dict[tuple[Any, ...], Model] = {}
_models_lock = threading.Lock()
_loads = 0  # models loaded by this process (the test checks: one per worker)


def worker_model(models_dir: str | None, code_set: int | None) -> Model:
    """The engine of this process, loaded on first use and shared by the
    worker's threads (a Model is thread-safe)."""
    global _loads
    key = (models_dir, code_set)
    model = _models.get(key)
    if model is None:
        with _models_lock:
            model = _models.get(key)
            if model is None:
                model = Model(models_dir, code_set_year=code_set)
                _models[key] = model
                _loads += 1
    return model


def run_partition(part: Partition, output_dir: str, models_dir: str | None,
                  code_set: int | None, options: dict[str, Any]) -> dict[str, Any]:
    """Analyses one partition into output_dir/part-NNNNN.jsonl (written to a
    temporary name, then renamed: a part file is either complete or absent).
    Returns its counts."""
    model = worker_model(models_dir, code_set)
    buf = batch.open_buffer(part.path)
    try:
        if part.fmt == "csv":
            assert part.header is not None  # plan_file reads it for every CSV part
            records = batch.csv_records(buf, part.header, part.start, part.end,
                                        part.lines_before, part.rows_before)
        else:
            records = batch.jsonl_records(buf, part.start, part.end, part.lines_before + 1)
        final = os.path.join(output_dir, part.name)
        tmp = f"{final}.tmp-{os.getpid()}-{uuid.uuid4().hex}"
        notes = errors = 0
        kinds: Counter[str] = Counter()
        codes: Counter[str] = Counter()
        try:
            with open(tmp, "w", encoding="utf-8", newline="\n") as out:
                for line, kind, rec_codes in batch.process(model, records, **options):
                    out.write(line)
                    out.write("\n")
                    notes += 1
                    if kind is not None:
                        errors += 1
                        kinds[kind] += 1
                    codes.update(rec_codes)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, final)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    finally:
        if isinstance(buf, mmap.mmap):
            buf.close()
    return {"index": part.index, "notes": notes, "errors": errors,
            "error_kinds": dict(kinds), "codes": dict(codes),
            "pid": os.getpid(), "host": os.uname().nodename, "loads": _loads}


# ------------------------------------------------------------- driver side

class WorkerSetupError(RuntimeError):
    """A worker cannot import the suggest package or load the models (the
    pre-flight check): the CLI's exit code 3. .failures maps each failing
    worker's address to what went wrong there."""

    def __init__(self, message: str, failures: dict[str, dict[str, Any]]):
        super().__init__(message)
        self.failures = failures


def _worker_check(models_dir: Optional[str], code_set: Optional[int]) -> dict[str, Any]:
    # Runs on every worker (client.run). It imports nothing of ours at module
    # level, so a worker without the package can still run it and say so.
    import importlib
    import os as _os
    import sys as _sys
    info: dict[str, Any] = {"python": _sys.executable, "pid": _os.getpid(), "host": _os.uname().nodename}
    try:
        mod = importlib.import_module("suggest")
    except Exception as e:  # noqa: BLE001 - reported, not raised
        return {**info, "ok": False, "stage": "import",
                "error": f"cannot import the suggest package: {type(e).__name__}: {e}"}
    try:
        model = mod.Model(models_dir, code_set_year=code_set)
        version = model.models_version
    except Exception as e:  # noqa: BLE001
        return {**info, "ok": False, "stage": "models",
                "error": f"cannot load the models: {type(e).__name__}: {e}"}
    return {**info, "ok": True, "models_version": version,
            "package": _os.path.dirname(getattr(mod, "__file__", "") or "")}


def preflight(client: Any, models_dir: str | None = None,
              code_set_year: int | None = None, *,
              code_set: int | None = None) -> dict[str, dict[str, Any]]:
    """Checks that every worker of `client` can import the suggest package and
    load the models (as the tasks will). Returns {worker address: info}
    (python, host, models_version). Raises WorkerSetupError naming each
    failing worker and why; the CLI exits 3. code_set: the deprecated
    spelling of code_set_year."""
    code_set = code_set_year_arg(code_set_year, code_set)
    workers: dict[str, Any] = client.scheduler_info().get("workers", {})
    if not workers:
        raise WorkerSetupError("the Dask cluster has no workers", {})
    # By value: a worker need not import suggest.dask_runner to run the check
    # (distributed pickles a function of a module registered so with cloudpickle).
    import cloudpickle  # type: ignore[import]
    module = sys.modules[__name__]
    cloudpickle.register_pickle_by_value(module)
    try:
        results: dict[str, dict[str, Any]] = client.run(_worker_check, models_dir, code_set)
    finally:
        cloudpickle.unregister_pickle_by_value(module)
    failures = {addr: r for addr, r in results.items() if not r.get("ok")}
    if failures:
        lines = [f"{len(failures)} of {len(results)} Dask workers cannot run suggest:"]
        for addr, r in sorted(failures.items()):
            lines.append(f"  {addr} ({r.get('host')}, {r.get('python')}): {r.get('error')}")
        stages = {r.get("stage") for r in failures.values()}
        if "import" in stages:
            lines.append("Install libsuggest's Python package (and libsuggest.so) on every "
                         "worker, or put it on the workers' PYTHONPATH (docs/dask.md).")
        if "models" in stages:
            lines.append("Give a models directory every worker can read (--models), or "
                         "install the models with the package (docs/dask.md).")
        raise WorkerSetupError("\n".join(lines), failures)
    return results


class _Progress:
    """Periodic progress lines on stderr while the partitions run: parts,
    notes, notes/s, %, ETA (by input bytes). Counts only, never note text."""

    def __init__(self, parts: list[Partition], interval: float, out: Any = None,
                 sink: Optional[Callable[[str], None]] = None):
        self.total_bytes = sum(p.end - p.start for p in parts) or 1
        self.total_parts = len(parts)
        self.interval = interval
        self.sink = sink or (lambda line: print(line, file=out or sys.stderr, flush=True))
        self.start = self.last = time.monotonic()
        self.parts = self.notes = self.bytes = 0
        self.sizes = {p.index: p.end - p.start for p in parts}

    def done(self, stats: Any) -> None:
        self.parts += 1
        self.notes += stats["notes"]
        self.bytes += self.sizes.get(stats["index"], 0)
        now = time.monotonic()
        if now - self.last >= self.interval or self.parts == self.total_parts:
            self.last = now
            self.sink(self.line(now))

    def line(self, now: float) -> str:
        elapsed = now - self.start
        rate = self.notes / elapsed if elapsed > 0 else 0.0
        frac = min(1.0, self.bytes / self.total_bytes)
        line = (f"dask progress: {self.parts}/{self.total_parts} partitions, {self.notes} notes, "
                f"{rate:.1f} notes/s, {100 * frac:.0f}%")
        if 0 < frac < 1:
            line += f", ETA {_duration(elapsed * (1 - frac) / frac)}"
        return line


def _duration(s: float) -> str:
    t = int(s + 0.5)
    if t >= 3600:
        return f"{t // 3600}h{t // 60 % 60:02d}m"
    if t >= 60:
        return f"{t // 60}m{t % 60:02d}s"
    return f"{t}s"


def _distributed_client(client: Any) -> Any:
    """client, else the active distributed Client, else None."""
    if client is not None:
        return client
    try:
        from distributed import get_client
        return get_client()
    except (ImportError, ValueError):
        return None


def _compute(tasks: list[Any], client: Any,
             on_result: Optional[Callable[[Any], None]] = None) -> list[Any]:
    if not tasks:
        return []
    if on_result is None:
        if client is not None:
            return list(compute(*tasks, scheduler=client))  # type: ignore[no-untyped-call]
        # default: an active Client, else threads
        return list(compute(*tasks))  # type: ignore[no-untyped-call]
    dist = _distributed_client(client)
    if dist is not None:
        from distributed import as_completed
        futures = dist.compute(tasks)
        position = {f.key: i for i, f in enumerate(futures)}
        results: list[Any] = [None] * len(futures)
        for fut in as_completed(futures):  # type: ignore[no-untyped-call]
            results[position[fut.key]] = value = fut.result()
            on_result(value)
        return results
    # The threaded scheduler: a callback after each task of ours.
    from dask.callbacks import Callback
    keys = {t.key for t in tasks}
    report = on_result

    def posttask(key: Any, result: Any, dsk: Any, state: Any, worker_id: Any) -> None:
        if key in keys:
            report(result)
    with Callback(posttask=posttask):  # type: ignore[no-untyped-call]
        return list(compute(*tasks))  # type: ignore[no-untyped-call]


def _our_files(output_dir: str) -> list[str]:
    names = glob.glob(os.path.join(glob.escape(output_dir), "part-*.jsonl*"))
    for extra in (MANIFEST, SUMMARY, SUCCESS):
        p = os.path.join(output_dir, extra)
        if os.path.exists(p):
            names.append(p)
    return names


def run(inputs: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
        output_dir: str | os.PathLike[str], *, client: Any = None, models_dir: str | None = None,
        code_set_year: int | None = None,
        fmt: str | None = None, id_column: str = "id", text_column: str = "text",
        partition_size: int | str = DEFAULT_PARTITION_SIZE, offsets: str = "bytes",
        invalid_utf8: str = "error", max_note_bytes: int | None = None,
        text_layer: bool = False, setting: str = "outpatient", resume: bool = False,
        progress: bool | Callable[[str], None] = False, progress_interval: float = 5.0,
        check_workers: bool = True, code_set: int | None = None) -> dict[str, Any]:
    """Analyses every record of `inputs` (JSONL or CSV files, read as
    `suggest batch` reads them) into output_dir/part-NNNNN.jsonl.

    client: a distributed.Client (None: the active client if any, else
        Dask's threaded scheduler in this process).
    fmt: "jsonl" or "csv" for every input (None: by extension, as the CLI).
    partition_size: input bytes per task (int, or "64MiB").
    offsets, invalid_utf8, max_note_bytes, text_layer, setting, code_set_year:
        as the CLI's --offsets, --repair-utf8, --max-note-bytes, --text-layer,
        --setting, --code-set-year (the defaults are `suggest batch`'s); a
        record's own "setting" (JSONL key, CSV column) wins over setting.
        code_set is the deprecated spelling of code_set_year.
    resume: keep the part files of an interrupted run with the same inputs
        and options, and do only the missing ones.
    progress: True prints a line on stderr every progress_interval seconds
        (partitions, notes, notes/s, %, ETA); a callable gets each line.
    check_workers: with a distributed client, first check (preflight) that
        every worker can import the package and load the models.

    Returns the summary (also written to output_dir/_summary.json, then the
    empty marker _SUCCESS). Raises UsageError (e.g. a CSV column is missing
    or resume finds a different run), ModelLoadError, OSError.
    Raises WorkerSetupError when a worker cannot import the package or load
    the models.
    """
    start_time = time.monotonic()
    # The manifest keeps the key "code_set" (resume compares it with runs of
    # earlier versions).
    code_set = code_set_year_arg(code_set_year, code_set)
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    # Absolute paths: the workers' working directory may differ.
    paths = [os.path.abspath(os.fspath(p)) for p in inputs]
    if not paths:
        raise UsageError("no input files")
    output_dir = os.path.abspath(os.fspath(output_dir))
    size = parse_bytes(partition_size) if isinstance(partition_size, str) else partition_size
    if size <= 0:
        raise UsageError("partition_size must be positive")
    if models_dir is not None:
        models_dir = os.path.abspath(os.fspath(models_dir))
    fmts = [batch.detect_format(p, fmt) for p in paths]
    options = {"offsets": offsets, "invalid_utf8": invalid_utf8,
               "max_note_bytes": max_note_bytes, "text_layer": bool(text_layer),
               "setting": setting}
    try:  # fail fast on the driver
        Model._normalize(offsets, invalid_utf8, max_note_bytes, text_layer, setting,
                         allow_none_offsets=False)
    except ValueError as e:
        raise UsageError(str(e)) from None

    if check_workers and _distributed_client(client) is not None:
        preflight(_distributed_client(client), models_dir, code_set)

    # 1. Plan every file (on the workers: they read the inputs anyway).
    plans = _compute([delayed(plan_file, pure=True)(
        p, f, id_column, text_column, size,
        dask_key_name=f"suggest-plan-{i}-{uuid.uuid4().hex[:8]}")
        for i, (p, f) in enumerate(zip(paths, fmts))], client)
    parts: list[Partition] = []
    for plan in plans:
        for p in plan:
            parts.append(Partition(len(parts), p.path, p.fmt, p.start, p.end,
                                   p.lines_before, p.rows_before, p.header))

    # 2. Manifest: what this output directory holds, for resume.
    manifest = {
        "inputs": [{"path": p, "format": f, "size": os.stat(p).st_size,
                    "mtime_ns": os.stat(p).st_mtime_ns} for p, f in zip(paths, fmts)],
        "options": {**options, "models_dir": models_dir, "code_set": code_set,
                    "id_column": id_column, "text_column": text_column,
                    "partition_size": size},
        "partitions": [[p.path, p.start, p.end] for p in parts],
    }
    os.makedirs(output_dir, exist_ok=True)
    manifest_path = os.path.join(output_dir, MANIFEST)
    done: set[str] = set()
    if resume and os.path.exists(manifest_path):
        with open(manifest_path, encoding="utf-8") as f:
            old = json.load(f)
        if old != json.loads(json.dumps(manifest)):
            raise UsageError(f"{output_dir} holds a run with other inputs or options; "
                             "run without resume to start over")
        done = {p.name for p in parts if os.path.exists(os.path.join(output_dir, p.name))}
        for name in glob.glob(os.path.join(glob.escape(output_dir), "part-*.jsonl.tmp-*")):
            os.unlink(name)
        for name in (SUMMARY, SUCCESS):
            if os.path.exists(os.path.join(output_dir, name)):
                os.unlink(os.path.join(output_dir, name))
    else:
        for name in _our_files(output_dir):
            os.unlink(name)
        tmp = f"{manifest_path}.tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(manifest, f, indent=1)
            f.write("\n")
        os.replace(tmp, manifest_path)

    # 3. One task per partition.
    todo = [p for p in parts if p.name not in done]
    run_id = uuid.uuid4().hex[:8]
    reporter = None
    if progress:
        reporter = _Progress(todo, progress_interval,
                             sink=progress if callable(progress) else None)
    stats = _compute([delayed(run_partition, pure=False)(
        p, output_dir, models_dir, code_set, options,
        dask_key_name=f"suggest-{p.name}-{run_id}") for p in todo], client,
        reporter.done if reporter else None)

    # 4. Summary (the CLI's --summary fields, plus the Dask ones).
    elapsed = time.monotonic() - start_time
    notes = sum(s["notes"] for s in stats)
    errors = sum(s["errors"] for s in stats)
    codes: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    workers: dict[str, int] = {}
    for s in stats:
        codes.update(s["codes"])
        kinds.update(s["error_kinds"])
        workers[f'{s["host"]}:{s["pid"]}'] = max(workers.get(f'{s["host"]}:{s["pid"]}', 0),
                                                  s["loads"])
    summary = {
        "notes": notes, "ok": notes - errors, "errors": errors,
        "resumed_skipped_partitions": len(done),
        "codes": dict(sorted(codes.items())), "error_kinds": dict(sorted(kinds.items())),
        "elapsed_seconds": elapsed, "notes_per_second": notes / elapsed if elapsed > 0 else 0.0,
        "partitions": len(parts), "parts": [p.name for p in parts],
        "worker_model_loads": workers,
    }
    with open(os.path.join(output_dir, SUMMARY), "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=2)
        f.write("\n")
    open(os.path.join(output_dir, SUCCESS), "w").close()
    return summary


# ------------------------------------------------------------------ command

def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        prog="python3 -m suggest.dask_runner",
        description="Run libsuggest over JSONL/CSV files with Dask; writes "
                    "OUTPUT_DIR/part-NNNNN.jsonl (see docs/dask.md).")
    ap.add_argument("--input", action="append", required=True, metavar="FILE",
                    help="JSONL or CSV file (repeat for more; output in this order)")
    ap.add_argument("--output-dir", required=True)
    where = ap.add_mutually_exclusive_group()
    where.add_argument("--scheduler", metavar="ADDRESS",
                       help="address of a running scheduler, e.g. tcp://host:8786")
    where.add_argument("--workers", type=int, metavar="N",
                       help="start a LocalCluster of N worker processes (default: CPU count)")
    ap.add_argument("--threads-per-worker", type=int, default=1)
    ap.add_argument("--format", choices=["jsonl", "csv"])
    ap.add_argument("--id-column", default="id")
    ap.add_argument("--text-column", default="text")
    ap.add_argument("--partition-size", default=str(DEFAULT_PARTITION_SIZE),
                    help="input bytes per task, e.g. 8MiB (default 8 MiB)")
    ap.add_argument("--models", help="models directory (default: as suggest.Model)")
    ap.add_argument("--code-set-year", "--code-set", type=int, dest="code_set_year",
                    help="ICD-10-CM fiscal year of the code set for records without a "
                         "date_of_service, e.g. 2026 (--code-set: deprecated spelling)")
    ap.add_argument("--offsets", choices=["bytes", "utf16", "codepoints"], default="bytes")
    ap.add_argument("--repair-utf8", action="store_true")
    ap.add_argument("--max-note-bytes", type=int)
    ap.add_argument("--text-layer", action="store_true")
    ap.add_argument("--setting", choices=["outpatient", "inpatient"], default="outpatient")
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--progress-interval", type=float, default=5.0, metavar="S",
                    help="seconds between progress lines on stderr (default 5)")
    ap.add_argument("--no-progress", action="store_true", help="no progress lines")
    ap.add_argument("--dashboard-address", default=":0", metavar="ADDR",
                    help="LocalCluster: where the Dask dashboard listens (default :0, a free "
                         "port; needs bokeh); 'none' turns it off")
    return ap.parse_args(argv)


def _dashboard_link(client: Any) -> Optional[str]:
    """The dashboard address when the scheduler runs one, else None."""
    try:
        if "dashboard" not in client.scheduler_info().get("services", {}):
            return None
        link: str = client.dashboard_link
        return link
    except Exception:  # noqa: BLE001 - informational only
        return None


def main(argv: list[str] | None = None) -> int:
    """Exit codes as `suggest batch`: 0 ok, 1 some error record, 2 usage,
    3 models failed to load, 4 I/O error."""
    args = _parse_args(argv)
    from distributed import Client, LocalCluster

    cluster = None
    try:
        if args.scheduler:
            client = Client(args.scheduler)  # type: ignore[no-untyped-call]
        else:
            dashboard = None if args.dashboard_address.lower() == "none" else args.dashboard_address
            cluster = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=args.workers or os.cpu_count() or 1,
                                   threads_per_worker=args.threads_per_worker,
                                   processes=True, dashboard_address=dashboard)
            client = Client(cluster)  # type: ignore[no-untyped-call]
        with client:
            link = _dashboard_link(client)
            if link:
                print(f"dask dashboard: {link}", file=sys.stderr, flush=True)
            preflight(client, args.models, args.code_set_year)
            nworkers = len(client.scheduler_info().get("workers", {}))  # type: ignore[no-untyped-call]
            print(f"dask: {nworkers} workers ready (package and models load on each)",
                  file=sys.stderr, flush=True)
            summary = run(args.input, args.output_dir, client=client, models_dir=args.models,
                          code_set_year=args.code_set_year, fmt=args.format, id_column=args.id_column,
                          text_column=args.text_column, partition_size=args.partition_size,
                          offsets=args.offsets,
                          invalid_utf8="replace" if args.repair_utf8 else "error",
                          max_note_bytes=args.max_note_bytes, text_layer=args.text_layer,
                          setting=args.setting, resume=args.resume,
                          progress=not args.no_progress,
                          progress_interval=args.progress_interval, check_workers=False)
    except UsageError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except WorkerSetupError as e:
        print(f"error: {e}", file=sys.stderr)
        return 3
    except (ModelLoadError, LibraryError) as e:
        print(f"error: cannot load models: {e}", file=sys.stderr)
        return 3
    except OSError as e:
        print(f"error: {e}", file=sys.stderr)
        return 4
    finally:
        if cluster is not None:
            cluster.close()  # type: ignore[no-untyped-call]
    codes = ", ".join(f"{c}={n}" for c, n in summary["codes"].items()) or "(none)"
    print(f"dask summary: {summary['notes']} notes, {summary['errors']} errors, "
          f"{summary['partitions']} partitions, {summary['elapsed_seconds']:.2f} s, "
          f"{summary['notes_per_second']:.1f} notes/s", file=sys.stderr)
    print(f"dask codes: {codes}", file=sys.stderr)
    return 1 if summary["errors"] else 0


if __name__ == "__main__":
    # Run the imported module's main, not this __main__ copy: tasks must
    # reference suggest.dask_runner.run_partition (pickled by name), not a
    # __main__ function the workers cannot import.
    from suggest.dask_runner import main as _main
    sys.exit(_main())
