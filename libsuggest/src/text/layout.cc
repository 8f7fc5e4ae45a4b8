// Copyright libsuggest authors.
#include "text/layout.h"

#include <algorithm>
#include <cstring>

namespace suggest::internal {
namespace {

inline char Low(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }
inline bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsAlnum(char c) { return IsLetter(c) || IsDigit(c); }
inline bool IsBlank(char c) { return c == ' ' || c == '\t'; }

// True if text[i..] starts with `word` (lower case), ASCII case-insensitive,
// and no letter follows it.
bool WordAt(std::string_view text, size_t i, std::string_view word) {
  if (i + word.size() > text.size()) return false;
  for (size_t k = 0; k < word.size(); ++k)
    if (Low(text[i + k]) != word[k]) return false;
  const size_t e = i + word.size();
  return e == text.size() || !IsLetter(text[e]);
}

size_t SkipBlanks(std::string_view t, size_t i, size_t end) {
  while (i < end && IsBlank(t[i])) ++i;
  return i;
}

enum class Line { kBlank, kRule, kPage, kHeader, kOther };

// The class of the line [b, e) (no '\n').
Line Classify(const LayoutRules& r, std::string_view t, size_t b, size_t e) {
  size_t i = SkipBlanks(t, b, e);
  size_t last = e;
  while (last > i && IsBlank(t[last - 1])) --last;
  if (i == last) return Line::kBlank;
  // Rule line: only rule characters (and blanks), at least rule_min of them.
  size_t rule = 0;
  bool only_rule = true;
  for (size_t k = i; k < last && only_rule; ++k) {
    if (r.rule_chars.find(t[k]) != std::string::npos) {
      ++rule;
    } else if (!IsBlank(t[k])) {
      only_rule = false;
    }
  }
  if (only_rule) return rule >= r.rule_min ? Line::kRule : Line::kOther;
  // Page line: page word, number, optionally "of" number, nothing else.
  for (const std::string& w : r.page_words) {
    if (!WordAt(t, i, w)) continue;
    size_t k = i + w.size();
    if (k < last && t[k] == '.') ++k;  // "pg. 2"
    k = SkipBlanks(t, k, last);
    const size_t d = k;
    while (k < last && IsDigit(t[k])) ++k;
    if (k == d) break;
    k = SkipBlanks(t, k, last);
    if (k < last && (WordAt(t, k, "of") || t[k] == '/')) {
      k = SkipBlanks(t, k + (t[k] == '/' ? 1 : 2), last);
      const size_t d2 = k;
      while (k < last && IsDigit(t[k])) ++k;
      if (k == d2) break;
      k = SkipBlanks(t, k, last);
    }
    if (k == last) return Line::kPage;
    break;
  }
  // Header line: short, naming a header cue as a word.
  if (last - i <= r.header_max) {
    for (size_t k = i; k < last; ++k) {
      if (k > i && IsAlnum(t[k - 1])) continue;  // word starts only
      for (const std::string& c : r.header_cues)
        if (WordAt(t.substr(0, last), k, c)) return Line::kHeader;
    }
  }
  return Line::kOther;
}

// Deletions [b, e) of `text`, in order and disjoint, applied in place; the
// map new -> old.
void Delete(const std::vector<Span>& cuts, std::string* text, OffsetMap* map) {
  *map = OffsetMap();
  char* t = text->data();
  const size_t n = text->size();
  size_t w = 0, pos = 0;
  for (const Span& c : cuts) {
    const size_t keep = c.begin - pos;
    if (w != pos) std::memmove(t + w, t + pos, keep);
    w += keep;
    map->AppendUnchanged(static_cast<uint32_t>(keep));
    map->AppendChange(c.end - c.begin, 0);
    pos = c.end;
  }
  if (w != pos) std::memmove(t + w, t + pos, n - pos);
  w += n - pos;
  map->AppendUnchanged(static_cast<uint32_t>(n - pos));
  text->resize(w);
}

// Page furniture blocks of `t` (lower case, LF), as whole lines with the
// line break after the last one.
std::vector<Span> FurnitureBlocks(const LayoutRules& r, std::string_view t) {
  std::vector<Span> out;
  if (r.page_words.empty()) return out;
  struct L {
    size_t b, e;  // e: the '\n' or the text's end
    Line kind;
  };
  std::vector<L> run;  // the current run of furniture or blank lines
  bool page = false;
  auto flush = [&] {
    // Blank lines at the edges are not part of the block.
    size_t f = 0, l = run.size();
    while (f < l && run[f].kind == Line::kBlank) ++f;
    while (l > f && run[l - 1].kind == Line::kBlank) --l;
    if (page && l > f && l - f <= r.max_block_lines) {
      const size_t end = std::min(t.size(), run[l - 1].e + 1);
      out.push_back({static_cast<uint32_t>(run[f].b), static_cast<uint32_t>(end)});
    }
    run.clear();
    page = false;
  };
  size_t b = 0;
  while (b < t.size()) {
    const void* nl = std::memchr(t.data() + b, '\n', t.size() - b);
    const size_t e = nl ? static_cast<const char*>(nl) - t.data() : t.size();
    const Line k = Classify(r, t, b, e);
    if (k == Line::kOther) {
      flush();
    } else {
      run.push_back({b, e, k});
      if (k == Line::kPage) page = true;
    }
    b = e + 1;
  }
  flush();
  return out;
}

// Hyphen joins of `t` (see layout.h): the bytes to delete.
std::vector<Span> HyphenJoins(const LayoutRules& r, std::string_view t) {
  std::vector<Span> out;
  const size_t n = t.size();
  std::string joined;
  for (size_t i = 0; i < n;) {
    const void* nl = std::memchr(t.data() + i, '\n', n - i);
    if (nl == nullptr) break;
    const size_t lf = static_cast<const char*>(nl) - t.data();
    i = lf + 1;
    size_t p = lf;
    while (p > 0 && IsBlank(t[p - 1])) --p;
    if (p < 2 || t[p - 1] != '-' || !IsAlnum(t[p - 2])) continue;
    const size_t q = SkipBlanks(t, lf + 1, n);
    if (q >= n || !IsAlnum(t[q])) continue;
    // A list item on the next line: "2." / "2)" then a blank.
    size_t d = q;
    while (d < n && d - q < 3 && IsDigit(t[d])) ++d;
    if (d > q && d + 1 < n && (t[d] == '.' || t[d] == ')') && IsBlank(t[d + 1])) continue;
    const size_t hyphen = p - 1;
    size_t cut = p;  // keep the hyphen
    if (IsLetter(t[hyphen - 1]) && IsLetter(t[q]) && !r.join_words.empty()) {
      size_t a = hyphen;
      while (a > 0 && IsLetter(t[a - 1])) --a;
      size_t z = q;
      while (z < n && IsLetter(t[z])) ++z;
      joined.assign(t.substr(a, hyphen - a));
      joined.append(t.substr(q, z - q));
      if (std::binary_search(r.join_words.begin(), r.join_words.end(), joined)) cut = hyphen;
    }
    out.push_back({static_cast<uint32_t>(cut), static_cast<uint32_t>(q)});
  }
  return out;
}

}  // namespace

bool LayoutMayApply(const LayoutRules& r, std::string_view t) {
  if (!r.active()) return false;
  const size_t n = t.size();
  size_t i = 0;
  while (true) {
    // A line starting at i: a page word?
    if (!r.page_words.empty()) {
      const size_t k = SkipBlanks(t, i, n);
      for (const std::string& w : r.page_words)
        if (WordAt(t, k, w)) return true;
    }
    const void* nl = std::memchr(t.data() + i, '\n', n - i);
    if (nl == nullptr) return false;
    const size_t lf = static_cast<const char*>(nl) - t.data();
    size_t p = lf;
    while (p > i && (IsBlank(t[p - 1]) || t[p - 1] == '\r')) --p;
    if (p >= i + 2 && t[p - 1] == '-' && IsAlnum(t[p - 2])) return true;
    i = lf + 1;
  }
}

void ApplyLayout(const LayoutRules& r, std::string* text, OffsetMap* map,
                 std::vector<Span>* blocks) {
  blocks->clear();
  *map = OffsetMap::Identity(static_cast<uint32_t>(text->size()));
  if (!r.active()) return;
  std::vector<Span> cuts = FurnitureBlocks(r, *text);
  *blocks = cuts;
  OffsetMap first;
  if (!cuts.empty()) {
    Delete(cuts, text, &first);
  } else {
    first = OffsetMap::Identity(static_cast<uint32_t>(text->size()));
  }
  // Joins read the text without the furniture: a word broken across a page
  // break ("arthro-\n<block>\ndesis") joins too.
  std::vector<Span> joins = HyphenJoins(r, *text);
  if (joins.empty()) {
    *map = std::move(first);
    return;
  }
  OffsetMap second;
  Delete(joins, text, &second);
  *map = cuts.empty() ? std::move(second) : first.Then(second);
}

}  // namespace suggest::internal
