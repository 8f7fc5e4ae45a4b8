#!/usr/bin/env python3
"""Reliability of suggestion scores: score band -> share of suggestions correct.

    reliability.py SUGGEST_BINARY [--cases-dir DIR] [--dev JSONL] [--dev2 JSONL]
                   [--json [PATH]] [--list {incorrect,all}]

Runs `SUGGEST_BINARY batch` once over
  (a) every case of tests/cases/*.cases (parsed by tests/cases/run_cases.py;
      a suggestion is correct iff its code is in the case's `codes:`), and
  (b) the dev gold notes (../shared/gold/dev.jsonl) and the second dev set
      (tests/dev2/dev2.jsonl): a suggestion is correct iff its code is in the
      record's codes_required or codes_optional. A record's "setting" is
      passed on.
and prints, as Markdown (default) or JSON (--json; to PATH, or stdout when
PATH is omitted or "-"):
  - score band -> suggestions, correct, share correct with its 95 % Wilson
    interval (overall), and suggestions / correct per source;
  - evidence class -> suggestions, mean / min / max score, share correct.

Evidence classes (one per suggestion, first that applies, from the
suggestion's evidence facts in the result JSON):
  hedged_coded        an uncertain diagnosis coded as if established
                      (inpatient, at discharge: the rationale says
                      "coded as if established")
  unspecified_site    the rule's `unspecified` code (models/map.toml)
  weak                every evidence fact is a generic word only (fact.weak)
  definite_diagnosis  a definite (present/historical, not weak) fact in an
                      impression or diagnosis section
  single_elsewhere    one mention, not in an impression/diagnosis section
  several_elsewhere   several mentions, none in an impression/diagnosis
                      section

Only the engine's mistakes make incorrect suggestions, so the share correct
of a band depends on which cases currently fail: read it with the counts.
Exit status 0, 2 on a runner error.
"""

import argparse
import collections
import json
import math
import os
import sys
import tempfile

try:
    import tomllib
except ImportError:  # Python < 3.11
    tomllib = None

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "cases"))
import run_cases  # noqa: E402  (the case parser of the golden suite)

DEFAULT_DEV = os.path.normpath(os.path.join(ROOT, "..", "shared", "gold", "dev.jsonl"))
if not os.path.exists(DEFAULT_DEV):
    DEFAULT_DEV = "/work/shared/gold/dev.jsonl"

# Score bands, lower bound inclusive, in hundredths (scores have 2 decimals).
BANDS = [("<0.60", 0, 60), ("0.60-0.69", 60, 70), ("0.70-0.79", 70, 80),
         ("0.80-0.89", 80, 90), ("≥0.90", 90, 1000)]
DIAGNOSIS_SECTIONS = {"impression", "discharge_diagnosis", "postoperative_diagnosis",
                      "preoperative_diagnosis"}
DEFINITE = {"present", "historical"}
CLASSES = [
    ("definite_diagnosis", "definite diagnosis in an impression/diagnosis section"),
    ("several_elsewhere", "several mentions, none in an impression/diagnosis section"),
    ("single_elsewhere", "single mention elsewhere"),
    ("weak", "weak (generic word only)"),
    ("hedged_coded", "hedged but coded (inpatient, at discharge)"),
    ("unspecified_site", "unspecified site"),
]
ESTABLISHED_MARK = "coded as if established"
FALLBACK_UNSPECIFIED = {"M43.20", "M45.9", "M48.10", "M45.A0"}


def unspecified_codes(map_toml):
    """The `unspecified` codes of the [[map]] rules."""
    if tomllib is None or not os.path.exists(map_toml):
        return set(FALLBACK_UNSPECIFIED)
    with open(map_toml, "rb") as f:
        data = tomllib.load(f)
    return {r["unspecified"] for r in data.get("map", []) if r.get("unspecified")}


def load_jsonl(path, source):
    recs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            r = json.loads(line)
            truth = set(r.get("codes_required", [])) | set(r.get("codes_optional", []))
            recs.append({"id": f"{source}:{r['id']}", "source": source, "text": r["text"],
                         "setting": r.get("setting"),
                         "date_of_service": r.get("date_of_service"), "truth": truth,
                         "label": f"{source} {r['id']}"})
    return recs


def load_cases(cases_dir):
    recs = []
    for c in run_cases.load_cases(cases_dir):
        recs.append({"id": f"cases:{c.file}:{c.line}", "source": "cases", "text": c.text,
                     "setting": c.attrs.get("setting"),
                     "date_of_service": c.attrs.get("date_of_service"), "truth": set(c.codes),
                     "label": f"{c.file}:{c.line} {c.title}"})
    return recs


def run_batch(binary, recs):
    records = []
    for r in recs:
        rec = {"id": r["id"], "text": r["text"]}
        # The case's own fields, as run_cases.py passes them (a dated
        # fusion is read against the date of service).
        for key in ("setting", "date_of_service"):
            if r.get(key):
                rec[key] = r[key]
        records.append(rec)
    with tempfile.TemporaryDirectory(prefix="suggest_reliability.") as tmp:
        return run_cases.run_batch(binary, records, tmp)


def evidence_class(sug, facts_by_id, unspecified):
    if ESTABLISHED_MARK in sug.get("rationale", ""):
        return "hedged_coded"
    if sug.get("code") in unspecified:
        return "unspecified_site"
    ids = []
    for ev in sug.get("evidence", []):
        if ev.get("fact") in facts_by_id and ev["fact"] not in ids:
            ids.append(ev["fact"])
    facts = [facts_by_id[i] for i in ids]
    if facts and all(f.get("weak") for f in facts):
        return "weak"
    if any(f.get("section_kind") in DIAGNOSIS_SECTIONS and f.get("assertion") in DEFINITE
           and not f.get("weak") for f in facts):
        return "definite_diagnosis"
    return "single_elsewhere" if len(facts) <= 1 else "several_elsewhere"


def band_of(score):
    h = int(round(score * 100))
    for name, lo, hi in BANDS:
        if lo <= h < hi:
            return name
    return BANDS[-1][0]


def collect(binary, recs, unspecified):
    results = run_batch(binary, recs)
    rows = []
    errors = []
    for r in recs:
        res = results.get(r["id"])
        if res is None or res.get("status") != "ok":
            errors.append(r["label"])
            continue
        facts_by_id = {f.get("id"): f for f in res.get("facts", [])}
        for s in res.get("suggestions", []):
            rows.append({"record": r["label"], "source": r["source"], "code": s["code"],
                         "score": s["score"], "band": band_of(s["score"]),
                         "class": evidence_class(s, facts_by_id, unspecified),
                         "correct": s["code"] in r["truth"],
                         "rationale": s.get("rationale", "")})
    return rows, errors


def wilson(ok, n, z=1.96):
    """95 % Wilson score interval of a share ok/n (None when n = 0)."""
    if n == 0:
        return None
    p = ok / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return [round(max(0.0, c - h), 3), round(min(1.0, c + h), 3)]


def band_table(rows):
    out = []
    for name, _, _ in BANDS:
        b = [r for r in rows if r["band"] == name]
        ok = sum(r["correct"] for r in b)
        out.append({"band": name, "suggestions": len(b), "correct": ok,
                    "share_correct": round(ok / len(b), 3) if b else None,
                    "interval95": wilson(ok, len(b))})
    return out


def class_table(rows):
    out = []
    for key, title in CLASSES:
        c = [r for r in rows if r["class"] == key]
        ok = sum(r["correct"] for r in c)
        sc = [r["score"] for r in c]
        out.append({"class": key, "description": title, "suggestions": len(c), "correct": ok,
                    "share_correct": round(ok / len(c), 3) if c else None,
                    "mean_score": round(sum(sc) / len(sc), 3) if sc else None,
                    "min_score": min(sc) if sc else None, "max_score": max(sc) if sc else None})
    return out


def monotone(bands):
    shares = [b["share_correct"] for b in bands if b["share_correct"] is not None]
    return all(a <= b for a, b in zip(shares, shares[1:]))


def pct(x):
    return "–" if x is None else f"{x:.3f}"


def markdown(report, list_mode):
    lines = []
    src = report["sources"]
    lines.append(f"Binary: `{report['binary']}`  ")
    lines.append("Suggestions from " + ", ".join(
        f"{k} ({v['records']} records, {v['suggestions']} suggestions)" for k, v in src.items())
        + (f"; {len(report['errors'])} records without a result" if report["errors"] else "")
        + ".")
    lines.append("")
    lines.append("| score band | suggestions | correct | share correct | 95 % interval |")
    lines.append("|---|---:|---:|---:|---|")
    for b in report["bands"] + [dict(report["total"], band="all")]:
        iv = b["interval95"]
        ivs = "–" if iv is None else f"{iv[0]:.2f}–{iv[1]:.2f}"
        lines.append(f"| {b['band']} | {b['suggestions']} | {b['correct']} | "
                     f"{pct(b['share_correct'])} | {ivs} |")
    lines.append("")
    lines.append("Share correct never falls from one band to the next: "
                 + ("yes." if report["monotone"] else "**no**."))
    lines.append("")
    lines.append("Per source (suggestions / correct by band):")
    lines.append("")
    lines.append("| source | " + " | ".join(b[0] for b in BANDS) + " |")
    lines.append("|---|" + "---:|" * len(BANDS))
    for name, bands in report["bands_by_source"].items():
        lines.append(f"| {name} | " + " | ".join(
            f"{b['suggestions']} / {b['correct']}" for b in bands) + " |")
    lines.append("")
    lines.append("| evidence class | suggestions | mean score | min–max | share correct |")
    lines.append("|---|---:|---:|---|---:|")
    for c in report["classes"]:
        rng = "–" if c["min_score"] is None else f"{c['min_score']:.2f}–{c['max_score']:.2f}"
        mean = "–" if c["mean_score"] is None else f"{c['mean_score']:.3f}"
        lines.append(f"| {c['description']} | {c['suggestions']} | {mean} | {rng} | "
                     f"{pct(c['share_correct'])} |")
    if list_mode:
        lines.append("")
        lines.append("| score | code | correct | class | record |")
        lines.append("|---:|---|---|---|---|")
        for r in sorted(report["rows"], key=lambda r: (r["score"], r["record"])):
            if list_mode == "all" or not r["correct"]:
                lines.append(f"| {r['score']:.2f} | {r['code']} | {'yes' if r['correct'] else 'no'} "
                             f"| {r['class']} | {r['record']} |")
    return "\n".join(lines) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("binary", help="the suggest CLI")
    ap.add_argument("--cases-dir", default=os.path.join(ROOT, "tests", "cases"))
    ap.add_argument("--dev", default=DEFAULT_DEV, help="dev gold JSONL (default %(default)s)")
    ap.add_argument("--dev2", default=os.path.join(ROOT, "tests", "dev2", "dev2.jsonl"))
    ap.add_argument("--map", default=os.path.join(ROOT, "models", "map.toml"),
                    help="map.toml whose `unspecified` codes form the unspecified-site class")
    ap.add_argument("--json", nargs="?", const="-", metavar="PATH",
                    help="write JSON (to PATH, or stdout) instead of Markdown")
    ap.add_argument("--list", choices=["incorrect", "all"],
                    help="also list the incorrect (or all) suggestions")
    args = ap.parse_args(argv)

    try:
        recs = load_cases(args.cases_dir)
        for path, name in ((args.dev, "dev"), (args.dev2, "dev2")):
            if path:
                recs += load_jsonl(path, name)
        rows, errors = collect(args.binary, recs, unspecified_codes(args.map))
    except (run_cases.CasesError, OSError, RuntimeError, ValueError, KeyError) as e:
        print(f"reliability: {e}", file=sys.stderr)
        return 2

    sources = collections.OrderedDict()
    for r in recs:
        sources.setdefault(r["source"], {"records": 0, "suggestions": 0})["records"] += 1
    for r in rows:
        sources[r["source"]]["suggestions"] += 1
    ok = sum(r["correct"] for r in rows)
    bands = band_table(rows)
    report = {
        "binary": args.binary,
        "sources": sources,
        "errors": errors,
        "bands": bands,
        "total": {"suggestions": len(rows), "correct": ok,
                  "share_correct": round(ok / len(rows), 3) if rows else None,
                  "interval95": wilson(ok, len(rows))},
        "monotone": monotone(bands),
        "bands_by_source": {s: band_table([r for r in rows if r["source"] == s]) for s in sources},
        "classes": class_table(rows),
        "rows": rows,
    }
    if args.json:
        text = json.dumps(report, indent=1, ensure_ascii=False) + "\n"
        if args.json == "-":
            sys.stdout.write(text)
        else:
            with open(args.json, "w", encoding="utf-8") as f:
                f.write(text)
    else:
        sys.stdout.write(markdown(report, args.list))
    return 0


if __name__ == "__main__":
    sys.exit(main())
