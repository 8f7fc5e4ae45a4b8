// Copyright libsuggest authors.
//
// html_report (the renderer of `suggest report --html`): escaping, and
// highlights that nest, cross or split a UTF-8 sequence. Crossing spans do
// not occur in the example notes or the corpus, so they are tested here
// rather than through the CLI (tests/cli/report_html.sh).

#include "html_report.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

namespace suggest::tools::html {
namespace {

std::string Escaped(std::string_view s) {
  std::string out;
  AppendEscaped(&out, s);
  return out;
}

Highlight H(uint32_t b, uint32_t e, int prio, std::string anchor = {}) {
  Highlight h;
  h.span = {b, e};
  h.priority = prio;
  h.anchor = std::move(anchor);
  return h;
}

std::string Render(std::string_view text, std::vector<Highlight> hs) {
  std::string out;
  AppendHighlightedText(&out, text, std::move(hs));
  return out;
}

// Minimal reader of AppendHighlightedText output: checks the tags balance and
// returns the text content plus, per data-b/data-e group, the text of its
// pieces and how many pieces carry an id.
struct Parsed {
  std::string text;
  std::map<std::pair<int, int>, std::string> groups;
  std::map<std::pair<int, int>, int> ids;
  bool balanced = true;
};

std::string Unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    if (s[i] != '&') { out += s[i++]; continue; }
    size_t semi = s.find(';', i);
    std::string ent = s.substr(i, semi - i + 1);
    out += ent == "&amp;" ? "&" : ent == "&lt;" ? "<" : ent == "&gt;" ? ">" : "\"";
    i = semi + 1;
  }
  return out;
}

Parsed Parse(const std::string& html) {
  Parsed p;
  std::vector<std::pair<std::string, std::pair<int, int>>> stack;
  for (size_t i = 0; i < html.size();) {
    if (html[i] != '<') {
      size_t j = html.find('<', i);
      if (j == std::string::npos) j = html.size();
      const std::string t = Unescape(html.substr(i, j - i));
      p.text += t;
      for (auto& [tag, key] : stack) p.groups[key] += t;
      i = j;
      continue;
    }
    const size_t j = html.find('>', i);
    const std::string tag = html.substr(i + 1, j - i - 1);
    if (tag[0] == '/') {
      if (stack.empty() || stack.back().first != tag.substr(1)) p.balanced = false;
      if (!stack.empty()) stack.pop_back();
    } else {
      const std::string name = tag.substr(0, tag.find(' '));
      const int b = std::stoi(tag.substr(tag.find("data-b=\"") + 8));
      const int e = std::stoi(tag.substr(tag.find("data-e=\"") + 8));
      stack.push_back({name, {b, e}});
      p.groups[{b, e}];
      if (tag.find(" id=\"") != std::string::npos) ++p.ids[{b, e}];
    }
    i = j + 1;
  }
  if (!stack.empty()) p.balanced = false;
  return p;
}

TEST(HtmlReport, EscapesMarkupAndQuotes) {
  EXPECT_EQ(Escaped("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c'");
  EXPECT_EQ(Escaped("tab\tLF\nCR\rFF\f"), "tab\tLF\nCR\rFF\f");
}

TEST(HtmlReport, KeepsValidUtf8) {
  const std::string s = "caf\xC3\xA9 \xE2\x80\x94 \xF0\x9F\x98\x80 \xE4\xB8\xAD";
  EXPECT_EQ(Escaped(s), s);
}

TEST(HtmlReport, ReplacesWhatHtml5Forbids) {
  EXPECT_EQ(Escaped(std::string("a\0b", 3)), "a\xE2\x90\x80" "b");  // U+2400
  EXPECT_EQ(Escaped("\x01\x1F\x7F"), "\xE2\x90\x81\xE2\x90\x9F\xE2\x90\xA1");
  EXPECT_EQ(Escaped("\xC2\x85"), "\xEF\xBF\xBD");          // C1 NEL
  EXPECT_EQ(Escaped("\xEF\xB7\x90"), "\xEF\xBF\xBD");      // U+FDD0
  EXPECT_EQ(Escaped("\xEF\xBF\xBF"), "\xEF\xBF\xBD");      // U+FFFF
}

TEST(HtmlReport, OneReplacementPerInvalidByte) {
  EXPECT_EQ(Escaped("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(Escaped("\xE2\x82"), "\xEF\xBF\xBD\xEF\xBF\xBD");      // truncated
  EXPECT_EQ(Escaped("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(Escaped("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");      // overlong
}

TEST(HtmlReport, NestedSpansNestAsElements) {
  EXPECT_EQ(Render("abcdefgh", {H(2, 4, 1, "in"), H(1, 6, 0, "out")}),
            "a<mark id=\"out\" data-b=\"1\" data-e=\"6\">b"
            "<mark id=\"in\" data-b=\"2\" data-e=\"4\">cd</mark>ef</mark>gh");
}

TEST(HtmlReport, CrossingSpanOfLowerPriorityIsSplit) {
  // The fact (priority 0) opens first; the level span that crosses it is cut.
  EXPECT_EQ(Render("abcdefghij", {H(0, 6, 0, "fact"), H(3, 9, 1, "lvl")}),
            "<mark id=\"fact\" data-b=\"0\" data-e=\"6\">abc"
            "<mark id=\"lvl\" data-b=\"3\" data-e=\"9\">def</mark></mark>"
            "<mark data-b=\"3\" data-e=\"9\">ghi</mark>j");
  // The level span opens first; the fact that crosses it still stays whole.
  EXPECT_EQ(Render("abcdefghij", {H(0, 6, 1, "lvl"), H(3, 9, 0, "fact")}),
            "<mark id=\"lvl\" data-b=\"0\" data-e=\"6\">abc</mark>"
            "<mark id=\"fact\" data-b=\"3\" data-e=\"9\">"
            "<mark data-b=\"0\" data-e=\"6\">def</mark>ghi</mark>j");
}

TEST(HtmlReport, BoundaryInsideUtf8SequenceMovesToItsStart) {
  const std::string text = "caf\xC3\xA9!";  // é = bytes 3..4
  const std::string out = Render(text, {H(4, 6, 0)});
  EXPECT_EQ(out, "caf<mark data-b=\"3\" data-e=\"6\">\xC3\xA9!</mark>");
  EXPECT_EQ(Render(text, {H(0, 4, 0)}), "<mark data-b=\"0\" data-e=\"3\">caf</mark>\xC3\xA9!");
}

TEST(HtmlReport, EmptyAndOutOfRangeSpans) {
  EXPECT_EQ(Render("ab", {H(1, 1, 0, "x")}),
            "a<mark id=\"x\" data-b=\"1\" data-e=\"1\"></mark>b");
  EXPECT_EQ(Render("ab", {H(1, 99, 0)}), "a<mark data-b=\"1\" data-e=\"2\">b</mark>");
}

// Random spans over a text with multibyte characters: always balanced, the
// text round-trips, each group's pieces spell its span and exactly one piece
// of each group carries the id.
TEST(HtmlReport, RandomSpansStayWellFormed) {
  std::mt19937 rng(7);
  const std::vector<std::string> alphabet = {"a", "b", " ", "\n", "\xC3\xA9", "<", "&",
                                             "\xE2\x80\x94"};
  for (int round = 0; round < 300; ++round) {
    std::string text;
    std::vector<uint32_t> starts;  // code point starts
    const int n = 1 + static_cast<int>(rng() % 40);
    for (int i = 0; i < n; ++i) {
      starts.push_back(static_cast<uint32_t>(text.size()));
      text += alphabet[rng() % alphabet.size()];
    }
    starts.push_back(static_cast<uint32_t>(text.size()));
    std::vector<Highlight> hs;
    std::map<std::pair<int, int>, bool> distinct;
    const int spans = static_cast<int>(rng() % 8);
    for (int i = 0; i < spans; ++i) {
      uint32_t b = starts[rng() % starts.size()], e = starts[rng() % starts.size()];
      if (b > e) std::swap(b, e);
      if (distinct[{int(b), int(e)}]) continue;  // the report merges identical spans
      distinct[{int(b), int(e)}] = true;
      hs.push_back(H(b, e, static_cast<int>(rng() % 3), "s" + std::to_string(i)));
    }
    const Parsed p = Parse(Render(text, hs));
    ASSERT_TRUE(p.balanced) << round;
    ASSERT_EQ(p.text, text) << round;
    for (const Highlight& h : hs) {
      const std::pair<int, int> key{int(h.span.begin), int(h.span.end)};
      ASSERT_EQ(p.groups.at(key), text.substr(h.span.begin, h.span.size())) << round;
      ASSERT_EQ(p.ids.at(key), 1) << round;
    }
  }
}

// A whole note section: crossing fact spans, evidence links to anchors that
// exist, and the cue shown in the title.
TEST(HtmlReport, NoteSectionLinksEvidenceToHighlights) {
  const std::string text = "s/p L4-5 fusion and fusion L5-S1 hardware";
  Result r;
  r.code_set = "ICD-10-CM FY2027";
  r.original_size = static_cast<uint32_t>(text.size());
  Fact a;
  a.id = 0;
  a.kind = "fusion_procedure";
  a.assertion = Assertion::kHistorical;
  a.has_cue = true;
  a.cue = {{0, 3}, "hist_sp"};
  a.span = {4, 15};
  a.level_spans = {{4, 8}};
  Fact b = a;
  b.id = 1;
  b.span = {9, 26};  // crosses fact 0
  b.has_cue = false;
  b.level_spans = {{27, 32}};
  r.facts = {a, b};
  Suggestion s;
  s.code = "Z98.1";
  s.title = "Arthrodesis status";
  s.rank = 1;
  s.score = 0.9;
  s.rationale = "Fusion <before> this encounter.";
  s.evidence = {{a.span, 0}, {b.span, 1}};
  r.suggestions = {s};
  NoteView v;
  v.id = "note <1>";
  v.anchor = "n0";
  v.text = text;
  v.result = &r;
  std::string out;
  AppendNoteSection(&out, v);
  EXPECT_NE(out.find("data-id=\"note &lt;1&gt;\""), std::string::npos);
  EXPECT_NE(out.find("Fusion &lt;before&gt; this encounter."), std::string::npos);
  EXPECT_NE(out.find("cue \xE2\x80\x9Cs/p\xE2\x80\x9D (hist_sp)"), std::string::npos);
  // Both evidence links point at an id that exists on the page.
  size_t pos = 0;
  int links = 0;
  while ((pos = out.find("<a href=\"#", pos)) != std::string::npos) {
    pos += 10;
    const std::string target = out.substr(pos, out.find('"', pos) - pos);
    EXPECT_NE(out.find(" id=\"" + target + "\""), std::string::npos) << target;
    ++links;
  }
  EXPECT_EQ(links, 5);  // 2 evidence, 2 fact texts, 1 cue
  const size_t tb = out.find("<div class=\"text\">") + 18;
  const Parsed p = Parse(out.substr(tb, out.find("</div>", tb) - tb));
  EXPECT_TRUE(p.balanced);
  EXPECT_EQ(p.text, text);
  EXPECT_EQ(p.groups.at({4, 15}), "L4-5 fusion");
  EXPECT_EQ(p.groups.at({9, 26}), "fusion and fusion");
  EXPECT_EQ(p.groups.at({4, 8}), "L4-5");
}

// The setting in the header line and the "Not coded" table under the
// suggestions: fact ids linked to their highlighted text, basis, reason
// (escaped) and the winning code; an id out of range is shown, not linked.
TEST(HtmlReport, NotCodedTableUnderTheSuggestions) {
  const std::string text = "Possible pseudarthrosis. No fusion at L2-3.";
  Result r;
  r.code_set = "ICD-10-CM FY2027";
  r.setting = Setting::kInpatient;
  r.original_size = static_cast<uint32_t>(text.size());
  Fact a;
  a.id = 0;
  a.kind = "pseudarthrosis";
  a.assertion = Assertion::kPossible;
  a.span = {9, 23};
  Fact b;
  b.id = 1;
  b.kind = "fusion_procedure";
  b.assertion = Assertion::kNegated;
  b.span = {28, 34};
  r.facts = {a, b};
  r.not_coded = {{"uncertain", "Documented as <possible> outside the discharge diagnoses.", "", {0}},
                 {"excludes1", "M96.0 says it.", "M96.0", {1, 7}}};
  NoteView v;
  v.id = "nc";
  v.anchor = "n0";
  v.text = text;
  v.result = &r;
  std::string out;
  AppendNoteSection(&out, v);
  EXPECT_NE(out.find("setting <span class=\"setting\">inpatient</span>"), std::string::npos);
  const size_t table = out.find("<table class=\"not-coded\">");
  ASSERT_NE(table, std::string::npos) << out;
  EXPECT_LT(out.find("<h3>Suggestions</h3>"), out.find("<h3>Not coded</h3>"));
  EXPECT_LT(table, out.find("<div class=\"text\">"));
  const std::string t = out.substr(table, out.find("</table>", table) - table);
  EXPECT_NE(t.find("<th>Facts</th><th>Basis</th><th>Reason</th><th>Code</th>"), std::string::npos);
  EXPECT_NE(t.find("#0</a> \xE2\x80\x9Cpseudarthrosis\xE2\x80\x9D"), std::string::npos) << t;
  EXPECT_NE(t.find("<td class=\"basis\" data-v=\"uncertain\">uncertain</td>"), std::string::npos);
  EXPECT_NE(t.find("Documented as &lt;possible&gt; outside"), std::string::npos);
  EXPECT_NE(t.find("<td class=\"code\">M96.0</td>"), std::string::npos);
  EXPECT_NE(t.find("<br>#7</td>"), std::string::npos) << t;
  // Every link of the table points at an element of the page.
  for (size_t pos = 0; (pos = t.find("<a href=\"#", pos)) != std::string::npos;) {
    pos += 10;
    const std::string target = t.substr(pos, t.find('"', pos) - pos);
    EXPECT_NE(out.find(" id=\"" + target + "\""), std::string::npos) << target;
  }
  // No entry: a "None." line, no table; the default setting is shown too.
  r.not_coded.clear();
  r.setting = Setting::kOutpatient;
  out.clear();
  AppendNoteSection(&out, v);
  EXPECT_EQ(out.find("class=\"not-coded\""), std::string::npos);
  EXPECT_NE(out.find("<h3>Not coded</h3>\n<p class=\"none\">None.</p>"), std::string::npos);
  EXPECT_NE(out.find(">outpatient</span>"), std::string::npos);
}

TEST(HtmlReport, ErrorSectionNamesTheKind) {
  const Status st = InvalidArgument("invalid UTF-8 at byte 3", "invalid_utf8", 3);
  NoteView v;
  v.id = "x";
  v.anchor = "n1";
  v.error = &st;
  std::string out;
  AppendNoteSection(&out, v);
  EXPECT_NE(out.find("class=\"note error\""), std::string::npos);
  EXPECT_NE(out.find("(invalid_utf8): invalid UTF-8 at byte 3 (byte offset 3)"),
            std::string::npos);
  EXPECT_EQ(out.find("class=\"text\""), std::string::npos);
}

TEST(HtmlReport, PageIsSelfContainedHtml5) {
  const std::string page = PageStart("t <&>") + PageEnd("ICD-10-CM FY2027", "0123456789abcdef");
  EXPECT_EQ(page.rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0), 0u);
  EXPECT_NE(page.find("<meta charset=\"utf-8\">"), std::string::npos);
  EXPECT_NE(page.find("<title>t &lt;&amp;&gt;</title>"), std::string::npos);
  // One script, the review script, allowed by the CSP's hash and nothing else.
  const size_t script = page.find("<script>");
  ASSERT_NE(script, std::string::npos);
  EXPECT_EQ(page.find("<script", script + 1), std::string::npos);
  EXPECT_NE(page.find("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                      "style-src 'unsafe-inline'; script-src 'sha256-"),
            std::string::npos);
  EXPECT_LT(page.find("Content-Security-Policy"), script);
  EXPECT_EQ(page.find("url("), std::string::npos);
  EXPECT_NE(page.find("code set: ICD-10-CM FY2027"), std::string::npos);
  // Provenance in the footer (issue 15).
  EXPECT_NE(page.find("Generated by libsuggest " SUGGEST_VERSION_STRING " (result schema 1) \u00B7 "
                      "models <span class=\"models-version\">0123456789abcdef</span>"),
            std::string::npos)
      << page;
}

}  // namespace
}  // namespace suggest::tools::html
