"""Batch records exactly as `suggest batch` reads and writes them.

This module reproduces libsuggest/tools/batch_io.cc (JSONL records),
batch_input.cc (the RFC 4180 CSV reader) and the error-record shape of
ErrorToJson (json_writer.cc), so that a Python pipeline (suggest.dask_runner)
writes the same lines, byte for byte, as the single-process CLI - error
records and their "line N" messages included. Standard library only.

Inputs are read through a byte buffer (bytes or mmap) with explicit
[start, end) ranges, so a file can be split into partitions that are parsed
independently: JSONL partitions start at a line start, CSV partitions at a
record start found by plan_csv().
"""

from __future__ import annotations

import json
import math
import mmap
import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Iterator, NoReturn, Optional, Union

from .errors import SuggestError

if TYPE_CHECKING:
    from ._model import Model

# An input file's bytes: an mmap, or b"" for an empty file (open_buffer).
Buffer = Union[bytes, mmap.mmap]

__all__ = [
    "Record", "error_line", "result_line", "jsonl_records", "csv_records",
    "CsvHeader", "read_csv_header", "plan_jsonl", "plan_csv", "detect_format",
    "open_buffer", "process", "UsageError",
]


class UsageError(ValueError):
    """The input cannot be read as asked (e.g. a missing CSV column): the
    CLI's exit code 2."""


@dataclass(slots=True)
class Record:
    """One input record: id and note bytes, or a bad record (error set to
    (kind, message)) that becomes an error line. setting: the record's own
    care setting ("outpatient"/"inpatient"), None when it has none (the
    run's setting applies). date_of_service, patient_id, encounter_id: the
    record's input fields (JSONL keys, CSV columns), None when absent."""
    id: str
    text: bytes = b""
    error: Optional[tuple[str, str]] = None
    setting: Optional[str] = None
    date_of_service: Optional[str] = None
    patient_id: Optional[str] = None
    encounter_id: Optional[str] = None


FIELDS = ("date_of_service", "patient_id", "encounter_id")


# --------------------------------------------------------------- output lines

def _dump(s: str) -> str:
    # nlohmann::json::dump(-1, ' ', ensure_ascii=false): the same escapes as
    # Python's json with ensure_ascii off (\" \\ \b \f \n \r \t, other
    # control characters as lower-case \u00xx, everything else verbatim).
    return json.dumps(s, ensure_ascii=False)


def error_line(id: str, kind: str, message: str, offset: int | None = None) -> str:
    """An error record, as ErrorToJson writes it (no newline)."""
    tail = "" if offset is None or offset < 0 else f',"offset":{offset}'
    return (f'{{"id":{_dump(id)},"status":"error","error":{{"kind":{_dump(kind)},'
            f'"message":{_dump(message)}{tail}}}}}')


def result_line(model: Model, rec: Record, **options: Any) -> tuple[str, Optional[str], list[str]]:
    """(line, error kind or None, suggested codes) for one record: the
    record's error line, the engine's error line, or the result line."""
    if rec.error is not None:
        kind, message = rec.error
        return error_line(rec.id, kind, message), kind, []
    if rec.setting is not None:  # the record's own setting wins
        options = {**options, "setting": rec.setting}
    for name in FIELDS:  # and its own input fields
        if getattr(rec, name) is not None:
            options = {**options, name: getattr(rec, name)}
    try:
        line, codes = model._json_and_codes(rec.text, rec.id, **options)
    except SuggestError as e:
        kind = e.kind or e.status_name
        return error_line(rec.id, kind, e.message, e.offset), kind, []
    except MemoryError:
        # Python's own allocations for this note (the result's text, say):
        # this note fails alone, as in `suggest batch` (issue 19).
        kind = "resource_exhausted"
        return error_line(rec.id, kind, "out of memory while analysing this note"), kind, []
    return line, None, codes


def process(model: Model, records: Iterable[Record],
            **options: Any) -> Iterator[tuple[str, Optional[str], list[str]]]:
    for rec in records:
        yield result_line(model, rec, **options)


# ----------------------------------------------------------------------- JSONL

_BAD_JSON = "not a JSON object (or invalid JSON / invalid UTF-8)"
_MISSING_ID = 'missing "id" (string or integer)'
_MISSING_TEXT = 'missing "text" string'
_SETTINGS = ("outpatient", "inpatient")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abAB]|\\u[dD][c-fC-F]")
_INT64 = 2**63


def _bad_record(id: str, line_no: int, why: str) -> Record:
    return Record(id, b"", ("bad_record", f"line {line_no}: {why}"))


def _setting_record(rec: Record, value: object) -> Record:
    """rec with its "setting" value applied, or rec made an invalid_setting
    error record (SetRecordSetting / InvalidSetting in batch_io.cc)."""
    if isinstance(value, str) and value in _SETTINGS:
        rec.setting = value
        return rec
    if isinstance(value, str):
        got = _dump(value)
    elif value is None:
        got = "null"
    elif isinstance(value, bool):
        got = "a boolean"
    elif isinstance(value, (int, float, _IntText)):
        got = "a number"
    elif isinstance(value, list):
        got = "an array"
    else:
        got = "an object"
    return Record(rec.id, b"", ("invalid_setting",
                                f'setting must be "outpatient" or "inpatient", got {got}'))


def _json_type(value: object) -> str:
    """JsonTypeForMessage in batch_io.cc."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float, _IntText)):
        return "a number"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _field_records(rec: Record, obj: dict[str, Any]) -> Record:
    """rec with its input fields applied, or the invalid_<field> error
    record of the first one that is not a non-empty string (batch_io.cc)."""
    for name in FIELDS:
        if name not in obj:
            continue
        value = obj[name]
        if not isinstance(value, str) or not value:
            got = "an empty string" if isinstance(value, str) else _json_type(value)
            return Record(rec.id, b"", (f"invalid_{name}", f"{name} must be a string, got {got}"))
        setattr(rec, name, value)
    return rec


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")  # NaN, Infinity: Python-only


def _parse_float(s: str) -> float:
    v = float(s)
    if math.isinf(v):  # nlohmann: "number overflow"
        raise ValueError(f"number overflow: {s[:20]}")
    return v


class _IntText:
    """A JSON integer outside int64, kept as written (an id is its decimal
    text, as in the CLI; issue 19 item 7). Any other use is "a number"."""
    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def _parse_int(s: str) -> int | _IntText:
    # int64 values as ints; anything larger (nlohmann: uint64, or a double)
    # as its text: Python would build a big int (and refuse > 4300 digits).
    if len(s) <= 20:
        v = int(s)
        if -_INT64 <= v < _INT64:
            return v
    else:
        _parse_float(s)  # nlohmann refuses one beyond a double: "number overflow"
    return _IntText(s)


def _has_lone_surrogate(v: object) -> bool:
    if isinstance(v, str):
        try:
            v.encode("utf-8")
            return False
        except UnicodeEncodeError:
            return True
    if isinstance(v, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(x) for k, x in v.items())
    if isinstance(v, list):
        return any(_has_lone_surrogate(x) for x in v)
    return False


def parse_jsonl_line(line: bytes, line_no: int) -> Optional[Record]:
    """ParseJsonlRecord: a Record, or None for a blank line."""
    if line.endswith(b"\r"):
        line = line[:-1]
    if not line.strip(b" \t"):
        return None
    try:
        s = line.decode("utf-8")
        if s.startswith("\ufeff"):  # nlohmann skips a BOM at the start of input
            s = s[1:]
        obj = json.loads(s, parse_constant=_reject_constant, parse_int=_parse_int,
                         parse_float=_parse_float)
    except (ValueError, RecursionError):
        return _bad_record("", line_no, _BAD_JSON)
    if not isinstance(obj, dict):
        return _bad_record("", line_no, _BAD_JSON)
    # nlohmann rejects unpaired \uD800-\uDFFF escapes; Python's json keeps them.
    if _SURROGATE_ESCAPE.search(s) and _has_lone_surrogate(obj):
        return _bad_record("", line_no, _BAD_JSON)
    id = obj.get("id")
    if isinstance(id, str):
        pass
    elif isinstance(id, int) and not isinstance(id, bool):
        id = str(id)  # int64 (-0 reads as 0, as nlohmann's)
    elif isinstance(id, _IntText):
        id = id.text  # beyond int64: the digits as written
    else:
        return _bad_record("", line_no, _MISSING_ID)
    text = obj.get("text")
    if not isinstance(text, str):
        return _bad_record(id, line_no, _MISSING_TEXT)
    rec = Record(id, text.encode("utf-8"))
    if "setting" in obj:
        rec = _setting_record(rec, obj["setting"])
        if rec.error is not None:
            return rec
    return _field_records(rec, obj)


def jsonl_records(buf: Buffer, start: int, end: int, first_line: int) -> Iterator[Record]:
    """Records of the lines starting in [start, end); start is a line start
    and first_line its 1-based number in the file."""
    line_no = first_line - 1
    pos = start
    while pos < end:
        nl = buf.find(b"\n", pos)
        stop = len(buf) if nl < 0 else nl
        line_no += 1
        rec = parse_jsonl_line(buf[pos:stop], line_no)
        if rec is not None:
            yield rec
        pos = stop + 1


def plan_jsonl(buf: Buffer, target: int) -> list[tuple[int, int, int]]:
    """Splits a JSONL buffer into (start, end, first_line) ranges of about
    `target` bytes, each starting at a line start."""
    size = len(buf)
    parts: list[tuple[int, int, int]] = []
    pos, line = 0, 1
    while pos < size:
        end = pos + max(1, target)
        if end < size:
            nl = buf.find(b"\n", end - 1)
            end = size if nl < 0 else nl + 1
        else:
            end = size
        parts.append((pos, end, line))
        line += buf[pos:end].count(b"\n")
        pos = end
    return parts


# ------------------------------------------------------------------------- CSV

# One quoted field: contents with doubled quotes, then the closing quote if any
# (none only at the end of the input).
_QUOTED = re.compile(rb'"([^"]*(?:""[^"]*)*)("?)')
# Unquoted text up to a comma, LF or CRLF (a lone CR is data).
_UNQUOTED = re.compile(rb"[^,\r\n]*(?:\r(?!\n)[^,\r\n]*)*")


def csv_row(buf: Buffer, pos: int) -> tuple[list[bytes], str, int, int]:
    """CsvSource::ReadRow at pos (< len(buf)): (fields, first problem or "",
    position after the record, newlines consumed)."""
    size = len(buf)
    fields: list[bytes] = []
    problem = ""
    newlines = 0
    while True:
        if pos < size and buf[pos] == 0x22:  # '"' at a field start: quoted
            m = _QUOTED.match(buf, pos)
            assert m is not None  # the pattern matches at any position
            raw = m.group(1)
            quote_at = pos
            field = raw.replace(b'""', b'"')
            if not m.group(2):
                if not problem:
                    problem = "unterminated quoted field"
                    # The rows after a stray quote are not lost: reading
                    # resumes on the line after the quote (CsvSource).
                    nl = buf.find(b"\n", quote_at + 1)
                    if 0 <= nl and nl + 1 < size:
                        problem += "; reading resumes on the line after the quote"
                        fields.append(b"")
                        return fields, problem, nl + 1, newlines + 1
                newlines += raw.count(b"\n")
                fields.append(field)
                return fields, problem, m.end(), newlines
            newlines += raw.count(b"\n")
            pos = m.end()
            m = _UNQUOTED.match(buf, pos)
            assert m is not None
            if m.end() > pos:
                if not problem:
                    problem = f"text after a closing quote in field {len(fields) + 1}"
                field += m.group(0)
                pos = m.end()
        else:
            m = _UNQUOTED.match(buf, pos)
            assert m is not None
            field = m.group(0)
            pos = m.end()
            if not problem and b'"' in field:
                problem = f"quote inside an unquoted field {len(fields) + 1}"
        fields.append(field)
        if pos >= size:
            return fields, problem, pos, newlines
        c = buf[pos]
        if c == 0x2C:  # ','
            pos += 1  # "a,<EOF>" ends with an empty field, like the CLI
            continue
        pos += 2 if c == 0x0D else 1  # CRLF or LF (a lone CR was taken as data)
        return fields, problem, pos, newlines + 1


@dataclass(frozen=True, slots=True)
class CsvHeader:
    ncols: int
    id_idx: int
    text_idx: int
    data_start: int  # offset of the first data record
    lines: int  # newlines consumed by the header
    setting_idx: int = -1  # the optional "setting" column
    field_idx: tuple[int, ...] = (-1, -1, -1)  # the optional FIELDS columns


def read_csv_header(buf: Buffer, id_column: str = "id", text_column: str = "text") -> CsvHeader:
    """CsvSource::ReadHeader; raises UsageError like the CLI (exit code 2)."""
    if len(buf) == 0:
        raise UsageError("CSV input is empty (no header row)")
    fields, _, pos, newlines = csv_row(buf, 0)
    if fields and fields[0].startswith(b"\xef\xbb\xbf"):
        fields[0] = fields[0][3:]
    want_id, want_text = id_column.encode(), text_column.encode()
    id_idx = fields.index(want_id) if want_id in fields else -1
    text_idx = fields.index(want_text) if want_text in fields else -1
    if id_idx < 0 or text_idx < 0:
        missing = id_column if id_idx < 0 else text_column
        raise UsageError(f'CSV header has no column named "{missing}"')
    setting_idx = fields.index(b"setting") if b"setting" in fields else -1
    field_idx = tuple(fields.index(n.encode()) if n.encode() in fields else -1 for n in FIELDS)
    return CsvHeader(len(fields), id_idx, text_idx, pos, newlines, setting_idx, field_idx)


def csv_records(buf: Buffer, header: CsvHeader, start: int, end: int, lines_before: int,
                rows_before: int) -> Iterator[Record]:
    """Records of the CSV records starting in [start, end): start is a record
    start after lines_before newlines and rows_before data rows."""
    line = lines_before
    row_no = rows_before
    pos = start
    while pos < end:
        fields, problem, pos, newlines = csv_row(buf, pos)
        start_line = line + 1
        line += newlines
        if not problem and len(fields) == 1 and not fields[0]:
            continue  # blank line
        row_no += 1
        # Ids are bytes in the CLI; its JSON writer replaces invalid UTF-8.
        id = (fields[header.id_idx] if header.id_idx < len(fields) else b"").decode(
            "utf-8", "replace")
        if not problem and len(fields) != header.ncols:
            problem = f"has {len(fields)} fields, the header has {header.ncols}"
        if problem:
            yield Record(id, b"", ("bad_record", f"line {start_line}: row {row_no}: {problem}"))
            continue
        rec = Record(id, fields[header.text_idx])
        # An empty cell: no setting of its own (the run's setting applies).
        if header.setting_idx >= 0 and fields[header.setting_idx]:
            rec = _setting_record(rec, fields[header.setting_idx].decode("utf-8", "replace"))
        for name, idx in zip(FIELDS, header.field_idx):  # an empty cell: none
            if rec.error is None and idx >= 0 and fields[idx]:
                setattr(rec, name, fields[idx].decode("utf-8", "surrogateescape"))
        yield rec


def plan_csv(buf: Buffer, header: CsvHeader, target: int) -> list[tuple[int, int, int, int]]:
    """Splits CSV data records into (start, end, lines_before, rows_before)
    ranges of about `target` bytes. A quoted field may hold newlines, so the
    record starts are found by parsing the records (not their fields'
    contents) sequentially."""
    size = len(buf)
    parts: list[tuple[int, int, int, int]] = []
    pos, line, rows = header.data_start, header.lines, 0
    part_start, part_line, part_rows = pos, line, rows
    target = max(1, target)
    while pos < size:
        fields, problem, pos, newlines = csv_row(buf, pos)
        line += newlines
        if problem or len(fields) != 1 or fields[0]:
            rows += 1
        if pos - part_start >= target or pos >= size:
            parts.append((part_start, pos, part_line, part_rows))
            part_start, part_line, part_rows = pos, line, rows
    return parts


# ----------------------------------------------------------------------- files

def detect_format(path: str, fmt: str | None = None) -> str:
    """"csv" for --format csv or a .csv name, else "jsonl" (the CLI's rule)."""
    if fmt:
        if fmt not in ("jsonl", "csv"):
            raise UsageError(f"format must be jsonl or csv, not {fmt!r}")
        return fmt
    return "csv" if str(path).endswith(".csv") else "jsonl"


def open_buffer(path: str) -> Buffer:
    """The file's bytes without reading them: an mmap (b"" for an empty file)."""
    with open(path, "rb") as f:
        if os.fstat(f.fileno()).st_size == 0:
            return b""
        return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)


def read_records(path: str, fmt: str | None = None, id_column: str = "id",
                 text_column: str = "text") -> Iterator[Record]:
    """All records of one file, in order (single process)."""
    buf = open_buffer(path)
    try:
        if detect_format(path, fmt) == "csv":
            header = read_csv_header(buf, id_column, text_column)
            yield from csv_records(buf, header, header.data_start, len(buf), header.lines, 0)
        else:
            yield from jsonl_records(buf, 0, len(buf), 1)
    finally:
        if isinstance(buf, mmap.mmap):
            buf.close()
