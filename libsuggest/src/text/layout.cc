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

constexpr size_t kNone = static_cast<size_t>(-1);

// A page phrase with its total at k, inside [k, last): a page word, an
// optional '.', a number, "of" or '/', a number ("page 2 of 3", "pg. 1/2").
// Its end, or kNone.
size_t PagePhrase(const LayoutRules& r, std::string_view t, size_t k, size_t last) {
  for (const std::string& w : r.page_words) {
    if (!WordAt(t, k, w)) continue;
    size_t j = k + w.size();
    if (j < last && t[j] == '.') ++j;
    j = SkipBlanks(t, j, last);
    size_t d = j;
    while (j < last && IsDigit(t[j])) ++j;
    if (j == d) return kNone;
    j = SkipBlanks(t, j, last);
    if (j >= last || !(t[j] == '/' || (j + 2 <= last && WordAt(t, j, "of")))) return kNone;
    j = SkipBlanks(t, j + (t[j] == '/' ? 1 : 2), last);
    d = j;
    while (j < last && IsDigit(t[j])) ++j;
    return j == d ? kNone : j;
  }
  return kNone;
}

// True if the line [b, last) (blanks trimmed at its end) ends with a page
// phrase ("... page 2 of 3"); `gap`: the phrase must follow two or more
// blanks (or open the line).
bool EndsWithPagePhrase(const LayoutRules& r, std::string_view t, size_t b, size_t last,
                        bool gap, size_t* at = nullptr) {
  if (last == b || !IsDigit(t[last - 1])) return false;
  const size_t from = last - b > 24 ? last - 24 : b;
  for (size_t k = from; k < last; ++k) {
    if (k > b && IsLetter(t[k - 1])) continue;
    if (gap && k > b && !(k >= b + 2 && IsBlank(t[k - 1]) && IsBlank(t[k - 2]))) continue;
    if (PagePhrase(r, t, k, last) == last) {
      if (at != nullptr) *at = k;
      return true;
    }
  }
  return false;
}

// ---- OCR letters for digits inside a level form with a dash.

inline bool VertebraLetter(char c) {
  c = Low(c);
  return c == 'c' || c == 't' || c == 'd' || c == 'l' || c == 's';
}

// The largest vertebra number of a region letter (L6 where documented).
int LastVertebra(char c) {
  switch (Low(c)) {
    case 'c': return 7;
    case 't': case 'd': return 12;
    case 'l': return 6;
    case 's': return 5;
    default: return 0;
  }
}

char OcrDigit(const LayoutRules& r, char c) {
  c = Low(c);
  for (const std::string& p : r.ocr_level_digits)
    if (p[0] == c) return p[1];
  return 0;
}

// The token [a, z) read as a level: an optional vertebra letter (required
// unless `bare`), then one or two digits or OCR letters. Its region letter
// (0 for a bare number) and number, or number -1; counts the swapped
// letters and the real digits.
int LevelToken(const LayoutRules& r, std::string_view t, size_t a, size_t z, bool bare,
               char* letter, int* swaps, int* digits) {
  *letter = 0;
  if (a < z && VertebraLetter(t[a]) && z - a >= 2) {
    *letter = Low(t[a]);
    ++a;
  } else if (!bare) {
    return -1;
  }
  if (z - a < 1 || z - a > 2) return -1;
  int n = 0;
  for (size_t k = a; k < z; ++k) {
    char d = t[k];
    if (IsDigit(d)) {
      ++*digits;
    } else if ((d = OcrDigit(r, d)) != 0) {
      // A bare number is read as written; no swap gives a leading zero
      // ("co1" is the coccyx, not C01).
      if (*letter == 0 || (k == a && d == '0')) return -1;
      ++*swaps;
    } else {
      return -1;
    }
    n = n * 10 + (d - '0');
  }
  return n;
}

// Calls f(pos, digit) for every OCR swap of `t` (layout.h, edit 3).
template <typename F>
void OcrLevelSwaps(const LayoutRules& r, std::string_view t, F&& f) {
  if (r.ocr_level_digits.empty()) return;
  const size_t n = t.size();
  for (size_t h = 0; h < n;) {
    const void* dash = std::memchr(t.data() + h, '-', n - h);
    if (dash == nullptr) return;
    h = static_cast<const char*>(dash) - t.data();
    size_t a = h, z = h + 1;
    while (a > 0 && h - a < 4 && IsAlnum(t[a - 1])) --a;
    while (z < n && z - h <= 4 && IsAlnum(t[z])) ++z;
    ++h;
    if ((a > 0 && IsAlnum(t[a - 1])) || (z < n && IsAlnum(t[z]))) continue;
    char l1, l2;
    int swaps = 0, digits = 0;
    const int n1 = LevelToken(r, t, a, h - 1, false, &l1, &swaps, &digits);
    if (n1 < 1 || n1 > LastVertebra(l1)) continue;
    const int n2 = LevelToken(r, t, h, z, true, &l2, &swaps, &digits);
    if (n2 < 1 || n2 > LastVertebra(l2 != 0 ? l2 : l1)) continue;
    if (swaps == 0 || digits == 0) continue;
    for (size_t k = a + 1; k < z; ++k)
      if (k != h - 1 && !IsDigit(t[k]) && (k != h || l2 == 0))
        if (const char d = OcrDigit(r, t[k])) f(k, d);
  }
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
  // A page phrase with its total opening or closing a short line, set off
  // from the rest by two or more blanks: a scanned page's running header.
  // Not when the rest ends a sentence ("s/p L4-5 fusion 2019.     Page 1 of
  // 2": the writer's last line and the footer run together; kept whole).
  if (last - i <= r.header_max) {
    auto ends_sentence = [&](size_t e) {
      while (e > i && IsBlank(t[e - 1])) --e;
      return e > i && (t[e - 1] == '.' || t[e - 1] == ';' || t[e - 1] == '!' || t[e - 1] == '?');
    };
    const size_t pe = PagePhrase(r, t, i, last);
    if (pe != kNone && SkipBlanks(t, pe, last) >= pe + 2 && !ends_sentence(last))
      return Line::kPage;
    size_t at = i;
    if (EndsWithPagePhrase(r, t, i, last, /*gap=*/true, &at) && !ends_sentence(at))
      return Line::kPage;
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
    if (nl == nullptr) break;
    const size_t lf = static_cast<const char*>(nl) - t.data();
    size_t p = lf;
    while (p > i && (IsBlank(t[p - 1]) || t[p - 1] == '\r')) --p;
    if (p >= i + 2 && t[p - 1] == '-' && IsAlnum(t[p - 2])) return true;
    if (EndsWithPagePhrase(r, t, i, p, /*gap=*/true)) return true;
    i = lf + 1;
  }
  // The last line (no line break after it) and OCR swaps in levels.
  size_t p = n;
  while (p > i && (IsBlank(t[p - 1]) || t[p - 1] == '\r')) --p;
  if (EndsWithPagePhrase(r, t, i, p, /*gap=*/true)) return true;
  bool any = false;
  OcrLevelSwaps(r, t, [&](size_t, char) { any = true; });
  return any;
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
  // OCR swaps in levels last: same length, so the map does not change.
  OcrLevelSwaps(r, *text, [&](size_t k, char d) { (*text)[k] = d; });
  if (joins.empty()) {
    *map = std::move(first);
    return;
  }
  OffsetMap second;
  Delete(joins, text, &second);
  *map = cuts.empty() ? std::move(second) : first.Then(second);
}

}  // namespace suggest::internal
