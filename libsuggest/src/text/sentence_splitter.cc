// Copyright libsuggest authors.

#include "text/sentence_splitter.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>

#include "text/markup.h"
#include "util/byte_scan.h"

namespace suggest::internal {
namespace {

bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return IsUpper(c) || IsLower(c); }
bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// A word lower-cased into a fixed buffer (no allocation per '.'). Words
// longer than kMax bytes read as "#", which equals no listed word; every
// list below holds shorter words.
class Lower {
 public:
  explicit Lower(std::string_view w) : size_(w.size()) {
    if (size_ > kMax) return;
    for (size_t i = 0; i < size_; ++i) {
      buf_[i] = IsUpper(w[i]) ? static_cast<char>(w[i] - 'A' + 'a') : w[i];
    }
  }
  std::string_view view() const {
    return size_ <= kMax ? std::string_view(buf_, size_) : std::string_view("#");
  }
  bool empty() const { return size_ == 0; }
  bool operator==(std::string_view o) const { return view() == o; }

 private:
  static constexpr size_t kMax = 15;
  char buf_[kMax];
  size_t size_;
};

}  // namespace

// Words whose '.' never ends a sentence (titles, "vs.", "approx.", "e.g.").
bool IsNonFinalAbbrev(std::string_view w) {
  static constexpr std::string_view kList[] = {
      "dr", "mr", "mrs", "ms", "prof", "st", "vs", "approx", "fig", "figs",
      "e.g", "i.e", "eg", "ie", "cf", "viz", "ca", "esp", "incl", "resp"};
  for (std::string_view a : kList) {
    if (w == a) return true;
  }
  return false;
}

namespace {

// "C5", "T12", "L4", "S1": a vertebral level name.
bool IsLevel(std::string_view w) {
  if (w.size() < 2 || w.size() > 3) return false;
  const char r = static_cast<char>(w[0] & ~0x20);
  if (r != 'C' && r != 'T' && r != 'L' && r != 'S' && r != 'D') return false;
  for (size_t i = 1; i < w.size(); ++i) {
    if (!IsDigit(w[i])) return false;
  }
  return true;
}

// Lower-case function words after which a line break is a soft wrap.
bool IsContinuationWord(std::string_view w) {
  static constexpr std::string_view kList[] = {
      "a",    "an",  "the",  "of",   "at",  "to",    "in",  "on",
      "and",  "or",  "with", "by",   "for", "from",  "as",  "is",
      "was",  "were", "are", "be",   "but", "that",  "this", "which",
      "into", "including", "over", "under", "without", "status", "post",
      "s/p",  "his", "her",  "their", "of",  "via",  "than", "after",
      "before", "between", "had", "has", "have", "not", "no"};
  for (std::string_view a : kList) {
    if (w == a) return true;
  }
  return false;
}

// Where a re-split may stop (SplitSentences with an earlier split): at a
// sentence start at or after `from` whose position minus `shift` starts a
// sentence of the earlier split (`starts`, ascending).
struct Resync {
  uint32_t from = 0;
  int64_t shift = 0;
  std::vector<uint32_t> starts;
};

// The splitter's whole state is start_ (with end_): from a sentence start it
// goes on reading only bytes at or after it (WordBefore, BreaksLine and
// AfterBareNumber look back no further than start_), and before reaching a
// sentence start s it has read no byte at or past s + 5: a look-ahead past a
// terminator (EndsSentence, BreaksLine, the ',' list join) skips blanks, line
// breaks or commas, all of which SkipJoin skips too, so the byte it stops at
// is at or before the next sentence start, and from there it reads at most
// a list marker (ListMarkerAt: up to four bytes on) or a three-byte '•'.
// SplitSentences with an earlier split relies on both.
class Splitter {
 public:
  // `furniture` (may be null): original ranges of page furniture
  // (NormalizedText::furniture), read as a line break; `base` is the offset
  // of t_[0] in the original (a section's bytes alone: SplitSection).
  Splitter(std::string_view text, int section, std::vector<Sentence>* out,
           const Resync* resync = nullptr, const std::vector<Span>* furniture = nullptr,
           uint32_t base = 0)
      : t_(text), section_(section), out_(out), resync_(resync), base_(base) {
    if (furniture != nullptr && !furniture->empty()) furniture_ = furniture;
  }

  // Where Run stopped at a Resync point, or UINT32_MAX if it did not.
  uint32_t resynced_at() const { return resynced_at_; }

  void Run(uint32_t b, uint32_t e) {
    end_ = e;
    start_ = SkipJoin(b);
    uint32_t i = start_;
    while (i < e) {
      // Only these five bytes can end a sentence; skip to the next one.
      i = static_cast<uint32_t>(scan::FindAnyOf<'.', '?', '!', '\n', ','>(t_.data(), i, e));
      if (i >= e) break;
      const char c = t_[i];
      if (c == '.' || c == '?' || c == '!') {
        uint32_t next = 0;
        if (EndsSentence(i, &next)) {
          Emit(start_, next);
          start_ = SkipJoin(next);
          i = start_;
          if (Resynced()) return;
          continue;
        }
      } else if (c == '\n') {
        uint32_t next = 0;
        if (BreaksLine(i, &next)) {
          Emit(start_, i);
          start_ = SkipJoin(next);
          i = start_;
          if (Resynced()) return;
          continue;
        }
        if (skipped_furniture_) {
          // The sentence goes on after the page furniture; nothing inside
          // it ends a sentence.
          i = next;
          continue;
        }
      } else if (c == ',' && ListMarkerAt(SkipBlanks(i + 1), false) &&
                 i > start_ && !AfterBareNumber(i)) {
        // Corpus list join ",2.  Spondylolisthesis": the item before it ends.
        Emit(start_, i);
        start_ = SkipJoin(i + 1);
        i = start_;
        if (Resynced()) return;
        continue;
      }
      ++i;
    }
    Emit(start_, e);
  }

 private:
  uint32_t SkipBlanks(uint32_t i) const {
    while (i < end_ && IsBlank(t_[i])) ++i;
    return i;
  }

  // True if a standalone number ends at i ("levels 1, 2. The"), where a
  // following "2." continues a count rather than opening a list item; "L4-5"
  // or "C6" before the comma is no such number.
  bool AfterBareNumber(uint32_t i) const {
    uint32_t p = i;
    while (p > start_ && IsDigit(t_[p - 1])) --p;
    if (p == i) return false;
    return p == start_ || IsBlank(t_[p - 1]) || t_[p - 1] == '(' ||
           t_[p - 1] == ',';
  }

  // Leading whitespace and corpus join punctuation (",", ":") are not part
  // of a sentence.
  uint32_t SkipJoin(uint32_t i) const {
    while (true) {
      while (i < end_ && (IsBlank(t_[i]) || t_[i] == '\n' || t_[i] == ',' ||
                          t_[i] == ':' || t_[i] == ';')) {
        ++i;
      }
      const uint32_t f = FurnitureEnd(i);
      if (f == i) return i;
      i = f;
    }
  }

  // If position i (blanks before it on its line only) lies in a page
  // furniture block: the block's end (clipped to end_); else i.
  uint32_t FurnitureEnd(uint32_t i) const {
    if (furniture_ == nullptr || i >= end_) return i;
    const uint64_t at = uint64_t{i} + base_;
    auto it = std::upper_bound(furniture_->begin(), furniture_->end(), at,
                               [](uint64_t v, const Span& s) { return v < s.begin; });
    if (it == furniture_->begin()) return i;
    --it;
    if (at >= it->end) return i;
    const uint64_t e = it->end - base_;
    return static_cast<uint32_t>(std::min<uint64_t>(e, end_));
  }

  // A list marker: 1-2 digits or one letter, then '.' or ')', then a blank.
  // Letter markers only where a sentence may start anyway (not at ','
  // joins, where "vitamins C, E. The" would misfire).
  bool ListMarkerAt(uint32_t i, bool allow_letter = true) const {
    uint32_t j = i;
    while (j < end_ && j - i < 3 && IsDigit(t_[j])) ++j;
    if (j == i) {
      if (allow_letter && i < end_ && IsUpper(t_[i]) && t_[i] != 'I') {
        j = i + 1;  // "A.  Adenocarcinoma"
      } else {
        return false;
      }
    } else if (j - i > 2) {
      return false;
    }
    return j + 1 < end_ && (t_[j] == '.' || t_[j] == ')') &&
           IsBlank(t_[j + 1]);
  }

  // The word (letters, digits, inner dots) ending just before position i.
  std::string_view WordBefore(uint32_t i) const {
    uint32_t w = i;
    while (w > start_ && (IsAlpha(t_[w - 1]) || IsDigit(t_[w - 1]) ||
                          (t_[w - 1] == '.' && w - 1 > start_ &&
                           IsAlpha(t_[w - 2])))) {
      --w;
    }
    return t_.substr(w, i - w);
  }

  // A checkbox ("[ ]", "[x]", "(X)", "[✓]", "☐", "☒") at n, or "yes" / "no" then
  // blanks or ':' and a checkbox (a label-first answer).
  bool BoxAt(uint32_t n) const {
    if (n + 3 <= end_ && static_cast<unsigned char>(t_[n]) == 0xE2 &&
        static_cast<unsigned char>(t_[n + 1]) == 0x98 &&
        (static_cast<unsigned char>(t_[n + 2]) >= 0x90 &&
         static_cast<unsigned char>(t_[n + 2]) <= 0x92))
      return true;
    if (n >= end_ || (t_[n] != '[' && t_[n] != '(')) return false;
    const char close = t_[n] == '[' ? ']' : ')';
    uint32_t m = n + 1;
    if (m < end_ && (t_[m] == ' ' || t_[m] == 'x' || t_[m] == 'X')) {
      ++m;
    } else if (m + 3 <= end_ && static_cast<unsigned char>(t_[m]) == 0xE2 &&
               static_cast<unsigned char>(t_[m + 1]) == 0x9C) {
      m += 3;  // a check mark
    }
    return m < end_ && t_[m] == close;
  }
  bool AnswerBoxAt(uint32_t n) const {
    if (BoxAt(n)) return true;
    uint32_t w = n;
    while (w < end_ && IsAlpha(t_[w])) ++w;
    const Lower lw(t_.substr(n, w - n));
    if (!(lw == "yes" || lw == "no")) return false;
    while (w < end_ && (IsBlank(t_[w]) || t_[w] == ':')) ++w;
    return BoxAt(w);
  }

  // A form's plain answer at n: "Y", "N", "Yes" or "No" that ends its field
  // (the line's end, the text's end or two blanks: "History of spinal
  // fusion? Y   Levels: C3-C7").
  bool PlainAnswerAt(uint32_t n) const {
    uint32_t w = n;
    while (w < end_ && IsAlpha(t_[w])) ++w;
    const Lower lw(t_.substr(n, w - n));
    if (!(lw == "y" || lw == "n" || lw == "yes" || lw == "no")) return false;
    if (w >= end_ || t_[w] == '\n') return true;
    return w + 1 < end_ && IsBlank(t_[w]) && (IsBlank(t_[w + 1]) || t_[w + 1] == '\n');
  }

  // Decides whether the terminator at i ends a sentence; *next receives the
  // position after it and any closing quotes/brackets.
  bool EndsSentence(uint32_t i, uint32_t* next) const {
    const char term = t_[i];
    uint32_t k = i;
    while (k < end_ && (t_[k] == '.' || t_[k] == '?' || t_[k] == '!')) ++k;
    // Closers stay in the sentence: .) ." .' .] and typographic ” ’.
    for (;;) {
      if (k < end_ && (t_[k] == ')' || t_[k] == '"' || t_[k] == '\'' ||
                       t_[k] == ']')) {
        ++k;
      } else if (k + 3 <= end_ &&
                 static_cast<unsigned char>(t_[k]) == 0xE2 &&
                 static_cast<unsigned char>(t_[k + 1]) == 0x80 &&
                 (static_cast<unsigned char>(t_[k + 2]) == 0x9D ||
                  static_cast<unsigned char>(t_[k + 2]) == 0x99)) {
        k += 3;
      } else {
        break;
      }
    }
    *next = k;
    if (k >= end_) return true;
    // Only a blank, line break or corpus ',' join may follow ("2.5", "e.g,"
    // and "U.S.A" do not end here).
    if (!IsBlank(t_[k]) && t_[k] != '\n' && t_[k] != ',') return false;
    // "b.i.d., Synthroid": a comma then a blank is running text; the corpus
    // paragraph join is ".,Next" with no blank.
    if (t_[k] == ',' && k + 1 < end_ && IsBlank(t_[k + 1])) return false;
    uint32_t n = k;
    while (n < end_ && (IsBlank(t_[n]) || t_[n] == '\n' || t_[n] == ',')) ++n;
    if (n >= end_) return true;
    const char nc = t_[n];
    if (IsLower(nc)) return false;  // "pt. was", "etc. and", "C5. the"
    // A lone '?' between blanks before a word on the same line is a query
    // mark on that word ("CT with ? DISH of the cervical spine"), not the end
    // of a question. So is one that opens its sentence ("Short
    // neck. ? Klippel-Feil syndrome"): no question ends before it.
    if (term == '?' && k == i + 1 && (i == start_ || IsBlank(t_[i - 1])) && IsAlpha(nc) &&
        std::all_of(t_.begin() + k, t_.begin() + n, [](char ch) { return IsBlank(ch); }))
      return false;
    // A form's question answered by checkboxes on the same line ("Prior
    // spinal fusion?   [X] Yes   [ ] No", "Fusion? Yes [x] No [ ]"): the
    // answer belongs to the question's sentence, whose cues read it
    // (context.toml neg_checkbox_no, pseudo_question_answered_yes).
    if (term == '?' && k == i + 1 && n > k &&
        std::all_of(t_.begin() + k, t_.begin() + n, [](char ch) { return IsBlank(ch); }) &&
        AnswerBoxAt(n))
      return false;
    // So does a plain answer ending its field ("Prior spinal fusion? Y
    // Levels: C3-C7", "Spine surgery? N"; pseudo_question_answered_yes,
    // neg_form_question_no; round 22C).
    if (term == '?' && k == i + 1 && n > k &&
        std::all_of(t_.begin() + k, t_.begin() + n, [](char ch) { return IsBlank(ch); }) &&
        PlainAnswerAt(n))
      return false;
    if (term != '.') return true;
    if (k > i + 1) return true;  // "..." or ".)" closers: a real end.

    const std::string_view word = WordBefore(i);
    // "1." / "A." opening a list item is a marker, not a sentence.
    if (i == start_ + word.size() && !word.empty() && word.size() <= 2 &&
        ListMarkerAt(start_)) {
      return false;
    }
    const Lower lw(word);
    if (IsNonFinalAbbrev(lw.view())) return false;
    if (lw == "no" && IsDigit(nc)) return false;  // "No. 10 blade"
    if (IsDigit(nc) && IsLevel(word)) return false;  // "C5. 6" (typo'd C5-6)
    return true;
  }

  // A line break at i ends the sentence if a blank line follows, the next
  // line opens a list item or bullet, or it starts upper case after a line
  // that does not end mid-phrase.
  // Page furniture after the line break (NormalizedText::furniture) is
  // read as nothing: the line before it and the line after it decide, as if
  // they met (skipped_furniture_ says it was there).
  bool BreaksLine(uint32_t i, uint32_t* next) {
    uint32_t n = i;
    int lfs = 0;
    skipped_furniture_ = false;
    while (true) {
      while (n < end_ && (IsBlank(t_[n]) || t_[n] == '\n')) {
        if (t_[n] == '\n') ++lfs;
        ++n;
      }
      const uint32_t f = FurnitureEnd(n);
      if (f == n) break;
      skipped_furniture_ = true;
      n = f;  // the block's line breaks are not counted
    }
    *next = n;
    if (n >= end_) return true;
    if (lfs >= 2) return true;
    const char nc = t_[n];
    if (ListMarkerAt(n) || nc == '-' || nc == '*' ||
        (static_cast<unsigned char>(nc) == 0xE2 && n + 2 < end_ &&
         static_cast<unsigned char>(t_[n + 1]) == 0x80 &&
         static_cast<unsigned char>(t_[n + 2]) == 0xA2)) {  // '•'
      return true;
    }
    if (!IsUpper(nc) && !IsDigit(nc)) return false;
    // Previous line's last character and word.
    uint32_t p = i;
    while (p > start_ && IsBlank(t_[p - 1])) --p;
    if (p == start_) return false;
    const char last = t_[p - 1];
    if (last == ',' || last == '-' || last == '/' || last == '(' ||
        last == '&' || EndsWithDash(t_.substr(start_, p - start_))) {
      return false;
    }
    uint32_t w = p;
    while (w > start_ && (IsAlpha(t_[w - 1]) || t_[w - 1] == '/')) --w;
    const Lower lw(t_.substr(w, p - w));
    if (IsContinuationWord(lw.view()) && !lw.empty() && IsLower(t_[w])) return false;
    // A title before a name: "Dr.\nSmith".
    if (last == '.' && IsNonFinalAbbrev(Lower(WordBefore(p - 1)).view())) return false;
    return true;
  }

  void Emit(uint32_t b, uint32_t e) {
    while (e > b && (IsBlank(t_[e - 1]) || t_[e - 1] == '\n' ||
                     t_[e - 1] == ',' || t_[e - 1] == ';')) {
      --e;
    }
    b = SkipJoin(b);
    if (b >= e) return;
    // Drop fragments without a letter or digit ("**", ".").
    bool content = false;
    for (uint32_t i = b; i < e && !content;) {
      const unsigned char u = static_cast<unsigned char>(t_[i]);
      if (u < 0x80) {
        content = IsAlpha(t_[i]) || IsDigit(t_[i]);
        ++i;
      } else {
        UChar32 c;
        int32_t pos = static_cast<int32_t>(i);
        U8_NEXT(reinterpret_cast<const uint8_t*>(t_.data()), pos,
                static_cast<int32_t>(e), c);
        content = c >= 0 && u_isalnum(c);
        i = static_cast<uint32_t>(pos);
      }
    }
    if (!content) return;
    // A list marker with an empty item ("2.  ,RECOMMENDATION") is no sentence.
    if (e - b <= 3 && (t_[e - 1] == '.' || t_[e - 1] == ')')) {
      uint32_t j = b;
      while (j < e - 1 && IsDigit(t_[j])) ++j;
      if (j == e - 1 && j > b) return;
    }
    out_->push_back(Sentence{Span{b, e}, section_});
  }

  // True (and resynced_at_ set) at a Resync point.
  bool Resynced() {
    if (resync_ == nullptr || start_ < resync_->from) return false;
    const int64_t old = static_cast<int64_t>(start_) - resync_->shift;
    if (!std::binary_search(resync_->starts.begin(), resync_->starts.end(), old)) return false;
    resynced_at_ = start_;
    return true;
  }

  std::string_view t_;
  int section_;
  std::vector<Sentence>* out_;
  const Resync* resync_;
  uint32_t base_ = 0;
  const std::vector<Span>* furniture_ = nullptr;  // null when none
  bool skipped_furniture_ = false;                // BreaksLine's last call
  uint32_t start_ = 0;
  uint32_t end_ = 0;
  uint32_t resynced_at_ = UINT32_MAX;
};

}  // namespace

std::vector<Sentence> SplitSentences(std::string_view original,
                                     const NormalizedText& nt,
                                     const std::vector<Token>& /*tokens*/,
                                     const std::vector<Section>& sections) {
  std::vector<Sentence> out;
  out.reserve(original.size() / 60 + 1);
  for (size_t k = 0; k < sections.size(); ++k) {
    const Span body = sections[k].body;
    if (body.empty() || body.end > original.size()) continue;
    Splitter(original, static_cast<int>(k), &out, nullptr, &nt.furniture)
        .Run(body.begin, body.end);
  }
  return out;
}

void SplitSection(std::string_view body_bytes, uint32_t body_begin, int section,
                  std::vector<Sentence>* out, const std::vector<Span>* furniture) {
  const size_t first = out->size();
  Splitter(body_bytes, section, out, nullptr, furniture, body_begin)
      .Run(0, static_cast<uint32_t>(body_bytes.size()));
  for (size_t i = first; i < out->size(); ++i) {
    (*out)[i].span.begin += body_begin;
    (*out)[i].span.end += body_begin;
  }
}

namespace {

// One earlier section's sentences: a run of the earlier split, which holds
// them section by section, in order.
struct EarlierRun {
  size_t section = 0;
  size_t first = 0, count = 0;
};

// The earlier sections by body span (key: begin << 32 | end), sorted by key
// for a binary search: one vector, not a node per section (the sections of
// a note come in text order, so it is mostly sorted as built).
using RunsByBody = std::vector<std::pair<uint64_t, EarlierRun>>;

// The earlier sections by body span, with their sentences; empty when there
// is nothing to reuse.
RunsByBody IndexEarlierRuns(const SentenceReuse& earlier) {
  RunsByBody by_body;
  if (earlier.sections == nullptr || earlier.sentences == nullptr) return by_body;
  const std::vector<Section>& old_sections = *earlier.sections;
  const std::vector<Sentence>& old = *earlier.sentences;
  by_body.reserve(old_sections.size());
  size_t i = 0;
  for (size_t j = 0; j < old_sections.size(); ++j) {
    EarlierRun run{j, i, 0};
    while (i < old.size() && old[i].section == static_cast<int>(j)) ++i;
    run.count = i - run.first;
    const Span body = old_sections[j].body;
    if (body.empty() || body.end > earlier.text.size()) continue;
    by_body.emplace_back(uint64_t{body.begin} << 32 | body.end, run);
  }
  // Sentences out of section order (never from SplitSentences): no reuse.
  if (i != old.size()) by_body.clear();
  auto by_key = [](const auto& a, const auto& b) { return a.first < b.first; };
  if (!std::is_sorted(by_body.begin(), by_body.end(), by_key))
    std::stable_sort(by_body.begin(), by_body.end(), by_key);
  // Two sections with one body span (never from FindSections): the first,
  // as a map's emplace kept it.
  by_body.erase(std::unique(by_body.begin(), by_body.end(),
                            [](const auto& a, const auto& b) { return a.first == b.first; }),
                by_body.end());
  return by_body;
}

// The split of an edited text, section by section, from the earlier split
// where the section's bytes allow (SentenceReuse).
class ReusingSplit {
 public:
  ReusingSplit(std::string_view original, const SentenceReuse& earlier, RunsByBody by_body)
      : original_(original),
        earlier_(earlier),
        old_(*earlier.sentences),
        by_body_(std::move(by_body)),
        delta_(static_cast<int64_t>(original.size()) - static_cast<int64_t>(earlier.text.size())),
        // Bytes [0, prefix_) and those from suffix_begin_ on are those of
        // the earlier text (the latter shifted by delta_).
        prefix_(scan::CommonPrefix(earlier.text, original, earlier.same_prefix)),
        suffix_begin_(static_cast<uint32_t>(
            original.size() -
            scan::CommonSuffix(earlier.text, original,
                               std::min(earlier.text.size(), original.size()) - prefix_,
                               earlier.same_suffix))) {
    out_.reserve(original.size() / 60 + 1);
  }

  // Splits section k (body non-empty, inside the text); true if it reused
  // earlier sentences.
  bool Section(size_t k, Span body) {
    if (CopyUnchanged(k, body) || ResplitAroundEdit(k, body)) return true;
    Splitter(original_, static_cast<int>(k), &out_).Run(body.begin, body.end);
    return false;
  }

  std::vector<Sentence> Take() { return std::move(out_); }

 private:
  // The earlier section with body [ob, oe), if any.
  const EarlierRun* Lookup(int64_t ob, int64_t oe) const {
    if (ob < 0 || oe > static_cast<int64_t>(earlier_.text.size()) || ob >= oe) return nullptr;
    const uint64_t key = static_cast<uint64_t>(ob) << 32 | static_cast<uint64_t>(oe);
    auto it = std::lower_bound(by_body_.begin(), by_body_.end(), key,
                               [](const auto& e, uint64_t k) { return e.first < k; });
    return it == by_body_.end() || it->first != key ? nullptr : &it->second;
  }

  // The earlier section whose body, `shift` bytes earlier, had the same bytes.
  // A body inside the common prefix (in place) or the common suffix (shifted
  // by the edit) is known to have them: only the others are compared, so an
  // edit does not read every byte of the note again.
  const EarlierRun* SameBytes(const Span& body, int64_t shift) const {
    const EarlierRun* run = Lookup(body.begin - shift, body.end - shift);
    if (run == nullptr) return nullptr;
    const bool known = (shift == 0 && body.end <= prefix_) ||
                       (shift == delta_ && body.begin >= suffix_begin_);
    if (!known &&
        std::memcmp(earlier_.text.data() + (body.begin - shift), original_.data() + body.begin,
                    body.size()) != 0)
      return nullptr;
    return run;
  }

  // Copies earlier sentences [from, to) into section k, shifted.
  void Copy(size_t from, size_t to, int64_t shift, size_t k) {
    for (size_t i = from; i < to; ++i) {
      Sentence s = old_[i];
      s.span.begin = static_cast<uint32_t>(s.span.begin + shift);
      s.span.end = static_cast<uint32_t>(s.span.end + shift);
      s.section = static_cast<int>(k);
      out_.push_back(s);
    }
  }

  // A body with the same bytes as an earlier one, in place or shifted by the
  // edit, has the same split (the splitter reads only the body).
  bool CopyUnchanged(size_t k, Span body) {
    const EarlierRun* run = SameBytes(body, 0);
    int64_t shift = 0;
    if (run == nullptr && delta_ != 0) {
      run = SameBytes(body, delta_);
      shift = delta_;
    }
    if (run == nullptr) return false;
    Copy(run->first, run->first + run->count, shift, k);
    return true;
  }

  // The earlier section with the same start and the same end (shifted): the
  // edit fell inside it. The splitter's state is one sentence start
  // (Splitter), so the split of the body before the edit and after it is the
  // earlier one: re-split from the last earlier sentence start whose
  // look-ahead (5 bytes) stays before the edit, and stop at the first
  // sentence start after the edit that is an earlier sentence start too.
  bool ResplitAroundEdit(size_t k, Span body) {
    const EarlierRun* around = Lookup(body.begin, static_cast<int64_t>(body.end) - delta_);
    if (around == nullptr) return false;
    const size_t last = around->first + around->count;
    const uint32_t old_end = static_cast<uint32_t>(body.end - delta_);
    constexpr uint32_t kLookAhead = 8;  // > the 5 bytes the splitter reads ahead
    size_t restart = around->first;     // the earlier sentences kept as they are
    uint32_t from = body.begin;
    for (size_t i = around->first; i < last; ++i) {
      const uint32_t s = old_[i].span.begin;
      if (uint64_t{s} + kLookAhead > prefix_ ||
          uint64_t{s} + kLookAhead > std::min(old_end, body.end))
        break;
      restart = i;
      from = s;
    }
    Copy(around->first, restart, 0, k);
    Resync resync;
    resync.from = suffix_begin_;
    resync.shift = delta_;
    for (size_t i = restart; i < last; ++i) resync.starts.push_back(old_[i].span.begin);
    Splitter splitter(original_, static_cast<int>(k), &out_, &resync);
    splitter.Run(from, body.end);
    if (const uint32_t at = splitter.resynced_at(); at != UINT32_MAX) {
      const uint32_t old_at = static_cast<uint32_t>(at - delta_);
      size_t i = restart;
      while (old_[i].span.begin != old_at) ++i;  // Resynced found it
      Copy(i, last, delta_, k);
    }
    return true;
  }

  std::string_view original_;
  const SentenceReuse& earlier_;
  const std::vector<Sentence>& old_;
  RunsByBody by_body_;
  int64_t delta_;
  size_t prefix_;
  uint32_t suffix_begin_;
  std::vector<Sentence> out_;
};

}  // namespace

std::vector<Sentence> SplitSentences(std::string_view original,
                                     const std::vector<Section>& sections,
                                     const SentenceReuse& earlier, size_t* reused) {
  RunsByBody by_body = IndexEarlierRuns(earlier);
  if (by_body.empty()) return SplitSentences(original, NormalizedText(), {}, sections);
  ReusingSplit split(original, earlier, std::move(by_body));
  for (size_t k = 0; k < sections.size(); ++k) {
    const Span body = sections[k].body;
    if (body.empty() || body.end > original.size()) continue;
    if (split.Section(k, body) && reused != nullptr) ++*reused;
  }
  return split.Take();
}

}  // namespace suggest::internal
