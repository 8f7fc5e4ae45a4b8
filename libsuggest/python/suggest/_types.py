"""Result objects, built from the result JSON (docs/result.schema.json).

The JSON returned by suggest_result_json is the stable contract (the same
bytes `suggest analyze` prints), so the objects are decoded from it rather
than assembled from many small C calls. Objects are frozen dataclasses with
tuples, so a result can be shared between threads without copying.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal, cast

# The closed vocabularies of the result (docs/result.schema.json). The
# decoder does not check them: the C++ writer is the only source of results.
FactKind = Literal["fusion_procedure", "ankylosis", "ankylosing_spondylitis",
                   "axial_spondyloarthritis", "dish", "juvenile_spondylitis",
                   "congenital_fusion", "pseudarthrosis", "imaging_finding"]
Assertion = Literal["present", "negated", "possible", "hypothetical", "historical", "family"]
Region = Literal["occipito_atlanto_axial", "cervical", "cervicothoracic", "thoracic",
                 "thoracolumbar", "lumbar", "lumbosacral", "sacral_sacrococcygeal",
                 "multiple_sites"]
When = Literal["prior", "performed_this_encounter", "same_stay", "planned"]
Modality = Literal["xray", "ct", "mri"]
Setting = Literal["outpatient", "inpatient"]
OffsetUnit = Literal["bytes", "utf16", "codepoints"]
NotCodedBasis = Literal["performed_this_encounter", "same_stay", "uncertain", "negated",
                        "family", "planned", "excludes1", "replaced", "requires_fusion",
                        "supporting", "outside_families"]
GapKind = Literal["region_unspecified", "cause_unspecified", "imaging_levels_missing",
                  "conflicting_statements", "fusion_not_documented", "uncertain_diagnosis",
                  "hardware_without_fusion"]

# A JSON object as decoded.
_Obj = dict[str, Any]

# repr(): at most this many characters of any note text, and of any list.
_TEXT = 40
_ITEMS = 8


def _short(text: str) -> str:
    """repr of text, cut to _TEXT characters."""
    return repr(text if len(text) <= _TEXT else text[:_TEXT - 3] + "...")


def _few(items: list[str]) -> str:
    """At most _ITEMS items, then how many more."""
    shown = ", ".join(items[:_ITEMS])
    return f"[{shown}, +{len(items) - _ITEMS} more]" if len(items) > _ITEMS else f"[{shown}]"


@dataclass(frozen=True, slots=True)
class Span:
    """[begin, end) in the result's offset unit; text is the original substring."""
    begin: int
    end: int
    text: str

    def __repr__(self) -> str:
        return f"Span({self.begin}:{self.end} {_short(self.text)})"


@dataclass(frozen=True, slots=True)
class Evidence:
    """A span supporting a suggestion: the fact it comes from and the rule
    (models/rules) that found it."""
    begin: int
    end: int
    text: str
    fact: int
    rule_id: str = ""

    def __repr__(self) -> str:
        return f"Evidence({self.begin}:{self.end} {_short(self.text)} fact={self.fact})"


@dataclass(frozen=True, slots=True)
class Suggestion:
    code: str
    title: str
    score: float
    rank: int
    rationale: str
    evidence: tuple[Evidence, ...]

    def __repr__(self) -> str:
        return (f"Suggestion({self.code} rank={self.rank} score={self.score:.2f} "
                f"evidence={len(self.evidence)})")


@dataclass(frozen=True, slots=True)
class Cue:
    """The assertion cue (negation, history, ...) that applies to a fact."""
    begin: int
    end: int
    text: str
    rule: str

    def __repr__(self) -> str:
        return f"Cue({self.begin}:{self.end} {_short(self.text)} {self.rule})"


@dataclass(frozen=True, slots=True)
class Fact:
    id: int
    kind: FactKind
    assertion: Assertion
    begin: int
    end: int
    text: str
    rule: str
    segments: tuple[str, ...]
    regions: tuple[Region, ...]
    level_spans: tuple[Span, ...]
    cue: Cue | None
    section: int
    sentence: int
    section_kind: str
    when: When | None = None
    vertebrae: tuple[str, ...] = ()
    modality: Modality | None = None
    finding: str | None = None
    detail: str | None = None
    weak: bool = False
    at_discharge: bool = False  # among the diagnoses at discharge (II.H)

    def __repr__(self) -> str:
        where = f" {'/'.join(self.segments)}" if self.segments else ""
        return (f"Fact({self.id} {self.kind} {self.assertion} {self.begin}:{self.end} "
                f"{_short(self.text)}{where})")


@dataclass(frozen=True, slots=True)
class Suppressed:
    code: str
    reason: str
    facts: tuple[int, ...]

    def __repr__(self) -> str:
        return f"Suppressed({self.code} facts={list(self.facts)} {_short(self.reason)})"


@dataclass(frozen=True, slots=True)
class Gap:
    kind: GapKind
    message: str
    facts: tuple[int, ...]

    def __repr__(self) -> str:
        return f"Gap({self.kind} facts={list(self.facts)})"


@dataclass(frozen=True, slots=True)
class NotCoded:
    """A fact (or facts stating the same thing) that produced no code, and why.

    basis: "performed_this_encounter", "same_stay", "uncertain", "negated",
        "family", "planned", "excludes1", "replaced", "requires_fusion",
        "supporting" or "outside_families" (docs/python.md).
    reason: one sentence a coder can read.
    code: the code that won ("excludes1", "replaced"), else "".
    facts: ids of the facts (Result.facts[i].id == i).
    """
    facts: tuple[int, ...]
    basis: NotCodedBasis
    reason: str
    code: str = ""

    def __repr__(self) -> str:
        code = f" {self.code}" if self.code else ""
        return f"NotCoded({self.basis}{code} facts={list(self.facts)})"


@dataclass(frozen=True, slots=True)
class Section:
    kind: str
    header: Span
    begin: int
    end: int
    text: str

    def __repr__(self) -> str:
        return f"Section({self.kind} {self.begin}:{self.end} {_short(self.header.text)})"


@dataclass(frozen=True, slots=True)
class Sentence:
    begin: int
    end: int
    text: str
    section: int

    def __repr__(self) -> str:
        return f"Sentence({self.begin}:{self.end} {_short(self.text)})"


@dataclass(frozen=True, slots=True)
class Result:
    """One analysed note.

    json is the raw result line (byte for byte what `suggest analyze --id ID`
    prints with the same options); to_dict() decodes it again.
    """
    id: str
    code_set: str
    offset_unit: OffsetUnit
    suggestions: tuple[Suggestion, ...]
    facts: tuple[Fact, ...]
    suppressed: tuple[Suppressed, ...]
    gaps: tuple[Gap, ...]
    sections: tuple[Section, ...]
    sentences: tuple[Sentence, ...]
    replaced_bytes: int
    json: str = field(repr=False)
    setting: Setting = "outpatient"  # the care setting the note was analysed in
    not_coded: tuple[NotCoded, ...] = ()  # facts that produced no code, and why
    # Provenance (docs/interop.md): result shape, engine, digest of the data.
    schema_version: int = 0
    engine: str = ""
    engine_version: str = ""
    models_version: str = ""
    # The input fields, echoed (None when not given).
    date_of_service: str | None = None
    patient_id: str | None = None
    encounter_id: str | None = None
    truncated: bool = False  # a rule's matches were capped on a pathological note

    @property
    def codes(self) -> list[str]:
        """The suggested codes, best first."""
        return [s.code for s in self.suggestions]

    def to_dict(self) -> dict[str, Any]:
        return cast(_Obj, json.loads(self.json))

    def __repr__(self) -> str:
        # Short whatever the note: the codes and counts, no note text (the
        # whole result is in .json, and its parts have their own repr).
        parts = [f"id={_short(self.id)}", f"codes={_few([repr(c) for c in self.codes])}",
                 f"facts={len(self.facts)}"]
        for name, items in (("suppressed", self.suppressed), ("gaps", self.gaps),
                            ("not_coded", self.not_coded)):
            if items:
                parts.append(f"{name}={len(items)}")
        parts.append(f"{self.code_set}, {self.setting}")
        if self.truncated:
            parts.append("truncated")
        return f"<suggest.Result {' '.join(parts)}>"


def _span(d: _Obj) -> Span:
    return Span(d["begin"], d["end"], d["text"])


def _fact(d: _Obj) -> Fact:
    cue = d.get("cue")
    return Fact(
        id=d["id"], kind=d["kind"], assertion=d["assertion"],
        begin=d["begin"], end=d["end"], text=d["text"], rule=d["rule"],
        segments=tuple(d["segments"]), regions=tuple(d["regions"]),
        level_spans=tuple(_span(s) for s in d["level_spans"]),
        cue=Cue(cue["begin"], cue["end"], cue["text"], cue["rule"]) if cue else None,
        section=d["section"], sentence=d["sentence"], section_kind=d["section_kind"],
        when=d.get("when"), vertebrae=tuple(d.get("vertebrae", ())),
        modality=d.get("modality"), finding=d.get("finding"), detail=d.get("detail"),
        weak=bool(d.get("weak", False)), at_discharge=bool(d.get("at_discharge", False)))


def result_from_json(raw: str, rule_ids: list[list[str]] | None = None) -> Result:
    """Decodes one result line. rule_ids[i][j] is the rule of evidence j of
    suggestion i (the JSON names the fact, the typed C accessor the rule)."""
    d = json.loads(raw)
    suggestions = []
    for i, s in enumerate(d["suggestions"]):
        rules = rule_ids[i] if rule_ids is not None else []
        evidence = tuple(
            Evidence(e["begin"], e["end"], e["text"], e["fact"],
                     rules[j] if j < len(rules) else "")
            for j, e in enumerate(s["evidence"]))
        suggestions.append(Suggestion(s["code"], s["title"], s["score"], s["rank"],
                                      s["rationale"], evidence))
    return Result(
        id=d["id"],
        code_set=d.get("code_set", ""),
        offset_unit=d.get("offset_unit", "bytes"),
        suggestions=tuple(suggestions),
        facts=tuple(_fact(f) for f in d["facts"]),
        suppressed=tuple(Suppressed(s["code"], s["reason"], tuple(s["facts"]))
                         for s in d["suppressed"]),
        gaps=tuple(Gap(g["kind"], g["message"], tuple(g["facts"])) for g in d["gaps"]),
        sections=tuple(Section(s["kind"], _span(s["header"]), s["begin"], s["end"], s["text"])
                       for s in d.get("sections", ())),
        sentences=tuple(Sentence(s["begin"], s["end"], s["text"], s["section"])
                        for s in d.get("sentences", ())),
        replaced_bytes=d.get("replaced_bytes", 0),
        json=raw,
        setting=d.get("setting", "outpatient"),
        not_coded=tuple(NotCoded(tuple(n["facts"]), n["basis"], n["reason"], n.get("code", ""))
                        for n in d.get("not_coded", ())),
        schema_version=d.get("schema_version", 0),
        engine=d.get("engine", {}).get("name", ""),
        engine_version=d.get("engine", {}).get("version", ""),
        models_version=d.get("models_version", ""),
        date_of_service=d.get("date_of_service"),
        patient_id=d.get("patient_id"),
        encounter_id=d.get("encounter_id"),
        truncated=bool(d.get("truncated", False)))
