"""Exceptions raised by the suggest package.

Every failure reported by the C library becomes a SuggestError carrying the
C status (suggest_status), its name, the machine-readable kind and the byte
offset. Note problems are also ValueErrors, so generic code can catch them.
"""

from __future__ import annotations

from typing import Any

from ._lib import LibraryError

__all__ = [
    "SuggestError", "ModelLoadError", "InvalidNoteError", "EmptyNoteError",
    "NoteTooLargeError", "InvalidUtf8Error", "LibraryError",
]


class SuggestError(Exception):
    """A libsuggest call failed.

    status: the suggest_status number (3 = invalid_argument, 5 = not_found, ...)
    status_name: its name ("invalid_argument", ...)
    kind: the stable kind ("invalid_utf8", "empty_note", "rule_file", ...) or ""
    message: the library's message
    offset: byte offset into the note the error refers to, or None
    """

    def __init__(self, message: str, *, status: int, status_name: str,
                 kind: str = "", offset: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.status_name = status_name
        self.kind = kind
        self.offset = offset

    def __str__(self) -> str:
        tag = self.kind or self.status_name
        return f"{tag}: {self.message}" if tag else self.message

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # Keyword-only fields: the default Exception pickling (cls(*args))
        # would lose them. Dask sends a worker's exception to the client.
        return (_rebuild, (type(self), self.message, self.status, self.status_name,
                           self.kind, self.offset))


def _rebuild(cls: type[SuggestError], message: str, status: int, status_name: str, kind: str,
             offset: int | None) -> SuggestError:
    return cls(message, status=status, status_name=status_name, kind=kind, offset=offset)


class ModelLoadError(SuggestError):
    """The models directory could not be loaded (missing, broken rule file,
    unsupported schema version, unknown code set year)."""


class InvalidNoteError(SuggestError, ValueError):
    """The note cannot be analysed (status invalid_argument)."""


class EmptyNoteError(InvalidNoteError):
    """The note is empty (kind "empty_note")."""


class NoteTooLargeError(InvalidNoteError):
    """The note is above max_note_bytes (kind "note_too_large")."""


class InvalidUtf8Error(InvalidNoteError):
    """The note is not valid UTF-8 under invalid_utf8="error" (kind
    "invalid_utf8"); .offset is the byte offset of the first bad byte."""


_NOTE_ERRORS = {
    "empty_note": EmptyNoteError,
    "note_too_large": NoteTooLargeError,
    "invalid_utf8": InvalidUtf8Error,
}


def note_error_class(status_name: str, kind: str) -> type[SuggestError]:
    """The exception class for a failed suggest_analyze."""
    if kind in _NOTE_ERRORS:
        return _NOTE_ERRORS[kind]
    if status_name == "invalid_argument":
        return InvalidNoteError
    return SuggestError
