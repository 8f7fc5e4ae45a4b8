"""suggest.Model: a loaded models directory, over the C ABI."""

from __future__ import annotations

import codecs
import ctypes
import json
import os
import threading
import warnings
from typing import Any, Literal, Optional, Union

from . import _lib
from ._types import OffsetUnit, Result, Setting, result_from_json
from .errors import InvalidUtf8Error, ModelLoadError, SuggestError, note_error_class

Text = Union[str, bytes, bytearray, memoryview]
InvalidUtf8 = Literal["error", "replace"]
# (offsets, invalid_utf8, max_note_bytes, text_layer, setting): one options set.
_Key = tuple[Optional[str], str, Optional[int], bool, str]


def _surrogate_handler(e: UnicodeError) -> tuple[bytes, int]:
    """surrogateescape for U+DC80..U+DCFF (the original byte), one invalid
    byte (0xFF) for any other lone surrogate."""
    assert isinstance(e, UnicodeEncodeError)
    out = bytearray()
    for ch in e.object[e.start:e.end]:
        cp = ord(ch)
        out.append(cp - 0xDC00 if 0xDC80 <= cp <= 0xDCFF else 0xFF)
    return bytes(out), e.end


codecs.register_error("suggest.surrogate", _surrogate_handler)


def code_set_year_arg(code_set_year: int | None, code_set: int | None,
                      stacklevel: int = 3) -> int | None:
    """The code_set_year keyword, or its deprecated spelling code_set (one
    release; a DeprecationWarning). Giving both with different values is a
    ValueError."""
    if code_set is None:
        return code_set_year
    warnings.warn("code_set is deprecated; use code_set_year (the same value)",
                  DeprecationWarning, stacklevel=stacklevel)
    if code_set_year is not None and code_set_year != code_set:
        raise ValueError(f"code_set_year={code_set_year!r} and its deprecated spelling "
                         f"code_set={code_set!r} disagree")
    return code_set


def _check_choice(name: str, value: str | None, choices: dict[str, int]) -> int:
    try:
        return choices[value]  # type: ignore[index]  # None raises KeyError
    except (KeyError, TypeError):
        raise ValueError(f"{name} must be one of {sorted(choices)}, not {value!r}") from None


def _error(lib: Any, status: int, err: Any, cls: type[SuggestError] | None) -> SuggestError:
    """Builds the exception for a failed call and frees the error object."""
    try:
        status_name = lib.suggest_status_name(status).decode()
        if err:
            message = (lib.suggest_error_message(err) or b"").decode("utf-8", "replace")
            kind = (lib.suggest_error_kind(err) or b"").decode("utf-8", "replace")
            offset = lib.suggest_error_offset(err)
        else:  # the library could not even allocate the error object
            message, kind, offset = "out of memory", "", -1
    finally:
        lib.suggest_error_free(err)
    if cls is None:
        cls = note_error_class(status_name, kind)
    return cls(message or status_name, status=status, status_name=status_name,
               kind=kind, offset=offset if offset >= 0 else None)


class Model:
    """A loaded, validated models directory.

    Model(models_dir=None, *, code_set_year=None, offsets=None, invalid_utf8="error",
          max_note_bytes=None, text_layer=True, setting="outpatient", cache_dir=True)

    models_dir: None resolves like suggest_model_load(NULL): $SUGGEST_MODELS,
        then the models installed beside the library (or carried with it by a
        pip-installed package); the error lists every place looked.
    code_set_year: ICD-10-CM fiscal year of the code set for notes without a
        date_of_service (e.g. 2026); None = the models' default (C++
        LoadOptions::code_set_year, CLI --code-set-year). code_set is its
        deprecated spelling (DeprecationWarning; removed in the next release).
    offsets: "bytes", "codepoints" or "utf16"; None = "codepoints" for str
        notes (so text[e.begin:e.end] is the evidence) and "bytes" for bytes.
    invalid_utf8: "error" (raise InvalidUtf8Error) or "replace" (bad bytes
        read as U+FFFD, spans still index the original).
    max_note_bytes: larger notes raise NoteTooLargeError (default 64 MiB).
    text_layer: whether results carry the text layer (sections, sentences,
        facts' section/sentence indices); facts and codes are the same
        either way, False is faster. Default True, as every API and
        `suggest analyze`; suggest.dask and `suggest batch` default to False.
    setting: the care setting, "outpatient" or "inpatient": how uncertain
        diagnoses are coded (echoed in Result.setting).
    cache_dir: where the load may keep the compiled models between processes
        (the prescreen's databases, ~0.8 s to build): True (default) = the
        per-user cache ($SUGGEST_CACHE_DIR, else $XDG_CACHE_HOME/libsuggest,
        else ~/.cache/libsuggest; SUGGEST_CACHE_DIR=off: none), as the CLI;
        a path = that directory; False or None = no cache (nothing written
        outside the models directory). Databases precompiled with `suggest
        models compile` are used either way.

    The analyze options are defaults; analyze() takes the same keywords per
    call. A Model is immutable and thread-safe: share one across threads
    (ctypes releases the GIL during analysis, so threads run in parallel).
    Raises ModelLoadError if the models cannot be loaded.
    """

    def __init__(self, models_dir: str | os.PathLike[str] | None = None, *,
                 code_set_year: int | None = None, offsets: OffsetUnit | None = None,
                 invalid_utf8: InvalidUtf8 = "error", max_note_bytes: int | None = None,
                 text_layer: bool = True, setting: Setting = "outpatient",
                 cache_dir: bool | str | os.PathLike[str] | None = True,
                 code_set: int | None = None) -> None:
        self._handle: int | None = None
        self.models_dir = ""
        lib = _lib.lib()
        self._lib = lib
        self._cond = threading.Condition()
        self._busy = 0
        self._closed = False
        self._options: dict[_Key, int] = {}
        self._defaults = self._normalize(offsets, invalid_utf8, max_note_bytes, text_layer,
                                         setting, allow_none_offsets=True)
        load_opts = None
        try:
            load_opts = self._new_options()
            year = code_set_year_arg(code_set_year, code_set)
            if year is not None:
                if isinstance(year, bool) or not isinstance(year, int) or year < 0:
                    raise ValueError(f"code_set_year must be a year such as 2026, not {year!r}")
                if lib.suggest_options_set_code_set_year(load_opts, year) != _lib.OK:
                    raise ValueError(f"code_set_year must be a year such as 2026, not {year!r}")
            self._set_cache_dir(load_opts, cache_dir)
            path = None if models_dir is None else os.fsencode(models_dir)
            handle = ctypes.c_void_p()
            err = ctypes.c_void_p()
            status = lib.suggest_model_load(path, load_opts, ctypes.byref(handle),
                                            ctypes.byref(err))
            if status != _lib.OK:
                raise _error(lib, status, err, ModelLoadError)
            self._handle = handle.value
            self._free_model = lib.suggest_model_free  # kept for __del__ at shutdown
            self._free_options = lib.suggest_options_free
        finally:
            lib.suggest_options_free(load_opts)
        size = ctypes.c_size_t()
        ptr = lib.suggest_model_dir(self._handle, ctypes.byref(size))
        # The directory actually used (after the None resolution).
        self.models_dir = os.fsdecode(ctypes.string_at(ptr, size.value)) if ptr else ""
        ptr = lib.suggest_model_models_version(self._handle, ctypes.byref(size))
        # Digest of the data files loaded (docs/interop.md "Provenance").
        self.models_version = ctypes.string_at(ptr, size.value).decode() if ptr else ""

    # ---------------------------------------------------------------- options

    def _set_cache_dir(self, opts: int, cache_dir: bool | str | os.PathLike[str] | None) -> None:
        lib = self._lib
        if cache_dir is True:
            status = lib.suggest_options_set_default_cache_dir(opts)
        elif cache_dir is False or cache_dir is None:
            status = _lib.OK  # the library's default: no cache
        elif isinstance(cache_dir, (str, os.PathLike)):
            path = os.fsencode(cache_dir)
            if b"\0" in path:
                raise ValueError("cache_dir must not contain NUL")
            status = lib.suggest_options_set_cache_dir(opts, path)
        else:
            raise TypeError("cache_dir must be True, False, None or a path, not "
                            f"{type(cache_dir).__name__}")
        if status != _lib.OK:
            raise MemoryError("suggest_options_set_cache_dir failed")

    @staticmethod
    def _normalize(offsets: str | None, invalid_utf8: str, max_note_bytes: int | None,
                   text_layer: bool, setting: str = "outpatient", *,
                   allow_none_offsets: bool) -> _Key:
        if offsets is not None or not allow_none_offsets:
            _check_choice("offsets", offsets, _lib.OFFSET_UNITS)
        _check_choice("invalid_utf8", invalid_utf8, _lib.INVALID_UTF8)
        _check_choice("setting", setting, _lib.SETTINGS)
        if max_note_bytes is not None and (
                isinstance(max_note_bytes, bool) or not isinstance(max_note_bytes, int)
                or not 0 <= max_note_bytes < 2**64):
            raise ValueError(f"max_note_bytes must be a non-negative int, not {max_note_bytes!r}")
        return (offsets, invalid_utf8, max_note_bytes, bool(text_layer), setting)

    def _new_options(self) -> int:
        opts = self._lib.suggest_options_new()
        if not opts:
            raise MemoryError("suggest_options_new failed")
        return int(opts)

    def _set_options(self, opts: int, key: _Key, given: dict[str, str] | None = None) -> bool:
        """Sets key's options (and the given record fields) on a fresh
        suggest_options handle; False if libsuggest rejects one."""
        offsets, invalid_utf8, max_bytes, text_layer, setting = key
        assert offsets is not None  # keys of handles are made with offsets
        lib = self._lib
        ok = (lib.suggest_options_set_offset_units(opts, _lib.OFFSET_UNITS[offsets]) == 0
              and lib.suggest_options_set_invalid_utf8(opts, _lib.INVALID_UTF8[invalid_utf8]) == 0
              and lib.suggest_options_set_include_text_layer(opts, int(text_layer)) == 0
              and lib.suggest_options_set_setting(opts, _lib.SETTINGS[setting]) == 0
              and (max_bytes is None
                   or lib.suggest_options_set_max_note_bytes(opts, max_bytes) == 0))
        for name, value in (given or {}).items():
            setter = getattr(lib, "suggest_options_set_" + name)
            ok = ok and setter(opts, value.encode("utf-8", "surrogateescape")) == 0
        return bool(ok)

    def _options_for(self, key: _Key) -> int:
        """A suggest_options handle per distinct option set, made once: the C
        ABI allows concurrent reads of an options object, not writes."""
        opts = self._options.get(key)
        if opts is not None:
            return opts
        with self._cond:
            opts = self._options.get(key)
            if opts is None:
                lib = self._lib
                opts = self._new_options()
                if not self._set_options(opts, key):
                    lib.suggest_options_free(opts)
                    raise ValueError(f"options rejected by libsuggest: {key}")
                self._options[key] = opts
        return opts

    # ---------------------------------------------------------------- use

    def _enter(self) -> None:
        with self._cond:
            if self._closed or not self._handle:
                raise ValueError("the Model is closed")
            self._busy += 1

    def _leave(self) -> None:
        with self._cond:
            self._busy -= 1
            if self._busy == 0:
                self._cond.notify_all()

    @staticmethod
    def _encode(text: Text, invalid_utf8: str) -> tuple[bytes, bool]:
        """(UTF-8 bytes, was str). A str is encoded with surrogateescape, so a
        str decoded with errors="surrogateescape" gives back its original bytes
        (and invalid_utf8 applies to them). Any other lone surrogate is an
        invalid_utf8 error, or under "replace" one bad byte (one U+FFFD, one
        code point: codepoint offsets still index the str)."""
        if isinstance(text, str):
            try:
                return text.encode("utf-8", "surrogateescape"), True
            except UnicodeEncodeError as e:
                if invalid_utf8 == "replace":
                    return text.encode("utf-8", "suggest.surrogate"), True
                offset = len(text[:e.start].encode("utf-8", "surrogateescape"))
                raise InvalidUtf8Error(
                    f"note is not valid Unicode: lone surrogate at code point {e.start}",
                    status=_lib.ERR_INVALID_ARGUMENT, status_name="invalid_argument",
                    kind="invalid_utf8", offset=offset) from None
        if isinstance(text, bytes):
            return text, False
        if isinstance(text, (bytearray, memoryview)):
            return bytes(text), False
        raise TypeError(f"note must be str or bytes, not {type(text).__name__}")

    _FIELDS = ("date_of_service", "patient_id", "encounter_id")

    @staticmethod
    def _check_fields(fields: dict[str, Any]) -> dict[str, str]:
        """The input fields given (not None), each a str."""
        given: dict[str, str] = {}
        for name in Model._FIELDS:
            value = fields.get(name)
            if value is None:
                continue
            if not isinstance(value, str):
                raise TypeError(f"{name} must be a str, not {type(value).__name__}")
            given[name] = value
        return given

    def _run(self, text: Text, offsets: str | None, invalid_utf8: str | None,
             max_note_bytes: int | None, text_layer: bool | None,
             setting: str | None = None, fields: dict[str, Any] | None = None) -> int:
        """Analyzes; returns the result handle (caller frees it). fields: the
        input fields (date_of_service, patient_id, encounter_id) of this
        note; they get an options object of their own, freed after the
        call (the cached ones are keyed by the run-wide options only)."""
        d_off, d_inv, d_max, d_layer, d_setting = self._defaults
        invalid_utf8 = d_inv if invalid_utf8 is None else invalid_utf8
        _check_choice("invalid_utf8", invalid_utf8, _lib.INVALID_UTF8)
        data, is_str = self._encode(text, invalid_utf8)
        if offsets is None:
            offsets = d_off if d_off is not None else ("codepoints" if is_str else "bytes")
        key = self._normalize(offsets, invalid_utf8,
                              d_max if max_note_bytes is None else max_note_bytes,
                              d_layer if text_layer is None else text_layer,
                              d_setting if setting is None else setting,
                              allow_none_offsets=False)
        lib = self._lib
        given = self._check_fields(fields or {})
        self._enter()
        own = None
        try:
            opts = self._options_for(key)
            if given:
                own = self._new_options()
                if not self._set_options(own, key, given):
                    raise ValueError(f"options rejected by libsuggest: {key} {given}")
                opts = own
            res = ctypes.c_void_p()
            err = ctypes.c_void_p()
            # ctypes drops the GIL for the call: other threads keep running.
            status = lib.suggest_analyze(self._handle, data, len(data), opts,
                                         ctypes.byref(res), ctypes.byref(err))
        finally:
            lib.suggest_options_free(own)
            self._leave()
        if status != _lib.OK:
            raise _error(lib, status, err, None)
        assert res.value is not None
        return res.value

    def _json(self, res: int, id: str) -> str:
        """The result line of a result handle, with its id: the C library
        writes it (suggest_result_set_id), byte for byte as `suggest
        analyze --id` would."""
        if not isinstance(id, str):
            raise TypeError(f"id must be a str, not {type(id).__name__}")
        data = id.encode("utf-8", "surrogatepass")  # a lone surrogate: U+FFFD
        err = ctypes.c_void_p()
        status = self._lib.suggest_result_set_id(res, data, len(data), ctypes.byref(err))
        if status != _lib.OK:
            raise _error(self._lib, status, err, None)
        size = ctypes.c_size_t()
        ptr = self._lib.suggest_result_json(res, ctypes.byref(size))
        if not ptr:
            raise MemoryError("suggest_result_json failed")
        return ctypes.string_at(ptr, size.value).decode("utf-8")

    def analyze(self, text: Text, *, id: str = "", offsets: OffsetUnit | None = None,
                invalid_utf8: InvalidUtf8 | None = None, max_note_bytes: int | None = None,
                text_layer: bool | None = None, setting: Setting | None = None,
                date_of_service: str | None = None, patient_id: str | None = None,
                encounter_id: str | None = None) -> Result:
        """Analyzes one note (str, or UTF-8 bytes) and returns a Result.

        Keywords override the Model's defaults for this call; setting is
        "outpatient" (the default) or "inpatient" (ValueError otherwise).
        date_of_service ("YYYY-MM-DD") chooses the ICD-10-CM code set
        (FY2026 from 2025-10-01, FY2027 from 2026-10-01); patient_id and
        encounter_id are echoed. A bad value raises SuggestError (a
        ValueError) whose kind names the field ("invalid_date_of_service",
        "no_code_set_for_date", "invalid_patient_id", ...). Raises
        EmptyNoteError, NoteTooLargeError, InvalidUtf8Error (all ValueError)
        or another SuggestError.
        """
        res = self._run(text, offsets, invalid_utf8, max_note_bytes, text_layer, setting,
                        {"date_of_service": date_of_service, "patient_id": patient_id,
                         "encounter_id": encounter_id})
        return self._take_result(res, id)

    def _take_result(self, res: int, id: str) -> Result:
        """The Result of a result handle, which it frees."""
        lib = self._lib
        try:
            line = self._json(res, id)
            size = ctypes.c_size_t()
            rule_ids: list[list[str]] = []
            for i in range(lib.suggest_result_suggestion_count(res)):
                n = lib.suggest_result_suggestion_evidence_count(res, i)
                rule_ids.append([
                    _lib.string(lib.suggest_result_suggestion_evidence_rule_id(
                        res, i, j, ctypes.byref(size)), size) for j in range(n)])
        finally:
            lib.suggest_result_free(res)
        return result_from_json(line, rule_ids)

    def analyze_json(self, text: Text, *, id: str = "", offsets: OffsetUnit | None = None,
                     invalid_utf8: InvalidUtf8 | None = None, max_note_bytes: int | None = None,
                     text_layer: bool | None = None, setting: Setting | None = None,
                     date_of_service: str | None = None, patient_id: str | None = None,
                     encounter_id: str | None = None) -> str:
        """Like analyze(), but returns the result line (JSON, no newline)
        without decoding it: the fast path for pipelines."""
        res = self._run(text, offsets, invalid_utf8, max_note_bytes, text_layer, setting,
                        {"date_of_service": date_of_service, "patient_id": patient_id,
                         "encounter_id": encounter_id})
        try:
            return self._json(res, id)
        finally:
            self._lib.suggest_result_free(res)

    def _json_and_codes(self, text: Text, id: str, **options: Any) -> tuple[str, list[str]]:
        """analyze_json() plus the suggested codes, read with the typed
        accessors (cheaper than decoding the line; for batch summaries)."""
        res = self._run(text, options.get("offsets"), options.get("invalid_utf8"),
                        options.get("max_note_bytes"), options.get("text_layer"),
                        options.get("setting"), options)
        lib = self._lib
        try:
            size = ctypes.c_size_t()
            codes = [_lib.string(lib.suggest_result_suggestion_code(res, i, ctypes.byref(size)),
                                 size)
                     for i in range(lib.suggest_result_suggestion_count(res))]
            return self._json(res, id), codes
        finally:
            lib.suggest_result_free(res)

    def session(self, *, offsets: str = "codepoints", invalid_utf8: str | None = None,
                max_note_bytes: int | None = None, text_layer: bool | None = None,
                setting: str | None = None, date_of_service: str | None = None,
                patient_id: str | None = None, encounter_id: str | None = None) -> Session:
        """A live Session: a note edited in place and re-analysed after each
        change (docs/python.md "Sessions"). offsets is the unit of edit()
        offsets and of the results' spans: "codepoints" (default: indices
        of a Python str), "utf16" or "bytes". The other keywords are those
        of analyze() and apply to every result."""
        d_off, d_inv, d_max, d_layer, d_setting = self._defaults
        key = self._normalize(offsets, d_inv if invalid_utf8 is None else invalid_utf8,
                              d_max if max_note_bytes is None else max_note_bytes,
                              d_layer if text_layer is None else text_layer,
                              d_setting if setting is None else setting,
                              allow_none_offsets=False)
        given = self._check_fields({"date_of_service": date_of_service,
                                    "patient_id": patient_id, "encounter_id": encounter_id})
        lib = self._lib
        self._enter()
        opts = None
        try:
            opts = self._new_options()
            if not self._set_options(opts, key, given):
                raise ValueError(f"options rejected by libsuggest: {key} {given}")
            handle = ctypes.c_void_p()
            err = ctypes.c_void_p()
            status = lib.suggest_session_new(self._handle, opts, ctypes.byref(handle),
                                             ctypes.byref(err))
        finally:
            lib.suggest_options_free(opts)
            self._leave()
        if status != _lib.OK or not handle.value:
            raise _error(lib, status, err, None)
        return Session(self, handle.value, key[1])

    # ---------------------------------------------------------------- lifetime

    def close(self) -> None:
        """Frees the model once no analyze() call uses it. Idempotent."""
        with self._cond:
            if self._closed:
                return
            self._closed = True
            while self._busy:
                self._cond.wait()
        self._release()

    def _release(self) -> None:
        handle, self._handle = self._handle, None
        if handle:
            self._free_model(handle)
        options, self._options = self._options, {}
        for opts in options.values():
            self._free_options(opts)

    def __enter__(self) -> Model:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        # No other reference exists, so no call can be running.
        if getattr(self, "_handle", None):
            self._release()

    def __reduce__(self) -> str:
        raise TypeError("a suggest.Model cannot be pickled; load one per process "
                        "(suggest.dask_runner does this on each worker)")

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        return (f"<suggest.Model {self.models_dir!r} version={self.models_version} "
                f"({state})>")


class Session:
    """A note edited in place and re-analysed after each change; made by
    Model.session(). result() is exactly Model.analyze() of text() with the
    session's options. Use a session from one thread at a time (calls are
    serialised by a lock); sessions of one Model may run on many threads.
    It keeps the loaded models alive even after Model.close()."""

    def __init__(self, model: Model, handle: int, invalid_utf8: str):
        self._model = model
        self._lib = model._lib
        self._free = self._lib.suggest_session_free  # kept for __del__ at shutdown
        self._handle: int | None = handle
        self._invalid_utf8 = invalid_utf8
        self._lock = threading.Lock()

    def _live(self) -> int:
        if not self._handle:
            raise ValueError("the Session is closed")
        return self._handle

    def edit(self, begin: int, end: int, text: Text = "") -> None:
        """Replaces [begin, end) of the text (in the session's offsets unit,
        code points by default) with text: begin == end inserts, "" deletes.
        Raises InvalidNoteError (a ValueError) with kind "edit_out_of_range",
        "edit_splits_character", "note_too_large" or InvalidUtf8Error; the
        text is then unchanged."""
        for name, value in (("begin", begin), ("end", end)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be a non-negative int, not {value!r}")
        data, _ = Model._encode(text, self._invalid_utf8)
        lib = self._lib
        with self._lock:
            err = ctypes.c_void_p()
            status = lib.suggest_session_edit(self._live(), begin, end, data, len(data),
                                              ctypes.byref(err))
        if status != _lib.OK:
            raise _error(lib, status, err, None)

    def result(self, *, id: str = "") -> Result:
        """The analysis of the current text (as Model.analyze; an empty text
        raises EmptyNoteError)."""
        lib = self._lib
        with self._lock:
            res = ctypes.c_void_p()
            err = ctypes.c_void_p()
            status = lib.suggest_session_result(self._live(), ctypes.byref(res),
                                                ctypes.byref(err))
        if status != _lib.OK or not res.value:
            raise _error(lib, status, err, None)
        return self._model._take_result(res.value, id)

    def result_json(self, *, id: str = "") -> str:
        """The result line (JSON) of the current text, as Model.analyze_json."""
        lib = self._lib
        with self._lock:
            res = ctypes.c_void_p()
            err = ctypes.c_void_p()
            status = lib.suggest_session_result(self._live(), ctypes.byref(res),
                                                ctypes.byref(err))
        if status != _lib.OK or not res.value:
            raise _error(lib, status, err, None)
        try:
            return self._model._json(res.value, id)
        finally:
            lib.suggest_result_free(res.value)

    def changes(self) -> dict[str, Any]:
        """What changed between the two latest result() calls:
        {"suggestions": {"added": [...], "removed": [...]}, "gaps": ...,
        "not_coded": ..., "facts": ...}, each entry a dict as in the result
        JSON (docs/python.md "Sessions")."""
        size = ctypes.c_size_t()
        with self._lock:
            ptr = self._lib.suggest_session_changes_json(self._live(), ctypes.byref(size))
            if not ptr:
                raise MemoryError("suggest_session_changes_json failed")
            line = ctypes.string_at(ptr, size.value).decode("utf-8")
        changes: dict[str, Any] = json.loads(line)
        return changes

    def text(self) -> str:
        """The current text (bad bytes, under invalid_utf8="replace", come
        back as surrogate escapes)."""
        size = ctypes.c_size_t()
        with self._lock:
            ptr = self._lib.suggest_session_text(self._live(), ctypes.byref(size))
            data = ctypes.string_at(ptr, size.value) if ptr else b""
        return data.decode("utf-8", "surrogateescape")

    def close(self) -> None:
        """Frees the session. Idempotent."""
        with self._lock:
            handle, self._handle = self._handle, None
        if handle:
            self._free(handle)

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        handle = getattr(self, "_handle", None)
        if handle:
            self._handle = None
            self._free(handle)

    def __reduce__(self) -> str:
        raise TypeError("a suggest.Session cannot be pickled")
