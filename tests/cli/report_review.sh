#!/usr/bin/env bash
# The review page of `suggest report --html` in headless Chromium (issue 17
# item 6): a scripted coder accepts one suggestion with a comment, rejects
# another, exports JSON and CSV (the downloads' content is captured from the
# Blob the page builds), and a second browser run with the same profile finds
# the decisions kept. On the batch index: the code totals, the text filter and
# a column sort. The test script is added to a copy of the page, and its hash
# to the page's Content-Security-Policy, so the page's own script runs under
# its real policy. Without chromium: FAIL if $CI is set, else skip (77).
set -uo pipefail
SUGGEST="$1"; ROOT="$2"; SHARED="$3"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
PY=/usr/bin/python3
cd "$ROOT" || fail "cd $ROOT"

"$SUGGEST" report --html "$tmp/page.html" examples/notes/*.txt || fail "report"
"$SUGGEST" report --html "$tmp/pages" --input examples/notes || fail "folder report"
grep -q 'class="review-bar"' "$tmp/page.html" || fail "no review bar"
grep -q '<td class="review"><button type="button" class="acc"' "$tmp/page.html" || fail "no accept button"
grep -q '<table class="codes sortable">' "$tmp/pages/index.html" || fail "no code totals on the index"
grep -q 'id="ix-filter"' "$tmp/pages/index.html" || fail "no filter on the index"
for a in present negated possible hypothetical historical family; do
  grep -q "<mark class=\"f k-fusion_procedure a-$a\">" "$tmp/page.html" || fail "legend lacks $a"
  [ $a = present ] || grep -q "^mark.a-$a{" "$tmp/page.html" || fail "no style for $a"
done

CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then
  [ -n "${CI:-}" ] && fail "chromium is not installed (required when CI is set)"
  echo "SKIP: chromium not installed"; exit 77
fi
mkdir -p "$tmp/home"
chrome() {
  HOME="$tmp/home" timeout 180 "$CHROME" --headless --no-sandbox --disable-gpu \
    --disable-dev-shm-usage --disable-background-networking --no-first-run \
    --user-data-dir="$tmp/profile" --virtual-time-budget=3000 "$@" 2>> "$tmp/chrome.err"
}

# $1 = page, $2 = test script file, $3 = output copy: the page with the test
# script before </body> and its hash added to script-src.
with_test() {
  $PY - "$1" "$2" "$3" <<'PY'
import base64, hashlib, re, sys
page = open(sys.argv[1], encoding="utf-8").read()
js = open(sys.argv[2], encoding="utf-8").read()
h = base64.b64encode(hashlib.sha256(js.encode()).digest()).decode()
page, n = re.subn(r"script-src ('sha256-[^']+')", rf"script-src \1 'sha256-{h}'", page)
assert n == 1
page = page.replace("</body>", f"<script>{js}</script>\n</body>")
open(sys.argv[3], "w", encoding="utf-8").write(page)
PY
}

cat > "$tmp/t1.js" <<'JS'
(function () {
  var out = { blobs: [], downloads: [] };
  var RealBlob = window.Blob;
  window.Blob = function (parts, opts) { out.blobs.push(parts.join("")); return new RealBlob(parts, opts); };
  HTMLAnchorElement.prototype.click = function () { out.downloads.push(this.download); };
  var rows = document.querySelectorAll("table.suggestions tbody tr[data-code]");
  out.rows = rows.length;
  rows[0].querySelector("button.acc").click();
  var ta = rows[0].querySelector("textarea.cmt");
  ta.value = '=1+1 looks right, "checked"';
  ta.dispatchEvent(new Event("input"));
  rows[1].querySelector("button.rej").click();
  document.getElementById("rv-json").click();
  document.getElementById("rv-csv").click();
  out.count = document.getElementById("rv-count").textContent;
  out.pressed = [rows[0].querySelector("button.acc").getAttribute("aria-pressed"),
                 rows[1].querySelector("button.rej").getAttribute("aria-pressed")];
  out.classes = [rows[0].className, rows[1].className];
  var pre = document.createElement("pre");
  pre.id = "test-out";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
JS
cat > "$tmp/t2.js" <<'JS'
(function () {
  var rows = document.querySelectorAll("table.suggestions tbody tr[data-code]");
  var out = { rows: rows.length, state: [] };
  rows.forEach(function (tr) {
    out.state.push([tr.getAttribute("data-code"), tr.querySelector("button.acc").getAttribute("aria-pressed"),
                    tr.querySelector("button.rej").getAttribute("aria-pressed"),
                    tr.querySelector("textarea.cmt").value]);
  });
  out.count = document.getElementById("rv-count").textContent;
  var pre = document.createElement("pre");
  pre.id = "test-out";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
JS
cat > "$tmp/t3.js" <<'JS'
(function () {
  var out = { blobs: [] };
  var RealBlob = window.Blob;
  window.Blob = function (parts, opts) { out.blobs.push(parts.join("")); return new RealBlob(parts, opts); };
  HTMLAnchorElement.prototype.click = function () {};
  function visible() {
    return Array.prototype.filter.call(document.querySelectorAll("table.index tbody tr"),
                                       function (tr) { return !tr.hidden; }).length;
  }
  out.all = visible();
  var f = document.getElementById("ix-filter");
  document.querySelector("button.filter[data-filter='M45.6']").click();
  out.filtered = visible();
  out.filter = f.value;
  f.value = "";
  f.dispatchEvent(new Event("input"));
  out.cleared = visible();
  var th = document.querySelectorAll("table.index thead th")[1];
  function order() {
    return Array.prototype.map.call(document.querySelectorAll("table.index tbody tr"),
                                    function (tr) { return tr.cells[1].textContent; });
  }
  th.click();
  out.asc = order();
  th.click();
  out.sort = th.getAttribute("aria-sort");
  out.order = Array.prototype.map.call(document.querySelectorAll("table.index tbody tr"),
                                       function (tr) { return tr.cells[1].textContent; });
  document.getElementById("rv-json").click();
  var pre = document.createElement("pre");
  pre.id = "test-out";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
JS

# 1. accept + comment, reject, export.
with_test "$tmp/page.html" "$tmp/t1.js" "$tmp/t1.html" || fail "test page 1"
chrome --dump-dom "file://$tmp/t1.html" > "$tmp/dom1.html" || { tail -5 "$tmp/chrome.err"; fail "chromium run 1"; }
$PY - "$tmp/dom1.html" "$tmp/page.html" <<'PY' || fail "accept + export"
import csv, html, io, json, re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r'<pre id="test-out">(.*?)</pre>', dom, re.S)
assert m, "the page script or the test script did not run (CSP?)"
out = json.loads(html.unescape(m.group(1)))
page = open(sys.argv[2], encoding="utf-8").read()
codes = re.findall(r'<tr data-code="([^"]+)" data-rank="(\d+)"', page)
notes = re.findall(r'<section class="note[^"]*" id="[^"]+" data-id="([^"]+)"', page)
assert out["rows"] == len(codes) >= 2, (out["rows"], len(codes))
assert out["pressed"] == ["true", "true"], out["pressed"]
assert out["classes"] == ["rv-accepted", "rv-rejected"], out["classes"]
assert out["count"] == f"2 of {len(codes)} suggestions decided", out["count"]
assert out["downloads"] == ["t1.review.json", "t1.review.csv"], out["downloads"]
j = json.loads(out["blobs"][0])
d = j["decisions"]
assert len(d) == len(codes), len(d)
assert j["models_version"] and j["generator"].startswith("libsuggest "), j
assert d[0]["decision"] == "accepted" and d[0]["comment"] == '=1+1 looks right, "checked"', d[0]
assert d[1]["decision"] == "rejected" and d[1]["comment"] == "", d[1]
assert all(x["decision"] == "undecided" for x in d[2:]), d[2:]
assert [(x["code"], str(x["rank"])) for x in d] == codes, "decisions are not the page's suggestions"
assert {x["note_id"] for x in d} <= set(notes), "note ids"
rows = list(csv.DictReader(io.StringIO(out["blobs"][1], newline="")))
assert list(rows[0]) == ["note_id", "code", "rank", "title", "decision", "comment", "decided_at"], list(rows[0])
assert len(rows) == len(codes)
assert rows[0]["decision"] == "accepted" and rows[1]["decision"] == "rejected", rows[:2]
assert rows[0]["comment"] == "'" + d[0]["comment"], rows[0]["comment"]  # formula guard
assert rows[0]["code"] == d[0]["code"] and rows[0]["note_id"] == d[0]["note_id"]
print(f"ok: accepted {d[0]['code']} ({d[0]['note_id']}), rejected {d[1]['code']}, "
      f"exported {len(d)} decisions as JSON and CSV")
PY

# 2. a new browser run with the same profile: the decisions are kept.
with_test "$tmp/page.html" "$tmp/t2.js" "$tmp/t1.html" || fail "test page 2"
chrome --dump-dom "file://$tmp/t1.html" > "$tmp/dom2.html" || fail "chromium run 2"
$PY - "$tmp/dom2.html" <<'PY' || fail "decisions not kept"
import html, json, re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
out = json.loads(html.unescape(re.search(r'<pre id="test-out">(.*?)</pre>', dom, re.S).group(1)))
s = out["state"]
assert s[0][1:] == ["true", "false", '=1+1 looks right, "checked"'], s[0]
assert s[1][1:] == ["false", "true", ""], s[1]
assert all(x[1:] == ["false", "false", ""] for x in s[2:]), s[2:]
print(f"ok: kept across browser runs: {out['count']}")
PY

# 3. the batch index: code totals, filter, sort, export of what is kept.
with_test "$tmp/pages/index.html" "$tmp/t3.js" "$tmp/pages/t3.html" || fail "test index"
chrome --dump-dom "file://$tmp/pages/t3.html" > "$tmp/dom3.html" || fail "chromium run 3"
$PY - "$tmp/dom3.html" "$tmp/pages/index.html" <<'PY' || fail "index filter / sort"
import html, json, re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
out = json.loads(html.unescape(re.search(r'<pre id="test-out">(.*?)</pre>', dom, re.S).group(1)))
page = open(sys.argv[2], encoding="utf-8").read()
n = len(re.findall(r'<tr><td class="num">\d+</td>', page))
m = re.search(r'data-filter="M45.6"[^>]*>M45.6</button></td><td>[^<]*</td><td class="num">(\d+)</td>', page)
assert m, "no M45.6 total"
assert out["all"] == n and out["cleared"] == n, out
assert out["filter"] == "M45.6" and out["filtered"] == int(m.group(1)) < n, out
assert out["sort"] == "descending" and out["order"] == out["asc"][::-1] and len(set(out["order"])) == n, out
j = json.loads(out["blobs"][0])
assert isinstance(j["decisions"], list), j
print(f"ok: index filter M45.6 shows {out['filtered']} of {n}, sort by note, export")
PY
echo "1 passed, 0 failed"
