"""Analyse a Dask Bag or DataFrame the user already has.

    import dask.bag as db
    import suggest.dask
    bag = db.read_text("notes-*.jsonl").map(json.loads)     # {"id": ..., "text": ...}
    results = suggest.dask.analyze_bag(bag)                  # a Bag of result dicts
    results.filter(lambda r: r["status"] == "ok").pluck("suggestions").compute()

    ddf = dd.read_parquet("notes.parquet")                   # columns note_id, body
    out = suggest.dask.analyze_dataframe(ddf, text="body", id="note_id")
    out[["id", "status", "codes"]].compute()

Each worker process loads the engine once (suggest.dask_runner.worker_model)
and analyses its partitions in order. A record is a mapping with the id and
text keys (plus, optionally, "setting", "date_of_service", "patient_id",
"encounter_id", which win over the run's options as in `suggest batch`); a
record the engine refuses becomes an error record, as a batch error line.
For JSONL/CSV files on disk, suggest.dask_runner.run is the tool (resume,
part files byte-identical to `suggest batch`). Guide: docs/dask.md.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Iterator, Optional, Union

from . import batch
from ._model import code_set_year_arg
from .dask_runner import worker_model

__all__ = ["analyze_bag", "analyze_dataframe", "RESULT_COLUMNS"]

# analyze_dataframe's columns: the record id, "ok"/"error", the suggested
# codes ("M43.26 Z98.1", rank order), the error kind ("" when ok), and the
# whole result as the JSON line `suggest batch` writes.
RESULT_COLUMNS = ["id", "status", "codes", "error_kind", "result"]


def _record(obj: Any, text: str, id: str) -> batch.Record:
    """A batch.Record from one mapping (a bad one becomes an error record)."""
    try:
        rid = obj[id]
    except (KeyError, TypeError, IndexError):
        return batch.Record("", b"", ("bad_record", f'missing "{id}"'))
    rid = "" if rid is None else str(rid)
    try:
        value = obj[text]
    except (KeyError, TypeError, IndexError):
        return batch.Record(rid, b"", ("bad_record", f'missing "{text}" string'))
    if isinstance(value, str):
        data = value.encode("utf-8", "surrogatepass")
    elif isinstance(value, (bytes, bytearray)):
        data = bytes(value)
    else:
        return batch.Record(rid, b"", ("bad_record", f'"{text}" is not a string'))
    rec = batch.Record(rid, data)
    def get(key: str) -> Any:
        return obj.get(key) if hasattr(obj, "get") else None

    setting = get("setting")
    if setting is not None and setting == setting:  # NaN-safe (a DataFrame cell)
        rec.setting = str(setting)
    for name in batch.FIELDS:
        v = get(name)
        if isinstance(v, str) and v:
            setattr(rec, name, v)
    return rec


def _options(offsets: str, invalid_utf8: str, max_note_bytes: Optional[int], text_layer: bool,
             setting: str) -> dict[str, Any]:
    return {"offsets": offsets, "invalid_utf8": invalid_utf8, "max_note_bytes": max_note_bytes,
            "text_layer": bool(text_layer), "setting": setting}


def _lines(records: Iterable[Any], text: str, id: str, models_dir: Optional[str],
           code_set: Optional[int],
           options: dict[str, Any]) -> Iterator[tuple[str, Optional[str], list[str]]]:
    model = worker_model(models_dir, code_set)
    for obj in records:
        yield batch.result_line(model, _record(obj, text, id), **options)


def _bag_partition(records: Iterable[Any], text: str, id: str, models_dir: Optional[str],
                   code_set: Optional[int], options: dict[str, Any],
                   as_json: bool) -> list[Union[str, Any]]:
    out: list[Union[str, Any]] = []
    for line, _kind, _codes in _lines(records, text, id, models_dir, code_set, options):
        out.append(line if as_json else json.loads(line))
    return out


def analyze_bag(bag: Any, *, text: str = "text", id: str = "id", models_dir: Optional[str] = None,
                code_set_year: Optional[int] = None, offsets: str = "bytes",
                invalid_utf8: str = "error", max_note_bytes: Optional[int] = None,
                text_layer: bool = False, setting: str = "outpatient",
                as_json: bool = False, code_set: Optional[int] = None) -> Any:
    """A Bag of results, one per element of `bag` (mappings with `id` and
    `text` keys), in order: dicts shaped as docs/result.schema.json (an
    error record: {"id", "status": "error", "error": {...}}), or with
    as_json=True the JSON lines exactly as `suggest batch` writes them.
    Options as suggest.dask_runner.run / the CLI's flags (code_set: the
    deprecated spelling of code_set_year)."""
    code_set_year = code_set_year_arg(code_set_year, code_set)
    options = _options(offsets, invalid_utf8, max_note_bytes, text_layer, setting)
    return bag.map_partitions(_bag_partition, text, id, models_dir, code_set_year, options,
                              as_json)


def _frame_partition(df: Any, text: str, id: str, models_dir: Optional[str],
                     code_set: Optional[int], options: dict[str, Any]) -> Any:
    import pandas as pd  # type: ignore[import]
    rows: dict[str, list[str]] = {c: [] for c in RESULT_COLUMNS}
    for line, kind, codes in _lines(df.to_dict("records"), text, id, models_dir, code_set,
                                    options):
        rid = str(json.loads(line)["id"])
        rows["id"].append(rid)
        rows["status"].append("error" if kind else "ok")
        rows["codes"].append(" ".join(codes))
        rows["error_kind"].append(kind or "")
        rows["result"].append(line)
    return pd.DataFrame(rows, index=df.index, columns=RESULT_COLUMNS)


def analyze_dataframe(ddf: Any, *, text: str = "text", id: str = "id",
                      models_dir: Optional[str] = None, code_set_year: Optional[int] = None,
                      offsets: str = "bytes", invalid_utf8: str = "error",
                      max_note_bytes: Optional[int] = None, text_layer: bool = False,
                      setting: str = "outpatient", code_set: Optional[int] = None) -> Any:
    """A Dask DataFrame with one row per row of `ddf` (same index and
    partitions) and the columns RESULT_COLUMNS: id, status, codes (space
    separated, rank order), error_kind, result (the JSON line of `suggest
    batch`). `text` / `id` name the columns to read; columns named setting,
    date_of_service, patient_id, encounter_id are the records' own fields.
    Needs pandas (python3-pandas). code_set: the deprecated spelling of
    code_set_year."""
    import pandas as pd  # noqa: F401 (type-checked above)
    code_set_year = code_set_year_arg(code_set_year, code_set)
    for col in (text, id):
        if col not in ddf.columns:
            raise batch.UsageError(f'the DataFrame has no column named "{col}"; its columns '
                                   f'are: {", ".join(map(str, ddf.columns))}')
    options = _options(offsets, invalid_utf8, max_note_bytes, text_layer, setting)
    meta = pd.DataFrame({c: pd.Series(dtype="object") for c in RESULT_COLUMNS})
    return ddf.map_partitions(_frame_partition, text, id, models_dir, code_set_year, options,
                              meta=meta)
