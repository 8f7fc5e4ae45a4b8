"""suggest: spinal-fusion ICD-10-CM code suggestions from clinical notes.

Python binding of libsuggest over its stable C ABI (ctypes, standard library
only). Guide: docs/python.md.

    import suggest
    with suggest.Model() as model:
        result = model.analyze(open("note.txt").read())
        for s in result.suggestions:
            print(s.rank, s.code, s.score, [e.text for e in s.evidence])

The library is found through $SUGGEST_LIBRARY, else the libsuggest installed
beside this package by `cmake --install`, else the dynamic loader's search.
The Dask archive runner is the separate module suggest.dask_runner (it needs
python3-dask and python3-distributed; this module does not).
"""

from __future__ import annotations

from . import _lib
from ._model import Model, Session
from ._model import InvalidUtf8
from ._types import (Assertion, Cue, Evidence, Fact, FactKind, Gap, GapKind, Modality, NotCoded,
                     NotCodedBasis, OffsetUnit, Region, Result, Section, Sentence, Setting, Span,
                     Suggestion, Suppressed, When)
from .errors import (EmptyNoteError, InvalidNoteError, InvalidUtf8Error, LibraryError,
                     ModelLoadError, NoteTooLargeError, SuggestError)

__all__ = [
    "Model", "Session", "Result", "Suggestion", "Evidence", "Fact", "Cue", "Span", "Section",
    "Sentence", "Suppressed", "Gap", "NotCoded", "SuggestError", "ModelLoadError", "InvalidNoteError",
    "EmptyNoteError", "NoteTooLargeError", "InvalidUtf8Error", "LibraryError",
    "version", "library_path", "ABI_VERSION",
    # Literal types of the result's closed vocabularies and of the options.
    "FactKind", "Assertion", "Region", "When", "Modality", "Setting", "OffsetUnit",
    "NotCodedBasis", "GapKind", "InvalidUtf8",
]

ABI_VERSION = _lib.ABI_VERSION


def version() -> str:
    """Version of the loaded libsuggest, e.g. "0.1.0"."""
    return str(_lib.lib().suggest_version().decode())


def library_path() -> str:
    """The libsuggest that was loaded (a path, or the name the loader resolved)."""
    return _lib.path()


def __getattr__(name: str) -> str:
    # __version__ is the library's: package and library are built and
    # installed together, and this avoids loading the library at import.
    if name == "__version__":
        return version()
    raise AttributeError(f"module 'suggest' has no attribute {name!r}")
