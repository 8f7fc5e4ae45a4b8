"""Checks the pages of `suggest report --html` (tests/cli/report_html.sh).

usage:
  check_report_html.py page PAGE.html RESULTS.jsonl NOTE_FILE...
  check_report_html.py page PAGE.html RESULTS.jsonl --jsonl INPUT.jsonl
  check_report_html.py batch OUT_DIR RESULTS.jsonl INPUT.jsonl
  check_report_html.py png SHOT.png WIDTH HEIGHT
  check_report_html.py dom DOM.html PAGE.html

RESULTS.jsonl is `suggest analyze` / `suggest batch` output for the same
notes (the reference). Python standard library only. Exits non-zero (an
AssertionError) on the first problem.

page:  the file is UTF-8 HTML5 (doctype, <meta charset="utf-8">), tags are
       balanced, ids unique, every #link resolves, no external resource, and
       exactly one inline script (no src) whose SHA-256 is the only script the
       page's Content-Security-Policy allows (default-src 'none'). For each note section (matched to a result by data-id): the
       text content of its note block equals the note (with the documented
       substitutions for controls / invalid bytes); every highlight group
       (pieces sharing data-b/data-e) has text == note bytes [b, e); every
       evidence span, fact span, cue and level span of the result is such a
       group with the right classes and title; the suggestion rows list the
       result's codes in rank order and link to their evidence spans; an error
       result is an error section naming its kind.
batch: index.html lists the records in input order: ok ones link to a page
       inside OUT_DIR (unique names, case-insensitively), which passes the
       page checks; error ones are error rows with no link; no other files.
png:   a PNG of the given size whose pixels are not blank and show the
       highlight colours of the style sheet.
dom:   a DOM dumped by Chromium holds the same note sections, highlight
       pieces and suggestion codes as the page.
"""
import codecs
import json
import os
import re
import struct
import sys
import zlib
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr"}
FORBIDDEN_TAGS = {"link", "img", "iframe", "object", "embed", "base",
                  "audio", "video", "source", "frame", "frameset"}

codecs.register_error(
    "perbyte", lambda e: ("\ufffd" * (e.end - e.start), e.end))


def is_invisible_format(c):
    """html_report.cc IsInvisibleFormat: shown as a visible marker."""
    return (c in (0x00AD, 0x034F, 0x061C, 0x06DD, 0x070F, 0x08E2, 0x115F, 0x1160, 0x17B4,
                  0x17B5, 0x3164, 0xFEFF, 0xFFA0, 0x110BD, 0x110CD)
            or 0x0600 <= c <= 0x0605 or 0x180B <= c <= 0x180F or 0x200B <= c <= 0x200F
            or 0x202A <= c <= 0x202E or 0x2060 <= c <= 0x206F or 0xFFF9 <= c <= 0xFFFB
            or 0x13430 <= c <= 0x1343F or 0x1BCA0 <= c <= 0x1BCA3 or 0x1D173 <= c <= 0x1D17A
            or 0xE0000 <= c <= 0xE0FFF)


def html_view(note_bytes):
    """The note as the report shows it (html_report.h contract)."""
    s = note_bytes.decode("utf-8", errors="perbyte")
    out = []
    for ch in s:
        c = ord(ch)
        if c < 0x20 and ch not in "\t\n\f\r":
            out.append(chr(0x2400 + c))
        elif c == 0x7F:
            out.append("\u2421")
        elif 0x80 <= c <= 0x9F or 0xFDD0 <= c <= 0xFDEF or (c & 0xFFFE) == 0xFFFE:
            out.append("\ufffd")
        elif is_invisible_format(c):
            out.append("\u27e8U+%04X\u27e9" % c)
        else:
            out.append(ch)
    return "".join(out)


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children = []  # Node or str

    def classes(self):
        return self.attrs.get("class", "").split()

    def text(self):
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def walk(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.walk()

    def find_all(self, tag=None, cls=None):
        return [n for n in self.walk()
                if (tag is None or n.tag == tag) and (cls is None or cls in n.classes())]


class TreeBuilder(HTMLParser):
    """Builds a tree; fails on any unbalanced tag (strict well-formedness)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", [], None)
        self.cur = self.root
        self.doctype = None
        self.first_thing = None

    def handle_decl(self, decl):
        if self.first_thing is None:
            self.first_thing = "decl"
        self.doctype = decl

    def handle_starttag(self, tag, attrs):
        if self.first_thing is None:
            self.first_thing = tag
        assert tag not in FORBIDDEN_TAGS, f"forbidden element <{tag}>"
        if tag == "script":
            assert not attrs, f"<script> with attributes {attrs}"
        for k, v in attrs:
            assert not k.startswith("on"), f"event handler attribute {k}"
            assert k != "src", f"src attribute on <{tag}>"
            assert v is None or "://" not in v or k == "title", f"external reference {k}={v!r}"
        node = Node(tag, attrs, self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        assert tag in VOID, f"self-closing non-void <{tag}/>"
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.cur = self.cur.parent

    def handle_endtag(self, tag):
        assert tag not in VOID, f"end tag of void element </{tag}>"
        assert self.cur.tag == tag, f"</{tag}> closes <{self.cur.tag}> (line {self.getpos()[0]})"
        self.cur = self.cur.parent

    def handle_data(self, data):
        if self.first_thing is None and data.strip():
            self.first_thing = "text"
        self.cur.children.append(data)


def parse_page(path):
    raw = open(path, "rb").read()
    text = raw.decode("utf-8")  # strict: the page must be valid UTF-8
    bad = re.search("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]", text)
    assert not bad, f"{path}: character not allowed in HTML5 at {bad.start()}: {bad.group()!r}"
    assert text.startswith("<!DOCTYPE html>\n"), f"{path}: no HTML5 doctype first"
    p = TreeBuilder()
    p.feed(text)
    p.close()
    assert p.cur is p.root, f"{path}: unclosed <{p.cur.tag}>"
    root = p.root
    htmls = [c for c in root.children if isinstance(c, Node)]
    assert [n.tag for n in htmls] == ["html"], f"{path}: top level {[n.tag for n in htmls]}"
    html = htmls[0]
    assert html.attrs.get("lang"), "no lang"
    heads = [c for c in html.children if isinstance(c, Node)]
    assert [n.tag for n in heads] == ["head", "body"], [n.tag for n in heads]
    head = heads[0]
    metas = [n for n in head.find_all("meta") if n.attrs.get("charset")]
    assert metas and metas[0].attrs["charset"].lower() == "utf-8", "no <meta charset=utf-8>"
    assert head.find_all("title") and head.find_all("title")[0].text().strip(), "no title"
    # One inline script, allowed by the CSP through its hash and nothing else.
    import base64, hashlib
    scripts = root.find_all("script")
    assert len(scripts) == 1, f"{path}: {len(scripts)} scripts"
    src = "".join(c for c in scripts[0].children if isinstance(c, str))
    digest = base64.b64encode(hashlib.sha256(src.encode("utf-8")).digest()).decode()
    csp = [n.attrs.get("content", "") for n in head.find_all("meta")
           if (n.attrs.get("http-equiv") or "").lower() == "content-security-policy"]
    assert len(csp) == 1, f"{path}: no Content-Security-Policy meta"
    policy = {d.split()[0]: d.split()[1:] for d in csp[0].split(";") if d.strip()}
    assert policy.get("default-src") == ["'none'"], policy
    assert policy.get("script-src") == [f"'sha256-{digest}'"], (policy.get("script-src"), digest)
    for st in head.find_all("style"):
        css = st.text()
        assert "url(" not in css and "@import" not in css, "external resource in CSS"
    ids = {}
    for n in root.walk():
        if "id" in n.attrs:
            i = n.attrs["id"]
            assert i and not re.search(r"\s", i), f"bad id {i!r}"
            assert i not in ids, f"duplicate id {i}"
            ids[i] = n
    for a in root.find_all("a"):
        href = a.attrs.get("href", "")
        if href.startswith("#"):
            assert href[1:] in ids, f"{path}: dangling link {href}"
        else:
            assert re.fullmatch(r"[A-Za-z0-9._-]+\.html", href), f"{path}: link {href!r}"
    return root, ids


def highlight_groups(text_block):
    """(b, e) -> list of pieces (Node) inside a note block, in document order."""
    groups = {}
    for n in text_block.walk():
        if n is text_block:
            continue
        assert n.tag in ("mark", "span"), f"<{n.tag}> inside the note text"
        key = (int(n.attrs["data-b"]), int(n.attrs["data-e"]))
        groups.setdefault(key, []).append(n)
    return groups


def check_note(section, result, note_bytes, ids):
    rid = result["id"]
    if result["status"] != "ok":
        assert "error" in section.classes(), f"{rid}: failed note is not an error section"
        assert result["error"]["kind"] in section.text(), f"{rid}: error kind not shown"
        assert not section.find_all("div", "text"), f"{rid}: error section shows text"
        return 0
    assert "error" not in section.classes(), f"{rid}: ok note shown as error"
    blocks = section.find_all("div", "text")
    assert len(blocks) == 1, f"{rid}: {len(blocks)} note blocks"
    block = blocks[0]
    want = html_view(note_bytes)
    got = block.text()
    assert got == want, f"{rid}: note text differs at char " + str(
        next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want))))

    groups = highlight_groups(block)
    for (b, e), pieces in groups.items():
        assert 0 <= b <= e <= len(note_bytes), (rid, b, e)
        joined = "".join(p.text() for p in pieces)
        assert joined == html_view(note_bytes[b:e]), (rid, b, e, joined)
        with_id = [p for p in pieces if "id" in p.attrs]
        assert len(with_id) == 1 and with_id[0] is pieces[0], f"{rid}: anchor of {b}-{e}"
        assert len({tuple(p.classes()) for p in pieces}) == 1, f"{rid}: pieces differ {b}-{e}"

    def group(span, cls, what):
        key = (span["begin"], span["end"])
        assert key in groups, f"{rid}: {what} {key} not highlighted"
        g = groups[key]
        assert cls in g[0].classes(), f"{rid}: {what} {key} lacks class {cls}: {g[0].classes()}"
        return g

    checked = 0
    for f in result["facts"]:
        g = group(f, "f", f"fact {f['id']}")
        cls = g[0].classes()
        assert "k-" + f["kind"] in cls and "a-" + f["assertion"] in cls, (rid, f["id"], cls)
        assert g[0].tag == "mark"
        title = g[0].attrs.get("title", "")
        assert f"fact {f['id']}: {f['kind']}, {f['assertion']}" in title, (rid, title)
        if f["cue"]:
            assert f["cue"]["text"] in title, (rid, "cue not in title", title)
            group(f["cue"], "cue", f"cue of fact {f['id']}")
        for lv in f["level_spans"]:
            group(lv, "lvl", f"level of fact {f['id']}")
        checked += 1

    tables = section.find_all("table", "suggestions")
    if not result["suggestions"]:
        assert not tables, f"{rid}: suggestions table without suggestions"
    else:
        assert len(tables) == 1, f"{rid}: no suggestions table"
        rows = tables[0].find_all("tbody")[0].find_all("tr")
        assert len(rows) == len(result["suggestions"]), (rid, len(rows))
        for row, s in zip(rows, result["suggestions"]):
            cells = row.find_all("td")
            assert cells[0].text() == str(s["rank"]) and cells[1].text() == s["code"], (
                rid, cells[0].text(), cells[1].text(), s["code"])
            assert cells[2].text() == s["title"], (rid, s["code"], "title")
            assert cells[4].text() == s["rationale"], (rid, s["code"], "rationale")
            links = cells[5].find_all("a")
            assert len(links) == len(s["evidence"]), (rid, s["code"], "evidence links")
            for a, ev in zip(links, s["evidence"]):
                g = group(ev, "ev", f"evidence of {s['code']}")
                target = ids[a.attrs["href"][1:]]
                assert target is g[0], f"{rid}: {s['code']} link does not go to its evidence"
                assert f"evidence for {s['code']} (rank {s['rank']})" in g[0].attrs["title"]
                checked += 1
    facts_tables = section.find_all("table", "facts")
    n_rows = len(facts_tables[0].find_all("tbody")[0].find_all("tr")) if facts_tables else 0
    assert n_rows == len(result["facts"]), (rid, "fact rows", n_rows)
    # The setting of the result, and one "Not coded" row per entry: its fact
    # ids (linked to the fact's highlight), basis, reason and code.
    settings = section.find_all("span", "setting")
    assert len(settings) == 1 and settings[0].text() == result["setting"], (rid, "setting")
    t = section.find_all("table", "not-coded")
    rows = t[0].find_all("tbody")[0].find_all("tr") if t else []
    assert len(rows) == len(result["not_coded"]), (rid, "not_coded rows", len(rows))
    for row, item in zip(rows, result["not_coded"]):
        cells = row.find_all("td")
        links = [a.attrs["href"][1:] for a in cells[0].find_all("a")]
        want = [f for f in item["facts"] if 0 <= f < len(result["facts"])]
        assert len(links) == len(want), (rid, "not_coded fact links")
        for target, f in zip(links, want):
            fact = result["facts"][f]
            assert ids[target] is group(fact, "f", f"not_coded fact {f}")[0], (rid, f)
        # The basis is shown as a label ("excludes1_..." -> words), the raw
        # value in data-v; the reason as it is.
        assert cells[1].attrs.get("data-v") == item["basis"], (rid, "not_coded basis")
        assert cells[1].text() == item["basis"].replace("_", " "), (rid, "basis label")
        assert [c.text() for c in cells[2:]] == [item["reason"], item.get("code", "")], (
            rid, "not_coded row")
    for key, cls in (("suppressed", "suppressed"), ("gaps", "gaps")):
        t = section.find_all("table", cls)
        rows = t[0].find_all("tbody")[0].find_all("tr") if t else []
        assert len(rows) == len(result[key]), (rid, key, len(rows))
        for row, item in zip(rows, result[key]):
            td = row.find_all("td")[0]
            first = td.attrs.get("data-v", td.text())
            assert first == item.get("code", item.get("kind")), (rid, key, first)
    return checked


def load_results(path):
    return [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()]


def jsonl_notes(path):
    notes = {}
    for line in open(path, encoding="utf-8"):
        try:
            rec = json.loads(line)
            notes[str(rec["id"])] = rec["text"].encode("utf-8")
        except Exception:
            pass
    return notes


def check_page(page, results, notes):
    root, ids = parse_page(page)
    sections = root.find_all("section", "note")
    by_id = {s.attrs["data-id"]: s for s in sections}
    assert len(by_id) == len(sections), "duplicate note sections"
    assert set(by_id) == {r["id"] for r in results}, (sorted(by_id), [r["id"] for r in results])
    assert [s.attrs["data-id"] for s in sections] == [r["id"] for r in results], "section order"
    navs = root.find_all("nav")
    if len(sections) > 1:
        assert len(navs) == 1, "no table of contents"
        hrefs = [a.attrs["href"] for a in navs[0].find_all("a")]
        assert hrefs == ["#" + s.attrs["id"] for s in sections], hrefs
    checked = 0
    for r in results:
        checked += check_note(by_id[r["id"]], r, notes.get(r["id"], b""), ids)
    assert "code set: ICD-10-CM FY" in root.find_all("footer")[0].text() or not any(
        r["status"] == "ok" for r in results), "footer without code set"
    # Provenance (issue 15): the models version of the results, in the footer.
    for r in results:
        if r["status"] == "ok":
            footer = root.find_all("footer")[0].text()
            assert f"models {r['models_version']}" in footer, footer
            assert f"libsuggest {r['engine']['version']} (result schema 1)" in footer, footer
    return len(sections), checked


def cmd_page(args):
    page, results_path = args[0], args[1]
    results = load_results(results_path)
    if args[2] == "--jsonl":
        notes = jsonl_notes(args[3])
    else:
        notes = {p: open(p, "rb").read() for p in args[2:] if os.path.exists(p)}
    n, checked = check_page(page, results, notes)
    assert checked > 0, "no span checked"
    print(f"page ok: {n} notes, {checked} facts/evidence spans checked")


def cmd_batch(args):
    out_dir, results_path, input_path = args
    results = load_results(results_path)
    # By position, not id: ids may repeat (one result line per non-blank input line).
    texts = []
    for line in open(input_path, encoding="utf-8"):
        if line.strip():
            try:
                texts.append(json.loads(line)["text"].encode("utf-8"))
            except Exception:
                texts.append(None)
    assert len(texts) == len(results), (len(texts), len(results))
    root, _ = parse_page(os.path.join(out_dir, "index.html"))
    rows = root.find_all("table", "index")[0].find_all("tbody")[0].find_all("tr")
    assert len(rows) == len(results), (len(rows), len(results))
    seen, names, total, pages = set(), set(), 0, 0
    for row, r, note in zip(rows, results, texts):
        links = row.find_all("a")
        cells = row.find_all("td")
        shown_id = cells[1].text()
        assert shown_id == (r["id"] or "(no id)"), (shown_id, r["id"])
        if r["status"] != "ok":
            assert not links, f"error row {r['id']} links to a page"
            assert cells[2].text() == "error" and r["error"]["kind"] in row.text(), row.text()
            continue
        assert len(links) == 1, r["id"]
        name = links[0].attrs["href"]
        assert "/" not in name and not name.startswith(".") and name != "index.html", name
        assert name.lower() not in seen, f"page name used twice: {name}"
        seen.add(name.lower())
        names.add(name)
        assert cells[3].text() == (", ".join(s["code"] for s in r["suggestions"]) or "none")
        _, checked = check_page(os.path.join(out_dir, name), [r], {r["id"]: note})
        total += checked
        pages += 1
    files = set(os.listdir(out_dir))  # no stray page, no temporary file left
    assert files == names | {"index.html"}, sorted(files ^ (names | {"index.html"}))
    assert total > 0, "no span checked"
    print(f"batch ok: {len(rows)} index rows, {pages} pages, {total} spans checked")


def png_pixels(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, ihdr = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        crc = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])[0]
        assert zlib.crc32(kind + body) == crc, f"bad CRC in {kind}"
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + length
    assert ihdr, "no IHDR"
    w, h, depth, ctype, _, _, interlace = ihdr
    assert depth == 8 and ctype in (2, 6) and interlace == 0, f"unsupported PNG {ihdr}"
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = w * bpp
    assert len(raw) == h * (stride + 1), "IDAT size does not match IHDR"
    rows, prev = [], bytearray(stride)
    for y in range(h):
        ft = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if ft == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif ft == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev))
        elif ft == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
        elif ft == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pr) & 255
        else:
            assert ft == 0, f"bad filter {ft}"
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


def cmd_png(args):
    path, want_w, want_h = args[0], int(args[1]), int(args[2])
    w, h, bpp, rows = png_pixels(path)
    assert (w, h) == (want_w, want_h), f"screenshot is {w}x{h}, want {want_w}x{want_h}"
    counts = {}
    for row in rows[::2]:  # every other row is plenty for a histogram
        for i in range(0, len(row), bpp * 2):
            px = row[i:i + 3]
            counts[px] = counts.get(px, 0) + 1
    total = sum(counts.values())
    background, bg_n = max(counts.items(), key=lambda kv: kv[1])
    lum = [(sum(px) / 3, n) for px, n in counts.items()]
    mean = sum(l * n for l, n in lum) / total
    var = sum(n * (l - mean) ** 2 for l, n in lum) / total
    assert len(counts) > 20, f"blank screenshot: {len(counts)} colours"
    assert bg_n / total < 0.97, f"blank screenshot: {bg_n / total:.3f} background"
    assert var > 50, f"blank screenshot: luminance variance {var:.1f}"

    def near(rgb, tol=6):
        return sum(n for px, n in counts.items()
                   if all(abs(px[k] - rgb[k]) <= tol for k in range(3)))
    # Highlight colours of html_report.cc's style sheet: the marks render.
    for name, rgb in (("fusion_procedure", (0xBF, 0xDB, 0xFE)),
                      ("ankylosing_spondylitis", (0xFB, 0xCF, 0xE8)),
                      ("evidence outline", (0xC2, 0x41, 0x0C))):
        assert near(rgb) > 20, f"no {name} highlight colour in the screenshot"
    print(f"png ok: {w}x{h}, {len(counts)} colours, background {bg_n / total:.2f}, var {var:.0f}")


def cmd_dom(args):
    dom_path, page_path = args
    dom = open(dom_path, encoding="utf-8").read()
    assert "<mark" in dom, "no <mark> in the rendered DOM"
    # Chromium's serializer is HTML, not XHTML: parse leniently, count what matters.

    class Collect(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.marks, self.sections, self.codes, self._code = [], [], [], False

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            cls = (a.get("class") or "").split()
            if tag in ("mark", "span") and "data-b" in a:
                self.marks.append((a["data-b"], a["data-e"], " ".join(cls)))
            if tag == "section" and "note" in cls:
                self.sections.append(a.get("data-id"))
            self._code = tag == "td" and "code" in cls

        def handle_data(self, data):
            if self._code:
                self.codes.append(data)
                self._code = False

    def collect(text):
        c = Collect()
        c.feed(text)
        c.close()
        return c
    got = collect(dom)
    want = collect(open(page_path, encoding="utf-8").read())
    assert want.marks and want.codes, "page without marks or codes"
    assert got.sections == want.sections, (got.sections, want.sections)
    assert got.marks == want.marks, f"DOM has {len(got.marks)} highlight pieces, page {len(want.marks)}"
    assert got.codes == want.codes, (got.codes, want.codes)
    print(f"dom ok: {len(got.sections)} notes, {len(got.marks)} highlight pieces, "
          f"codes {sorted(set(got.codes))}")


def parse_page_text(text):
    p = TreeBuilder()
    p.feed(text)
    p.close()
    return p.root


def cmd_bidi(args):
    """The rendered note text (Chromium DOM) equals the note with every
    invisible format character as a visible marker; no raw one survives."""
    dom_path, note_path = args
    dom = open(dom_path, encoding="utf-8").read()
    note = open(note_path, "rb").read()
    root = parse_page_text(dom)
    block = next(n for n in root.walk() if n.tag == "div" and "text" in n.classes())
    got = block.text()
    want = html_view(note)
    assert got == want, (got, want)
    for cp in (0x202E, 0x202C, 0x200B, 0x2066, 0x2069, 0xFEFF):
        assert chr(cp) not in dom, f"raw U+{cp:04X} in the rendered DOM"
        assert "\u27e8U+%04X\u27e9" % cp in got, f"no marker for U+{cp:04X}"
    print("bidi ok: rendered text equals the note with visible markers")


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    {"page": cmd_page, "batch": cmd_batch, "png": cmd_png, "dom": cmd_dom,
     "bidi": cmd_bidi}[cmd](args)


main()
