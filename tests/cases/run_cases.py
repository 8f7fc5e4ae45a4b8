#!/usr/bin/env python3
"""Runs the golden coding cases of tests/cases/*.cases against `suggest batch`.

    run_cases.py SUGGEST_BINARY [CASES_DIR] [--only SUBSTRING] [--json REPORT]

Every case of every *.cases file becomes one JSONL record
{"id": "<file>:<line>", "text": ..., "setting": ..., "date_of_service": ...}
(each attribute only when the case sets it); the binary runs once over all of them and each result is
compared with the case's expectations (format: tests/cases/README.md).

Exit status: 0 iff no case FAILs and no xfail case passes (XPASS);
1 otherwise; 2 on a malformed cases file or a runner error.
"""

import argparse
import collections
import json
import re
import os
import subprocess
import sys
import tempfile

FAMILY_PREFIXES = ("Z98.1", "M43.2", "M45.", "M48.1", "Q76.", "M96.0")
FUSED_KINDS = {"fusion_procedure", "ankylosis", "congenital_fusion", "pseudarthrosis"}
FUSED_FINDINGS = {"solid_fusion", "bony_ankylosis", "bridging_bone"}
UNFUSED_ASSERTIONS = {"negated", "family"}
BASES = {
    "performed_this_encounter", "same_stay", "uncertain", "negated", "family",
    "planned", "excludes1", "replaced", "requires_fusion", "supporting",
    "outside_families",
}
GAP_KINDS = {
    "region_unspecified", "cause_unspecified", "imaging_levels_missing",
    "conflicting_statements", "fusion_not_documented", "uncertain_diagnosis",
    "hardware_without_fusion",
}
# Keys given once per case, and keys given once per code or fact (repeatable).
SINGLE_KEYS = ("codes", "ranked", "not_coded", "segments", "suppressed", "gaps", "xfail")
REPEATED_KEYS = ("evidence", "rationale", "fact")
SETTINGS = {"inpatient", "outpatient"}
ATTRIBUTES = {"setting", "date_of_service"}


class CasesError(Exception):
    """A malformed cases file; the message names file:line."""


Case = collections.namedtuple(
    "Case", "file line title attrs text codes not_coded segments xfail "
            "ranked suppressed gaps evidence rationale facts")
# ranked: list or None; suppressed: set or None; gaps: sorted list or None;
# evidence: [(code, [words...])]; rationale: [(code, [(must_contain, text)...])];
# facts: [(words, {field: value})].


def _split_values(value):
    return [v for v in value.replace(",", " ").split() if v]


def _code_and_texts(value):
    """'CODE: a | b' -> ('CODE', ['a', 'b']), or None when malformed."""
    code, sep, rest = value.partition(":")
    code = code.strip()
    texts = [t.strip() for t in rest.split("|")]
    if not sep or not code or " " in code or not all(texts):
        return None
    return code, texts


def _fact_spec(value):
    """'words | field=value field=value' -> ('words', {field: value}), or None."""
    words, sep, rest = value.partition("|")
    words = words.strip()
    fields = {}
    for item in rest.split():
        k, eq, v = item.partition("=")
        if not eq or not k or not v or k in fields:
            return None
        fields[k] = v
    if not words or not sep or not fields:
        return None
    return words, fields


def parse_file(path):
    """Returns the cases of one file; raises CasesError naming file:line."""
    name = os.path.basename(path)
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the file's final newline
    cases = []
    i = 0
    n = len(lines)

    def err(lineno, msg):
        raise CasesError(f"{name}:{lineno}: {msg}")

    # Before the first case: comments and blank lines only.
    while i < n and not lines[i].startswith("==="):
        if lines[i].strip() and not lines[i].lstrip().startswith("#"):
            err(i + 1, f"text outside a case: {lines[i]!r}")
        i += 1
    while i < n:
        head = lines[i]
        start = i + 1
        if not head.startswith("=== "):
            err(start, "a case starts with '=== title'")
        title = head[4:].strip()
        if not title:
            err(start, "empty case title")
        i += 1
        attrs = {}
        while i < n and lines[i].startswith("@"):
            key, sep, value = lines[i][1:].partition(":")
            key, value = key.strip(), value.strip()
            if not sep or not key:
                err(i + 1, f"attribute line must be '@key: value': {lines[i]!r}")
            if key not in ATTRIBUTES:
                err(i + 1, f"unknown attribute @{key} (known: {', '.join(sorted(ATTRIBUTES))})")
            if key in attrs:
                err(i + 1, f"attribute @{key} given twice")
            if key == "setting" and value not in SETTINGS:
                err(i + 1, f"@setting must be inpatient or outpatient, not {value!r}")
            if key == "date_of_service" and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                err(i + 1, f"@date_of_service must be YYYY-MM-DD, not {value!r}")
            attrs[key] = value
            i += 1
        text_start = i
        while i < n and lines[i] != "---":
            if lines[i].startswith("=== "):
                err(i + 1, f"case '{title}' (line {start}) has no '---' before the next case")
            i += 1
        if i >= n:
            err(start, f"case '{title}' has no '---' line")
        text = "\n".join(lines[text_start:i])
        if not text.strip():
            err(start, f"case '{title}' has an empty note")
        i += 1  # past ---
        exp = {}
        repeated = {k: [] for k in REPEATED_KEYS}
        while i < n and not lines[i].startswith("==="):
            line = lines[i]
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                i += 1
                continue
            key, sep, value = line.partition(":")
            key, value = key.strip(), value.strip()
            if not sep or key not in SINGLE_KEYS + REPEATED_KEYS:
                err(i + 1, f"expected one of {', '.join(k + ':' for k in SINGLE_KEYS + REPEATED_KEYS)} "
                           f"or a comment, got {line!r}")
            if key in exp:
                err(i + 1, f"'{key}:' given twice in case '{title}'")
            if key == "xfail":
                if not value:
                    err(i + 1, "xfail needs a reason")
                exp[key] = value
            elif key in ("evidence", "rationale"):
                parsed = _code_and_texts(value)
                if parsed is None:
                    err(i + 1, f"'{key}:' must be 'CODE: text | text ...', got {value!r}")
                code, texts = parsed
                if code in (c for c, _ in repeated[key]):
                    err(i + 1, f"'{key}: {code}' given twice in case '{title}'")
                if key == "rationale":
                    texts = [(False, t[1:].strip()) if t.startswith("!") else (True, t)
                             for t in texts]
                    if not all(t for _, t in texts):
                        err(i + 1, "empty text after '!'")
                repeated[key].append((code, texts))
            elif key == "fact":
                parsed = _fact_spec(value)
                if parsed is None:
                    err(i + 1, f"'fact:' must be 'words | field=value ...', got {value!r}")
                repeated[key].append(parsed)
            else:
                vals = _split_values(value)
                if not vals:
                    err(i + 1, f"'{key}:' needs a value ('none' for an empty set)" if key != "not_coded"
                        else "'not_coded:' needs at least one basis")
                if key in ("codes", "segments", "suppressed", "gaps") and "none" in vals:
                    if len(vals) != 1:
                        err(i + 1, f"'none' cannot be mixed with values in '{key}:'")
                    vals = []
                if key in ("codes", "ranked"):
                    for c in vals:
                        if not c.startswith(FAMILY_PREFIXES):
                            err(i + 1, f"code {c} is outside the families compared "
                                       f"({', '.join(FAMILY_PREFIXES)})")
                    if len(set(vals)) != len(vals):
                        err(i + 1, "a code is listed twice")
                if key == "not_coded":
                    for b in vals:
                        if b not in BASES:
                            err(i + 1, f"unknown not_coded basis {b!r} (known: {', '.join(sorted(BASES))})")
                if key == "gaps":
                    for g in vals:
                        if g not in GAP_KINDS:
                            err(i + 1, f"unknown gap kind {g!r} (known: {', '.join(sorted(GAP_KINDS))})")
                exp[key] = vals
            i += 1
        if "codes" in exp and "ranked" in exp:
            err(start, f"case '{title}' gives both 'codes:' and 'ranked:' (ranked is codes in order)")
        if "codes" not in exp and "ranked" not in exp:
            err(start, f"case '{title}' has no 'codes:' line")
        codes = set(exp["codes"]) if "codes" in exp else set(exp["ranked"])
        for code, _ in repeated["evidence"]:
            if code not in codes:
                err(start, f"case '{title}': 'evidence: {code}' names a code that is not expected")
        cases.append(Case(name, start, title, attrs, text, codes,
                          exp.get("not_coded"),
                          set(exp["segments"]) if "segments" in exp else None,
                          exp.get("xfail"),
                          exp.get("ranked"),
                          set(exp["suppressed"]) if "suppressed" in exp else None,
                          sorted(exp["gaps"]) if "gaps" in exp else None,
                          repeated["evidence"], repeated["rationale"], repeated["fact"]))
    return cases


def load_cases(cases_dir):
    files = sorted(f for f in os.listdir(cases_dir) if f.endswith(".cases"))
    if not files:
        raise CasesError(f"{cases_dir}: no *.cases files")
    cases = []
    titles = {}
    for f in files:
        for c in parse_file(os.path.join(cases_dir, f)):
            if c.title in titles:
                raise CasesError(f"{c.file}:{c.line}: duplicate title '{c.title}' "
                                 f"(first at {titles[c.title]})")
            titles[c.title] = f"{c.file}:{c.line}"
            cases.append(c)
    return cases


def result_codes(result):
    return {s.get("code", "") for s in result.get("suggestions", [])
            if s.get("code", "").startswith(FAMILY_PREFIXES)}


def result_ranked(result):
    ranked = sorted((s for s in result.get("suggestions", [])
                     if s.get("code", "").startswith(FAMILY_PREFIXES)),
                    key=lambda s: s.get("rank", 0))
    return [s.get("code", "") for s in ranked]


def result_segments(result):
    segs = set()
    for fact in result.get("facts", []):
        kind = fact.get("kind")
        if kind in FUSED_KINDS or (kind == "imaging_finding" and fact.get("finding") in FUSED_FINDINGS):
            if fact.get("assertion") in UNFUSED_ASSERTIONS:
                continue
            segs.update(fact.get("segments", []))
    return segs


def _field(fact, key):
    """A fact field as a case writes it: strings as they are, other values as JSON."""
    v = fact.get(key, "")
    return v if isinstance(v, str) else json.dumps(v, separators=(",", ":"))


def fmt(values):
    return " ".join(sorted(values)) if values else "none"


def compare(case, result):
    """Returns a list of failure descriptions (empty = pass)."""
    if result is None:
        return ["no result for this record"]
    if result.get("status") != "ok":
        e = result.get("error", {})
        return [f"status {result.get('status')!r}: {e.get('kind', '')}: {e.get('message', '')}"]
    problems = []
    got = result_codes(result)
    if got != case.codes:
        problems.append(f"codes expected {fmt(case.codes)} got {fmt(got)}")
    if case.not_coded is not None:
        have = collections.Counter(nc.get("basis") for nc in result.get("not_coded", []))
        missing = collections.Counter(case.not_coded) - have
        if missing:
            have_s = " ".join(sorted(have.elements())) or "none"
            problems.append(f"not_coded missing {' '.join(sorted(missing.elements()))} (have {have_s})")
    if case.segments is not None:
        segs = result_segments(result)
        if segs != case.segments:
            problems.append(f"segments expected {fmt(case.segments)} got {fmt(segs)}")
    if case.ranked is not None and got == case.codes:
        order = result_ranked(result)
        if order != case.ranked:
            problems.append(f"ranked expected {' '.join(case.ranked)} got {' '.join(order)}")
    if case.suppressed is not None:
        sup = {s.get("code", "") for s in result.get("suppressed", [])}
        if sup != case.suppressed:
            problems.append(f"suppressed expected {fmt(case.suppressed)} got {fmt(sup)}")
    if case.gaps is not None:
        kinds = sorted(g.get("kind", "") for g in result.get("gaps", []))
        if kinds != case.gaps:
            problems.append(f"gaps expected {' '.join(case.gaps) or 'none'} "
                            f"got {' '.join(kinds) or 'none'}")
    suggestions = {s.get("code"): s for s in result.get("suggestions", [])}
    suppressed = {s.get("code"): s for s in result.get("suppressed", [])}
    for code, words in case.evidence:
        s = suggestions.get(code)
        if s is None:
            continue  # already a codes problem
        have = [e.get("text", "") for e in sorted(s.get("evidence", []),
                                                  key=lambda e: e.get("begin", 0))]
        if have != words:
            problems.append(f"evidence of {code} expected {' | '.join(words)} "
                            f"got {' | '.join(have) or 'none'}")
    for code, texts in case.rationale:
        if code in suggestions:
            why = suggestions[code].get("rationale", "")
        elif code in suppressed:
            why = suppressed[code].get("reason", "")
        else:
            problems.append(f"rationale of {code}: {code} is neither suggested nor suppressed")
            continue
        for must, t in texts:
            if (t in why) != must:
                problems.append(f"rationale of {code} {'lacks' if must else 'has'} {t!r}: {why!r}")
    for words, fields in case.facts:
        facts = [f for f in result.get("facts", []) if f.get("text") == words]
        if not any(all(_field(f, k) == v for k, v in fields.items()) for f in facts):
            seen = "; ".join(" ".join(f"{k}={_field(f, k)}" for k in fields) for f in facts)
            problems.append(f"no fact {words!r} with "
                            f"{' '.join(f'{k}={v}' for k, v in fields.items())}"
                            f" (have {seen or 'no fact with these words'})")
    return problems


def run_batch(binary, records, workdir):
    """Runs `binary batch` once over records ({"id", "text"[, "setting"]});
    returns the result objects by id. Also used by scripts/reliability.py."""
    inp = os.path.join(workdir, "cases.jsonl")
    out = os.path.join(workdir, "results.jsonl")
    with open(inp, "w", encoding="utf-8") as f:
        for rec in records:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    proc = subprocess.run([binary, "batch", "--input", inp, "--output", out],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    results = {}
    if os.path.exists(out):
        with open(out, encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    r = json.loads(line)
                except json.JSONDecodeError as e:
                    raise CasesError(f"{out}:{lineno}: the binary wrote invalid JSON: {e}")
                results[str(r.get("id"))] = r
    if not results:
        raise CasesError(f"{binary} batch wrote no results (exit {proc.returncode}): "
                         f"{proc.stderr.strip()[-2000:]}")
    return results


def run_binary(binary, cases, workdir):
    records = []
    for c in cases:
        rec = {"id": f"{c.file}:{c.line}", "text": c.text}
        for key in sorted(ATTRIBUTES):
            if key in c.attrs:
                rec[key] = c.attrs[key]
        records.append(rec)
    return run_batch(binary, records, workdir)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("binary", help="the suggest CLI")
    ap.add_argument("cases_dir", nargs="?",
                    default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--only", metavar="SUBSTRING", help="run the cases whose title contains it")
    ap.add_argument("--json", metavar="REPORT", help="write machine-readable results here")
    args = ap.parse_args(argv)

    try:
        cases = load_cases(args.cases_dir)
    except (CasesError, OSError) as e:
        print(f"run_cases: {e}", file=sys.stderr)
        return 2
    if args.only:
        cases = [c for c in cases if args.only in c.title]
        if not cases:
            print(f"run_cases: no case title contains {args.only!r}", file=sys.stderr)
            return 2
    try:
        with tempfile.TemporaryDirectory(prefix="suggest_cases.") as tmp:
            results = run_binary(args.binary, cases, tmp)
    except (CasesError, OSError) as e:
        print(f"run_cases: {e}", file=sys.stderr)
        return 2

    per_file = collections.OrderedDict()
    report = []
    for c in cases:
        cid = f"{c.file}:{c.line}"
        result = results.get(cid)
        problems = compare(c, result)
        if c.xfail:
            outcome = "xfail" if problems else "xpass"
        else:
            outcome = "fail" if problems else "pass"
        per_file.setdefault(c.file, collections.Counter())[outcome] += 1
        if outcome == "fail":
            print(f"FAIL {cid} {c.title}: {'; '.join(problems)}")
        elif outcome == "xpass":
            print(f"XPASS {cid} {c.title}: passes, remove 'xfail: {c.xfail}'")
        entry = {"id": cid, "title": c.title, "outcome": outcome, "problems": problems,
                 "expected": {"codes": sorted(c.codes),
                              "not_coded": c.not_coded,
                              "segments": sorted(c.segments) if c.segments is not None else None,
                              "ranked": c.ranked,
                              "suppressed": sorted(c.suppressed) if c.suppressed is not None else None,
                              "gaps": c.gaps},
                 "setting": c.attrs.get("setting")}
        if result is not None and result.get("status") == "ok":
            entry["got"] = {"codes": sorted(result_codes(result)),
                            "not_coded": sorted(nc.get("basis", "") for nc in result.get("not_coded", [])),
                            "segments": sorted(result_segments(result)),
                            "ranked": result_ranked(result),
                            "suppressed": sorted(x.get("code", "") for x in result.get("suppressed", [])),
                            "gaps": sorted(g.get("kind", "") for g in result.get("gaps", []))}
        report.append(entry)

    print()
    total = collections.Counter()
    width = max(len(f) for f in per_file)
    for f, cnt in per_file.items():
        total.update(cnt)
        print(f"{f:<{width}}  pass {cnt['pass']:4}  fail {cnt['fail']:4}  "
              f"xfail {cnt['xfail']:3}  xpass {cnt['xpass']:3}")
    print(f"{'TOTAL':<{width}}  pass {total['pass']:4}  fail {total['fail']:4}  "
          f"xfail {total['xfail']:3}  xpass {total['xpass']:3}  ({sum(total.values())} cases)")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"summary": {f: dict(c) for f, c in per_file.items()},
                       "cases": report}, f, indent=1)
            f.write("\n")
    return 0 if total["fail"] == 0 and total["xpass"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
