// Copyright libsuggest authors.
//
// The script of `suggest report --html` pages (html_report.cc puts it inline,
// allowed by the page's Content-Security-Policy through its SHA-256 only):
// accept / reject / comment per suggestion kept in localStorage and exported
// as JSON / CSV downloads; the index's text filter and sortable columns.
// It must not contain "</" (it sits inside a <script> element).

#ifndef LIBSUGGEST_TOOLS_REVIEW_SCRIPT_H_
#define LIBSUGGEST_TOOLS_REVIEW_SCRIPT_H_

namespace suggest::tools::html {

inline constexpr char kReviewScript[] = R"JS(
(function () {
  "use strict";
  // The review script of a libsuggest report page: accept / reject / comment
  // per suggestion, kept in the browser's localStorage (key per note id and
  // code) and exported as JSON or CSV downloads; on the index, a text filter
  // and sortable columns. No network, no external resource.
  var PREFIX = "suggest-review/v1/";
  var store = null, mem = {};
  try { store = window.localStorage; store.getItem(PREFIX); } catch (e) { store = null; }
  function load(k) {
    var v = store ? store.getItem(k) : mem[k];
    try { return v ? JSON.parse(v) : null; } catch (e) { return null; }
  }
  function save(k, d) {
    var v = JSON.stringify(d);
    if (store) { try { store.setItem(k, v); return; } catch (e) { store = null; } }
    mem[k] = v;
  }
  function drop(k) { if (store) store.removeItem(k); delete mem[k]; }
  function keyOf(note, code) { return PREFIX + JSON.stringify([note, code]); }
  function all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  function text(sel) { var e = document.querySelector(sel); return e ? e.textContent : ""; }
  var rows = all("table.suggestions tbody tr[data-code]");
  function noteOf(tr) { var s = tr.closest("section.note"); return s ? s.getAttribute("data-id") : ""; }
  function keyRow(tr) { return keyOf(noteOf(tr), tr.getAttribute("data-code")); }
  function show(tr) {
    var d = load(keyRow(tr)) || {};
    tr.querySelector("button.acc").setAttribute("aria-pressed", String(d.decision === "accepted"));
    tr.querySelector("button.rej").setAttribute("aria-pressed", String(d.decision === "rejected"));
    var c = tr.querySelector("textarea.cmt");
    if (document.activeElement !== c) c.value = d.comment || "";
    tr.className = d.decision ? "rv-" + d.decision : "";
  }
  function count() {
    var el = document.getElementById("rv-count");
    if (!el) return;
    if (!rows.length) {
      el.textContent = decisions().length + " decisions kept in this browser";
      return;
    }
    var n = rows.filter(function (tr) { var d = load(keyRow(tr)); return d && d.decision; }).length;
    el.textContent = n + " of " + rows.length + " suggestions decided";
  }
  function update(tr, change) {
    var k = keyRow(tr), d = load(k) || { decision: "", comment: "" };
    change(d);
    if (!d.decision && !d.comment) {
      drop(k);
    } else {
      d.note_id = noteOf(tr);
      d.code = tr.getAttribute("data-code");
      d.rank = Number(tr.getAttribute("data-rank"));
      d.title = tr.getAttribute("data-title");
      d.decided_at = new Date().toISOString();
      save(k, d);
    }
    show(tr);
    count();
  }
  rows.forEach(function (tr) {
    tr.querySelector("button.acc").addEventListener("click", function () {
      update(tr, function (d) { d.decision = d.decision === "accepted" ? "" : "accepted"; });
    });
    tr.querySelector("button.rej").addEventListener("click", function () {
      update(tr, function (d) { d.decision = d.decision === "rejected" ? "" : "rejected"; });
    });
    tr.querySelector("textarea.cmt").addEventListener("input", function (ev) {
      update(tr, function (d) { d.comment = ev.target.value; });
    });
    show(tr);
  });
  count();

  // Decisions: this page's suggestions (undecided ones too), or on a page
  // without suggestions (the index) every decision kept in this browser.
  function decisions() {
    if (rows.length) {
      return rows.map(function (tr) {
        var d = load(keyRow(tr)) || {};
        return { note_id: noteOf(tr), code: tr.getAttribute("data-code"),
                 rank: Number(tr.getAttribute("data-rank")), title: tr.getAttribute("data-title"),
                 decision: d.decision || "undecided", comment: d.comment || "",
                 decided_at: d.decided_at || "" };
      });
    }
    var out = [], keys = store ? [] : Object.keys(mem);
    if (store) for (var i = 0; i < store.length; i++) keys.push(store.key(i));
    keys.forEach(function (k) {
      if (k.indexOf(PREFIX) !== 0) return;
      var d = load(k);
      if (d) out.push({ note_id: d.note_id, code: d.code, rank: d.rank, title: d.title || "",
                        decision: d.decision || "undecided", comment: d.comment || "",
                        decided_at: d.decided_at || "" });
    });
    out.sort(function (a, b) {
      return a.note_id < b.note_id ? -1 : a.note_id > b.note_id ? 1 : a.rank - b.rank;
    });
    return out;
  }
  function base() {
    var f = decodeURIComponent(location.pathname.split("/").pop() || "report");
    return f.replace(/\.html?$/i, "") || "report";
  }
  function download(name, type, body) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([body], { type: type }));
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
  }
  // A CSV cell; one a spreadsheet would run as a formula gets a leading '.
  function cell(v) {
    v = v === undefined || v === null ? "" : String(v);
    if (/^[=+\-@\t\r]/.test(v)) v = "'" + v;
    return /[",\r\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
  }
  var COLS = ["note_id", "code", "rank", "title", "decision", "comment", "decided_at"];
  function exportJson() {
    download(base() + ".review.json", "application/json",
             JSON.stringify({ generator: document.querySelector('meta[name="generator"]').content,
                              models_version: text(".models-version"),
                              exported_at: new Date().toISOString(),
                              decisions: decisions() }, null, 1) + "\n");
  }
  function exportCsv() {
    var lines = [COLS.join(",")];
    decisions().forEach(function (d) { lines.push(COLS.map(function (c) { return cell(d[c]); }).join(",")); });
    download(base() + ".review.csv", "text/csv", lines.join("\r\n") + "\r\n");
  }
  function on(id, f) { var b = document.getElementById(id); if (b) b.addEventListener("click", f); }
  on("rv-json", exportJson);
  on("rv-csv", exportCsv);
  on("rv-clear", function () {
    if (!window.confirm("Forget the decisions and comments of this page?")) return;
    rows.forEach(function (tr) { drop(keyRow(tr)); show(tr); });
    count();
  });

  // Index: text filter over the rows, sortable columns.
  var filter = document.getElementById("ix-filter");
  var index = document.querySelector("table.index");
  function applyFilter() {
    var q = filter.value.trim().toLowerCase(), shown = 0, trs = all("tbody tr", index);
    trs.forEach(function (tr) {
      var hide = q !== "" && tr.textContent.toLowerCase().indexOf(q) < 0;
      tr.hidden = hide;
      if (!hide) shown++;
    });
    var c = document.getElementById("ix-shown");
    if (c) c.textContent = shown + " of " + trs.length + " notes shown";
  }
  if (filter && index) {
    filter.addEventListener("input", applyFilter);
    all("button.filter").forEach(function (b) {
      b.addEventListener("click", function () { filter.value = b.getAttribute("data-filter"); applyFilter(); });
    });
    applyFilter();
  }
  all("table.sortable").forEach(function (table) {
    var ths = all("thead th", table), body = table.tBodies[0];
    all("tr", body).forEach(function (tr, i) { tr.setAttribute("data-order", i); });
    ths.forEach(function (th, col) {
      th.classList.add("sortable");
      th.tabIndex = 0;
      function sort() {
        var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
        ths.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
        var trs = all("tr", body);
        function key(tr) {
          var td = tr.cells[col];
          if (!td) return "";
          var v = td.getAttribute("data-sort") || td.textContent.trim();
          return td.classList.contains("num") && v !== "" ? Number(v) : v.toLowerCase();
        }
        trs.sort(function (a, b) {
          var x = key(a), y = key(b);
          var c = typeof x === "number" && typeof y === "number" ? x - y
                  : String(x).localeCompare(String(y));
          return c * dir || a.getAttribute("data-order") - b.getAttribute("data-order");
        });
        trs.forEach(function (tr) { body.appendChild(tr); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") sort(); });
    });
  });
})();
)JS";

}  // namespace suggest::tools::html

#endif  // LIBSUGGEST_TOOLS_REVIEW_SCRIPT_H_
