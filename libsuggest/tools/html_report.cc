// Copyright libsuggest authors.
#include "html_report.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <utility>

#include "../src/util/sha256.h"  // the script's CSP hash (the CLI links the static library)
#include "review_script.h"

namespace suggest::tools::html {
namespace {

std::string Base64(const uint8_t* p, size_t n) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < n; i += 3) {
    const uint32_t v = (uint32_t{p[i]} << 16) | (i + 1 < n ? uint32_t{p[i + 1]} << 8 : 0) |
                       (i + 2 < n ? uint32_t{p[i + 2]} : 0);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(i + 1 < n ? kAlphabet[(v >> 6) & 63] : '=');
    out.push_back(i + 2 < n ? kAlphabet[v & 63] : '=');
  }
  return out;
}

// The page's Content-Security-Policy: nothing may load, and the one inline
// script that runs is the review script, named by its SHA-256. A <script>
// that got into a page some other way would not run.
const std::string& ContentSecurityPolicy() {
  static const std::string csp = [] {
    internal::Sha256 h;
    h.Update(kReviewScript);
    const std::array<uint8_t, 32> d = h.Finish();
    return "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-" +
           Base64(d.data(), d.size()) + "'; base-uri 'none'; form-action 'none'";
  }();
  return csp;
}

// Length of the well-formed UTF-8 sequence at s[i] (Unicode Table 3-7), or 0
// if the bytes there are not one.
size_t SeqLen(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return 1;
  size_t len;
  unsigned char lo = 0x80, hi = 0xBF;  // range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;  // no surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  if (b(i + 1) < lo || b(i + 1) > hi) return 0;
  for (size_t k = 2; k < len; ++k)
    if ((b(i + k) & 0xC0) != 0x80) return 0;
  return len;
}

uint32_t Decode(std::string_view s, size_t i, size_t len) {
  const auto b = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(s[k])); };
  if (len == 2) return ((b(i) & 0x1F) << 6) | (b(i + 1) & 0x3F);
  if (len == 3) return ((b(i) & 0x0F) << 12) | ((b(i + 1) & 0x3F) << 6) | (b(i + 2) & 0x3F);
  return ((b(i) & 0x07) << 18) | ((b(i + 1) & 0x3F) << 12) | ((b(i + 2) & 0x3F) << 6) |
         (b(i + 3) & 0x3F);
}

void AppendUtf8(std::string* out, uint32_t cp) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {  // the substitutes used here are all in the BMP
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

constexpr uint32_t kReplacement = 0xFFFD;

// Moves a boundary back to the start of the UTF-8 sequence it falls in, so a
// highlight never splits a character. A stray continuation byte is its own
// (replaced) unit, so a boundary before it stays.
uint32_t Snap(std::string_view s, uint32_t b) {
  if (b >= s.size()) return static_cast<uint32_t>(s.size());
  if ((static_cast<unsigned char>(s[b]) & 0xC0) != 0x80) return b;
  for (uint32_t back = 1; back <= 3 && back <= b; ++back) {
    const size_t len = SeqLen(s, b - back);
    if (len > back) return b - back;
  }
  return b;
}

std::string_view Slice(std::string_view text, Span s) {
  const size_t b = std::min<size_t>(s.begin, text.size());
  const size_t e = std::clamp<size_t>(s.end, b, text.size());
  return text.substr(b, e - b);
}

// A short quotation of a span for link texts: at most ~60 bytes, cut on a
// character boundary.
void AppendQuote(std::string* out, std::string_view text, Span s) {
  std::string_view q = Slice(text, s);
  constexpr size_t kMax = 60;
  bool cut = false;
  if (q.size() > kMax) {
    q = q.substr(0, Snap(q, kMax));
    cut = true;
  }
  out->append("\u201C");
  AppendEscaped(out, q);
  out->append(cut ? "\u2026\u201D" : "\u201D");
}

// Class-name-safe form of a library string (kinds are [a-z_] already; this
// only guards against surprises in data files).
std::string ClassToken(std::string_view s) {
  std::string out;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    out.push_back(ok ? c : '_');
  }
  return out;
}

// A library identifier as a reader's label: "fusion_procedure" -> "fusion
// procedure" (kinds, assertions, bases, gap and section kinds).
std::string Label(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c == '_') c = ' ';
  return out;
}

// An identifier that must stay as it is (a rule id): monospace, with a line
// break opportunity (<wbr>) after each '.', '_', '/' or ':' only, so it
// never breaks mid-word.
void AppendIdentifier(std::string* out, std::string_view s) {
  out->append("<code class=\"id\">");
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '.' || s[i] == '_' || s[i] == '/' || s[i] == ':') {
      AppendEscaped(out, s.substr(run, i + 1 - run));
      out->append("<wbr>");
      run = i + 1;
    }
  }
  AppendEscaped(out, s.substr(run));
  out->append("</code>");
}

// A cell showing Label(raw) with the raw identifier in data-v.
void AppendLabelCell(std::string* out, std::string_view raw, const char* cls = nullptr) {
  out->append("<td");
  if (cls) out->append(std::string(" class=\"") + cls + "\"");
  out->append(" data-v=\"");
  AppendEscaped(out, raw);
  out->append("\">");
  AppendEscaped(out, Label(raw));
  out->append("</td>");
}

void AppendTag(std::string* out, const Highlight& h, bool first) {
  out->append(h.mark ? "<mark" : "<span");
  if (first && !h.anchor.empty()) {
    out->append(" id=\"");
    AppendEscaped(out, h.anchor);
    out->push_back('"');
  }
  if (!h.classes.empty()) {
    out->append(" class=\"");
    AppendEscaped(out, h.classes);
    out->push_back('"');
  }
  if (!h.title.empty()) {
    out->append(" title=\"");
    AppendEscaped(out, h.title);
    out->push_back('"');
  }
  out->append(" data-b=\"" + std::to_string(h.span.begin) + "\" data-e=\"" +
              std::to_string(h.span.end) + "\">");
}

void AppendClose(std::string* out, const Highlight& h) {
  out->append(h.mark ? "</mark>" : "</span>");
}

std::string Num(uint64_t v) { return std::to_string(v); }

std::string Score(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

template <class T, class F>
std::string Join(const std::vector<T>& v, const char* sep, F f) {
  std::string out;
  for (const T& x : v) {
    if (!out.empty()) out += sep;
    out += f(x);
  }
  return out;
}

std::string JoinStrings(const std::vector<std::string>& v) {
  return Join(v, ", ", [](const std::string& s) { return s; });
}

// One distinct span of the note with every role it plays (fact, evidence,
// cue, levels, section header): identical ranges become one element.
struct Item {
  Span span;
  std::vector<std::string> classes;
  std::vector<std::string> titles;
  int priority = 3;
  bool mark = false;

  void Add(std::string cls, std::string title, int prio, bool is_mark) {
    if (std::find(classes.begin(), classes.end(), cls) == classes.end())
      classes.push_back(std::move(cls));
    titles.push_back(std::move(title));
    priority = std::min(priority, prio);
    mark = mark || is_mark;
  }
};

constexpr int kPrioFact = 0;  // fact and evidence spans stay whole
constexpr int kPrioDetail = 1;
constexpr int kPrioSection = 2;

const char kStyle[] = R"CSS(
:root{color-scheme:light}
body{margin:0 auto;max-width:1200px;padding:16px 24px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1b1f24;background:#fff}
h1{font-size:22px;margin:4px 0 8px}
h2{font-size:18px;margin:0 0 4px;overflow-wrap:anywhere}
h3{font-size:15px;margin:14px 0 4px}
a{color:#0b57d0}
nav ol{margin:4px 0 12px;padding-left:28px}
section.note{border-top:3px solid #d0d7de;padding-top:12px;margin-top:18px}
.meta,.legend,footer{color:#57606a;font-size:13px}
.legend{margin:0 0 8px}
.none{color:#57606a;font-style:italic;margin:2px 0}
table{border-collapse:collapse;width:100%;margin:4px 0 8px;font-size:13px}
th,td{border:1px solid #d0d7de;padding:3px 6px;text-align:left;vertical-align:top;overflow-wrap:break-word}
code.id{font:12px ui-monospace,"DejaVu Sans Mono",monospace;color:#3d4650}
th{background:#f3f5f7;white-space:nowrap}
td.code{font-weight:700;white-space:nowrap}
td.num{text-align:right;white-space:nowrap}
.off{color:#6e7781;font-size:12px;white-space:nowrap}
.text{white-space:pre-wrap;overflow-wrap:anywhere;font:13px/1.55 ui-monospace,"DejaVu Sans Mono",monospace;border:1px solid #d0d7de;border-radius:4px;padding:10px 12px;background:#fbfbfa}
mark{background:transparent;color:inherit;border-radius:2px;unicode-bidi:isolate}
.sec,td,th,h2,li{unicode-bidi:isolate}
mark.f{background:#fde68a}
mark.k-fusion_procedure{background:#bfdbfe}
mark.k-ankylosis{background:#fed7aa}
mark.k-ankylosing_spondylitis{background:#fbcfe8}
mark.k-congenital_fusion{background:#ddd6fe}
mark.k-pseudarthrosis{background:#fecaca}
mark.k-imaging_finding{background:#bbf7d0}
mark.ev{outline:2px solid #c2410c}
mark.a-negated{text-decoration:line-through 2px #57606a;color:#57606a}
mark.a-possible{text-decoration:underline dashed 2px #6e40c9}
mark.a-hypothetical{text-decoration:underline wavy 2px #6e40c9}
mark.a-historical{text-decoration:underline double 3px #0f766e}
mark.a-family{text-decoration:underline dotted 3px #b45309}
mark.cue{background:#e9d5ff;font-style:italic}
mark.lvl{border-bottom:2px solid #2563eb}
.sec{font-weight:700;color:#0f3d6e}
:target{outline:3px solid #dc2626}
.err{background:#fff1f0;border:1px solid #ffa39e;border-radius:4px;padding:8px 12px}
footer{border-top:1px solid #d0d7de;margin-top:24px;padding-top:8px}
.legend dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 10px;margin:4px 0}
.legend dt{margin:0}.legend dd{margin:0}
.review-bar{position:sticky;top:0;z-index:1;background:#f6f8fa;border:1px solid #d0d7de;border-radius:4px;padding:6px 10px;margin:8px 0;font-size:13px}
button{font:inherit;font-size:12px;padding:1px 8px;border:1px solid #8c959f;border-radius:4px;background:#fff;cursor:pointer}
button[aria-pressed=true].acc{background:#dcfce7;border-color:#15803d;color:#14532d;font-weight:700}
button[aria-pressed=true].rej{background:#fee2e2;border-color:#b91c1c;color:#7f1d1d;font-weight:700}
td.review{white-space:nowrap}
td.review textarea{display:block;width:14em;margin-top:3px;font:12px system-ui,sans-serif}
tr.rv-accepted td{background:#f0fdf4}
tr.rv-rejected td{background:#fef2f2}
tr.rv-rejected td.code{text-decoration:line-through}
button.filter{border:none;background:none;padding:0;color:#0b57d0;text-decoration:underline;font-weight:700}
th.sortable{cursor:pointer}
th[aria-sort=ascending]::after{content:" \25B2"}
th[aria-sort=descending]::after{content:" \25BC"}
input[type=search]{font:inherit;padding:2px 6px;width:22em}
@media print{.review-bar,td.review button,input[type=search]{display:none}}
)CSS";

// Invisible format characters (Unicode Cf: bidi embeddings, overrides,
// isolates and marks, zero-width characters, BOM, invisible operators,
// interlinear annotation, tags) and the invisible fillers a viewer cannot see.
// The report shows each as a visible marker, so a note cannot reorder or hide
// what a reviewer reads (Trojan-Source, issue 19 item 9).
bool IsInvisibleFormat(uint32_t cp) {
  if (cp < 0xAD) return false;
  return cp == 0x00AD || cp == 0x034F || (cp >= 0x0600 && cp <= 0x0605) || cp == 0x061C ||
         cp == 0x06DD || cp == 0x070F || cp == 0x08E2 || cp == 0x115F || cp == 0x1160 ||
         cp == 0x17B4 || cp == 0x17B5 || (cp >= 0x180B && cp <= 0x180F) ||
         (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2060 && cp <= 0x206F) || cp == 0x3164 || cp == 0xFEFF || cp == 0xFFA0 ||
         (cp >= 0xFFF9 && cp <= 0xFFFB) || cp == 0x110BD || cp == 0x110CD ||
         (cp >= 0x13430 && cp <= 0x1343F) || (cp >= 0x1BCA0 && cp <= 0x1BCA3) ||
         (cp >= 0x1D173 && cp <= 0x1D17A) || (cp >= 0xE0000 && cp <= 0xE0FFF);
}

// "⟨U+202E⟩": U+27E8, the code point in hex (at least four digits), U+27E9.
void AppendMarker(std::string* out, uint32_t cp) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
  out->append("\u27E8");
  out->append(buf);
  out->append("\u27E9");
}

}  // namespace

void AppendEscaped(std::string* out, std::string_view s) {
  size_t run = 0;  // start of the pending run of bytes copied unchanged
  const auto flush = [&](size_t i) { out->append(s.data() + run, i - run); };
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const char* ref = nullptr;
    uint32_t subst = 0;
    size_t len = 1;
    if (c < 0x80) {
      switch (c) {
        case '&': ref = "&amp;"; break;
        case '<': ref = "&lt;"; break;
        case '>': ref = "&gt;"; break;
        case '"': ref = "&quot;"; break;
        case '\t': case '\n': case '\f': case '\r': break;
        default:
          if (c < 0x20) subst = 0x2400 + c;
          else if (c == 0x7F) subst = 0x2421;
      }
    } else {
      len = SeqLen(s, i);
      if (len == 0) {
        len = 1;  // one U+FFFD per invalid byte, like InvalidUtf8Policy::kReplace
        subst = kReplacement;
      } else {
        const uint32_t cp = Decode(s, i, len);
        if (cp <= 0x9F || (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE) {
          subst = kReplacement;
        } else if (IsInvisibleFormat(cp)) {
          flush(i);
          AppendMarker(out, cp);
          run = i + len;
          i += len;
          continue;
        }
      }
    }
    if (ref || subst) {
      flush(i);
      if (ref) out->append(ref);
      else AppendUtf8(out, subst);
      run = i + len;
    }
    i += len;
  }
  flush(s.size());
}

void AppendHighlightedText(std::string* out, std::string_view text,
                           std::vector<Highlight> hs) {
  for (Highlight& h : hs) {
    h.span.end = Snap(text, h.span.end);
    h.span.begin = std::min(Snap(text, h.span.begin), h.span.end);
  }
  std::vector<size_t> order(hs.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  // Outer spans first at the same start, so nested spans nest as elements.
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (hs[a].span.begin != hs[b].span.begin) return hs[a].span.begin < hs[b].span.begin;
    if (hs[a].span.end != hs[b].span.end) return hs[a].span.end > hs[b].span.end;
    return hs[a].priority < hs[b].priority;
  });

  std::vector<size_t> stack;  // open elements, outermost first
  std::vector<bool> opened(hs.size(), false);
  const auto open = [&](size_t i) {
    AppendTag(out, hs[i], !opened[i]);
    opened[i] = true;
    stack.push_back(i);
  };
  // Closes stack[k..] and returns those of them that must go on (end > pos).
  const auto close_from = [&](size_t k, uint32_t pos) {
    std::vector<size_t> again;
    for (size_t j = stack.size(); j-- > k;) AppendClose(out, hs[stack[j]]);
    for (size_t j = k; j < stack.size(); ++j)
      if (hs[stack[j]].span.end > pos) again.push_back(stack[j]);
    stack.resize(k);
    return again;
  };

  const uint32_t size = static_cast<uint32_t>(text.size());
  uint32_t pos = 0;
  size_t next = 0;
  while (true) {
    uint32_t p = size;
    if (next < order.size()) p = std::min(p, hs[order[next]].span.begin);
    for (size_t s : stack) p = std::min(p, hs[s].span.end);
    AppendEscaped(out, text.substr(pos, p - pos));
    pos = p;

    // Close what ends here; elements opened inside it that go on are
    // reopened as continuation pieces.
    for (size_t k = 0; k < stack.size(); ++k) {
      if (hs[stack[k]].span.end <= pos) {
        for (size_t i : close_from(k, pos)) open(i);
        break;
      }
    }
    // Open what starts here. A new span that would cross an open span of
    // lower priority closes that one first (and reopens it inside), so fact
    // and evidence spans stay single elements whenever possible.
    while (next < order.size() && hs[order[next]].span.begin == pos) {
      const size_t i = order[next++];
      if (hs[i].span.empty()) {
        AppendTag(out, hs[i], true);
        AppendClose(out, hs[i]);
        continue;
      }
      size_t k = 0;
      while (k < stack.size() && !(hs[stack[k]].span.end < hs[i].span.end &&
                                   hs[stack[k]].priority > hs[i].priority))
        ++k;
      if (k < stack.size()) {
        std::vector<size_t> again = close_from(k, pos);
        open(i);
        for (size_t j : again) open(j);
      } else {
        open(i);
      }
    }
    if (pos >= size && stack.empty() && next >= order.size()) break;
  }
}

std::string ReviewBar(bool all_stored) {
  return std::string(
             "<div class=\"review-bar\"><strong>Review</strong> \u00B7 <span id=\"rv-count\">") +
         (all_stored ? "decisions kept in this browser for these notes"
                     : "0 suggestions decided") +
         "</span> \u00B7 <button type=\"button\" id=\"rv-json\">Export JSON</button> "
         "<button type=\"button\" id=\"rv-csv\">Export CSV</button>" +
         (all_stored ? "" : " <button type=\"button\" id=\"rv-clear\">Clear</button>") +
         " <span class=\"off\">Accept / reject / comment each suggestion; kept in this "
         "browser, exported as a download.</span></div>\n";
}

std::string CodeList(const Result& r) {
  if (r.suggestions.empty()) return "none";
  return Join(r.suggestions, ", ", [](const Suggestion& s) { return s.code; });
}

void AppendNoteSection(std::string* out, const NoteView& note) {
  const std::string& P = note.anchor;
  out->append("<section class=\"note" + std::string(note.error ? " error" : "") + "\" id=\"");
  AppendEscaped(out, P);
  out->append("\" data-id=\"");
  AppendEscaped(out, note.id);
  out->append("\">\n<h2>");
  AppendEscaped(out, note.id);
  out->append("</h2>\n");

  if (note.error || !note.result) {
    const Status st = note.error ? *note.error : Internal("no result");
    out->append("<p class=\"err\"><strong>Not analysed</strong> (");
    AppendEscaped(out, st.kind().empty() ? StatusCodeName(st.code()) : st.kind());
    out->append("): ");
    AppendEscaped(out, st.message());
    if (st.offset() >= 0) out->append(" (byte offset " + Num(st.offset()) + ")");
    out->append("</p>\n</section>\n");
    return;
  }

  const Result& r = *note.result;
  const std::string_view text = note.text;

  // Distinct spans -> items, in first-seen order (stable anchors).
  std::vector<Item> items;
  std::map<std::pair<uint32_t, uint32_t>, size_t> by_span;
  const auto item = [&](Span s) -> size_t {
    auto [it, added] = by_span.emplace(std::make_pair(s.begin, s.end), items.size());
    if (added) {
      items.emplace_back();
      items.back().span = s;
    }
    return it->second;
  };
  const auto anchor = [&](size_t k) { return P + "-s" + Num(k); };

  std::vector<size_t> fact_item(r.facts.size()), cue_item(r.facts.size());
  for (size_t f = 0; f < r.facts.size(); ++f) {
    const Fact& fact = r.facts[f];
    const char* assertion = AssertionName(fact.assertion);
    std::string t = "fact " + Num(f) + ": " + fact.kind + ", " + assertion;
    if (!fact.when.empty()) t += ", " + fact.when;
    if (fact.has_cue)
      t += ", cue \u201C" + std::string(Slice(text, fact.cue.span)) + "\u201D (" +
           fact.cue.rule_id + ")";
    if (!fact.segments.empty()) t += ", " + JoinStrings(fact.segments);
    const size_t k = fact_item[f] = item(fact.span);
    items[k].Add("f", std::move(t), kPrioFact, true);
    items[k].Add("k-" + ClassToken(fact.kind), {}, kPrioFact, true);
    items[k].Add("a-" + ClassToken(assertion), {}, kPrioFact, true);
    if (fact.has_cue) {
      const size_t c = cue_item[f] = item(fact.cue.span);
      items[c].Add("cue",
                   "assertion cue of fact " + Num(f) + " (" + assertion + ", " +
                       fact.cue.rule_id + ")",
                   kPrioDetail, true);
    }
    for (const Span& l : fact.level_spans)
      items[item(l)].Add("lvl", "levels of fact " + Num(f), kPrioDetail, true);
  }
  std::vector<std::vector<size_t>> ev_item(r.suggestions.size());
  for (size_t s = 0; s < r.suggestions.size(); ++s) {
    const Suggestion& sg = r.suggestions[s];
    for (const Evidence& e : sg.evidence) {
      const size_t k = item(e.span);
      ev_item[s].push_back(k);
      items[k].Add("ev", "evidence for " + sg.code + " (rank " + Num(sg.rank) + ")", kPrioFact,
                   true);
    }
  }
  for (const Section& sec : r.sections)
    if (!sec.header.empty())
      items[item(sec.header)].Add("sec", "section: " + sec.kind, kPrioSection, false);

  // Header line.
  out->append("<p class=\"meta\">");
  out->append(Num(r.original_size) + " bytes \u00B7 " + Num(r.sections.size()) +
              " sections \u00B7 " + Num(r.sentences.size()) + " sentences \u00B7 " +
              Num(r.facts.size()) + " facts \u00B7 setting <span class=\"setting\">" +
              SettingName(r.setting) + "</span> \u00B7 code set ");
  AppendEscaped(out, r.code_set);
  if (r.replaced_bytes > 0)
    out->append(" \u00B7 " + Num(r.replaced_bytes) +
                " invalid bytes shown as \uFFFD (--repair-utf8)");
  out->append("</p>\n");

  // Suggestions.
  out->append("<h3>Suggestions</h3>\n");
  if (r.suggestions.empty()) {
    out->append("<p class=\"none\">No code suggested.</p>\n");
  } else {
    out->append(
        "<table class=\"suggestions\">\n<thead><tr><th>Rank</th><th>Code</th><th>Title</th>"
        "<th>Score</th><th>Rationale</th><th>Evidence</th><th>Review</th></tr></thead>\n"
        "<tbody>\n");
    for (size_t s = 0; s < r.suggestions.size(); ++s) {
      const Suggestion& sg = r.suggestions[s];
      out->append("<tr data-code=\"");
      AppendEscaped(out, sg.code);
      out->append("\" data-rank=\"" + Num(sg.rank) + "\" data-title=\"");
      AppendEscaped(out, sg.title);
      out->append("\"><td class=\"num\">" + Num(sg.rank) + "</td><td class=\"code\">");
      AppendEscaped(out, sg.code);
      out->append("</td><td>");
      AppendEscaped(out, sg.title);
      out->append("</td><td class=\"num\">" + Score(sg.score) + "</td><td>");
      AppendEscaped(out, sg.rationale);
      out->append("</td><td>");
      for (size_t e = 0; e < sg.evidence.size(); ++e) {
        const Span span = sg.evidence[e].span;
        out->append(e ? "<br>" : "");
        out->append("<a href=\"#" + anchor(ev_item[s][e]) + "\">");
        AppendQuote(out, text, span);
        out->append("</a> <span class=\"off\">" + Num(span.begin) + "\u2013" + Num(span.end) +
                    "</span>");
      }
      // Accept / reject / comment (the page's script keeps and exports them).
      out->append(
          "</td><td class=\"review\"><button type=\"button\" class=\"acc\" "
          "aria-pressed=\"false\">Accept</button> <button type=\"button\" class=\"rej\" "
          "aria-pressed=\"false\">Reject</button><textarea class=\"cmt\" rows=\"1\" "
          "placeholder=\"comment\" aria-label=\"comment on ");
      AppendEscaped(out, sg.code);
      out->append("\"></textarea></td></tr>\n");
    }
    out->append("</tbody>\n</table>\n");
  }

  // Facts that produced no code, and why (under the suggestions: what a
  // coder checks next).
  out->append("<h3>Not coded</h3>\n");
  if (r.not_coded.empty()) {
    out->append("<p class=\"none\">None.</p>\n");
  } else {
    out->append(
        "<table class=\"not-coded\">\n<thead><tr><th>Facts</th><th>Basis</th><th>Reason</th>"
        "<th>Code</th></tr></thead>\n<tbody>\n");
    for (const NotCoded& n : r.not_coded) {
      out->append("<tr><td>");
      for (size_t i = 0; i < n.facts.size(); ++i) {
        const int f = n.facts[i];
        out->append(i ? "<br>" : "");
        if (f >= 0 && static_cast<size_t>(f) < r.facts.size()) {
          out->append("<a href=\"#" + anchor(fact_item[f]) + "\">#" + Num(f) + "</a> ");
          AppendQuote(out, text, r.facts[f].span);
        } else {
          out->append("#" + std::to_string(f));
        }
      }
      out->append("</td>");
      AppendLabelCell(out, n.basis, "basis");
      out->append("<td class=\"reason\">");
      AppendEscaped(out, n.reason);
      out->append("</td><td class=\"code\">");
      AppendEscaped(out, n.code);
      out->append("</td></tr>\n");
    }
    out->append("</tbody>\n</table>\n");
  }

  // The note, highlighted.
  out->append("<h3>Note</h3>\n<div class=\"text\">");
  std::vector<Highlight> hs;
  hs.reserve(items.size());
  for (size_t k = 0; k < items.size(); ++k) {
    Item& it = items[k];
    Highlight h;
    h.span = it.span;
    for (const std::string& c : it.classes) h.classes += (h.classes.empty() ? "" : " ") + c;
    for (const std::string& t : it.titles)
      if (!t.empty()) h.title += (h.title.empty() ? "" : "\n") + t;
    h.anchor = anchor(k);
    h.priority = it.priority;
    h.mark = it.mark;
    hs.push_back(std::move(h));
  }
  AppendHighlightedText(out, text, std::move(hs));
  out->append("</div>\n");

  // Facts.
  out->append("<h3>Facts</h3>\n");
  if (r.facts.empty()) {
    out->append("<p class=\"none\">No fact found.</p>\n");
  } else {
    out->append(
        "<table class=\"facts\">\n<thead><tr><th>#</th><th>Kind</th><th>Assertion</th>"
        "<th>When</th><th>Levels</th><th>Regions</th><th>Text</th><th>Section</th>"
        "<th>Rule</th></tr></thead>\n<tbody>\n");
    for (size_t f = 0; f < r.facts.size(); ++f) {
      const Fact& fact = r.facts[f];
      out->append("<tr id=\"" + P + "-f" + Num(f) + "\"><td class=\"num\">" + Num(f) +
                  "</td><td>");
      AppendEscaped(out, Label(fact.kind));
      std::vector<std::string> extra;
      for (const std::string* x : {&fact.detail, &fact.modality, &fact.finding})
        if (!x->empty()) extra.push_back(*x);
      if (fact.weak) extra.push_back("weak");
      if (!extra.empty()) {
        out->append(" <span class=\"off\">");
        AppendEscaped(out, Label(JoinStrings(extra)));
        out->append("</span>");
      }
      out->append("</td><td><span class=\"as a-" + ClassToken(AssertionName(fact.assertion)) +
                  "\">");
      out->append(AssertionName(fact.assertion));
      out->append("</span>");
      if (fact.has_cue) {
        out->append("<br><a href=\"#" + anchor(cue_item[f]) + "\">");
        AppendQuote(out, text, fact.cue.span);
        out->append("</a>");
      }
      out->append("</td><td>");
      AppendEscaped(out, fact.when);
      out->append("</td><td>");
      std::vector<std::string> levels = fact.segments;
      levels.insert(levels.end(), fact.vertebrae.begin(), fact.vertebrae.end());
      AppendEscaped(out, JoinStrings(levels));
      out->append("</td><td>");
      AppendEscaped(out, JoinStrings(fact.regions));
      out->append("</td><td><a href=\"#" + anchor(fact_item[f]) + "\">");
      AppendQuote(out, text, fact.span);
      out->append("</a> <span class=\"off\">" + Num(fact.span.begin) + "\u2013" +
                  Num(fact.span.end) + "</span></td><td>");
      AppendEscaped(out, Label(fact.section_kind));
      out->append("</td><td>");
      AppendIdentifier(out, fact.rule_id);
      out->append("</td></tr>\n");
    }
    out->append("</tbody>\n</table>\n");
  }

  const auto fact_links = [&](const std::vector<int>& facts) {
    std::string s;
    for (int f : facts) {
      if (!s.empty()) s += ", ";
      if (f >= 0 && static_cast<size_t>(f) < r.facts.size())
        s += "<a href=\"#" + P + "-f" + Num(f) + "\">#" + Num(f) + "</a>";
      else
        s += "#" + std::to_string(f);
    }
    return s;
  };

  out->append("<h3>Suppressed codes</h3>\n");
  if (r.suppressed.empty()) {
    out->append("<p class=\"none\">None.</p>\n");
  } else {
    out->append(
        "<table class=\"suppressed\">\n<thead><tr><th>Code</th><th>Reason</th><th>Facts</th>"
        "</tr></thead>\n<tbody>\n");
    for (const Suppressed& s : r.suppressed) {
      out->append("<tr><td class=\"code\">");
      AppendEscaped(out, s.code);
      out->append("</td><td>");
      AppendEscaped(out, s.reason);
      out->append("</td><td>" + fact_links(s.facts) + "</td></tr>\n");
    }
    out->append("</tbody>\n</table>\n");
  }

  out->append("<h3>Documentation gaps</h3>\n");
  if (r.gaps.empty()) {
    out->append("<p class=\"none\">None.</p>\n");
  } else {
    out->append(
        "<table class=\"gaps\">\n<thead><tr><th>Kind</th><th>Message</th><th>Facts</th>"
        "</tr></thead>\n<tbody>\n");
    for (const Gap& g : r.gaps) {
      out->append("<tr>");
      AppendLabelCell(out, g.kind);
      out->append("<td>");
      AppendEscaped(out, g.message);
      out->append("</td><td>" + fact_links(g.facts) + "</td></tr>\n");
    }
    out->append("</tbody>\n</table>\n");
  }
  out->append("</section>\n");
}

std::string PageStart(std::string_view title, bool legend) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"" + ContentSecurityPolicy() + "\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"generator\" content=\"libsuggest " SUGGEST_VERSION_STRING "\">\n<title>";
  AppendEscaped(&out, title);
  out += "</title>\n<style>";
  out += kStyle;
  out += "</style>\n</head>\n<body>\n<h1>";
  AppendEscaped(&out, title);
  out += "</h1>\n";
  if (legend) {
    out +=
        "<div class=\"legend\"><dl>\n"
        "<dt>Kinds</dt><dd>"
        "<mark class=\"f k-fusion_procedure\">fusion procedure</mark> "
        "<mark class=\"f k-ankylosis\">ankylosis</mark> "
        "<mark class=\"f k-ankylosing_spondylitis\">ankylosing spondylitis</mark> "
        "<mark class=\"f k-congenital_fusion\">congenital fusion</mark> "
        "<mark class=\"f k-pseudarthrosis\">pseudarthrosis</mark> "
        "<mark class=\"f k-imaging_finding\">imaging finding</mark></dd>\n"
        "<dt>Assertions</dt><dd>"
        "<mark class=\"f k-fusion_procedure a-present\">present</mark> "
        "<mark class=\"f k-fusion_procedure a-negated\">negated</mark> "
        "<mark class=\"f k-fusion_procedure a-possible\">possible</mark> "
        "<mark class=\"f k-fusion_procedure a-hypothetical\">hypothetical / planned</mark> "
        "<mark class=\"f k-fusion_procedure a-historical\">historical</mark> "
        "<mark class=\"f k-fusion_procedure a-family\">family</mark></dd>\n"
        "<dt>Other</dt><dd>"
        "<mark class=\"cue\">assertion cue</mark> "
        "<mark class=\"lvl\">levels</mark> "
        "<mark class=\"f k-fusion_procedure ev\">evidence of a suggestion</mark> "
        "<span class=\"sec\">section header</span></dd>\n"
        "</dl>Hover a highlight for its fact, assertion and cue. Offsets are UTF-8 bytes of "
        "the note.</div>\n";
  }
  return out;
}

std::string PageEnd(std::string_view code_set, std::string_view models_version) {
  std::string out = "<footer>Generated by " SUGGEST_ENGINE_NAME " " SUGGEST_VERSION_STRING
                    " (result schema " + std::to_string(SUGGEST_RESULT_SCHEMA_VERSION) +
                    ") \u00B7 models <span class=\"models-version\">";
  AppendEscaped(&out, models_version);
  out += "</span> \u00B7 code set: ";
  AppendEscaped(&out, code_set.empty() ? std::string_view("n/a (no note analysed)") : code_set);
  out +=
      " \u00B7 suggestions are for review by a coder, not final codes.</footer>\n<script>";
  out += kReviewScript;
  out += "</script>\n</body>\n</html>\n";
  return out;
}

}  // namespace suggest::tools::html
