"""python.mypy: code a user writes against the package, checked with
mypy --strict (never run). A wrong Literal below would be an error."""

from __future__ import annotations

import suggest


def fusion_levels(model: suggest.Model, note: str) -> list[str]:
    result: suggest.Result = model.analyze(note, offsets="utf16", setting="inpatient")
    kinds: list[suggest.FactKind] = [f.kind for f in result.facts]
    present: list[suggest.Fact] = [
        f for f in result.facts if f.kind == "fusion_procedure" and f.assertion == "present"]
    history: suggest.Assertion = "historical"
    basis: list[suggest.NotCodedBasis] = [n.basis for n in result.not_coded]
    del kinds, history, basis
    return [s for f in present for s in f.segments]


def only_known(kind: suggest.FactKind) -> bool:
    return kind in ("dish", "ankylosis")
