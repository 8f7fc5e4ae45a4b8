"""Finds, loads and declares libsuggest's C ABI (suggest/suggest_c.h) for ctypes.

Only the C ABI is used: it is the stable interface (the C++ API has no stable
ABI). Every function gets argtypes/restype, because ctypes' default (int) would
truncate 64-bit pointers.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import threading

# The C ABI this package was written against (SUGGEST_ABI_VERSION). The
# library's SONAME carries the same number.
ABI_VERSION = 1
LIBRARY_NAME = f"libsuggest.so.{ABI_VERSION}"

# suggest_status values (pinned in suggest_c.h, never change).
OK = 0
ERR_INVALID_ARGUMENT = 3
ERR_NOT_FOUND = 5

# suggest_offset_units / suggest_invalid_utf8 values.
OFFSET_UNITS = {"bytes": 0, "utf16": 1, "codepoints": 2}
INVALID_UTF8 = {"error": 0, "replace": 1}
# suggest_setting values.
SETTINGS = {"outpatient": 0, "inpatient": 1}


class suggest_span(ctypes.Structure):  # noqa: N801 - the C name
    _fields_ = [("begin", ctypes.c_uint32), ("end", ctypes.c_uint32)]


_p = ctypes.c_void_p
_pp = ctypes.POINTER(ctypes.c_void_p)
_size = ctypes.c_size_t
_psize = ctypes.POINTER(ctypes.c_size_t)
_status = ctypes.c_int  # C enums are ints on every supported platform

# name: (restype, argtypes). Strings come back as c_void_p when the function
# reports a length (read with ctypes.string_at(ptr, len), NULs included), as
# c_char_p otherwise.
_PROTOTYPES = {
    "suggest_version": (ctypes.c_char_p, []),
    "suggest_version_number": (ctypes.c_uint32, []),
    "suggest_abi_version": (ctypes.c_uint32, []),
    "suggest_status_name": (ctypes.c_char_p, [_status]),
    "suggest_options_new": (_p, []),
    "suggest_options_free": (None, [_p]),
    "suggest_options_set_offset_units": (_status, [_p, ctypes.c_int]),
    "suggest_options_set_invalid_utf8": (_status, [_p, ctypes.c_int]),
    "suggest_options_set_max_note_bytes": (_status, [_p, ctypes.c_uint64]),
    "suggest_options_set_include_text_layer": (_status, [_p, ctypes.c_int]),
    "suggest_options_set_code_set_year": (_status, [_p, ctypes.c_int]),
    "suggest_options_set_cache_dir": (_status, [_p, ctypes.c_char_p]),
    "suggest_options_set_default_cache_dir": (_status, [_p]),
    "suggest_options_set_setting": (_status, [_p, ctypes.c_int]),
    "suggest_options_set_date_of_service": (_status, [_p, ctypes.c_char_p]),
    "suggest_options_set_patient_id": (_status, [_p, ctypes.c_char_p]),
    "suggest_options_set_encounter_id": (_status, [_p, ctypes.c_char_p]),
    "suggest_model_load": (_status, [ctypes.c_char_p, _p, _pp, _pp]),
    "suggest_model_free": (None, [_p]),
    "suggest_model_dir": (_p, [_p, _psize]),
    "suggest_model_models_version": (_p, [_p, _psize]),
    "suggest_result_set_id": (_status, [_p, ctypes.c_char_p, _size, _pp]),
    "suggest_analyze": (_status, [_p, ctypes.c_char_p, _size, _p, _pp, _pp]),
    "suggest_session_new": (_status, [_p, _p, _pp, _pp]),
    "suggest_session_edit": (_status, [_p, _size, _size, ctypes.c_char_p, _size, _pp]),
    "suggest_session_result": (_status, [_p, _pp, _pp]),
    "suggest_session_changes_json": (_p, [_p, _psize]),
    "suggest_session_text": (_p, [_p, _psize]),
    "suggest_session_free": (None, [_p]),
    "suggest_result_json": (_p, [_p, _psize]),
    "suggest_result_free": (None, [_p]),
    "suggest_result_offset_units": (ctypes.c_int, [_p]),
    "suggest_result_code_set": (_p, [_p, _psize]),
    "suggest_result_models_version": (_p, [_p, _psize]),
    "suggest_result_provenance_json": (_p, [_p, _psize]),
    "suggest_result_fact_count": (_size, [_p]),
    "suggest_result_suggestion_count": (_size, [_p]),
    "suggest_result_suggestion_code": (_p, [_p, _size, _psize]),
    "suggest_result_suggestion_title": (_p, [_p, _size, _psize]),
    "suggest_result_suggestion_score": (ctypes.c_double, [_p, _size]),
    "suggest_result_suggestion_rank": (ctypes.c_int, [_p, _size]),
    "suggest_result_suggestion_rationale": (_p, [_p, _size, _psize]),
    "suggest_result_suggestion_evidence_count": (_size, [_p, _size]),
    "suggest_result_suggestion_evidence_span": (suggest_span, [_p, _size, _size]),
    "suggest_result_suggestion_evidence_rule_id": (_p, [_p, _size, _size, _psize]),
    "suggest_error_status": (_status, [_p]),
    "suggest_error_message": (ctypes.c_char_p, [_p]),
    "suggest_error_kind": (ctypes.c_char_p, [_p]),
    "suggest_error_offset": (ctypes.c_int64, [_p]),
    "suggest_error_free": (None, [_p]),
}

_lock = threading.Lock()
_lib: ctypes.CDLL | None = None
_path: str | None = None


class LibraryError(OSError):
    """libsuggest could not be found or loaded, or its ABI does not match."""


def _configured_path() -> str | None:
    """The library installed beside this package, from the _config.py that
    `cmake --install` writes (a path relative to this directory, so the
    installed prefix can be moved)."""
    try:
        from . import _config  # generated at install time only
    except ImportError:
        return None
    rel = getattr(_config, "LIBRARY", None)
    if not rel:
        return None
    return os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), rel))


def _candidates() -> list[tuple[str, str]]:
    """(how, what to dlopen) in lookup order."""
    env = os.environ.get("SUGGEST_LIBRARY")
    if env:
        # An explicit choice must not silently fall back to another library.
        return [("$SUGGEST_LIBRARY", env)]
    out = []
    configured = _configured_path()
    if configured and os.path.exists(configured):
        out.append(("installed beside the package", configured))
    # The dynamic loader's own search (LD_LIBRARY_PATH, ld.so.cache, /usr/lib).
    out.append(("dynamic loader", LIBRARY_NAME))
    found = ctypes.util.find_library("suggest")
    if found and found != LIBRARY_NAME:
        out.append(("ctypes.util.find_library", found))
    return out


def _declare(lib: ctypes.CDLL) -> None:
    for name, (restype, argtypes) in _PROTOTYPES.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes


def _load() -> tuple[ctypes.CDLL, str]:
    tried = []
    for how, what in _candidates():
        try:
            lib = ctypes.CDLL(what)
        except OSError as e:
            tried.append(f"{what} ({how}): {e}")
            continue
        try:
            _declare(lib)
        except AttributeError as e:
            raise LibraryError(f"{what} is not libsuggest (or too old): {e}") from None
        abi = lib.suggest_abi_version()
        if abi != ABI_VERSION:
            raise LibraryError(
                f"{what} has C ABI version {abi}; this package needs {ABI_VERSION}")
        return lib, what
    raise LibraryError(
        "cannot load libsuggest; set SUGGEST_LIBRARY to the path of "
        f"{LIBRARY_NAME} or install it. Tried: " + "; ".join(tried))


def lib() -> ctypes.CDLL:
    """The loaded library (loaded on first use, then shared)."""
    global _lib, _path
    if _lib is None:
        with _lock:
            if _lib is None:
                loaded, path = _load()
                _path = path
                _lib = loaded
    return _lib


def path() -> str:
    """What was dlopen()ed: a path, or a bare name resolved by the loader."""
    lib()
    assert _path is not None
    return _path


def string(ptr: int | None, length: ctypes.c_size_t) -> str:
    """Copies a (pointer, length) string returned by the library."""
    if not ptr:
        return ""
    return ctypes.string_at(ptr, length.value).decode("utf-8", "replace")
