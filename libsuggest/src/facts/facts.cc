// Copyright libsuggest authors.
#include "facts/facts.h"

#include "text/sentence_splitter.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "facts/anatomy.h"
#include "text/sentence_splitter.h"
#include "util/interval_index.h"
#include "util/load_errors.h"

namespace suggest::internal {
namespace {

// The packs, and which kind does what, are models/manifest.toml's
// (facts/manifest.h): this file asks a kind's role, never its name.

struct Range {
  uint32_t begin = 0;
  uint32_t end = 0;
};

// The index of the range of `ranges` (in text order, none overlapping) that
// holds offset `at`, or -1.
int RangeHolding(const std::vector<Range>& ranges, uint32_t at) {
  auto it = std::upper_bound(ranges.begin(), ranges.end(), at,
                             [](uint32_t a, const Range& r) { return a < r.begin; });
  if (it == ranges.begin() || at >= std::prev(it)->end) return -1;
  return static_cast<int>(std::prev(it) - ranges.begin());
}

// One concept match on its way to becoming a fact.
struct Candidate {
  const Rule* rule = nullptr;
  uint32_t begin = 0;
  uint32_t end = 0;
  bool generic = false;  // needs_spine_context = "yes" (or "note", "sentence")
  bool note_context = false;  // needs_spine_context = "note": the note's will do
  bool own_sentence = false;  // needs_spine_context = "sentence": only its own
  bool dropped = false;
  std::vector<const LevelMention*> levels;
};

uint32_t Gap(uint32_t b1, uint32_t e1, uint32_t b2, uint32_t e2) {
  return IntervalIndex::Gap(b1, e1, b2, e2);
}

// A line break inside a sentence is a wrapped line, a space ("L4-5 or L5-S1
// <LF> epidural": the level is the epidural's; blind round 21B).
bool IsFillerByte(char ch) {
  return ch == ' ' || ch == '\n' || ch == ',' || ch == ':' || ch == '-' || ch == '(' || ch == ')';
}

// Words between a phrase and the level or region it is about: "stenosis at
// L3-4", "syndesmophytes along the cervical spine".
bool IsFillerWord(std::string_view word) {
  return word == "at" || word == "of" || word == "on" || word == "in" || word == "from" ||
         word == "the" || word == "level" || word == "levels" || word == "with" ||
         word == "along" || word == "throughout" || word == "across" || word == "involving";
}

std::string_view Attr(const Rule& r, const std::string& key) {
  auto it = r.attributes.find(key);
  return it == r.attributes.end() ? std::string_view() : std::string_view(it->second);
}

// The load error of a rule whose attribute is wrong: path:line:column, the
// rule id and what is expected.
Status RuleAttributeError(const std::string& path, const Rule& rule, std::string_view what) {
  return Status(StatusCode::kInvalidArgument,
                path + ":" + std::to_string(rule.line) + ":" + std::to_string(rule.column) +
                    ": error: rule \"" + rule.id + "\": " + std::string(what),
                "rule_file");
}

// Calls f on each word of a space-separated attribute value.
template <typename F>
void ForEachWord(std::string_view list, F&& f) {
  size_t i = 0;
  while (i < list.size()) {
    const size_t e = std::min(list.find(' ', i), list.size());
    if (e > i) f(list.substr(i, e - i));
    i = e + 1;
  }
}

bool HasWord(std::string_view list, std::string_view word) {
  bool found = false;
  ForEachWord(list, [&](std::string_view w) { found = found || w == word; });
  return found;
}

// True if only filler lies between a level and a phrase: "L3-L4
// laminectomy", "fusion at the L4-5 level", "stenosis of L3-4". A level
// separated by "and", other nouns or clauses is not attached.
bool Attached(std::string_view text, uint32_t lb, uint32_t le, uint32_t pb, uint32_t pe) {
  const uint32_t from = le <= pb ? le : pe;
  const uint32_t to = le <= pb ? pb : lb;
  if (from > to) return true;  // overlapping
  std::string_view gap = text.substr(from, to - from);
  size_t i = 0;
  while (i < gap.size()) {
    const char ch = gap[i];
    if (IsFillerByte(ch)) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < gap.size() && gap[j] >= 'a' && gap[j] <= 'z') ++j;
    if (!IsFillerWord(gap.substr(i, j - i))) return false;
    i = j;
  }
  return true;
}

bool IsLower(char ch) { return ch >= 'a' && ch <= 'z'; }
bool IsAlnum(char ch) { return IsLower(ch) || (ch >= '0' && ch <= '9'); }

// How far Attached() can see from a level [lb, le): a phrase attached to it
// ends at or after *lo and begins at or before *hi; beyond, a non-filler byte
// or word stands between. Scans only up to the first such byte or word on
// each side.
void AttachReach(std::string_view text, uint32_t lb, uint32_t le, uint64_t* lo,
                 uint64_t* hi) {
  const uint32_t n = static_cast<uint32_t>(text.size());
  // Right: Attached parses the gap [le, pb) from le, so the parse from le is
  // the parse of every such gap; a bad byte at i fails every gap holding i,
  // a bad word [i, j) every gap holding all of it.
  uint32_t i = le;
  *hi = UINT64_MAX;
  while (i < n) {
    if (IsFillerByte(text[i])) {
      ++i;
      continue;
    }
    uint32_t j = i;
    while (j < n && IsLower(text[j])) ++j;
    if (!IsFillerWord(text.substr(i, j - i))) {
      *hi = j > i ? j - 1 : i;  // a gap reaching past here holds the bad byte/word
      break;
    }
    i = j;
  }
  // Left: a gap [pe, lb). Walking back from lb, a bad byte at p fails every
  // gap with pe <= p; a bad word [x, y) (its letters cut at lb) every gap
  // with pe <= x, since the parse from pe reaches x as a word start.
  *lo = 0;
  uint32_t p = lb;
  while (p > 0) {
    const char ch = text[p - 1];
    if (IsFillerByte(ch)) {
      --p;
      continue;
    }
    if (!IsLower(ch)) {
      *lo = p;  // a phrase ending at or before p - 1 has the bad byte in its gap
      break;
    }
    uint32_t x = p - 1;
    while (x > 0 && IsLower(text[x - 1])) --x;
    if (!IsFillerWord(text.substr(x, p - x))) {
      *lo = static_cast<uint64_t>(x) + 1;  // ending at or before x: the word is in the gap
      break;
    }
    p = x;
  }
}

// True if only brackets, white space or one "with"/"and" separate two
// matches: "fusion (TLIF)", "arthrodesis with anterior interbody fusion".
bool Joined(std::string_view text, uint32_t end, uint32_t next_begin) {
  if (next_begin < end || next_begin - end > 8) return false;
  std::string_view gap = text.substr(end, next_begin - end);
  std::string words;
  for (char ch : gap) {
    if (ch == ' ' || ch == '\t' || ch == '(' || ch == ')') {
      if (!words.empty() && words.back() != ' ') words += ' ';
    } else if (ch >= 'a' && ch <= 'z') {
      words += ch;
    } else {
      return false;
    }
  }
  while (!words.empty() && words.back() == ' ') words.pop_back();
  while (!words.empty() && words.front() == ' ') words.erase(0, 1);
  return words.empty() || words == "with" || words == "and";
}

// The note's original bytes: the caller's, or, while Model::AnalyzeInPlace
// has released them, read back from their stash (text/original_stash.h).
class OriginalBytes {
 public:
  OriginalBytes(std::string_view text, const OriginalStash* stash) : text_(text), stash_(stash) {}
  size_t size() const { return stash_ != nullptr ? stash_->size() : text_.size(); }
  char operator[](size_t i) const { return stash_ != nullptr ? stash_->At(i) : text_[i]; }
  // Bytes [b, e) as a view: of the caller's text, or copied from the stash
  // into *buffer.
  std::string_view Bytes(uint32_t b, uint32_t e, std::string* buffer) const {
    if (stash_ == nullptr) return text_.substr(b, e - b);
    buffer->resize(e - b);
    for (uint32_t i = b; i < e; ++i) (*buffer)[i - b] = stash_->At(i);
    return *buffer;
  }
  // Start of the line holding byte `at` (after the '\n' before it, or 0).
  size_t LineStart(size_t at) const {
    if (stash_ == nullptr) {
      const size_t lb = at == 0 ? std::string_view::npos : text_.rfind('\n', at - 1);
      return lb == std::string_view::npos ? 0 : lb + 1;
    }
    while (at > 0 && stash_->At(at - 1) != '\n') --at;
    return at;
  }
  // The first '\n' at or after `at`, or size().
  size_t LineEnd(size_t at) const {
    if (stash_ == nullptr) return std::min(text_.find('\n', at), text_.size());
    while (at < stash_->size() && stash_->At(at) != '\n') ++at;
    return at;
  }

 private:
  std::string_view text_;
  const OriginalStash* stash_;
};

// True if the original bytes of the normalized range [b, e) hold no
// lower-case ASCII letter and at least one upper-case one.
bool UpperInOriginal(const NormalizedText& nt, const OriginalBytes& original, uint32_t b,
                     uint32_t e) {
  const Span o = nt.map.ToOriginal(b, e);
  bool upper = false;
  for (uint32_t i = o.begin; i < o.end && i < original.size(); ++i) {
    const char ch = original[i];
    if (ch >= 'a' && ch <= 'z') return false;
    upper = upper || (ch >= 'A' && ch <= 'Z');
  }
  return upper;
}

// True if the original line holding normalized offset b has a lower-case
// ASCII letter: the line is not written all in capitals. Answers are kept
// per line in *seen (a long all-capitals line with many acronyms is read
// once, not once per acronym).
bool LowerOnLine(const NormalizedText& nt, const OriginalBytes& original, uint32_t b,
                 std::map<size_t, bool>* seen) {
  const uint32_t at = std::min<uint32_t>(nt.map.ToOriginalBegin(b), original.size());
  const size_t from = original.LineStart(at);
  auto [it, created] = seen->try_emplace(from, false);
  if (created) {
    const size_t to = original.LineEnd(at);
    for (size_t i = from; i < to && !it->second; ++i)
      it->second = original[i] >= 'a' && original[i] <= 'z';
  }
  return it->second;
}

// True if no ';' lies between the ranges [b1, e1) and [b2, e2) of one unit.
bool SameClause(std::string_view text, uint32_t b1, uint32_t e1, uint32_t b2, uint32_t e2) {
  const uint32_t from = std::min(e1, e2), to = std::max(b1, b2);
  return from >= to || text.substr(from, to - from).find(';') == std::string_view::npos;
}

// True if a fusion and an anchor are coordinated: joined by "and", "with" or
// "&" with at most three words between and no punctuation but commas
// ("laminectomy and posterior fusion", "fusion with decompression"). The
// levels the anchor claimed may stand between them, written after it
// (`skip`: "discectomy at C5-6 and C6-7 and fused both levels", "discectomy
// at C5-6 and fused it"): the fusion that follows is of those levels.
bool Coordinated(std::string_view text, const Mention& anchor, const Candidate& fusion,
                 const std::vector<const LevelMention*>* skip = nullptr) {
  const uint32_t from = std::min(anchor.end, fusion.end);
  const uint32_t to = std::max(anchor.begin, fusion.begin);
  if (from >= to || to - from > 40) return false;
  const std::string_view gap = text.substr(from, to - from);
  int words = 0;
  bool joiner = false;
  for (size_t k = 0; k < gap.size();) {
    const char ch = gap[k];
    if (skip != nullptr && anchor.end <= fusion.begin) {
      const uint32_t at = from + static_cast<uint32_t>(k);
      const auto in = std::find_if(skip->begin(), skip->end(), [&](const LevelMention* lm) {
        return lm->begin <= at && at < lm->end;
      });
      if (in != skip->end()) {
        k = std::min<size_t>(gap.size(), (*in)->end - from);
        continue;
      }
    }
    if (ch == ' ' || ch == ',') {
      ++k;
      continue;
    }
    if (ch == '&' || ch == '/') {  // "laminectomy/fusion"
      joiner = true;
      ++k;
      continue;
    }
    if (!IsLower(ch)) return false;
    size_t e = k;
    while (e < gap.size() && IsLower(gap[e])) ++e;
    const std::string_view w = gap.substr(k, e - k);
    joiner = joiner || w == "and" || w == "with";
    ++words;
    k = e;
  }
  return joiner && words <= 3;
}

// Whether `have` holds every item of `want` (segments, or region words).
bool HoldsAll(const std::vector<std::string>& want, const std::vector<std::string>& have) {
  return std::all_of(want.begin(), want.end(), [&](const std::string& s) {
    return std::find(have.begin(), have.end(), s) != have.end();
  });
}

// A fusion judged solid / healed ("the fusion at C4-C5 was solid") already
// existed when it was looked at: even in an operative note it is prior.
// `solid` indexes the unit's solid_fusion findings.
bool ExistingFusion(const Candidate& fusion, const IntervalIndex& solid) {
  return solid.Overlaps(fusion.begin, fusion.end);
}

// Normalized range of each sentence: from its first to its last token (the
// first token that begins in its span, and the tokens after it that end in
// it; {0, 0} if none). Tokens are never held (a note's outweigh the note).
// A sentence's range is read from its own tokens on first use, resuming the
// token stream at the whitespace before it (TokenStream::IsResumePoint): the
// facts stage asks for the sentences that hold a candidate and a few others,
// so a long note no longer pays a token walk over all of it (issue 18). If
// the spans are not in order, or no resume point is near a sentence's start,
// all ranges are read at once from one stream, as before; both ways give the
// same ranges.
class SentenceRanges {
 public:
  SentenceRanges(const NormalizedText& nt, const std::vector<Sentence>& sentences)
      : nt_(nt), sentences_(sentences) {
    Reset();
  }

  // Forgets what was read, for sentences that changed since (a pass that
  // splits only some sections fills them in after construction).
  void Reset() {
    all_ = false;
    ranges_.clear();
    read_.clear();
    begins_.clear();
    bool ordered = true;
    for (size_t i = 0; ordered && i < sentences_.size(); ++i) {
      const Span s = sentences_[i].span;
      ordered = s.begin <= s.end && (i == 0 || s.begin >= sentences_[i - 1].span.end);
    }
    if (!ordered) ReadAll();
  }

  size_t size() const { return sentences_.size(); }

  Range At(size_t i) {
    if (all_) return ranges_[i];
    if (auto it = read_.find(i); it != read_.end()) return it->second;
    if (ReadOne(i)) return read_[i];
    ReadAll();
    return ranges_[i];
  }

  // std::upper_bound of `b` over the ranges by begin: the same probes (so
  // the same answer, sorted or not), reading only the begins probed.
  size_t UpperBound(uint32_t b) {
    size_t first = 0, len = sentences_.size();
    while (len > 0) {
      const size_t half = len >> 1, mid = first + half;
      if (b < BeginAt(mid)) {
        len = half;
      } else {
        first = mid + 1;
        len -= half + 1;
      }
    }
    return first;
  }

 private:
  // How far back from a sentence's start a resume point is looked for.
  static constexpr uint32_t kMaxBack = 1024;

  // At(i).begin, reading only the sentence's first token: a probe of
  // UpperBound needs no more (ReadOne reads every token of it).
  uint32_t BeginAt(size_t i) {
    if (all_) return ranges_[i].begin;
    if (auto it = read_.find(i); it != read_.end()) return it->second.begin;
    if (auto it = begins_.find(i); it != begins_.end()) return it->second;
    Range r;
    if (!ReadOne(i, /*begin_only=*/true, &r)) return At(i).begin;  // reads them all
    begins_[i] = r.begin;
    return r.begin;
  }

  // The range of sentence i from its own tokens; false if no resume point
  // is near its start.
  bool ReadOne(size_t i) {
    Range r;
    if (!ReadOne(i, /*begin_only=*/false, &r)) return false;
    read_[i] = r;
    return true;
  }
  // The same into *out; with `begin_only`, only out->begin is right (the
  // first token in the sentence, or 0 if none, as the whole read has it).
  bool ReadOne(size_t i, bool begin_only, Range* out) {
    const Span s = sentences_[i].span;
    // Tokens that begin at or after s.begin (original) begin at or after
    // normalized `from` (the map is monotone); resume at or before it.
    uint32_t from = NormalizedAtOrAfter(s.begin);
    const uint32_t floor = from > kMaxBack ? from - kMaxBack : 0;
    while (from > 0 && !TokenStream::IsResumePoint(nt_, from)) {
      if (from == floor) return false;
      --from;
    }
    TokenStream stream(nt_, from);
    Token cur{};
    bool have = stream.Next(&cur);
    while (have && cur.span.begin < s.begin) have = stream.Next(&cur);
    Range r;
    bool any = false;
    while (have && cur.span.end <= s.end) {
      if (!any) r.begin = cur.norm_begin;
      r.end = cur.norm_end;
      any = true;
      if (begin_only) break;
      have = stream.Next(&cur);
    }
    *out = any ? r : Range{};
    return true;
  }

  // The first normalized offset whose original offset is `orig` or later.
  uint32_t NormalizedAtOrAfter(uint32_t orig) const {
    if (nt_.map.IsIdentity()) return std::min<uint32_t>(orig, nt_.map.normalized_size());
    uint32_t lo = 0, hi = nt_.map.normalized_size();
    while (lo < hi) {
      const uint32_t mid = lo + (hi - lo) / 2;
      if (nt_.map.ToOriginal(mid, mid).begin < orig) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  // Every range from one stream over the note.
  void ReadAll() {
    TokenStream stream(nt_);
    Token cur{};
    bool have = stream.Next(&cur);
    ranges_.assign(sentences_.size(), Range{});
    for (size_t i = 0; i < sentences_.size(); ++i) {
      const Span s = sentences_[i].span;
      while (have && cur.span.begin < s.begin) have = stream.Next(&cur);
      uint32_t first = 0, last = 0;
      bool any = false;
      while (have && cur.span.end <= s.end) {
        if (!any) first = cur.norm_begin;
        last = cur.norm_end;
        any = true;
        have = stream.Next(&cur);
      }
      ranges_[i] = any ? Range{first, last} : Range{};
    }
    all_ = true;
    std::unordered_map<size_t, Range>().swap(read_);
    std::unordered_map<size_t, uint32_t>().swap(begins_);
  }

  const NormalizedText& nt_;
  const std::vector<Sentence>& sentences_;
  // Until all_, only the ranges asked for, by sentence: a long note asks
  // for few of its sentences (a vector of all of them was 1 MB of the 10 MB
  // note's peak; docs/performance.md "fourth pass").
  std::unordered_map<size_t, Range> read_;
  std::unordered_map<size_t, uint32_t> begins_;  // BeginAt's, of sentences not in read_
  std::vector<Range> ranges_;  // all of them, once all_
  bool all_ = false;
};

// The section holding original offset `orig`, or -1. Sections come in text
// order and do not overlap (FindSections: a body ends where the next header
// begins), so only the last one beginning at or before orig can hold it.
int SectionOf(const std::vector<Section>& sections, uint32_t orig) {
  auto it = std::upper_bound(sections.begin(), sections.end(), orig,
                             [](uint32_t x, const Section& s) { return x < s.header.begin; });
  if (it == sections.begin()) return -1;
  const Section& s = *std::prev(it);
  if (orig < std::max(s.body.end, s.header.end)) return static_cast<int>(it - sections.begin() - 1);
  return -1;
}

// Month 1-12 of a month name or its abbreviation ("nov", "November",
// "Sept."), else 0.
int MonthOf(std::string_view word) {
  static constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                 "jul", "aug", "sep", "oct", "nov", "dec"};
  static constexpr std::string_view kFull[] = {"january", "february", "march",     "april",
                                               "may",     "june",     "july",      "august",
                                               "september", "october", "november", "december"};
  std::string w;
  for (char c : word) w.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
  for (int m = 0; m < 12; ++m)
    if (w == kMonths[m] || w == kFull[m] || (m == 8 && w == "sept")) return m + 1;
  return 0;
}

// The last date written in `words`: m/d/y, y-m-d, "November 8, 2026",
// "November 8th, 2026" or "8 Nov 2026". Fields are as written (a two-digit
// year stays < 100). `slash` (optional): set when the date is written with
// slashes, the one form whose first two numbers a writer may order day first.
bool LastDate(std::string_view words, int64_t* year, int64_t* month, int64_t* day,
              bool* slash = nullptr) {
  if (slash != nullptr) *slash = false;
  struct Tok {
    bool number;
    int64_t value;   // number, or month 1-12 (0: another word)
    size_t digits;   // of a number
    char sep;        // the byte before it ('\0' at the start)
  };
  std::vector<Tok> toks;
  char sep = '\0';
  for (size_t i = 0; i < words.size();) {
    const char c = words[i];
    const bool digit = c >= '0' && c <= '9';
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!digit && !alpha) {
      if (c != ' ' || sep == '\0') sep = c;
      ++i;
      continue;
    }
    size_t e = i;
    int64_t v = 0;
    while (e < words.size() &&
           (digit ? (words[e] >= '0' && words[e] <= '9')
                  : ((words[e] >= 'a' && words[e] <= 'z') || (words[e] >= 'A' && words[e] <= 'Z')))) {
      if (digit && e - i < 9) v = v * 10 + (words[e] - '0');
      ++e;
    }
    // An ordinal suffix glued to its number ("November 8th, 2026") is part of it.
    const std::string_view word = words.substr(i, e - i);
    if (!digit && i > 0 && words[i - 1] >= '0' && words[i - 1] <= '9' && word.size() == 2 &&
        (word == "st" || word == "nd" || word == "rd" || word == "th" || word == "ST" ||
         word == "ND" || word == "RD" || word == "TH")) {
      i = e;
      continue;
    }
    toks.push_back({digit, digit ? v : MonthOf(word), e - i, sep});
    sep = ' ';
    i = e;
  }
  for (size_t k = toks.size(); k >= 3; --k) {
    const Tok& a = toks[k - 3];
    const Tok& b = toks[k - 2];
    const Tok& c = toks[k - 1];
    if (a.number && b.number && c.number && b.sep == '/' && c.sep == '/') {
      *month = a.value, *day = b.value, *year = c.value;
      if (slash != nullptr) *slash = true;
      return true;
    }
    if (a.number && a.digits == 4 && b.number && c.number && b.sep == '-' && c.sep == '-') {
      *year = a.value, *month = b.value, *day = c.value;
      return true;
    }
    // Month-day-year with dashes ("10-22-2026"): read as a slash date is.
    if (a.number && a.digits <= 2 && b.number && b.digits <= 2 && c.number && c.digits == 4 &&
        b.sep == '-' && c.sep == '-') {
      *month = a.value, *day = b.value, *year = c.value;
      if (slash != nullptr) *slash = true;
      return true;
    }
    if (!a.number && a.value != 0 && b.number && b.digits <= 2 && c.number && c.digits == 4) {
      *month = a.value, *day = b.value, *year = c.value;
      return true;
    }
    if (a.number && a.digits <= 2 && !b.number && b.value != 0 && c.number && c.digits == 4) {
      *day = a.value, *month = b.value, *year = c.value;
      return true;
    }
  }
  return false;
}

// The bytes a unit's scans read. FindSpineContext and SentenceSpineContext
// scan a unit [b, e) of the normalized text with LevelExtractor::Extract
// (no region hint) and the anchors pack's FindAll, Timing::At with
// timing.toml's FindAll. Each answers from these bytes alone, so two texts
// that agree on them get the same matches, shifted by the difference in b:
//  - RE2 runs over [b, e) with the whole text as context, and RE2 reads
//    context only for \b, ^ and $: the byte before b (or that b is the
//    text's start) and the byte at e (or that e is its end). RE2 has no
//    look-around. The RE2::Set prefilters (RulePack's, LevelExtractor's
//    heads) read the substring alone. The locator's windows change which
//    bytes RE2 is run over, never the matches (match/rule_locator.h).
//  - LevelScan reads the matches' groups and the bytes between matches
//    (inside [b, e)), and StandsAlone reads on from a match end over blanks
//    (' ', '\t') to the first other byte: at most to the first non-blank at
//    or after e, or the text's end.
//  - None reads an absolute offset: LevelScan::Candidates starts from b,
//    and every offset out is a byte of the range.
// The key is [b - 1, t] (t: the first byte at or after e that is not a
// blank, or the text's end), with whether b is 0 and where e lies in it.
// A scan that reported truncation or failure is not kept (its report must
// come again); truncation is a function of the matches, so a kept scan
// would not report it. RE2 failing (its DFA out of memory) is not a
// function of the text at all, and the load makes sure it cannot happen
// (architecture.md); a kept scan never reports it.
std::string UnitScanKey(std::string_view text, uint32_t b, uint32_t e) {
  const size_t lo = b > 0 ? b - 1 : 0;
  size_t t = e;
  while (t < text.size() && (text[t] == ' ' || text[t] == '\t')) ++t;
  const size_t hi = std::min(text.size(), t + 1);
  const uint32_t len = e - b;
  std::string key;
  key.reserve(5 + hi - lo);
  key.push_back(static_cast<char>(b == 0 ? 1 : 0));  // at the text's start
  key.append(reinterpret_cast<const char*>(&len), sizeof len);  // e = b + len
  key.append(text.substr(lo, hi - lo));  // ends at e exactly iff e is the end
  return key;
}

void ShiftMention(Mention* m, int64_t by) {
  m->begin = static_cast<uint32_t>(m->begin + by);
  m->end = static_cast<uint32_t>(m->end + by);
  for (Mention::Group& g : m->groups) {
    g.begin = static_cast<uint32_t>(g.begin + by);
    g.end = static_cast<uint32_t>(g.end + by);
  }
}

}  // namespace

// The scans of the latest pass's units, by UnitScanKey, offsets from the
// unit's begin; the pass before's are read and carried on when asked for.
struct FactExtractor::UnitMemo::Impl {
  struct Entry {
    bool levels_done = false;
    std::vector<LevelMention> levels;
    bool anchors_done = false;
    std::vector<Mention> anchors;
    bool clause_cues_done = false;  // timing.toml's matches (Timing::At)
    std::vector<Mention> clause_cues;
    // The assertion cues of the unit (SentenceCues: FindCues reads the
    // unit's bytes, the byte before it and the byte at its end, all in the
    // key; the state keeps no text), or none yet.
    std::optional<SentenceCues> assertion_cues;
  };
  using Map = std::unordered_map<std::string, std::shared_ptr<Entry>>;
  Map earlier, current;
  // LevelExtractor::RegionsOfPhrase of a fact's words, by the words: it
  // reads the phrase alone (a text of its own, no windows).
  using Phrases = std::unordered_map<std::string, LevelExtractor::PhraseRegions>;
  Phrases earlier_phrases, current_phrases;
  size_t reused = 0, scanned = 0;

  Entry& Find(std::string key) {
    if (auto it = current.find(key); it != current.end()) return *it->second;
    std::shared_ptr<Entry> e;
    if (auto it = earlier.find(key); it != earlier.end()) {
      e = std::move(it->second);
    } else {
      e = std::make_shared<Entry>();
    }
    return *current.emplace(std::move(key), std::move(e)).first->second;
  }
  const LevelExtractor::PhraseRegions* FindPhrase(const std::string& phrase) {
    if (auto it = current_phrases.find(phrase); it != current_phrases.end()) return &it->second;
    auto it = earlier_phrases.find(phrase);
    if (it == earlier_phrases.end()) return nullptr;
    return &current_phrases.emplace(phrase, std::move(it->second)).first->second;
  }
  void BeginPass() {
    reused = scanned = 0;
    current.clear();  // left over only by a pass that threw
    current_phrases.clear();
  }
  void EndPass() {
    earlier.swap(current);
    current.clear();
    earlier_phrases.swap(current_phrases);
    current_phrases.clear();
  }
};

FactExtractor::UnitMemo::UnitMemo() : impl_(std::make_unique<Impl>()) {}
FactExtractor::UnitMemo::~UnitMemo() = default;
size_t FactExtractor::UnitMemo::reused() const { return impl_->reused; }
size_t FactExtractor::UnitMemo::scanned() const { return impl_->scanned; }

namespace {

using UnitMemoImpl = FactExtractor::UnitMemo::Impl;

void MergeReport(const ScanReport& own, ScanReport* report) {
  if (report == nullptr) return;
  report->truncated = report->truncated || own.truncated;
  report->failed = report->failed || own.failed;
}

// pack.FindAll(text, r.begin, r.end, windows, report) of a unit, through the
// memo's slot (`done`, `kept` of the unit's entry: anchors or clause cues)
// when there is one (UnitScanKey has the argument).
std::vector<Mention> UnitMatches(UnitMemoImpl* memo, bool UnitMemoImpl::Entry::*done,
                                 std::vector<Mention> UnitMemoImpl::Entry::*kept,
                                 const RulePack& pack, std::string_view text, uint32_t b,
                                 uint32_t e, const RuleWindows* windows, ScanReport* report) {
  if (memo == nullptr) return pack.FindAll(text, b, e, windows, report);
  UnitMemoImpl::Entry& entry = memo->Find(UnitScanKey(text, b, e));
  if (entry.*done) {
    ++memo->reused;
    std::vector<Mention> out = entry.*kept;
    for (Mention& m : out) ShiftMention(&m, b);
    return out;
  }
  ++memo->scanned;
  ScanReport own;
  std::vector<Mention> out = pack.FindAll(text, b, e, windows, &own);
  MergeReport(own, report);
  if (!own.truncated && !own.failed) {
    entry.*kept = out;
    for (Mention& m : entry.*kept) ShiftMention(&m, -static_cast<int64_t>(b));
    entry.*done = true;
  }
  return out;
}

// When a fusion was done, from what the note says: the note's type
// (encounter.toml: operative report, a note of the stay in which the fusion
// was done, its admission or service date) and the words of the fusion's own
// sentence (timing.toml, scanned only for the sentences that hold a fusion).
class Timing {
 public:
  Timing(const RulePack& note_cues, const RulePack& clause_cues, std::string_view text,
         const RuleWindows* windows, ScanReport* report,
         const std::vector<Section>& sections, const SectionRules& kinds,
         const Manifest& manifest, const AnalyzeOptions* options, UnitMemoImpl* memo,
         const OffsetMap* map = nullptr, std::function<bool(uint32_t, uint32_t)> upper = {})
      : clause_cues_(clause_cues), text_(text), report_(report), kinds_(kinds),
        manifest_(manifest), memo_(memo), upper_(std::move(upper)) {
    for (const Rule& rule : clause_cues.rules())
      if (manifest.Is(rule.kind, KindRole::kDate))
        stay_days_ = std::max(stay_days_, std::atoi(std::string(Attr(rule, "inpatient_same_stay_days")).c_str()));
    int narrative = 0, narrative_min = 0;
    const std::vector<Mention> note_matches =
        note_cues.FindAll(text, 0, static_cast<uint32_t>(text.size()), windows, report);
    // A date that only a day-first reading makes valid ("23/04/2025") and
    // none that only a month-first one does ("04/23/2025"): the writer puts
    // the day first, so the note's ambiguous slash dates ("12/03/2026") are
    // read day first too (encounter.toml day_first_date, month_first_date).
    bool day_first = false, month_first = false;
    for (const Mention& m : note_matches) {
      const std::string& kind = note_cues.rules()[m.rule].kind;
      if (manifest.Is(kind, KindRole::kDayFirstDate)) day_first = true;
      if (manifest.Is(kind, KindRole::kMonthFirstDate)) month_first = true;
    }
    day_first_ = day_first && !month_first;
    FindEarlierDocuments(note_cues, note_matches, options, sections, map);
    for (const Mention& m : note_matches) {
      const Rule& rule = note_cues.rules()[m.rule];
      const std::string_view words = text.substr(m.begin, m.end - m.begin);
      auto is = [&](KindRole role) { return manifest.Is(rule.kind, role); };
      // A pasted document of an earlier encounter says nothing of this
      // one: its title, dates and narrative are not this note's (dates24).
      if (InEarlierDocument(m.begin)) continue;
      if (is(KindRole::kOperativeTitle)) {
        operative_ = true;
        // `history_names_operation = "yes"`: a document of the operation
        // that is no operative report (a surgical pathology report): its
        // clinical history names the operation it comes from, not the past.
        if (Attr(rule, "history_names_operation") == "yes") history_names_operation_ = true;
      }
      if (is(KindRole::kOperativeNarrative)) {
        ++narrative;
        narrative_min = std::max(narrative_min, std::atoi(std::string(Attr(rule, "min")).c_str()));
      }
      if (is(KindRole::kWrittenInStay)) {
        same_stay_note_ = true;
        // `day_of_operation = "yes"` (the recovery room, "PACU"): written on
        // the operation's own day, in its recovery; any other such cue says
        // the note belongs to a stay.
        if (Attr(rule, "day_of_operation") != "yes") stay_words_ = true;
      }
      if (is(KindRole::kDischargeSummary)) discharge_note_ = same_stay_note_ = stay_words_ = true;
      if (is(KindRole::kAdmissionDate) && admitted_ == 0) admitted_ = DayOf(words, day_first_);
      // `operation_if_other_day = "yes"` ("DOS 2026-10-06": date of service
      // or date of surgery): read below, against the record's date of service.
      if (is(KindRole::kServiceDate) && Attr(rule, "operation_if_other_day") == "yes") {
        if (abbreviated_day_ == 0) abbreviated_day_ = DayOf(words, day_first_);
        continue;
      }
      if (is(KindRole::kServiceDate) && service_ == 0) service_ = DayOf(words, day_first_);
      if (is(KindRole::kServiceDate) && !is(KindRole::kOperationDate) && visit_ == 0)
        visit_ = DayOf(words, day_first_);
      if (is(KindRole::kOperationDate) && operated_ == 0) operated_ = DayOf(words, day_first_);
      if (is(KindRole::kAfterDischarge)) {
        // `any_setting = "yes"`: the title itself names a later stay (an
        // inpatient rehabilitation or nursing-facility admission, home
        // health), so an inpatient record is that later stay's, not the
        // operation's.
        if (Attr(rule, "any_setting") == "yes") later_stay_ = true;
        else after_discharge_ = true;
      }
      if (is(KindRole::kDeniesSpineSurgery) || is(KindRole::kDeniesAnySurgery))
        any_surgery_denied_ = true;
      if (is(KindRole::kDeniesSpineSurgery)) {
        Denial d{Range{m.begin, m.end}, rule.id, {}};
        ForEachWord(Attr(rule, "denies_region"),
                    [&](std::string_view w) { d.regions.emplace_back(w); });
        spine_denials_.push_back(std::move(d));
      }
      if (is(KindRole::kOpensCorrection) && !correction_) {
        correction_ = Range{m.begin, m.end};
        correction_rule_ = rule.id;
      }
      if (is(KindRole::kDeniesSpineSurgery) || is(KindRole::kRetractsSurgery))
        surgery_denials_.push_back(Range{m.begin, m.end});
      if (is(KindRole::kReplacesLevel)) replaced_levels_.push_back(Range{m.begin, m.end});
      if (is(KindRole::kProposesOperations)) proposes_ = true;
    }
    if (narrative_min > 0 && narrative >= narrative_min) operative_ = true;
    // An operative report by its title or its narrative (not only by a
    // "Procedure:" section): its operation is its own, whatever date.
    const bool operative_by_words = operative_;
    // The record's date of service (validated by Analyze) is the caller's
    // metadata: it wins over a date of service read from the text.
    if (options != nullptr && !options->date_of_service.empty()) {
      const int64_t day = DayOf(options->date_of_service);
      if (day != 0) service_ = day;
      given_service_ = day != 0;
    }
    inpatient_ = options != nullptr && options->setting == Setting::kInpatient;
    // "DOS <date>" (encounter.toml operation_if_other_day): the date of
    // service, unless the record's date of service is another day; then the
    // abbreviation names the date of surgery ("Postop visit. DOS 2026-10-06:
    // L5-S1 ALIF" in a record of 2026-12-01), the note's operation date.
    if (abbreviated_day_ != 0) {
      if (given_service_ && abbreviated_day_ != service_) {
        if (operated_ == 0) operated_ = abbreviated_day_;
      } else {
        if (service_ == 0) service_ = abbreviated_day_;
        if (visit_ == 0) visit_ = abbreviated_day_;
      }
    }
    // The earlier documents in original offsets (sections are), in text order.
    std::vector<Range> earlier_docs_orig;
    if (map != nullptr)
      for (const Range& d : earlier_docs_)
        earlier_docs_orig.push_back({map->ToOriginalBegin(d.begin), map->ToOriginalBegin(d.end)});
    for (const Section& s : sections) {
      // A section of a pasted document of an earlier encounter (its
      // "Procedure:", its discharge diagnoses) is not this note's.
      if (RangeHolding(earlier_docs_orig, s.header.begin) >= 0) continue;
      if (kinds.Has(s.kind, SectionRole::kOperative)) operative_ = true;
      if (kinds.Has(s.kind, SectionRole::kWrittenInStay)) same_stay_note_ = stay_words_ = true;
      if (kinds.Has(s.kind, SectionRole::kDischarge))
        discharge_note_ = same_stay_note_ = stay_words_ = true;
    }
    // The note's operation dated before this encounter ("Date of surgery:
    // 01/12/2026" in a clinic note of 04/15/2026, the record's date of
    // service or a "Date of visit:" of the text): the note is a later record,
    // not that operation's report, whatever its "Procedure:" header or
    // narrative says. Its fusions were done before (status), or, in an
    // inpatient record at most stay_days_ later, earlier in this stay.
    const int64_t visit = given_service_ ? service_ : visit_;
    // A date of service written in the text that is no operation's date
    // ("Date of Service: 07/16/2026", "DOS 7/16/26") is read as the record's
    // would be: it is the day of this encounter.
    known_visit_ = visit != 0 && visit == service_;
    if (operated_ != 0 && visit != 0 && operated_ < visit) {
      operated_before_ = true;
      operative_ = false;
      if (inpatient_ && visit - operated_ <= stay_days_) same_stay_note_ = true;
      // An outpatient record written longer after the operation than a
      // stay lasts ("Postop #2 (8 wks)" with the date of surgery two months
      // back) is a later visit, whatever count of its it reads as a
      // postoperative day: no note of the stay (I.C.21.c.3).
      if (!inpatient_ && !discharge_note_ && visit - operated_ > stay_days_)
        same_stay_note_ = stay_words_ = false;
    }
    // The note's operation dated after this encounter ("Date of surgery:
    // 12/03/2026" on a pre-operative evaluation of 11/18/2026): the note is
    // no report of it, and the operation it names, undated and not told as
    // done before, is still to come (I.C.21.c.3: a planned fusion is no
    // status).
    // An operative report by title or narrative keeps its operation ("DATE
    // OF SURGERY" after a record date that is the admission's).
    if (operated_ != 0 && visit != 0 && operated_ > visit && !operative_by_words) {
      operated_after_ = true;
      operative_ = false;
    }
    // A discharge after the operation tells a later visit only in an outpatient
    // record: an inpatient note or a discharge summary tells its own stay's, and
    // an operative report its own operation's (a same-day discharge).
    after_discharge_ = after_discharge_ && !inpatient_ && !discharge_note_ && !operative_;
    // A later stay's note is read in any setting, whatever discharge summary
    // it is (a rehab unit's discharge summary is still after the fusion's
    // stay); not an operative report.
    if (later_stay_ && !operative_) after_discharge_ = true;
    // A payer's request form ("PRIOR AUTHORIZATION REQUEST": encounter.toml,
    // role proposes_operations) names the operation it asks for under its
    // "Procedure:" field: the form is no operative report (who21); so does a
    // pre-operative evaluation's title ("PRE-OPERATIVE EVALUATION",
    // timing26). A note that is an operative report by its own title or
    // narrative tells its operation all the same.
    if (proposes_ && operative_by_words) proposes_ = false;
    if (proposes_) operative_ = false;
  }

  // fusion_procedure.when of a fusion with `assertion` in the unit [b, e).
  // `dated_by_cue`: the assertion's cue puts it before the encounter
  // (context.toml dates_before_encounter: "history of", "previous").
  // `undated` (optional): set when the answer is `prior` only because nothing
  // dates the fusion and the note is no record of its operation (steps 6 and
  // 8 of docs/icd-mapping.md "Timing"), so another mention of the same fusion
  // that the note dates may say more (SameFusionAgain).
  // `fusion` (optional): where the fusion's words stand in the unit.
  std::string When(Assertion assertion, uint32_t b, uint32_t e, std::string_view section,
                   bool existing, bool dated_by_cue, bool* undated = nullptr,
                   const Range* fusion = nullptr, const IntervalIndex* fusions = nullptr) const {
    if (assertion == Assertion::kHypothetical) return "planned";
    if (assertion != Assertion::kHistorical && assertion != Assertion::kPresent &&
        assertion != Assertion::kPossible)
      return "";
    // A pasted document of an earlier encounter (a discharge summary of a
    // stay that ended before the date of service, an operative report of a
    // visit before it): its fusion was done before this encounter or stay.
    if (InEarlierDocument(b)) return "prior";
    const UnitCues& u = Nearest(At(b, e), fusion, fusions);
    // The unit's dating words are farther from this fusion than its same-stay
    // words: an assertion cue among them ("10 years ago") dates the other one.
    if (At(b, e).past && !u.past) dated_by_cue = false;
    // "Readmitted POD 9 after L4-L5 TLIF", "admitted to rehab following
    // ... fusion 11/03", "accepted in transfer from X, where she underwent
    // ...": the fusion's stay ended before this one began (I.C.21.c.3),
    // whatever a date or postoperative day a week back says; so does an
    // outpatient visit whose note says the patient was discharged after it.
    if (u.earlier_stay || after_discharge_) return "prior";
    // A history section dates its fusions before the encounter; so do the
    // pre- and postoperative diagnoses (the state the patient came with).
    // An interval history ("SUBJECTIVE:") of a note written during the stay
    // tells that stay ("doing well after her L4-5 fusion", POD 2), not the past.
    const bool background =
        kinds_.Has(section, SectionRole::kBackground) && !history_names_operation_ &&
        !(same_stay_note_ && kinds_.Has(section, SectionRole::kCurrentInStay));
    // A date in the fusion's sentence, against the admission or service date.
    // A fusion its own assertion cue dates before the encounter ("above prior
    // L2-L5 fusion (2017)" beside "7/10/26: extension of fusion to L1-2" in a
    // discharge summary) is not placed in the stay by the sentence's date: the
    // date tells the other fusion, the operation of the stay.
    const bool own_past = assertion == Assertion::kHistorical && dated_by_cue;
    for (size_t k = 0; k < u.dates.size(); ++k) {
      int64_t day = u.dates[k];
      if (day == 0 || own_past) continue;
      // An operation told as done (tells_done: "performed on 12/03/2026")
      // whose date, as the note reads it, is still to come but, read the
      // other way round, is before this encounter: a done operation cannot
      // be in the future, so the writer put the day first (a British
      // letter of 2026-05-11: 12 March 2026).
      if (u.done && service_ != 0 && day > service_ && u.other_dates[k] != 0 &&
          u.other_dates[k] < service_)
        day = u.other_dates[k];
      if (admitted_ != 0) return day >= admitted_ ? "same_stay" : "prior";
      if (service_ == 0 || u.past) continue;
      if (day < service_) {
        // An inpatient record whose stay began at most stay_days_ before:
        // no admission date says otherwise, so a fusion a few days before
        // the date of service is this stay's (as "three days after" is).
        // So is one its sentence places in the stay, however long ago
        // ("stage 1 ... was done on 11/03/2026 during this admission" in
        // the stage 2 operative report of 11/17: blind round 19B).
        if (inpatient_ && known_visit_ && (service_ - day <= stay_days_ || u.stay_named))
          return "same_stay";
        return "prior";
      }
      if (known_visit_ && day > service_) return "planned";  // a date still to come
      if (known_visit_ && day == service_) {
        // The day of this encounter: the operation of this note, or of this
        // stay when the note is not its report.
        if (operative_ || u.action || !inpatient_) return "performed_this_encounter";
        return "same_stay";
      }
    }
    // Dated before the stay by its own sentence, or told in a history section.
    const bool dated_by_words = u.past || (assertion == Assertion::kHistorical && dated_by_cue);
    const bool dated = dated_by_words || background;
    if (u.same_stay && (!dated || (u.same_stay_over_background && !dated_by_words))) {
      // "performed today", "earlier today" (this_day): the day of this
      // encounter, as a date on the date of service is: the operation of this
      // note (an operative report, the operation told), or of an outpatient
      // record, which has no stay; else of this stay.
      // A recovery-room note of an outpatient record (day surgery: "PACU")
      // is still the operation's encounter.
      if (u.this_day && !discharge_note_ &&
          (operative_ || u.action || (!inpatient_ && (!same_stay_note_ || !stay_words_))))
        return "performed_this_encounter";
      return "same_stay";
    }
    if (dated) return "prior";
    // A note of the stay, unless it is this operation's own report (one that
    // sends the patient "to PACU" is still the operative report); a
    // discharge summary's procedures were done earlier in the stay.
    if (same_stay_note_ && (!operative_ || discharge_note_)) return "same_stay";
    if (assertion == Assertion::kHistorical || existing) {
      if (undated != nullptr) *undated = !existing;
      return "prior";
    }
    // The operation told as it is done ("we placed the cage ... to complete
    // the fusion"), even without an operative report's headers; not in a
    // note that dates its operation before this encounter.
    if (u.action && !operated_before_) return "performed_this_encounter";
    // A payer's request form: the operation it names, undated and not told
    // as done before, is the one it asks for, still to come (who21).
    if (proposes_ || operated_after_) return "planned";
    if (!operative_) {
      if (undated != nullptr) *undated = true;
      return "prior";
    }
    return "performed_this_encounter";
  }

  // Where the unit [b, e) tells the repair of a complication of a fusion
  // done before this encounter ("L5-S1 pseudarthrosis, which was revised
  // successfully in 2018", "6 wk s/p revision L4-5 fusion (12/1/26) for
  // pseudarthrosis"): the words of the repair (timing.toml
  // repairs_complication), none saying the complication is there all the
  // same ("recurrent pseudarthrosis", "despite revision":
  // complication_persists) nor placing the unit in this stay, and the repair
  // dated as a fusion of the unit would be (When): before this encounter or
  // stay. Empty otherwise (a revision of this stay or this operative report,
  // or none).
  std::optional<Range> RepairedBefore(uint32_t b, uint32_t e, std::string_view section) const {
    const UnitCues& u = At(b, e);
    // A same-stay cue ("POD 5") places the repair in this stay, and a note
    // of the stay tells its own, except in a record of a later encounter (a
    // telephone call, an ED visit, a later stay's admission), where the
    // count runs from the earlier stay.
    const bool later = after_discharge_ || later_stay_ || InEarlierDocument(b);
    if (!u.repair || u.persists || (u.same_stay && !later)) return std::nullopt;
    // A note of the stay or an operative report tells its own repair, unless
    // in a history section ("PMH: L5-S1 pseudarthrosis, revised in 2018"):
    // "Discharge dx: C5-6 pseudarthrosis after ACDF (2020), s/p revision
    // fusion" dates the ACDF, not the revision of this stay.
    // A repair dated by its own words ("revised 2019", "revised in 2018",
    // "revision ... done 06/2025") is no repair of this stay or operation
    // wherever the note writes it (a discharge summary's "s/p L4-5 fusion
    // 2017 with pseudarthrosis, revised 2019, now solid": amend16); the
    // date is then read as the fusion's would be (When, below).
    const std::string_view repair =
        text_.substr(u.repair->begin, u.repair->end - u.repair->begin);
    // A date relative to this encounter ("3 months ago", "last month",
    // "earlier this year") dates it too; "last week" may be this stay's.
    bool dated = repair.find(" ago") != std::string_view::npos ||
                 repair.find("earlier this year") != std::string_view::npos;
    for (std::string_view unit : {"month", "year", "spring", "summer", "fall", "autumn", "winter"})
      if (repair.find(std::string("last ") + std::string(unit)) != std::string_view::npos)
        dated = true;
    int64_t year = 0;
    for (size_t k = 0; year == 0 && k + 4 <= repair.size(); ++k)
      if ((repair.compare(k, 2, "19") == 0 || repair.compare(k, 2, "20") == 0) &&
          std::isdigit(static_cast<unsigned char>(repair[k + 2])) &&
          std::isdigit(static_cast<unsigned char>(repair[k + 3])) &&
          (k == 0 || !std::isdigit(static_cast<unsigned char>(repair[k - 1]))))
        year = std::stoi(std::string(repair.substr(k, 4)));
    dated = dated || year != 0;
    if (!dated && !InEarlierDocument(b) && ((same_stay_note_ && !later) || operative_) &&
        !kinds_.Has(section, SectionRole::kBackground))
      return std::nullopt;
    // A year that ended before the stay or encounter began ("revised 2018"
    // in a note of postoperative day 2) dates the repair before it, though
    // no preposition makes it a past cue of the unit (blind round 25A); so
    // does any year, when the note states no date to compare it with.
    const int64_t reference = admitted_ != 0 ? admitted_ : service_;
    if (year != 0 && (reference == 0 || DayCount(year + 1, 1, 1) <= reference)) return u.repair;
    if (When(Assertion::kPresent, b, e, section, false, false) != "prior") return std::nullopt;
    return u.repair;
  }
  const std::string& repair_rule() const { return unit_.repair_rule; }

  // A bare "fusion"/"fused" in the unit [b, e) made surgical by its words.
  bool Surgical(uint32_t b, uint32_t e) const {
    const UnitCues& u = At(b, e);
    return !u.no_surgery && (u.surgical || u.action);
  }
  bool NoSurgery(uint32_t b, uint32_t e) const { return At(b, e).no_surgery; }
  // Surgical (Surgical) only through words that describe a union ("solid",
  // "interbody"), with no operation told, no date and no dating word.
  bool SurgicalByUnionOnly(uint32_t b, uint32_t e) const {
    const UnitCues& u = At(b, e);
    return Surgical(b, e) && u.surgical_by_union && !u.action && !u.past && !HasDate(b, e);
  }
  // The note denies every past operation (denies_any_surgery, denies_spine_surgery).
  bool any_surgery_denied() const { return any_surgery_denied_; }
  // Whether the unit [b, e) tells what stands at `at` as the patient's own
  // account: a patient_report cue before it ("she tells me she had her neck
  // fused").
  bool ReportedBefore(uint32_t b, uint32_t e, uint32_t at) const {
    const std::vector<uint32_t>& r = At(b, e).reports;
    return std::any_of(r.begin(), r.end(), [&](uint32_t x) { return x < at; });
  }
  bool AcquiredCause(uint32_t b, uint32_t e) const { return At(b, e).acquired_cause; }
  bool Dated(uint32_t b, uint32_t e) const { return At(b, e).past; }
  // The unit [b, e) says its complication is there all the same
  // (complication_persists: "recurrent", "despite").
  bool Persists(uint32_t b, uint32_t e) const { return At(b, e).persists; }
  // The unit [b, e) is dated before this encounter, by its own words or by
  // the date of an image it tells of ("a CT in 2020 demonstrated ...").
  bool DatedOrImageDated(uint32_t b, uint32_t e) const {
    const UnitCues& u = At(b, e);
    return u.past || u.image_past;
  }
  // Whether the unit [b, e) holds a date (against the encounter's or not).
  // The unit [b, e) writes, beside the fusion's words `fusion`, a calendar
  // date before this encounter or stay (before the admission date, else
  // before the date of this encounter): the fusion was done, whatever
  // section it stands in. Beside: at most two words and no comma or
  // semicolon between ("post L4-5 fusion (surgery 11/10/2026)", "the C5-C7
  // ACDF of 12/20/2026", "ALIF done on 2026-10-27"); "L4-5 TLIF, cardiology
  // visit 11/15/2026" dates another thing.
  bool HasDateBeside(uint32_t b, uint32_t e, Range fusion) const {
    const int64_t reference = admitted_ != 0 ? admitted_ : (known_visit_ ? service_ : 0);
    if (reference == 0) return false;
    const UnitCues& u = At(b, e);
    for (size_t k = 0; k < u.dates.size() && k < u.dates_at.size(); ++k) {
      if (u.dates[k] == 0 || u.dates[k] >= reference) continue;
      const uint32_t from = std::min(u.dates_at[k].end, fusion.end);
      const uint32_t to = std::max(u.dates_at[k].begin, fusion.begin);
      if (from >= to) return true;
      const std::string_view between = text_.substr(from, to - from);
      if (between.find_first_of(",;") != std::string_view::npos) continue;
      int words = 0;
      for (size_t i = 0; i < between.size(); ++i)
        if (std::isalnum(static_cast<unsigned char>(between[i])) &&
            (i == 0 || !std::isalnum(static_cast<unsigned char>(between[i - 1]))))
          ++words;
      if (words <= 2) return true;
    }
    return false;
  }
  bool HasDate(uint32_t b, uint32_t e) const {
    const std::vector<int64_t>& d = At(b, e).dates;
    return std::any_of(d.begin(), d.end(), [](int64_t day) { return day != 0; });
  }
  // The surgical, operating and dating words of the unit [b, e); none when
  // the unit denies surgery.
  const std::vector<Range>& SurgeryWords(uint32_t b, uint32_t e) const {
    static const std::vector<Range> kNone;
    const UnitCues& u = At(b, e);
    return u.no_surgery ? kNone : u.surgery_words;
  }
  // Which of SurgeryWords(b, e) point forward (same order).
  const std::vector<bool>& SurgeryWordsForward(uint32_t b, uint32_t e) const {
    static const std::vector<bool> kNone;
    const UnitCues& u = At(b, e);
    return u.no_surgery ? kNone : u.surgery_forward;
  }
  bool operative() const { return operative_; }
  bool same_stay_note() const { return same_stay_note_; }

  // Pasted documents (encounter.toml document_header, role opens_document):
  // the index of the earlier encounter's document that holds normalized
  // offset `at`, in text order, or -1 (not in one; no such document).
  int EarlierDocument(uint32_t at) const { return RangeHolding(earlier_docs_, at); }
  bool InEarlierDocument(uint32_t at) const { return EarlierDocument(at) >= 0; }
  bool HasEarlierDocuments() const { return !earlier_docs_.empty(); }
  // Whether the unit [b, e) dates its words before its document: a dating
  // cue (timing.toml explicit_past: "in 2017", "after 2023 TLIF") outside
  // the document's title line ("OP NOTE 2020:" dates the document).
  bool DatedWithinDocument(uint32_t b, uint32_t e) const {
    const UnitCues& u = At(b, e);
    for (const Range& r : u.past_at) {
      const int title = RangeHolding(doc_titles_, r.begin);
      if (title < 0 || r.end > doc_titles_[title].end) return true;
    }
    return false;
  }
  // Every match where the note denies past spine surgery ("has never had
  // spine surgery", encounter.toml denies_spine_surgery), in text order,
  // with its rule's id; empty if none.
  struct Denial {
    Range words;
    std::string rule_id;
    std::vector<std::string> regions;  // denies_region: the regions it denies (empty: all)
  };
  const std::vector<Denial>& spine_denials() const { return spine_denials_; }
  // The first correction cue of the note (encounter.toml opens_correction:
  // "ADDENDUM", "AMENDED", "Correction:", "in error") and its rule's id;
  // every denial of surgery (denies_spine_surgery, retracts_surgery), in
  // text order (RetractCorrected).
  const std::optional<Range>& correction() const { return correction_; }
  const std::string& correction_rule() const { return correction_rule_; }
  const std::vector<Range>& surgery_denials() const { return surgery_denials_; }
  // "L5-S1, not L4-L5": the words naming the wrong level (replaces_level).
  const std::vector<Range>& replaced_levels() const { return replaced_levels_; }

  // Among the diagnoses at discharge (Official Guidelines II.H): the
  // discharge/final diagnoses, or the impression of a discharge summary (not
  // that of a postoperative-day note written during the stay).
  bool AtDischarge(std::string_view section) const {
    return kinds_.Has(section, SectionRole::kDischarge) ||
           (discharge_note_ && kinds_.Has(section, SectionRole::kDischargeSummaryDiagnosis));
  }

 private:
  // What timing.toml finds in one unit.
  struct UnitCues {
    uint32_t begin = 0, end = 0;
    bool scanned = false;
    bool same_stay = false, past = false, action = false, surgical = false, no_surgery = false;
    // surgical only through words that describe a union ("solid bony fusion")
    bool surgical_by_union = false;
    bool same_stay_over_background = false;  // a same-stay cue a history section does not undo
    bool this_day = false;  // a same-stay cue naming this day ("performed today": this_day)
    bool stay_named = false;  // a same-stay cue naming this stay ("during this admission": names_stay)
    bool acquired_cause = false;  // names a non-surgical cause of a fusion (discitis, JIA)
    bool earlier_stay = false;    // an admission after the fusion's own stay (readmitted after)
    std::optional<Range> repair;  // the first repairs_complication cue ("which was revised")
    std::string repair_rule;      // and its rule's id
    bool persists = false;        // complication_persists ("recurrent", "despite")
    bool image_past = false;      // an image dated before ("a CT in 2020": holds_dates)
    std::vector<uint32_t> reports;  // where patient_report cues begin ("she tells me")
    std::vector<int64_t> dates;  // day counts of the dates written in the unit
    std::vector<Range> dates_at;  // and where they stand
    // the other reading of each (day and month swapped) when it is ambiguous, else 0
    std::vector<int64_t> other_dates;
    bool done = false;  // tells_done: the operation told as done ("performed", "underwent")
    std::vector<Range> past_at, same_stay_at;  // where the dated_before / same_stay cues stand
    // Where the words that make a fusion surgery or date it stand (surgical
    // words, the operation told, explicit past), outside a cause.
    std::vector<Range> surgery_words;
    // Per surgery word: it points forward ("s/p", "underwent": points =
    // "forward"), so it dates a fusion written after it.
    std::vector<bool> surgery_forward;
  };

  // A unit that dates one fusion before the encounter and places another in
  // this stay ("S/P L3-4 XLIF yesterday, extending her old L4-S1 fusion from
  // 2017"): when only one kind of cue stands in the fusion's own part of the
  // unit (no comma or semicolon between the cue and the fusion's words), the
  // fusion takes that kind and the other does not reach it. Otherwise the
  // unit's cues hold for all its fusions ("Years ago she had a discectomy,
  // and then a fusion was done": one kind only; "admitted for back pain after
  // L5-S1 ALIF in 2022": both in one part, the date wins as before).
  // A cue with another fusion of the unit (`fusions`) between it and this
  // one is that fusion's: "POD 1 after L3-4 extension of prior L4-S1 fusion
  // (2019)" -- the day count is the extension's, the year the old fusion's
  // (blind round 27A).
  const UnitCues& Nearest(const UnitCues& u, const Range* fusion,
                          const IntervalIndex* fusions = nullptr) const {
    if (fusion == nullptr || !u.past || !u.same_stay) return u;
    // A cue inside an aside that opens after the fusion, with words of the
    // aside before the cue, is the aside's: "POD 1 s/p extension of fusion to
    // L2-L3 (prior L3-L5 fusion 2019)" dates the aside's fusion, not the
    // extension. An aside that begins with the cue ("L4-5 fusion (POD 1)")
    // tells the fusion before it.
    auto in_part = [&](const Range& c) {
      const uint32_t from = std::min(c.end, fusion->end), to = std::max(c.begin, fusion->begin);
      if (from >= to) return true;
      const std::string_view between = text_.substr(from, to - from);
      if (between.find_first_of(",;") != std::string_view::npos) return false;
      // The other fusion may begin the cue's own words ("fusion (2019)").
      if (fusions != nullptr && (c.begin >= fusion->end ? fusions->Overlaps(fusion->end, c.end)
                                                        : fusions->Overlaps(c.begin, fusion->begin)))
        return false;
      if (c.begin < fusion->begin) return true;
      const size_t open = between.find_last_of("([");
      if (open == std::string_view::npos ||
          between.find_first_of(")]", open) != std::string_view::npos)
        return true;
      return between.find_first_not_of(" \t\n", open + 1) == std::string_view::npos;
    };
    const bool past = std::any_of(u.past_at.begin(), u.past_at.end(), in_part);
    const bool stay = std::any_of(u.same_stay_at.begin(), u.same_stay_at.end(), in_part);
    if (past == stay) return u;
    nearest_ = u;
    if (stay) {
      nearest_.past = false;
    } else {
      nearest_.same_stay = nearest_.same_stay_over_background = nearest_.this_day =
          nearest_.stay_named = false;
    }
    return nearest_;
  }

  // The cues of the unit [b, e): scanned once, for the unit being built.
  const UnitCues& At(uint32_t b, uint32_t e) const {
    if (unit_.scanned && unit_.begin == b && unit_.end == e) return unit_;
    unit_ = UnitCues();
    unit_.begin = b;
    unit_.end = e;
    unit_.scanned = true;
    // The unit's matches, from the session's memo when it has them.
    const std::vector<Mention> cues =
        UnitMatches(memo_, &UnitMemoImpl::Entry::clause_cues_done,
                    &UnitMemoImpl::Entry::clause_cues, clause_cues_, text_, b, e, nullptr, report_);
    // A non-surgical cause ("sequela of healed discitis") holds words that
    // would otherwise date or operate: they are the cause's, not the fusion's.
    std::vector<std::pair<uint32_t, uint32_t>> causes;
    for (const Mention& m : cues)
      if (manifest_.Is(clause_cues_.rules()[m.rule].kind, KindRole::kAcquiredCause))
        causes.emplace_back(m.begin, m.end);
    unit_.acquired_cause = !causes.empty();
    // Whether the match lies inside one of `spans`.
    auto inside = [](const std::vector<std::pair<uint32_t, uint32_t>>& spans, const Mention& m) {
      return std::any_of(spans.begin(), spans.end(),
                         [&](const auto& c) { return c.first <= m.begin && m.end <= c.second; });
    };
    auto in_cause = [&](const Mention& m) { return inside(causes, m); };
    // The date of an image ("radiographs from 2024", "cervical films
    // 10/2/2026": a rule with holds_dates = "yes") dates the image, not a
    // fusion it shows: the date and dating words inside it are the image's.
    std::vector<std::pair<uint32_t, uint32_t>> held;
    for (const Mention& m : cues)
      if (Attr(clause_cues_.rules()[m.rule], "holds_dates") == "yes")
        held.emplace_back(m.begin, m.end);
    auto in_held = [&](const Mention& m) { return inside(held, m); };
    // Another service's or site's surgery ("Oral surgery consult", "cataract
    // surgery 2019": holds_surgery = "yes") holds a surgical word that is not
    // the fusion's: the spine's "fused" beside it stays as the sentence
    // otherwise reads it.
    std::vector<std::pair<uint32_t, uint32_t>> held_surgery;
    for (const Mention& m : cues)
      if (Attr(clause_cues_.rules()[m.rule], "holds_surgery") == "yes")
        held_surgery.emplace_back(m.begin, m.end);
    for (const Mention& m : cues) {
      if (!InThisRecord(clause_cues_.rules()[m.rule])) continue;
      const std::string& kind = clause_cues_.rules()[m.rule].kind;
      auto is = [&](KindRole role) {
        return manifest_.Is(kind, role) && !in_cause(m) &&
               !((role == KindRole::kDatedBefore || role == KindRole::kDate) && in_held(m)) &&
               !(role == KindRole::kSurgicalWord && inside(held_surgery, m));
      };
      if (is(KindRole::kSameStay)) {
        unit_.same_stay = true;
        unit_.same_stay_at.push_back({m.begin, m.end});
        const std::string_view over = Attr(clause_cues_.rules()[m.rule], "over_background");
        // "inpatient": a record of the stay, by its setting or by its own
        // words (a postoperative-day note, a discharge plan).
        if (over == "yes" || (over == "inpatient" && (inpatient_ || same_stay_note_)))
          unit_.same_stay_over_background = true;
        if (Attr(clause_cues_.rules()[m.rule], "this_day") == "yes") unit_.this_day = true;
        if (Attr(clause_cues_.rules()[m.rule], "names_stay") == "yes") unit_.stay_named = true;
      }
      if (manifest_.Is(kind, KindRole::kDatedBefore) && in_held(m) && !in_cause(m))
        unit_.image_past = true;
      if (is(KindRole::kDatedBefore)) {
        unit_.past = true;
        unit_.past_at.push_back({m.begin, m.end});
      }
      if (is(KindRole::kOperativeAction)) unit_.action = true;
      // A word that describes a fusion's union or place ("solid", "healed",
      // "interbody": describes_union = "yes") makes it surgery only in a note
      // that does not deny every past operation ("No prior surgery. Solid bony
      // fusion across L3-L5" is the spine's own ankylosis) and in a unit that
      // names no non-surgical cause ("healed L2-3 discitis with interbody bony
      // fusion" is the infection's).
      const bool union_only =
          (any_surgery_denied_ || unit_.acquired_cause) &&
          Attr(clause_cues_.rules()[m.rule], "describes_union") == "yes";
      if (is(KindRole::kSurgicalWord) && !union_only) {
        const bool describes_union =
            Attr(clause_cues_.rules()[m.rule], "describes_union") == "yes";
        if (!unit_.surgical) unit_.surgical_by_union = describes_union;
        else if (!describes_union) unit_.surgical_by_union = false;
        unit_.surgical = true;
      }
      if (is(KindRole::kDatedBefore) || is(KindRole::kOperativeAction) ||
          (is(KindRole::kSurgicalWord) && !union_only)) {
        unit_.surgery_words.push_back({m.begin, m.end});
        unit_.surgery_forward.push_back(Attr(clause_cues_.rules()[m.rule], "points") == "forward");
      }
      if (is(KindRole::kDeniesSurgery)) unit_.no_surgery = true;
      if (is(KindRole::kEarlierStay)) unit_.earlier_stay = true;
      if (is(KindRole::kRepairsComplication) && !unit_.repair) {
        unit_.repair = Range{m.begin, m.end};
        unit_.repair_rule = clause_cues_.rules()[m.rule].id;
      }
      if (is(KindRole::kComplicationPersists)) unit_.persists = true;
      if (is(KindRole::kPatientReport)) unit_.reports.push_back(m.begin);
      if (is(KindRole::kTellsDone)) unit_.done = true;
      if (is(KindRole::kDate)) {
        int64_t other = 0;
        unit_.dates.push_back(DayOf(text_.substr(m.begin, m.end - m.begin), day_first_, &other));
        unit_.other_dates.push_back(other);
        unit_.dates_at.push_back(Range{m.begin, m.end});
      }
    }
    return unit_;
  }

  // The documents pasted into the record (encounter.toml document_header:
  // "DISCHARGE SUMMARY 10/20/2026", "*** Spine Clinic  03/12/2019 ***"),
  // each from its title line to the next title, and which of them record an
  // earlier encounter: with the record's date of service, at least two
  // titles and one of them dated on that day (the record's own document),
  // a document dated before it is an earlier encounter in an outpatient
  // record; in an inpatient record only one dated at or before the end of a
  // stay that ended before the date of service (a document with
  // closes_stay = "yes": a discharge or transfer summary dated before it),
  // since a document of this stay may be dated days before (I.C.21.c.3:
  // status is the fusion done before the encounter or stay). The date of a
  // title is its line's last date ("Admit 10/01/2026  Discharge
  // 10/05/2026"), or the last day of a year written alone ("OP NOTE 2020:").
  // Without a date of service nothing changes.
  void FindEarlierDocuments(const RulePack& note_cues, const std::vector<Mention>& matches,
                            const AnalyzeOptions* options, const std::vector<Section>& sections,
                            const OffsetMap* map) {
    if (options == nullptr || options->date_of_service.empty()) return;
    const int64_t service = DayOf(options->date_of_service);
    if (service == 0) return;
    struct Title {
      uint32_t begin, end;
      int64_t day;
      bool closes;
    };
    std::vector<Title> titles;
    for (const Mention& m : matches) {
      const Rule& rule = note_cues.rules()[m.rule];
      if (!manifest_.Is(rule.kind, KindRole::kOpensDocument)) continue;
      const std::string_view words = text_.substr(m.begin, m.end - m.begin);
      if (!StandsAsTitle(m.begin, m.end)) continue;
      int64_t day = DayOf(words, day_first_);
      if (day == 0) day = YearEnd(words);
      if (day == 0) continue;
      const bool closes = Attr(rule, "closes_stay") == "yes";
      titles.push_back({m.begin, m.end, day, closes});
    }
    if (titles.size() < 2) return;
    std::sort(titles.begin(), titles.end(),
              [](const Title& a, const Title& b) { return a.begin < b.begin; });
    // Two rules on one title line: one title.
    std::vector<Title> merged;
    for (const Title& t : titles) {
      if (!merged.empty() && t.begin < merged.back().end) {
        Title& same = merged.back();
        same.end = std::max(same.end, t.end);
        same.day = std::max(same.day, t.day);
        same.closes = same.closes || t.closes;
        continue;
      }
      merged.push_back(t);
    }
    titles = std::move(merged);
    if (titles.size() < 2) return;
    // A title of a later stay on the title's line ("INPATIENT REHAB
    // ADMISSION H&P 10/27/2026", "READMISSION H&P 11/29/2026":
    // visit_outside_stay with any_setting = "yes") opens a new stay: the one
    // before it ended by the day before.
    std::vector<int64_t> opens(titles.size(), 0);
    for (const Mention& m : matches) {
      const Rule& rule = note_cues.rules()[m.rule];
      if (!manifest_.Is(rule.kind, KindRole::kAfterDischarge) || Attr(rule, "any_setting") != "yes")
        continue;
      auto it = std::upper_bound(titles.begin(), titles.end(), m.begin,
                                 [](uint32_t a, const Title& t) { return a < t.begin; });
      if (it == titles.begin()) continue;
      --it;
      const size_t line_end = text_.find('\n', it->begin);
      const uint32_t to = line_end == std::string_view::npos ? static_cast<uint32_t>(text_.size())
                                                             : static_cast<uint32_t>(line_end);
      if (m.begin < std::max(to, it->end)) opens[it - titles.begin()] = it->day;
    }
    if (std::none_of(titles.begin(), titles.end(),
                     [&](const Title& t) { return t.day == service; }))
      return;
    const bool inpatient = options->setting == Setting::kInpatient;
    int64_t stay_end = 0;  // the last day of a stay that ended before this one
    for (size_t k = 0; k < titles.size(); ++k) {
      const Title& t = titles[k];
      if (t.closes && t.day < service) stay_end = std::max(stay_end, t.day);
      if (opens[k] != 0 && opens[k] <= service) stay_end = std::max(stay_end, opens[k] - 1);
    }
    for (size_t k = 0; k < titles.size(); ++k) {
      const Title& t = titles[k];
      const bool earlier = inpatient ? t.day <= stay_end : t.day < service;
      if (!earlier) continue;
      uint32_t end =
          k + 1 < titles.size() ? titles[k + 1].begin : static_cast<uint32_t>(text_.size());
      end = EntryEnd(t.end, end, sections, map);
      earlier_docs_.push_back({t.begin, end});
      doc_titles_.push_back({t.begin, t.end});
    }
  }

  // Where a document whose title ends at `e` at most runs, up to `end`
  // (the next title): a title followed on its line by the document's words
  // ("SPINE CLINIC 06/01/2026: consented for surgery.", a dated entry) runs
  // over the lines after it only up to a blank line or a section header
  // ("PROCEDURE PERFORMED:"): an uppercase dated line inside today's
  // operative report does not take the operation with it. A title alone on
  // its line runs to `end`.
  uint32_t EntryEnd(uint32_t e, uint32_t end, const std::vector<Section>& sections,
                    const OffsetMap* map) const {
    size_t line_end = text_.find('\n', e);
    if (line_end == std::string_view::npos || line_end >= end) return end;
    if (OnlyTitleMarks(text_.substr(e, line_end - e))) return end;
    for (size_t p = line_end + 1; p < end;) {
      size_t q = text_.find('\n', p);
      if (q == std::string_view::npos || q > end) q = end;
      const std::string_view line = text_.substr(p, q - p);
      if (line.find_first_not_of(" \t") == std::string_view::npos)
        return static_cast<uint32_t>(p);
      if (map != nullptr) {
        // Sections are in text order: the first whose header begins at or
        // after the line's start.
        const uint32_t from = map->ToOriginalBegin(static_cast<uint32_t>(p));
        const uint32_t to = map->ToOriginalBegin(static_cast<uint32_t>(q));
        auto it = std::lower_bound(
            sections.begin(), sections.end(), from,
            [](const Section& sec, uint32_t a) { return sec.header.begin < a; });
        for (; it != sections.end() && it->header.begin < to; ++it)
          if (it->header.end > it->header.begin) return static_cast<uint32_t>(p);
      }
      p = q + 1;
    }
    return end;
  }

  // Whether a document_header match [b, e) is a title rather than a dated
  // line of a document's narrative ("Spine clinic 10/01/2026: consented for
  // TLIF" inside today's operative report): its words before the date are
  // written in capitals ("OP NOTE 10/20/2026:", "05/02/2019 OPERATIVE
  // REPORT"), or the line opens with
  // decoration ("*** Spine Clinic  03/12/2019 ***"), or nothing but the
  // title stands on its line ("Discharge summary (index admission)  Admit
  // 10/01/2026  Discharge 10/05/2026").
  bool StandsAsTitle(uint32_t b, uint32_t e) const {
    const std::string_view words = text_.substr(b, e - b);
    const size_t first = words.find_first_not_of(" \t");
    if (first != std::string_view::npos && std::strchr("*=#-", words[first]) != nullptr)
      return true;
    if (upper_ && upper_(b, e)) return true;
    size_t end = text_.find('\n', e);
    if (end == std::string_view::npos) end = text_.size();
    return OnlyTitleMarks(text_.substr(e, end - e));
  }

  // Whether the rest of a title's line holds only decoration and bracketed
  // asides ("***", ":", "(attached)"), no words of the document.
  static bool OnlyTitleMarks(std::string_view rest) {
    int depth = 0;
    for (char c : rest) {
      if (c == '(') ++depth;
      else if (c == ')' && depth > 0) --depth;
      else if (depth == 0 && std::strchr(" \t*=#-:", c) == nullptr) return false;
    }
    return true;
  }

  // The last day of the last year written alone in `words` ("OP NOTE
  // 2020:": 2020-12-31), as a day count; 0 if none.
  static int64_t YearEnd(std::string_view words) {
    int64_t year = 0;
    for (size_t k = 0; k + 4 <= words.size(); ++k) {
      const bool digits = std::isdigit(static_cast<unsigned char>(words[k])) &&
                          std::isdigit(static_cast<unsigned char>(words[k + 1])) &&
                          std::isdigit(static_cast<unsigned char>(words[k + 2])) &&
                          std::isdigit(static_cast<unsigned char>(words[k + 3]));
      if (!digits || (k > 0 && std::isdigit(static_cast<unsigned char>(words[k - 1]))) ||
          (k + 4 < words.size() && std::isdigit(static_cast<unsigned char>(words[k + 4]))))
        continue;
      const int64_t y = std::atoi(std::string(words.substr(k, 4)).c_str());
      if (y >= 1900 && y <= 2200) year = y;
    }
    return year == 0 ? 0 : DayCount(year, 12, 31);
  }

  // timing.toml `record = "stay"`: a cue whose words tell the stay only in a
  // record of it, an inpatient record or a note whose own words place it in
  // the stay ("had T11-L1 fusion 2 days ago" in a nursing note; in a clinic
  // note the fusion is before the visit).
  bool InThisRecord(const Rule& rule) const {
    return Attr(rule, "record") != "stay" || inpatient_ || same_stay_note_;
  }

  // The last date in `words` as a day count (days since 1970-01-01, so
  // differences are days); 0 if none or impossible. Written m/d/y (two-digit
  // years are 20yy; d/m/y when `day_first`), y-m-d, "November 8, 2026" or
  // "8 Nov 2026". `other` (optional): the day count of the other reading of
  // a slash date whose first two numbers could each be the month ("12/03/2026"),
  // else 0.
  static int64_t DayOf(std::string_view words, bool day_first = false, int64_t* other = nullptr) {
    if (other != nullptr) *other = 0;
    int64_t year = 0, month = 0, day = 0;
    bool slash = false;
    if (!LastDate(words, &year, &month, &day, &slash)) return 0;
    if (slash && day_first) std::swap(month, day);
    if (year < 100) year += 2000;
    if (other != nullptr && slash && month != day && month >= 1 && month <= 12 && day >= 1 &&
        day <= 12)
      *other = DayCount(year, day, month);
    return DayCount(year, month, day);
  }

  // Days since 1970-01-01 of a civil date; 0 if impossible.
  static int64_t DayCount(int64_t year, int64_t month, int64_t day) {
    if (month < 1 || month > 12 || day < 1 || day > 31 || year < 1900 || year > 2200) return 0;
    // Days from the civil date (proleptic Gregorian), counted from March so
    // that the leap day is the last of a year.
    const int64_t y = year - (month <= 2 ? 1 : 0);
    const int64_t era = y / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
  }

  const RulePack& clause_cues_;
  std::string_view text_;
  ScanReport* report_;
  const SectionRules& kinds_;
  const Manifest& manifest_;
  UnitMemoImpl* const memo_;  // a live session's, or null
  mutable UnitCues unit_;
  mutable UnitCues nearest_;  // Nearest's copy
  int64_t admitted_ = 0, service_ = 0;  // day counts, 0 if not stated
  int64_t visit_ = 0;     // a service date of the text that is no operation's date
  int64_t operated_ = 0;  // encounter.toml operation_date: the note's operation
  bool operated_before_ = false;  // operated_ before the date of this encounter
  bool operated_after_ = false;   // operated_ after the date of this encounter
  int64_t abbreviated_day_ = 0;   // operation_if_other_day ("DOS <date>")
  bool given_service_ = false;  // service_ is AnalyzeOptions::date_of_service
  // service_ is the day of this encounter: the record's date of service, or a
  // date of service of the text that is no operation's date
  bool known_visit_ = false;
  bool inpatient_ = false;      // AnalyzeOptions::setting
  int stay_days_ = 0;           // timing.toml date: inpatient_same_stay_days
  bool operative_ = false;
  bool same_stay_note_ = false;
  bool discharge_note_ = false;
  std::vector<Denial> spine_denials_;  // every denies_spine_surgery match
  std::optional<Range> correction_;     // opens_correction's first match
  std::string correction_rule_;
  std::vector<Range> surgery_denials_;  // denies_spine_surgery and retracts_surgery matches
  std::vector<Range> replaced_levels_;  // replaces_level matches
  bool after_discharge_ = false;  // encounter.toml after_discharge, in an outpatient record
  bool history_names_operation_ = false;  // operative_title with history_names_operation
  bool proposes_ = false;  // proposes_operations: a payer's request form (who21)
  bool later_stay_ = false;  // after_discharge with any_setting = "yes": any record
  bool day_first_ = false;   // the note writes its slash dates day first (d/m/y)
  bool any_surgery_denied_ = false;  // denies_any_surgery or denies_spine_surgery: "No prior surgery"
  bool stay_words_ = false;     // any other written_in_stay or discharge cue or section
  // Pasted documents of earlier encounters (FindEarlierDocuments), normalized
  // offsets in text order, and their title lines.
  std::vector<Range> earlier_docs_;
  std::vector<Range> doc_titles_;
  // Whether the original bytes of a normalized range are written in capitals
  // (UpperInOriginal), or empty: a document title's case (StandsAsTitle).
  std::function<bool(uint32_t, uint32_t)> upper_;
};

void AddUnique(std::vector<std::string>* out, const std::vector<std::string>& more) {
  for (const std::string& s : more)
    if (std::find(out->begin(), out->end(), s) == out->end()) out->push_back(s);
}

// Whether `range` only spells out the extent of the junction named beside
// it: "at the thoracolumbar junction (T11-L2)", "the thoracolumbar junction,
// T11 to L1". The writer names the region; a range centred on the junction
// (every segment of it the junction's or next to it) says how far the
// finding reaches, not that it reaches the regions on either side (M48.15,
// not M48.19). "The lumbosacral junction (L3-S1)" reaches further: both stay.
// The bracket that opens after the junction may name the finding before the
// range: "thoracolumbar junction (flowing ossification T11-L2)" (a few words,
// no bracket, clause or sentence end between).
bool SpellsOutJunction(std::string_view text, const LevelMention& junction,
                       const LevelMention& range) {
  Segment j, s;
  if (junction.form != LevelForm::kJunction || &junction == &range ||
      junction.segments.size() != 1 || !Segment::Parse(junction.segments[0], &j) ||
      range.segments.empty())
    return false;
  const uint32_t b = std::min(junction.end, range.end);
  const uint32_t e = std::max(junction.begin, range.begin);
  if (b > e) return false;
  uint32_t k = b;
  if (b == junction.end) {
    // "junction (words RANGE": past the bracket, up to 40 bytes of words.
    while (k < e && text[k] == ' ') ++k;
    if (k < e && text[k] == '(') {
      const std::string_view inside = text.substr(k + 1, e - k - 1);
      if (inside.size() <= 40 && inside.find_first_of("().;:\n") == std::string_view::npos)
        k = e;
      else
        k = b;
    } else {
      k = b;
    }
  }
  if (k == b && e - b > 4) return false;
  for (; k < e; ++k)
    if (std::string_view(" ,(:-").find(text[k]) == std::string_view::npos) return false;
  return std::all_of(range.segments.begin(), range.segments.end(), [&](const std::string& n) {
    return Segment::Parse(n, &s) && std::abs(s.upper.rank() - j.upper.rank()) <= 1;
  });
}

// Whether the region word `word` only names, loosely, the region of the
// segments written beside it in the same fact: "XR lumbar reviewed: L5-S1 is
// autofused" (L5-S1 is the lumbosacral region, M43.27; "lumbar" is how the
// film and the reader call it, not a second site), "cervical autofusion at
// C7-T1". Each of the word's regions must be a region of one of those
// segments or a side of a junction region of one (cervicothoracic is
// cervical and thoracic, thoracolumbar thoracic and lumbar, lumbosacral
// lumbar and sacral); a word naming another region ("cervical and lumbar
// ankylosis, L5-S1") keeps it.
bool RegionWordOfSegments(const LevelMention& word, const std::vector<const LevelMention*>& all) {
  if (word.form != LevelForm::kRegionWord || word.regions.empty()) return false;
  std::vector<std::string> seg_regions;
  for (const LevelMention* lm : all)
    if (lm != &word && lm->form != LevelForm::kRegionWord && !lm->segments.empty())
      for (const std::string& r : lm->regions) seg_regions.push_back(r);
  if (seg_regions.empty()) return false;
  auto sides = [](std::string_view junction, std::string_view region) {
    return (junction == "cervicothoracic" && (region == "cervical" || region == "thoracic")) ||
           (junction == "thoracolumbar" && (region == "thoracic" || region == "lumbar")) ||
           (junction == "lumbosacral" && (region == "lumbar" || region == "sacral"));
  };
  return std::all_of(word.regions.begin(), word.regions.end(), [&](const std::string& w) {
    return std::any_of(seg_regions.begin(), seg_regions.end(), [&](const std::string& r) {
      return r == w || sides(r, w) || sides(w, r);
    });
  });
}

// Orders names by the cranial-to-caudal order of `reference`.
void SortBy(std::vector<std::string>* v, const std::vector<std::string>& reference) {
  auto rank = [&](const std::string& s) {
    auto it = std::find(reference.begin(), reference.end(), s);
    return it - reference.begin();
  };
  std::stable_sort(v->begin(), v->end(),
                   [&](const std::string& a, const std::string& b) { return rank(a) < rank(b); });
}

// A fact's segments and regions in cranial-to-caudal order, after sites were
// added to it.
void SortSites(Fact* f) {
  SortSegments(&f->segments);
  SortBy(&f->regions, AllRegions());
}

// Affirmed without a hedge: present, or told as the patient's past.
bool Asserted(const Fact& f) {
  return f.assertion == Assertion::kPresent || f.assertion == Assertion::kHistorical;
}

// Whether `m` lies where `cause` cannot explain it: both name segments and
// share none ("DISH from T4 to T10" does not explain "autofusion at L5-S1").
// A region alone does not part them: the disease is diffuse, and "AS of the
// lumbar spine ... the sacroiliac joints are fused" is one disease.
bool Elsewhere(const Fact& m, const Fact& cause) {
  return !m.segments.empty() && !cause.segments.empty() &&
         std::none_of(m.segments.begin(), m.segments.end(), [&](const std::string& s) {
           return std::find(cause.segments.begin(), cause.segments.end(), s) !=
                  cause.segments.end();
         });
}

// A disease whose rule says explains_fusion = "note" (ankylosing
// spondylitis, DISH) explains the ankylosis written anywhere in the note,
// not only in its own sentence: "INDICATION: Known ankylosing spondylitis.
// FINDINGS: The thoracic spine is diffusely ankylosed" is AS of the thoracic
// region, and "FINDINGS: T4 through T10 are fused by flowing ossification.
// IMPRESSION: DISH." is the DISH's bridging (ankylosing hyperostosis, the
// inclusion term at M48.1), not a second, acquired ankylosis. A mention of
// the disease that names no region takes the regions of the ankylosis it
// explains; an ankylosis at other segments than the disease's own stays a
// fact of its own (Elsewhere). Only a disease documented as
// definite explains another sentence's fusion: "Possible ankylosing
// spondylitis. Spontaneous fusion at C5-C6." still codes the definite fusion
// (IV.H).
// `sites` (by disease kind): the regions of the words that show where the
// disease is (anchors.toml site_of: "syndesmophytes with bony bridging
// throughout the lumbar spine"), anywhere in the note; a mention naming no
// region takes them too.
void LinkAcrossNote(std::vector<Fact>* facts, const std::vector<const Rule*>& rules,
                    const Manifest& manifest,
                    const std::map<std::string, std::vector<std::string>>& sites) {
  auto affirmed = [](const Fact& f) {
    return f.assertion == Assertion::kPresent || f.assertion == Assertion::kHistorical ||
           f.assertion == Assertion::kPossible;
  };
  std::vector<size_t> causes;
  for (size_t i = 0; i < facts->size(); ++i)
    if (Attr(*rules[i], "explains_fusion") == "note" &&
        ((*facts)[i].assertion == Assertion::kPresent ||
         (*facts)[i].assertion == Assertion::kHistorical))
      causes.push_back(i);
  if (causes.empty()) return;
  std::map<size_t, std::vector<std::string>> regions;  // per cause
  for (size_t i = 0; i < facts->size(); ++i) {
    Fact& m = (*facts)[i];
    if (!manifest.Is(m.kind, KindRole::kAcquiredAnkylosis) || !m.detail.empty() ||
        Attr(*rules[i], "manifestation") != "yes" ||
        !affirmed(m))
      continue;
    auto c = std::find_if(causes.begin(), causes.end(),
                          [&](size_t k) { return !Elsewhere(m, (*facts)[k]); });
    if (c == causes.end()) continue;
    m.detail = (*facts)[*c].kind;
    AddUnique(&regions[*c], m.regions);
  }
  for (size_t c : causes) {
    Fact& cause = (*facts)[c];
    if (!cause.regions.empty()) continue;
    std::vector<std::string> found = regions[c];
    if (auto it = sites.find(cause.kind); it != sites.end()) AddUnique(&found, it->second);
    if (found.empty()) continue;
    cause.regions = std::move(found);
    SortBy(&cause.regions, AllRegions());
  }
}

// Whether text[b, e), between two findings of one kind, only coordinates
// them: blanks, punctuation, levels (words with a digit) and the words of a
// list ("fusion at L4-5 and fusion at L5-S1").
bool OnlyCoordinates(std::string_view text, uint32_t b, uint32_t e) {
  static constexpr std::string_view kListWords[] = {"and", "or", "as", "well", "at", "of",
                                                    "the", "level", "levels", "to", "through"};
  uint32_t k = b;
  while (k < e) {
    if (!IsAlnum(text[k])) {
      ++k;
      continue;
    }
    uint32_t w = k;
    bool digit = false;
    while (w < e && (IsAlnum(text[w]) || text[w] == '-')) {
      digit = digit || (text[w] >= '0' && text[w] <= '9');
      ++w;
    }
    const std::string_view word = text.substr(k, w - k);
    if (!digit && std::find(std::begin(kListWords), std::end(kListWords), word) ==
                      std::end(kListWords))
      return false;
    k = w;
  }
  return true;
}

// The kinds read from each span of a unit, to ask "is this finding also
// read as kind K" in O(log n): a unit can hold thousands of findings (a
// pathological repetition), and a scan of them per pair is cubic.
class SpanKinds {
 public:
  explicit SpanKinds(const std::vector<Candidate*>& unit) {
    entries_.reserve(unit.size());
    for (const Candidate* c : unit) entries_.push_back({c->begin, c->end, &c->rule->kind});
    std::sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) {
      return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
    });
  }
  bool Has(uint32_t begin, uint32_t end, std::string_view kind) const {
    auto it = std::lower_bound(entries_.begin(), entries_.end(), std::pair(begin, end),
                               [](const Entry& e, std::pair<uint32_t, uint32_t> k) {
                                 return std::pair(e.begin, e.end) < k;
                               });
    for (; it != entries_.end() && it->begin == begin && it->end == end; ++it)
      if (*it->kind == kind) return true;
    return false;
  }

 private:
  struct Entry {
    uint32_t begin, end;
    const std::string* kind;
  };
  std::vector<Entry> entries_;
};

// A hedge ("possible", "consistent with") qualifies the finding it stands
// next to, not every finding after it: "possible pseudarthrosis at the L4-5
// fusion" doubts the nonunion, not the fusion. A hedge is blocked when a
// finding of another kind lies between it and the target, or one of the same
// kind that is not in a list with it ("equivocal fusion at L4-L5 after TLIF
// in 2024" doubts the healing, not the TLIF). A cue that governs a list
// ("differential includes DISH and ankylosing spondylitis") is not blocked.
bool HedgeBlocked(std::string_view text, uint32_t cue_begin, uint32_t cue_end,
                  const Candidate& target, const std::vector<Candidate*>& unit,
                  const SpanKinds& kinds) {
  // A finding read from the same words as one of the target's kind (the
  // imaging twin of "pseudarthrosis") counts as that kind.
  auto same_kind = [&](const Candidate* g) {
    return kinds.Has(g->begin, g->end, target.rule->kind);
  };
  // Where each finding stands is tested before its kind, so only the
  // findings between cue and target pay for the lookup.
  for (const Candidate* g : unit) {
    if (g == &target) continue;
    if (cue_end <= target.begin && g->begin >= cue_end && g->end <= target.begin &&
        (!same_kind(g) || !OnlyCoordinates(text, g->end, target.begin)))
      return true;
    if (cue_begin >= target.end && g->begin >= target.end && g->end <= cue_begin &&
        (!same_kind(g) || !OnlyCoordinates(text, target.end, g->begin)))
      return true;
  }
  return false;
}

// A differential, "A or B" / "A versus B" (two findings of different kinds
// joined by "or", "versus", "vs" with at most a few words around it), leaves
// both uncertain: Official Guidelines IV.H (outpatient) codes neither; the
// "or" is the cue.
void MarkDifferentials(std::string_view text, const OffsetMap& map, std::vector<Fact>* facts,
                       size_t first, const std::vector<Range>& spans, const Manifest& manifest) {
  auto open = [](const Fact& f) {
    return f.assertion == Assertion::kPresent || f.assertion == Assertion::kHistorical ||
           f.assertion == Assertion::kPossible;
  };
  for (size_t i = first; i + 1 < facts->size(); ++i) {
    Fact& a = (*facts)[i];
    Fact& b = (*facts)[i + 1];
    if (a.kind == b.kind || !open(a) || !open(b) ||
        manifest.Is(a.kind, KindRole::kImagingFinding) ||
        manifest.Is(b.kind, KindRole::kImagingFinding))
      continue;
    const uint32_t from = spans[i - first].end;
    const uint32_t to = spans[i + 1 - first].begin;
    if (from >= to || to - from > 60) continue;
    const std::string_view gap = text.substr(from, to - from);
    if (gap.find_first_of(".;:") != std::string_view::npos) continue;
    int words = 0, joiners = 0;
    uint32_t jb = 0, je = 0;
    for (size_t k = 0; k < gap.size();) {
      if (!IsLower(gap[k])) {
        ++k;
        continue;
      }
      size_t e = k;
      while (e < gap.size() && IsLower(gap[e])) ++e;
      const std::string_view w = gap.substr(k, e - k);
      ++words;
      if (w == "or" || w == "versus" || w == "vs") {
        ++joiners;
        jb = from + static_cast<uint32_t>(k);
        je = from + static_cast<uint32_t>(e);
      }
      k = e;
    }
    if (joiners != 1 || words > 6) continue;
    // The two sides of a differential share the site written once ("DISH
    // versus ankylosing spondylitis of the thoracic spine").
    if (a.regions.empty()) a.regions = b.regions;
    if (b.regions.empty()) b.regions = a.regions;
    for (Fact* f : {&a, &b}) {
      f->assertion = Assertion::kPossible;
      f->has_cue = true;
      f->cue.span = map.ToOriginal(jb, je);
      f->cue.rule_id = "differential";
    }
  }
}

// A disease that explains a fusion (ankylosing spondylitis, DISH, congenital
// fusion: rules with explains_fusion) written in the same unit as a generic
// fusion or ankylosis word (rules with manifestation) makes that word part of
// the disease: "ankylosing spondylitis with fusion of the lumbar spine" is
// neither arthrodesis nor acquired ankylosis, and "lumbar" is the disease's
// site. The fusion stays a fact (its segments are fused) of kind ankylosis
// with detail = the disease's kind; the disease takes its levels and regions.
// A fusion that a cue of its own puts in the past or the future ("s/p
// fusion", "plan for fusion"), or the nearest fusion to a surgical or dating word of its
// sentence ("underwent spinal fusion at T10-L2": `surgery`), is surgery, not
// the disease; nor is one whose segments are
// all outside the disease's own ("congenital fusion C2-3 and acquired
// ankylosis C5-6": two conditions, each at its levels). A disease denied
// explains nothing: "No congenital fusion; acquired fusion at C5-C6".
void LinkManifestations(std::vector<Fact>* facts, size_t first,
                        const std::vector<const Rule*>& rules, const Manifest& manifest,
                        const std::function<bool(size_t)>& surgery) {
  std::vector<size_t> causes;
  for (size_t i = first; i < facts->size(); ++i)
    if (!Attr(*rules[i - first], "explains_fusion").empty() &&
        (*facts)[i].assertion != Assertion::kNegated)
      causes.push_back(i);
  if (causes.empty()) return;
  for (size_t i = first; i < facts->size(); ++i) {
    Fact& m = (*facts)[i];
    if (Attr(*rules[i - first], "manifestation") != "yes") continue;
    if (!manifest.Is(m.kind, KindRole::kSurgicalFusion) &&
        !manifest.Is(m.kind, KindRole::kAcquiredAnkylosis))
      continue;
    // A fusion inside the disease's own words ("AS (cervical spine fused),
    // s/p C3-T1 posterior fusion": the acronym's rule reads "AS (cervical
    // spine fused" as one) is the disease's, whatever surgical or dating word
    // stands nearest to it outside them (round 22).
    auto within = [&](size_t c) {
      const Span& cs = (*facts)[c].span;
      return c != i && cs.begin <= m.span.begin && m.span.end <= cs.end &&
             !(cs.begin == m.span.begin && cs.end == m.span.end);
    };
    const auto own = std::find_if(causes.begin(), causes.end(), within);
    if (own == causes.end() && surgery(i - first)) continue;
    // A past or planned fusion is the disease's only when the one cue that
    // dates it dates the disease too ("hx ankylosing spondylitis with fused
    // cervical spine"), not its own ("AS, plan for fusion").
    const bool own_time =
        m.assertion == Assertion::kHistorical || m.assertion == Assertion::kHypothetical;
    auto same_time = [&](const Fact& cause) {
      return !own_time || (cause.assertion == m.assertion && cause.has_cue && m.has_cue &&
                           cause.cue.span == m.cue.span);
    };
    size_t best = own != causes.end() ? *own : facts->size();
    for (size_t c : causes)
      if (own == causes.end() && !Elsewhere(m, (*facts)[c]) && same_time((*facts)[c]) &&
          (best == facts->size() ||
           Gap(m.span.begin, m.span.end, (*facts)[c].span.begin, (*facts)[c].span.end) <
               Gap(m.span.begin, m.span.end, (*facts)[best].span.begin, (*facts)[best].span.end)))
        best = c;
    if (best == facts->size()) continue;
    m.kind = manifest.acquired_ankylosis();
    m.when.clear();
    m.detail = (*facts)[best].kind;
    // In a differential ("thoracic ankylosis, AS versus DISH") the site is
    // that of each disease the differential names (MarkDifferentials).
    auto differential = [&](size_t c) { return (*facts)[c].cue.rule_id == "differential"; };
    for (size_t c : causes) {
      if (c != best && !(differential(best) && differential(c))) continue;
      Fact& cause = (*facts)[c];
      AddUnique(&cause.segments, m.segments);
      AddUnique(&cause.vertebrae, m.vertebrae);
      AddUnique(&cause.regions, m.regions);
      for (const Span& sp : m.level_spans)
        if (std::find(cause.level_spans.begin(), cause.level_spans.end(), sp) ==
            cause.level_spans.end())
          cause.level_spans.push_back(sp);
      SortSites(&cause);
    }
  }
}

}  // namespace

// Whether the note-wide questions read an anchors rule: the note's spine
// word, the exam line's regions and spine word, a report's content regions
// (NotePass NoteSpineContext, FirstLine, ContentRegions). The others are read
// per unit only.
bool NoteWideAnchor(const Manifest& kinds, const Rule& rule) {
  return kinds.Is(rule.kind, KindRole::kSpineWord) ||
         kinds.Is(rule.kind, KindRole::kExamRegion) ||
         kinds.Is(rule.kind, KindRole::kContentRegion);
}

// anchors.toml attributes the facts stage reads: a nonspinal_joint rule's
// drops (fact kinds of the concept `packs`) and sections (section kinds of
// `sections`, when loaded), an exam_region rule's region.
Status CheckAnchorRules(const RulePack& anchors,
                        const std::vector<std::shared_ptr<const RulePack>>& packs,
                        const Manifest& manifest, const SectionRules* sections) {
  // Whether every word of `list` is a kind of a concept pack.
  auto concept_kinds = [&](std::string_view list) {
    bool ok = !list.empty();
    ForEachWord(list, [&](std::string_view kind) {
      bool known = false;
      for (const auto& pack : packs)
        for (const Rule& r : pack->rules()) known = known || r.kind == kind;
      ok = ok && known;
    });
    return ok;
  };
  for (const Rule& rule : anchors.rules()) {
    const std::string_view relation = Attr(rule, "relation");
    if (!relation.empty() && ((relation != "yes" && relation != "after") ||
                              !manifest.Is(rule.kind, KindRole::kLevelAnchor)))
      return RuleAttributeError(anchors.path(), rule,
                                "relation = \"yes\" or \"after\" belongs to a level_anchor rule");
    const std::string_view explained_by = Attr(rule, "explained_by");
    if (!explained_by.empty() &&
        (!manifest.Is(rule.kind, KindRole::kLevelAnchor) || !concept_kinds(explained_by)))
      return RuleAttributeError(anchors.path(), rule,
                                "explained_by belongs to a level_anchor rule and lists fact "
                                "kinds of the concept packs, separated by spaces");
    if (manifest.Is(rule.kind, KindRole::kNonspinalJoint)) {
      // drops: the fact kinds a match of this rule takes away (data, so a
      // coder can widen it); each must be a kind of a concept pack.
      if (!concept_kinds(Attr(rule, "drops")))
        return RuleAttributeError(anchors.path(), rule,
                                  "a " + rule.kind +
                                      " rule needs drops = fact kinds of the concept packs, "
                                      "separated by spaces");
      // sections: the section kinds (sections.toml) it counts in, if given.
      bool known_sections = true;
      const std::string_view only = Attr(rule, "sections");
      ForEachWord(only, [&](std::string_view kind) {
        known_sections = known_sections && (sections == nullptr || sections->KnowsKind(kind));
      });
      if (!known_sections)
        return RuleAttributeError(anchors.path(), rule,
                                  "sections lists section kinds of sections.toml, separated by "
                                  "spaces");
      continue;
    }
    if (!manifest.Is(rule.kind, KindRole::kExamRegion)) continue;
    const std::string_view region = Attr(rule, "region");
    const auto& known = AllRegions();
    if (region != "several" && std::find(known.begin(), known.end(), region) == known.end())
      return RuleAttributeError(anchors.path(), rule,
                                "an " + rule.kind +
                                    " rule needs region = a spinal region or \"several\"");
  }
  return Status();
}

// Concept rules: implied_region, when given, is a spinal region (the site
// the named condition always has: Klippel-Feil syndrome is the cervical
// fusion syndrome, Q76.1); needs_spine_context is one of its three values.
Status CheckConceptRules(const std::vector<std::shared_ptr<const RulePack>>& packs) {
  const auto& known = AllRegions();
  std::set<std::string_view> kinds;  // every kind a concept rule emits (site_from)
  for (const auto& pack : packs)
    for (const Rule& rule : pack->rules()) kinds.insert(rule.kind);
  for (const auto& pack : packs)
    for (const Rule& rule : pack->rules()) {
      const std::string_view site_from = Attr(rule, "site_from");
      if (!site_from.empty() && !kinds.count(site_from))
        return RuleAttributeError(pack->path(), rule,
                                  "site_from must be a kind of a concept rule");
      const std::string_view region = Attr(rule, "implied_region");
      if (!region.empty() && std::find(known.begin(), known.end(), region) == known.end())
        return RuleAttributeError(pack->path(), rule, "implied_region must be a spinal region");
      const std::string_view extends = Attr(rule, "extends_fusion");
      if (!extends.empty() && extends != "yes" && extends != "elliptical")
        return RuleAttributeError(pack->path(), rule,
                                  "extends_fusion must be \"yes\" or \"elliptical\"" +
                                      DidYouMean(extends, {"yes", "elliptical"}));
      const std::string_view needs = Attr(rule, "needs_spine_context");
      if (!needs.empty() && needs != "yes" && needs != "note" && needs != "sentence")
        return RuleAttributeError(pack->path(), rule,
                                  "needs_spine_context must be \"yes\", \"note\" or \"sentence\"" +
                                      DidYouMean(needs, {"yes", "note", "sentence"}));
    }
  return Status();
}

// encounter.toml: denies_region, on a denies_spine_surgery rule, spinal
// regions separated by spaces.
Status CheckEncounterRules(const RulePack& encounter, const Manifest& manifest) {
  const auto& known = AllRegions();
  for (const Rule& rule : encounter.rules()) {
    const std::string_view other_day = Attr(rule, "operation_if_other_day");
    if (!other_day.empty() &&
        (other_day != "yes" || !manifest.Is(rule.kind, KindRole::kServiceDate) ||
         manifest.Is(rule.kind, KindRole::kOperationDate)))
      return RuleAttributeError(encounter.path(), rule,
                                "operation_if_other_day belongs to a service_date rule that is "
                                "no operation_date rule and must be \"yes\"");
    const std::string_view regions = Attr(rule, "denies_region");
    if (regions.empty()) continue;
    if (!manifest.Is(rule.kind, KindRole::kDeniesSpineSurgery))
      return RuleAttributeError(encounter.path(), rule,
                                "denies_region belongs to a denies_spine_surgery rule");
    std::string bad;
    ForEachWord(regions, [&](std::string_view w) {
      if (bad.empty() && std::find(known.begin(), known.end(), w) == known.end()) bad = w;
    });
    if (!bad.empty())
      return RuleAttributeError(encounter.path(), rule,
                                "denies_region must list spinal regions; \"" + bad +
                                    "\" is none" + DidYouMean(bad, known));
  }
  return Status();
}

// timing.toml: inpatient_same_stay_days, on a date rule, 0 to 60; record,
// "stay".
Status CheckTimingRules(const RulePack& timing, const Manifest& manifest) {
  for (const Rule& rule : timing.rules()) {
    const std::string_view record = Attr(rule, "record");
    if (!record.empty() && record != "stay")
      return RuleAttributeError(timing.path(), rule,
                                "record must be \"stay\"" + DidYouMean(record, {"stay"}));
    const std::string_view this_day = Attr(rule, "this_day");
    if (!this_day.empty() && (this_day != "yes" || !manifest.Is(rule.kind, KindRole::kSameStay)))
      return RuleAttributeError(timing.path(), rule,
                                "this_day belongs to a same_stay rule and must be \"yes\"");
    const std::string_view names_stay = Attr(rule, "names_stay");
    if (!names_stay.empty() &&
        (names_stay != "yes" || !manifest.Is(rule.kind, KindRole::kSameStay)))
      return RuleAttributeError(timing.path(), rule,
                                "names_stay belongs to a same_stay rule and must be \"yes\"");
    const std::string_view union_word = Attr(rule, "describes_union");
    if (!union_word.empty() &&
        (union_word != "yes" || !manifest.Is(rule.kind, KindRole::kSurgicalWord)))
      return RuleAttributeError(timing.path(), rule,
                                "describes_union belongs to a surgical_word rule and must be \"yes\"");
    const std::string_view points = Attr(rule, "points");
    if (!points.empty() &&
        (points != "forward" || !manifest.Is(rule.kind, KindRole::kSurgicalWord)))
      return RuleAttributeError(timing.path(), rule,
                                "points belongs to a surgical_word rule and must be \"forward\"");
    const std::string_view days = Attr(rule, "inpatient_same_stay_days");
    if (days.empty()) continue;
    const int n = std::atoi(std::string(days).c_str());
    if (!manifest.Is(rule.kind, KindRole::kDate) ||
        days.find_first_not_of("0123456789") != std::string_view::npos || n > 60)
      return RuleAttributeError(timing.path(), rule,
                                "inpatient_same_stay_days belongs to a date rule and is a whole "
                                "number of days from 0 to 60");
  }
  return Status();
}

namespace {

// The rules file `name` of models_dir, unless the caller gave it loaded.
template <class Rules>
StatusOr<std::shared_ptr<const Rules>> LoadUnlessGiven(std::shared_ptr<const Rules> given,
                                                      const std::string& models_dir,
                                                      const char* name) {
  if (given != nullptr) return given;
  auto loaded = Rules::Load((std::filesystem::path(models_dir) / name).string());
  if (!loaded.ok()) return loaded.status();
  return std::make_shared<const Rules>(std::move(*loaded));
}

// Loads the packs of rules/ into `errors`: every pack even after one fails, so
// a load reports the errors of all of them (LoadErrors, util/toml_file.h).
// Every rule's kind must be declared in the manifest, with roles of its
// pack's sort.
class PackLoader {
 public:
  PackLoader(const std::filesystem::path& dir, const Normalizer& normalizer,
             std::vector<std::string>* seen_ids, const Manifest& kinds, LoadErrors* errors)
      : dir_(dir), normalizer_(normalizer), seen_ids_(seen_ids), kinds_(kinds), errors_(errors) {}

  StatusOr<std::shared_ptr<const RulePack>> Load(const std::string& name, PackSort sort) {
    const std::string path = (dir_ / (name + ".toml")).string();
    auto pack = RulePack::Load(path, normalizer_, seen_ids_);
    if (errors_->Add(pack.status())) return pack;
    bool kinds_ok = true;
    for (const Rule& rule : (*pack)->rules())
      kinds_ok = !errors_->Add(kinds_.CheckRule(path, rule, sort)) && kinds_ok;
    if (!kinds_ok) return StatusOr<std::shared_ptr<const RulePack>>(errors_->ToStatus());
    return pack;
  }

  // The concept packs that load, in manifest order, into `packs`; true if
  // all of them did.
  bool LoadConcepts(std::vector<std::shared_ptr<const RulePack>>* packs) {
    bool all_ok = true;
    for (const std::string& name : kinds_.concept_packs()) {
      auto pack = Load(name, PackSort::kConcept);
      if (!pack.ok()) {
        all_ok = false;
        continue;
      }
      CheckRuleAttributes(**pack);
      packs->push_back(*pack);
    }
    return all_ok;
  }

 private:
  // original_case and screen, the attributes C++ reads for every rule.
  void CheckRuleAttributes(const RulePack& pack) {
    for (const Rule& rule : pack.rules()) {
      if (const std::string_view sc = Attr(rule, "screen"); !sc.empty()) {
        if (sc != "tail" && sc != "head" && sc != "acronym")
          errors_->Add(RuleAttributeError(
              pack.path(), rule,
              "screen must be \"tail\", \"head\" or \"acronym\"" +
                  DidYouMean(sc, {"tail", "head", "acronym"})));
        else if (!rule.screen_pattern.empty())
          errors_->Add(RuleAttributeError(pack.path(), rule,
                                          "screen and screen_pattern both say how to screen "
                                          "the rule: keep one"));
#if SUGGEST_HAVE_VECTORSCAN  // the pattern readers (and the screen) need it
        else if (sc == "tail" && LocatingTail(rule.pattern).empty())
          errors_->Add(RuleAttributeError(
              pack.path(), rule,
              "screen = \"tail\" needs a pattern led by a loop of words before a literal tail "
              "(match/rule_locator.h LocatingTail); this one has none"));
        else if (sc == "head" && LeadingHead(rule.pattern).empty())
          errors_->Add(RuleAttributeError(
              pack.path(), rule,
              "screen = \"head\" needs a pattern that starts with a group every match holds "
              "(match/rule_locator.h LeadingHead); this one has none"));
        else if (sc == "acronym" &&
                 (AcronymScreen(rule.pattern).empty() || Attr(rule, "original_case").empty()))
          errors_->Add(RuleAttributeError(
              pack.path(), rule,
              "screen = \"acronym\" needs original_case and one group named acronym of "
              "lower-case letters that every match holds (match/rule_locator.h AcronymScreen)"));
#endif
      }
      const std::string_view oc = Attr(rule, "original_case");
      if (!oc.empty() && oc != "upper" && oc != "upper_in_mixed")
        errors_->Add(RuleAttributeError(
            pack.path(), rule,
            "original_case must be \"upper\" or \"upper_in_mixed\"" +
                DidYouMean(oc, {"upper", "upper_in_mixed"})));
    }
  }

  const std::filesystem::path dir_;
  const Normalizer& normalizer_;
  std::vector<std::string>* seen_ids_;
  const Manifest& kinds_;
  LoadErrors* errors_;
};

// What the rule indexes noticed at build time, for load_notes().
std::vector<std::string> IndexNotes(const RuleLocator& locator, const Prescreen& prescreen) {
  std::vector<std::string> notes;
  if (!locator.active()) notes.push_back("rule locator off: " + locator.inactive_reason());
  for (const std::string& id : locator.unlocated_rule_ids())
    notes.push_back("rule " + id + " is not located (scanned whole)");
  if (!prescreen.active()) notes.push_back("prescreen off: " + prescreen.inactive_reason());
  return notes;
}

}  // namespace

StatusOr<std::shared_ptr<const FactExtractor>> FactExtractor::Load(
    const std::string& models_dir, const Normalizer& normalizer,
    std::shared_ptr<const LevelExtractor> levels,
    std::shared_ptr<const AssertionRules> assertion, std::vector<std::string>* seen_ids,
    std::shared_ptr<const SectionRules> sections, std::shared_ptr<const Manifest> manifest) {
  return Load(
      models_dir, normalizer, [&] { return Stages{std::move(levels), std::move(assertion)}; },
      seen_ids, std::move(sections), std::move(manifest));
}

StatusOr<std::shared_ptr<const FactExtractor>> FactExtractor::Load(
    const std::string& models_dir, const Normalizer& normalizer,
    const std::function<Stages()>& stages, std::vector<std::string>* seen_ids,
    std::shared_ptr<const SectionRules> sections, std::shared_ptr<const Manifest> manifest) {
  std::shared_ptr<FactExtractor> fx(new FactExtractor());
  auto given_sections = LoadUnlessGiven(std::move(sections), models_dir, "sections.toml");
  if (!given_sections.ok()) return given_sections.status();
  fx->sections_ = std::move(*given_sections);
  auto given_manifest = LoadUnlessGiven(std::move(manifest), models_dir, "manifest.toml");
  if (!given_manifest.ok()) return given_manifest.status();
  fx->manifest_ = std::move(*given_manifest);
  const Manifest& kinds = *fx->manifest_;

  LoadErrors errors;
  PackLoader loader(std::filesystem::path(models_dir) / "rules", normalizer, seen_ids, kinds,
                    &errors);
  const bool concept_packs_ok = loader.LoadConcepts(&fx->packs_);
  if (concept_packs_ok) errors.Add(CheckConceptRules(fx->packs_));
  auto anchors = loader.Load(kinds.anchors_pack(), PackSort::kAnchors);
  // The anchors' `drops` name concept kinds: checked only against all packs.
  if (anchors.ok() && concept_packs_ok)
    errors.Add(CheckAnchorRules(**anchors, fx->packs_, kinds, fx->sections_.get()));
  auto encounter = loader.Load(kinds.note_cues_pack(), PackSort::kNoteCues);
  if (encounter.ok()) errors.Add(CheckEncounterRules(**encounter, kinds));
  auto clause_timing = loader.Load(kinds.sentence_cues_pack(), PackSort::kSentenceCues);
  if (clause_timing.ok()) errors.Add(CheckTimingRules(**clause_timing, kinds));
  if (!errors.ok()) return errors.ToStatus();
  fx->packs_.push_back(*anchors);
  fx->encounter_ = *encounter;
  fx->clause_timing_ = *clause_timing;

  auto starts_fact = [&kinds](const RulePack& pack, const Rule& rule) {
    return pack.name() != kinds.anchors_pack() &&
           !kinds.Is(rule.kind, KindRole::kImagingModality);
  };
  auto prefilter = PatternSet::Build(fx->packs_, starts_fact);
  if (!prefilter.ok()) return prefilter.status();
  fx->prefilter_ = std::move(*prefilter);
  // On original bytes, a rule that keeps only acronyms written in capitals
  // (CaseAllows) is screened for the capitals: the English "as" of every
  // note would otherwise cost the screen a third of its time. A rule marked
  // screen = "tail" is screened by its LocatingTail: every match of the rule
  // ends with one of the tail, and the tail starts from a rare word where
  // the rule starts with a loop of common ones. Only rules whose tail's word
  // is rare are marked: a tail like "scoliosis" would let a tenth of the
  // non-spine notes through to the normal path (docs/rules.md). A rule marked
  // screen = "head" is screened by the group every match starts with
  // (LeadingHead): a rare head before a long bounded gap of words.
  // Each of these is only the first stage: a note that only they match is
  // scanned again with the rule's own screen pattern (Prescreen::Build's
  // `exact`), so the screen turns away the same notes, faster.
  std::vector<std::string> patterns, original, exact;
  for (const auto& pack : fx->packs_)
    for (const Rule& rule : pack->rules())
      if (starts_fact(*pack, rule)) {
        // The screen asks only whether a rule can match: a widened pattern
        // (bounded repeats made unbounded) turns away no note the rule
        // matches, and its database is smaller (peak RSS, issue 18).
        patterns.push_back(WidenedOrSame(rule.pattern));
        const std::string own = Attr(rule, "original_case").empty()
                                    ? rule.pattern
                                    : UpperAcronym(rule.pattern);
        const std::string_view screen = Attr(rule, "screen");
        std::string cheap;
        if (screen == "tail")
          cheap = LocatingTail(rule.pattern);
        else if (screen == "head")
          cheap = LeadingHead(rule.pattern);
        else if (screen == "acronym")
          cheap = AcronymScreen(rule.pattern);
        else if (!rule.screen_pattern.empty())
          cheap = rule.screen_pattern;
        original.push_back(cheap.empty() ? own : cheap);
        exact.push_back(cheap.empty() ? std::string() : own);
        fx->screen_rules_.push_back({pack.get(), &rule, original.back(), exact.back()});
      }
  fx->prescreen_ = Prescreen::Build(patterns, original, exact);
  std::vector<const RulePack*> located;
  for (const auto& pack : fx->packs_) located.push_back(pack.get());
  // Not levels.toml: its 40 rules would add ~6 MiB of database and scratch
  // to every process for what the per-sentence scans already bound (its
  // note-wide use, RegionsOfPhrase of a whole report, is rare).
  located.push_back(fx->encounter_.get());
  // The anchors rules of no note-wide role (level anchors, nonspinal joints:
  // read per unit only) are left out of the whole-note scan and scanned only
  // over the units that ask (RuleLocator::LocateRegional).
  std::vector<bool> regional;
  const RulePack& anchors_pack = *fx->packs_.back();
  for (const auto& pack : fx->packs_)
    for (const Rule& rule : pack->rules())
      regional.push_back(pack.get() == &anchors_pack && !NoteWideAnchor(kinds, rule));
  fx->locator_ = RuleLocator::Build(located, regional);
  for (size_t i = 0; i < anchors_pack.rules().size(); ++i)
    fx->note_wide_anchors_.push_back(!fx->locator_->Regional(&anchors_pack, i));
  // The reach of the prescreen's patterns (in the same order), from the
  // locator's plan: a session rescans only around an edit (CannotMatchAgain).
  std::vector<RuleLocator::Reach> reach;
  bool known = true;
  for (const auto& pack : fx->packs_)
    for (size_t i = 0; i < pack->rules().size(); ++i)
      if (starts_fact(*pack, pack->rules()[i]))
        known = fx->locator_->ReachOf(pack.get(), i, &reach.emplace_back()) && known;
  if (known) fx->screen_window_ = ScreenWindow(reach);
  // The reach of every located rule: a session locates again only around an
  // edit (RuleLocator::LocateAgain).
  if (const auto each = fx->locator_->LocatedReach(); !each.empty())
    fx->locator_window_ = LocateWindow(each);
  fx->load_notes_ = IndexNotes(*fx->locator_, *fx->prescreen_);
  Stages given = stages();
  fx->levels_ = std::move(given.levels);
  fx->assertion_ = std::move(given.assertion);
  return std::shared_ptr<const FactExtractor>(std::move(fx));
}

bool FactExtractor::CannotMatch(std::string_view normalized, Prescreen::Verdict original) const {
  if (original != Prescreen::Verdict::kMayMatch && prescreen_->RejectsNormalized(normalized))
    return true;
  return !prefilter_->AnyMatch(normalized);
}

bool FactExtractor::CannotMatch(std::string_view normalized, Prescreen::Verdict original,
                                ScreenMemo* memo) const {
  return CannotMatchAgain(normalized, original, ScreenMemo(), 0, 0, memo);
}

// The answer is CannotMatch's: the Vectorscan screen rejects (when asked),
// or the RE2::Set matches nowhere; each of the two is settled without its
// scan only by a match it is known to have. Why an earlier match is one of
// the new text: both engines decide a match [b, e) from its bytes, the byte
// before b and the byte at e (\b, multiline ^ and $), and whether b is the
// start and e the end of the text (\A, \z; Vectorscan's $ also holds
// before a newline that ends the text, one byte earlier).
//   - Vectorscan gives a match's end, not its start (nor a bound on it: the
//     rules' \s+ and repeated words have no longest match). A match ending
//     at e with e + 2 <= prefix has everything it reads - bytes 0..e and
//     "neither the end nor the byte before it" - in the shared prefix, so
//     the new text has it too: the screen does not reject.
//   - An RE2 witness is a whole match [b, e) of one prefilter rule
//     (PatternSet::FindRule: the Set's own pattern and options, so the Set
//     matches, or fails, which AnyMatch reads as a match as well). It holds
//     in the new text if e + 1 <= prefix (bytes b-1..e shared, e not the
//     end), or, shifted by the change in size, if b >= 1 + the start of the
//     shared suffix (bytes b-1..end shared, b not the start).
// Neither case reads an unchanged region for a match that is not there.
// "Matched nowhere" is decided by a scan of the whole text, or, when
// Vectorscan met no match in the whole earlier text, by a scan of the
// window around the edit that holds every match the edit can have made
// (NoMatchNearEdit; the argument is in match/screen_window.h).
// An earlier text in which Vectorscan met no match, edited: true if the
// window around the edit that holds every new match (match/screen_window.h)
// holds none either.
bool FactExtractor::NoMatchNearEdit(std::string_view text, size_t prefix, size_t suffix) const {
  size_t begin = 0, end = 0;
  if (!prescreen_->active() || !screen_window_.Find(text, prefix, suffix, &begin, &end))
    return false;
  Prescreen::FirstMatch first;
  return prescreen_->RejectsNormalized(text.substr(begin, end - begin), &first);
}

bool FactExtractor::CannotMatchAgain(std::string_view text, Prescreen::Verdict original,
                                     const ScreenMemo& earlier, size_t prefix, size_t suffix,
                                     ScreenMemo* memo) const {
  *memo = ScreenMemo();
  memo->valid = true;
  memo->size = text.size();
  if (!earlier.valid || prefix + suffix > std::min(earlier.size, text.size()))
    prefix = suffix = 0;  // nothing known to be shared
  if (original != Prescreen::Verdict::kMayMatch) {
    if (earlier.vs_match && earlier.vs_end + 2 <= prefix) {
      memo->vs_match = true;
      memo->vs_rule = earlier.vs_rule;
      memo->vs_end = earlier.vs_end;
    } else if (earlier.vs_none && NoMatchNearEdit(text, prefix, suffix)) {
      memo->vs_none = true;
      return true;
    } else {
      Prescreen::FirstMatch first;
      if (prescreen_->RejectsNormalized(text, &first)) {
        memo->vs_none = prescreen_->active();
        return true;
      }
      memo->vs_match = first.found;
      memo->vs_rule = first.pattern;
      memo->vs_end = first.end;
    }
  }
  if (earlier.re2_match) {
    const size_t shared_suffix = earlier.size - suffix;  // its start, earlier text
    if (earlier.re2_end + 1 <= prefix) {
      memo->re2_match = true;
      memo->re2_begin = earlier.re2_begin;
      memo->re2_end = earlier.re2_end;
      return false;
    }
    if (suffix > 0 && earlier.re2_begin >= shared_suffix + 1) {
      memo->re2_match = true;
      memo->re2_begin = earlier.re2_begin + text.size() - earlier.size;
      memo->re2_end = earlier.re2_end + text.size() - earlier.size;
      return false;
    }
  }
  if (!prefilter_->AnyMatch(text)) return true;
  // A witness for the next pass: the rule Vectorscan met first is the
  // likeliest to match under RE2 too (the same pattern, read more loosely).
  if (memo->vs_match)
    memo->re2_match =
        prefilter_->FindRule(text, memo->vs_rule, &memo->re2_begin, &memo->re2_end);
  return false;
}

namespace {

// A unit: the words whose candidates are linked together, a sentence, or a
// line outside every sentence (a header line, say), with its candidates.
struct Unit {
  Range range;
  int sentence = -1;
  int section = -1;
  std::vector<Candidate> cands;
};

// What the note's first line (an imaging report's exam line) says: whether
// it names the spine, and the spinal regions its exam covers (exam_region
// rules: "CHEST" -> thoracic).
struct ExamLine {
  bool spine = false;
  std::set<std::string_view> regions;
};

// Step 3 of a unit: its levels, its anchors and whether it has spine
// context (a level or a spine word of anchors.toml).
struct UnitLevels {
  std::vector<LevelMention> levels;
  std::vector<Mention> anchors;    // anchors that can claim a level (laminectomy...)
  std::vector<std::string_view> explained_by;  // per anchor: anchors.toml explained_by
  // Words that set a level beside a fact rather than on it ("adjacent to",
  // "cephalad to": anchors.toml relation = "yes"); they claim no level.
  IntervalIndex relations;
  // Words after a fact that set the level after them apart from it ("L1-L2,
  // not T12-L1", "rather than C5-C6": relation = "after"); they claim none.
  IntervalIndex relations_after;
  std::vector<Mention> nonspinal;  // nonspinal_joint anchors (hip, subtalar...)
  bool spine_context = false;
  bool own_context = false;  // a level or spine word in the unit itself
  // Whether a surgical word that points forward ("s/p", "underwent":
  // timing.toml points = "forward") lies in [b, e); asked only for a level
  // between two facts, so the timing scan runs only then. May be empty.
  std::function<bool(uint32_t, uint32_t)> forward_word_in;
};

// Findings of an existing fusion (solid, healed; dropped or not) and
// modality words of a unit.
struct UnitFindings {
  UnitFindings(const std::vector<Candidate>& cands, const Manifest& manifest) {
    for (const Candidate& o : cands) {
      if (manifest.FindingIs(Attr(*o.rule, "finding"), FindingRole::kExistingFusion))
        solid.Add(o.begin, o.end);
      if (!o.dropped && manifest.Is(o.rule->kind, KindRole::kSurgicalFusion))
        fusions.Add(o.begin, o.end);
      if (manifest.Is(o.rule->kind, KindRole::kImagingModality)) {
        modalities.Add(o.begin, o.end);
        modality_cands.push_back(&o);
      }
    }
  }
  IntervalIndex solid, modalities;
  IntervalIndex fusions;  // the unit's surgical fusions (Timing::Nearest)
  std::vector<const Candidate*> modality_cands;  // same order as `modalities`
};

// Step 2 of a unit (candidates in begin order, longest first): merge
// overlapping or joined matches of one kind ("Transforaminal Lumbar
// Interbody Fusion (TLIF)", "Arthrodesis with anterior interbody fusion"
// state one procedure); prefer a specific rule's id.
void MergeJoined(std::string_view text, std::vector<Candidate>* all) {
  std::vector<Candidate>& cands = *all;
  for (size_t i = 0; i < cands.size(); ++i) {
    if (cands[i].dropped) continue;
    for (size_t j = i + 1;
         j < cands.size() &&
         (cands[j].begin < cands[i].end || Joined(text, cands[i].end, cands[j].begin));
         ++j) {
      if (cands[j].dropped || cands[j].rule->kind != cands[i].rule->kind) continue;
      cands[i].end = std::max(cands[i].end, cands[j].end);
      if (cands[i].generic && !cands[j].generic) cands[i].rule = cands[j].rule;
      cands[i].generic = cands[i].generic && cands[j].generic;
      cands[i].note_context = cands[i].note_context && cands[j].note_context;
      cands[i].own_sentence = cands[i].own_sentence && cands[j].own_sentence;
      cands[j].dropped = true;
    }
  }
}

// A fusion word inside an ankylosis / congenital / pseudarthrosis match
// ("spontaneous fusion", "failed fusion") is that diagnosis, not surgery.
// (This drops only fusions, so the index of the others is fixed.)
void DropFusionInDiagnosis(std::vector<Candidate>* cands, const Manifest& manifest) {
  IntervalIndex diagnoses;
  for (const Candidate& o : *cands)
    if (!o.dropped && manifest.Is(o.rule->kind, KindRole::kAbsorbsFusionWord))
      diagnoses.Add(o.begin, o.end);
  for (Candidate& f : *cands) {
    if (f.dropped || !manifest.Is(f.rule->kind, KindRole::kSurgicalFusion)) continue;
    if (diagnoses.Overlaps(f.begin, f.end)) f.dropped = true;
  }
}

// A rule with hides = "KIND ..." hides the matches of those kinds inside its
// words ("juvenile ankylosing spondylitis" is not ankylosing spondylitis).
void ApplyHides(std::vector<Candidate>* cands) {
  for (const Candidate& h : *cands) {
    const std::string_view hidden = Attr(*h.rule, "hides");
    if (h.dropped || hidden.empty()) continue;
    for (Candidate& o : *cands)
      if (&o != &h && HasWord(hidden, o.rule->kind) && o.begin < h.end && h.begin < o.end)
        o.dropped = true;
  }
}

// The fact of the level's own clause nearest to it. A ';' ends a clause:
// "spontaneous fusion C7-T1; the C6-C7 disc is preserved" does not give the
// fusion C6-C7. The nearest fact of the level's own clause takes it: in
// "solid fusion at L5-S1; pseudarthrosis may be present" the fusion, not the
// nearer pseudarthrosis across the ';'. The facts beside `nearest` (the
// nearest of all, in begin order) are the candidates; npos if none fits.
size_t NearestInClause(std::string_view text, const LevelMention& lm,
                       const std::vector<Candidate*>& facts, size_t nearest) {
  if (SameClause(text, lm.begin, lm.end, facts[nearest]->begin, facts[nearest]->end))
    return nearest;
  size_t pick = IntervalIndex::npos;
  uint32_t pick_gap = UINT32_MAX;
  for (const size_t k : {nearest - 1, nearest + 1}) {
    if (k >= facts.size()) continue;  // also nearest - 1 wrapped below 0
    const Candidate& c = *facts[k];
    const uint32_t g = Gap(lm.begin, lm.end, c.begin, c.end);
    if (g < pick_gap && SameClause(text, lm.begin, lm.end, c.begin, c.end)) {
      pick = k;
      pick_gap = g;
    }
  }
  return pick;
}

// Whether every word of `gap` (a run of a-z between bytes `skip` passes
// over) passes `word`; a byte that is neither is a word none passes. The
// walk of the gap tests below.
template <class Skip, class Word>
bool EveryGapWord(std::string_view gap, Skip skip, Word word) {
  size_t i = 0;
  while (i < gap.size()) {
    if (skip(gap[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < gap.size() && gap[j] >= 'a' && gap[j] <= 'z') ++j;
    if (j == i || !word(gap.substr(i, j - i))) return false;
    i = j;
  }
  return true;
}

// Whether the words between two levels only join them as a list: blanks,
// ",", "&", "and", "or", and "the" or a preposition repeated after them
// ("the cervical and the lumbar spine", "in the neck and in the lumbar spine").
bool OnlyListConnectors(std::string_view gap) {
  return EveryGapWord(
      gap, [](char ch) { return ch == ' ' || ch == '\n' || ch == ',' || ch == '&'; },
      [](std::string_view w) {
        return w == "and" || w == "or" || w == "the" || w == "of" || w == "in" || w == "at" ||
               w == "on";
      });
}

// Whether the words between a fact and the level after it are a
// preposition that makes the level the fact's ("fusion across T12-L1",
// "ankylosis involving the L2-3 level"): only filler, and one of these.
bool PrepositionBefore(std::string_view gap) {
  bool prep = false;
  return EveryGapWord(gap, IsFillerByte,
                      [&](std::string_view w) {
                        if (w == "across" || w == "at" || w == "of" || w == "involving" ||
                            w == "from" || w == "throughout" || w == "along" || w == "spanning") {
                          prep = true;
                          return true;
                        }
                        return w == "the" || w == "level" || w == "levels";
                      }) &&
         prep;
}

// Whether the words between a level and the fact after it are "with" alone
// (blanks and "level(s)" aside): "T12-L1 with bony bridging".
bool OnlyWith(std::string_view gap) {
  bool with = false;
  return EveryGapWord(gap, [](char ch) { return ch == ' ' || ch == '\n'; },
                      [&](std::string_view w) {
                        if (w == "with") with = true;
                        return w == "with" || w == "level" || w == "levels";
                      }) &&
         with;
}

// Whether level `lm`, after fact `before` and before fact `next` in a list
// ("T12 hemivertebra resection and T11-L1 posterior instrumented fusion"),
// opens the next item: only list connectors between `before` and the level,
// at most three describing words between the level and `next`, and `before`
// has its own level written before it. A fact names its level once, as an
// anchor does ("C5 corpectomy, C4-C6 anterior fusion"; blind round 26C).
bool OpensNextItem(std::string_view text, const LevelMention& lm, const Candidate& before,
                   const Candidate& next) {
  if (!OnlyListConnectors(text.substr(before.end, lm.begin - before.end))) return false;
  int words = 0;
  const bool describing = EveryGapWord(
      text.substr(lm.end, next.begin - lm.end), [](char ch) { return ch == ' '; },
      [&](std::string_view w) {
        return ++words <= 3 && w != "and" && w != "or" && w != "with" && w != "of" &&
               w != "at" && w != "to" && w != "in" && w != "for" && w != "after";
      });
  return describing && std::any_of(before.levels.begin(), before.levels.end(),
                                   [&](const LevelMention* l) { return l->end <= before.begin; });
}

// The anchors of a unit that levels can attach to, indexed (begin order).
struct AnchorIndex {
  explicit AnchorIndex(const std::vector<Mention>& hits, const IntervalIndex& facts) {
    for (const Mention& a : hits) {
      index.Add(a.begin, a.end);
      free.push_back(!facts.Contains(a.begin, a.end));
    }
  }
  IntervalIndex index;
  std::vector<bool> free;  // not inside any fact's words
};

// The anchor that takes level `lm` from `best`, its nearest fact: one
// outside every fact's words that is attached to the level ("L3-L4
// laminectomy", "stenosis at L3-4") when the fact is not, or is farther.
// npos if none.
size_t ClaimingAnchor(std::string_view text, const LevelMention& lm, const Candidate& best,
                      const std::vector<Mention>& anchors, const AnchorIndex& index) {
  const uint32_t best_gap = Gap(lm.begin, lm.end, best.begin, best.end);
  const bool fact_attached = Attached(text, lm.begin, lm.end, best.begin, best.end);
  uint64_t lo = 0, hi = 0;
  AttachReach(text, lm.begin, lm.end, &lo, &hi);
  const auto [first, last] = index.index.Near(lo, hi);
  for (size_t k = first; k < last; ++k) {
    const Mention& a = anchors[k];
    if (!index.free[k] || !Attached(text, lm.begin, lm.end, a.begin, a.end)) continue;
    // An anchor that is all of an aside in brackets after the level
    // ("spontaneous fusion at L2-L3 (degenerative)") says what the level's
    // fact is; it claims no level before it.
    if (lm.end <= a.begin && a.begin > 0 && text[a.begin - 1] == '(' && a.end < text.size() &&
        text[a.end] == ')')
      continue;
    // An anchor written as the fact's own adjective ("L5-S1 degenerative
    // autofusion": only blanks between it and the fact) says what the fact
    // is; the level before it is the fact's.
    if (lm.end <= a.begin && a.end <= best.begin &&
        text.substr(a.end, best.begin - a.end).find_first_not_of(' ') == std::string_view::npos)
      continue;
    if (!fact_attached || Gap(lm.begin, lm.end, a.begin, a.end) < best_gap) return k;
  }
  return IntervalIndex::npos;
}

// Each level goes to the nearest fact of its clause, unless an anchor claims
// it. Returns the levels each anchor claimed. facts and anchors are in
// begin order: interval indexes find the nearest fact and the anchors a
// level can attach to without a scan of all of them per level (quadratic in
// a sentence listing many levels).
std::vector<std::vector<const LevelMention*>> GiveLevelsToNearest(
    std::string_view text, const UnitLevels& u, const std::vector<Candidate*>& facts,
    const IntervalIndex& fact_index) {
  const AnchorIndex anchors(u.anchors, fact_index);
  std::vector<std::vector<const LevelMention*>> anchor_levels(u.anchors.size());
  const LevelMention* prev = nullptr;
  size_t prev_claim = IntervalIndex::npos;  // the anchor that claimed `prev`
  for (const LevelMention& lm : u.levels) {
    // The next item of a list whose first item an anchor claimed ("pain of
    // the cervical and lumbar spine": the anchor is attached to "cervical"
    // only) is the anchor's too, unless the item is attached to its fact
    // ("stenosis at L3-4 and L4-5 fusion").
    const size_t list_claim =
        prev != nullptr && prev_claim != IntervalIndex::npos && prev->end <= lm.begin &&
                OnlyListConnectors(text.substr(prev->end, lm.begin - prev->end))
            ? prev_claim
            : IntervalIndex::npos;
    prev = &lm;
    prev_claim = IntervalIndex::npos;
    size_t nearest = fact_index.Nearest(lm.begin, lm.end);
    if (nearest == IntervalIndex::npos) continue;
    nearest = NearestInClause(text, lm, facts, nearest);
    if (nearest == IntervalIndex::npos) continue;
    // A fact inside a bracket closed before the level is an aside: "AS
    // (cervical spine fused), s/p C3-T1 posterior fusion" -- the range is the
    // fusion's after it in the clause, not the aside's; so is a level that a
    // surgical word pointing forward opens ("ankylosing spondylitis, spine
    // fused, s/p C3-T1 posterior fusion": the s/p and its level go with the
    // operation after them; round 22).
    if (facts[nearest]->end <= lm.begin) {
      size_t after = nearest + 1;
      while (after < facts.size() && facts[after]->begin < lm.end) ++after;
      if (after < facts.size() && facts[after - 1]->end <= lm.begin &&
          SameClause(text, lm.begin, lm.end, facts[after]->begin, facts[after]->end)) {
        const std::string_view gap =
            text.substr(facts[nearest]->end, lm.begin - facts[nearest]->end);
        const size_t close = gap.find(')');
        if ((close != std::string_view::npos && gap.find('(', close) == std::string_view::npos) ||
            (u.forward_word_in && u.forward_word_in(facts[nearest]->end, lm.begin)) ||
            OpensNextItem(text, lm, *facts[nearest], *facts[after]))
          nearest = after;
      }
    }
    // "Degenerative fusion across T12-L1 with bony bridging of the disc
    // space": a level that a preposition ties to the fact before it is that
    // fact's, though the fact "with" it adds is nearer (words24).
    if (facts[nearest]->begin >= lm.end && nearest > 0 &&
        facts[nearest - 1]->end <= lm.begin &&
        PrepositionBefore(text.substr(facts[nearest - 1]->end, lm.begin - facts[nearest - 1]->end)) &&
        OnlyWith(text.substr(lm.end, facts[nearest]->begin - lm.end)) &&
        SameClause(text, lm.begin, lm.end, facts[nearest - 1]->begin, facts[nearest - 1]->end))
      nearest = nearest - 1;
    Candidate* best = facts[nearest];
    // "C7-T1 disc protrusion below the fusion", "the T12-L1 interspace,
    // cephalad to his fusion construct": a level set beside the fact by a
    // relation between them is not the fact's (nor anyone's here).
    if (lm.end <= best->begin && u.relations.Overlaps(lm.end, best->begin)) continue;
    // "the fused segment is L1-L2, not T12-L1": a level after the fact with
    // a relation_after word between them is not the fact's.
    if (lm.begin >= best->end && u.relations_after.Overlaps(best->end, lm.begin)) continue;
    size_t claim = ClaimingAnchor(text, lm, *best, u.anchors, anchors);
    if (claim == IntervalIndex::npos && list_claim != IntervalIndex::npos &&
        !Attached(text, lm.begin, lm.end, best->begin, best->end))
      claim = list_claim;
    // An anchor names its own level once: "C5 corpectomy, C4-C6 anterior
    // fusion" -- the corpectomy has C5 before it, so the range after its
    // comma is the next phrase's (the fusion's), not a second level of it.
    if (claim != IntervalIndex::npos) {
      const Mention& a = u.anchors[claim];
      const bool own_before = std::any_of(
          anchor_levels[claim].begin(), anchor_levels[claim].end(),
          [&](const LevelMention* prev) { return prev->end <= a.begin; });
      if (own_before && lm.begin >= a.end &&
          text.substr(a.end, lm.begin - a.end).find(',') != std::string_view::npos)
        claim = IntervalIndex::npos;
    }
    if (claim != IntervalIndex::npos) {
      anchor_levels[claim].push_back(&lm);
      prev_claim = claim;
    } else {
      best->levels.push_back(&lm);
    }
  }
  return anchor_levels;
}

// Whether the levels hold a level, not only region words ("thoracic").
bool HasLevel(const std::vector<const LevelMention*>& levels) {
  return std::any_of(levels.begin(), levels.end(),
                     [](const LevelMention* lm) { return lm->form != LevelForm::kRegionWord; });
}
bool HasLevel(const Candidate& c) { return HasLevel(c.levels); }

// A fusion coordinated with an anchor shares the anchor's levels: "C3-C6
// laminectomy and posterior fusion" fuses C3-C6.
void ShareAnchorLevels(std::string_view text, const std::vector<Mention>& anchors,
                       const std::vector<std::vector<const LevelMention*>>& anchor_levels,
                       const std::vector<Candidate*>& facts, const Manifest& manifest) {
  // A fusion given only a region word of its sentence that is not its own
  // ("cervical spondylotic myelopathy ... underwent C3-C6 laminectomy and
  // posterior fusion") has no site of its own: the coordinated anchor's
  // levels are where it was done. Its own region word ("prior lumbar fusion
  // with adjacent level disease at L2-L3") keeps it.
  for (Candidate* c : facts) {
    if (HasLevel(*c) || !manifest.Is(c->rule->kind, KindRole::kSurgicalFusion)) continue;
    if (std::any_of(c->levels.begin(), c->levels.end(), [&](const LevelMention* lm) {
          return Attached(text, lm->begin, lm->end, c->begin, c->end);
        }))
      continue;
    // With no level at all any of the anchor's levels will do; beside
    // another phrase's region word, only real levels.
    const bool bare = c->levels.empty();
    for (size_t k = 0; k < anchors.size(); ++k)
      if ((bare ? !anchor_levels[k].empty() : HasLevel(anchor_levels[k])) &&
          Coordinated(text, anchors[k], *c, &anchor_levels[k])) {
        c->levels = anchor_levels[k];
        break;
      }
  }
}

// Whether the words between a disease and a manifestation after it join
// the two: "with" ("DISH with flowing osteophytes"), or a parenthesis
// opened after the disease that holds the manifestation ("Klippel-Feil
// syndrome (C2-3 block)").
bool JoinsManifestation(std::string_view between) {
  // "w/" is the clinician's "with" ("Klippel-Feil syndrome w/ C2-C3 block").
  return HasWord(between, "with") || HasWord(between, "w/") ||
         (between.find('(') != std::string_view::npos &&
          between.find_first_of(",;:)") == std::string_view::npos);
}

// Whether every level the disease `c` names is in its own words ("cervical
// fusion syndrome") or written at or after `at` (the manifestation after
// it): then it names no site of its own before the manifestation ("AS of
// the thoracolumbar region with syndesmophytes T11-L2" keeps its region).
bool NoSiteBefore(const Candidate& c, uint32_t at) {
  return std::all_of(c.levels.begin(), c.levels.end(), [&](const LevelMention* lm) {
    return (lm->begin >= c.begin && lm->end <= c.end) || lm->begin >= at;
  });
}

// Adds the levels of `more` not in *levels, and keeps them in text order.
void AddLevels(const std::vector<const LevelMention*>& more,
               std::vector<const LevelMention*>* levels) {
  for (const LevelMention* lm : more)
    if (std::find(levels->begin(), levels->end(), lm) == levels->end()) levels->push_back(lm);
  std::sort(levels->begin(), levels->end(),
            [](const LevelMention* a, const LevelMention* b) { return a->begin < b->begin; });
}

// A disease named with a manifestation it explains, in the same clause with
// no fact between, takes the manifestation's levels when it names none:
// "flowing osteophytes of the thoracic spine consistent with DISH" (the
// anchor claimed "thoracic spine"), or the disease first and the anchor
// after "with" ("DISH with flowing osteophytes of the thoracic spine").
// anchors.toml `explained_by` lists the kinds; the nearest such anchor before
// the fact wins, else the first after it. The disease written first also
// keeps the sites it names after the anchor: in "AS with syndesmophytes in
// the cervical and lumbar spine" the anchor claims "cervical", the disease
// "lumbar spine", and both are the disease's.
void ShareManifestationLevels(std::string_view text, const UnitLevels& u,
                              const std::vector<std::vector<const LevelMention*>>& anchor_levels,
                              const std::vector<Candidate*>& facts) {
  auto none_between = [&](const Candidate* c, uint32_t b, uint32_t e) {
    return std::none_of(facts.begin(), facts.end(), [&](const Candidate* f) {
      return f != c && f->begin >= b && f->end <= e;
    });
  };
  for (Candidate* c : facts) {
    const bool named = !c->levels.empty();
    const std::vector<const LevelMention*>* before = nullptr;
    const std::vector<const LevelMention*>* after = nullptr;
    uint32_t after_at = 0;
    for (size_t k = 0; k < u.anchors.size(); ++k) {
      const Mention& a = u.anchors[k];
      if (anchor_levels[k].empty() || !HasWord(u.explained_by[k], c->rule->kind) ||
          !SameClause(text, a.begin, a.end, c->begin, c->end))
        continue;
      if (a.end <= c->begin && none_between(c, a.end, c->begin)) before = &anchor_levels[k];
      if (a.begin >= c->end && after == nullptr && none_between(c, c->end, a.begin) &&
          JoinsManifestation(text.substr(c->end, a.begin - c->end))) {
        after = &anchor_levels[k];
        after_at = a.begin;
      }
    }
    if (named) {
      if (after != nullptr && NoSiteBefore(*c, after_at)) AddLevels(*after, &c->levels);
    } else if (before != nullptr) {
      c->levels = *before;
    } else if (after != nullptr) {
      c->levels = *after;
    }
  }
}


// Hardware in the fusion's own clause names the fused levels ("L4 and L5
// pedicle screws from prior posterior fusion", "a cage was placed at L5-S1
// ... to complete the fusion", "thoracic fusion hardware from T2 to T12": the
// region word is the fusion's, the levels the hardware's).
// (The hardware with levels is listed once, and clauses are told apart by
// the unit's semicolons found once: a unit can hold thousands of findings.)
void ShareHardwareLevels(std::string_view text, const std::vector<Candidate*>& facts,
                         const Manifest& manifest) {
  std::vector<const Candidate*> hardware;
  for (const Candidate* h : facts)
    if (manifest.FindingIs(Attr(*h->rule, "finding"), FindingRole::kHardware) && HasLevel(*h))
      hardware.push_back(h);
  if (hardware.empty() || facts.empty()) return;
  uint32_t lo = UINT32_MAX, hi = 0;
  for (const Candidate* f : facts) {
    lo = std::min(lo, f->begin);
    hi = std::max(hi, f->end);
  }
  std::vector<uint32_t> semicolons;
  for (uint32_t k = lo; k < hi; ++k)
    if (text[k] == ';') semicolons.push_back(k);
  // SameClause: no ';' in the gap between the two.
  auto same_clause = [&](const Candidate& a, const Candidate& b) {
    const uint32_t from = std::min(a.end, b.end), to = std::max(a.begin, b.begin);
    if (from >= to) return true;
    auto it = std::lower_bound(semicolons.begin(), semicolons.end(), from);
    return it == semicolons.end() || *it >= to;
  };
  for (Candidate* c : facts) {
    if (HasLevel(*c) || !manifest.Is(c->rule->kind, KindRole::kSurgicalFusion)) continue;
    for (const Candidate* h : hardware)
      if (same_clause(*h, *c)) {
        c->levels.insert(c->levels.end(), h->levels.begin(), h->levels.end());
        break;
      }
  }
}

// A complication of a fusion written as "X of <the fusion>" ("Nonunion of
// L4-5 fusion", "pseudarthrosis after the C5-C6 ACDF"): the levels went to the
// nearer fusion word, but they name the fusion the complication is of, so a
// complication (requires_fusion kind) naming none shares them. Only a
// relation word first, then only filler words and levels (words with a
// digit) between the two: both lists are manifest.toml
// [complication_of_fusion]. The text is normalized (lower case).
bool NamesItsFusion(std::string_view gap, const Manifest& manifest) {
  const std::vector<std::string>& relation = manifest.complication_relation();
  const std::vector<std::string>& filler = manifest.complication_filler();
  if (gap.size() > 60) return false;
  bool first = true;
  for (size_t k = 0; k < gap.size();) {
    const char ch = gap[k];
    if (ch == ' ') {
      ++k;
      continue;
    }
    size_t e = k;
    bool digit = false;
    while (e < gap.size() && gap[e] != ' ') {
      if (!IsAlnum(gap[e]) && gap[e] != '-') return false;
      digit = digit || (gap[e] >= '0' && gap[e] <= '9');
      ++e;
    }
    const std::string_view w = gap.substr(k, e - k);
    if (first) {
      if (std::find(relation.begin(), relation.end(), w) == relation.end()) return false;
      first = false;
    } else if (!digit && std::find(filler.begin(), filler.end(), w) == filler.end()) {
      return false;
    }
    k = e;
  }
  return !first;
}

// Whether text[b, e), from a fusion to a complication written after it, opens
// a relative clause about that fusion: at most four words of `relation`,
// `filler` or levels and dates (words with a digit) after the fusion, then a
// `relative` word ("an L4-5 instrumented fusion in 2022 which, on the CT of
// last month, has failed to fuse"); no ';' and at most 120 bytes in all.
bool OpensClauseOnTheFusion(std::string_view gap, const Manifest& manifest) {
  const std::vector<std::string>& relative = manifest.complication_relative();
  if (relative.empty() || gap.size() > 120 || gap.find(';') != std::string_view::npos)
    return false;
  const std::vector<std::string>& relation = manifest.complication_relation();
  const std::vector<std::string>& filler = manifest.complication_filler();
  auto in = [](const std::vector<std::string>& list, std::string_view w) {
    return std::find(list.begin(), list.end(), w) != list.end();
  };
  int words = 0;
  for (size_t k = 0; k < gap.size() && words <= 4;) {
    if (!IsAlnum(gap[k])) {
      ++k;
      continue;
    }
    size_t e = k;
    bool digit = false;
    while (e < gap.size() && (IsAlnum(gap[e]) || gap[e] == '-' || gap[e] == '/')) {
      digit = digit || (gap[e] >= '0' && gap[e] <= '9');
      ++e;
    }
    const std::string_view w = gap.substr(k, e - k);
    if (in(relative, w)) return true;
    if (!digit && !in(relation, w) && !in(filler, w)) return false;
    ++words;
    k = e;
  }
  return false;
}

// Whether text[b, e), from a complication to a fusion written after it, tells
// that fusion as the complication's repair: one to four words, each a
// `repair` word ("L4-L5 pseudarthrosis s/p revision fusion", "nonunion,
// treated with revision arthrodesis"), at most 40 bytes, no ';'.
bool RepairsTheComplication(std::string_view gap, const Manifest& manifest) {
  const std::vector<std::string>& repair = manifest.complication_repair();
  if (repair.empty() || gap.size() > 40 || gap.find(';') != std::string_view::npos) return false;
  int words = 0;
  for (size_t k = 0; k < gap.size();) {
    if (gap[k] == ' ' || gap[k] == ',') {
      ++k;
      continue;
    }
    size_t e = k;
    while (e < gap.size() && gap[e] != ' ' && gap[e] != ',') ++e;
    if (std::find(repair.begin(), repair.end(), gap.substr(k, e - k)) == repair.end()) return false;
    ++words;
    k = e;
  }
  return words >= 1 && words <= 4;
}

void ShareLevelsOfTheFusionItComplicates(std::string_view text,
                                         const std::vector<Candidate*>& facts,
                                         const Manifest& manifest) {
  // A fusion with no level told as the repair of the complication just
  // before it takes the complication's levels.
  for (Candidate* f : facts) {
    if (!f->levels.empty() || !manifest.Is(f->rule->kind, KindRole::kSurgicalFusion)) continue;
    const Candidate* before = nullptr;
    for (const Candidate* c : facts)
      if (c->end <= f->begin && (before == nullptr || c->end > before->end)) before = c;
    if (before != nullptr && !before->levels.empty() &&
        manifest.Is(before->rule->kind, KindRole::kRequiresFusion) &&
        RepairsTheComplication(text.substr(before->end, f->begin - before->end), manifest))
      f->levels = before->levels;
  }
  for (Candidate* c : facts) {
    if (!c->levels.empty() || !manifest.Is(c->rule->kind, KindRole::kRequiresFusion)) continue;
    const Candidate* fusion = nullptr;
    for (const Candidate* f : facts)
      if (f->begin >= c->end && manifest.Is(f->rule->kind, KindRole::kSurgicalFusion) &&
          (fusion == nullptr || f->begin < fusion->begin))
        fusion = f;
    if (fusion != nullptr && !fusion->levels.empty() &&
        NamesItsFusion(text.substr(c->end, fusion->begin - c->end), manifest)) {
      c->levels = fusion->levels;
      continue;
    }
    // The fusion written first, the complication in a relative clause about
    // it: the nearest fusion before, with only complications between them.
    const Candidate* before = nullptr;
    for (const Candidate* f : facts)
      if (f->end <= c->begin && manifest.Is(f->rule->kind, KindRole::kSurgicalFusion) &&
          (before == nullptr || f->end > before->end))
        before = f;
    if (before == nullptr || before->levels.empty()) continue;
    const bool only_complications = std::all_of(facts.begin(), facts.end(), [&](const Candidate* f) {
      return f == c || f->end <= before->end || f->begin >= c->begin ||
             manifest.Is(f->rule->kind, KindRole::kRequiresFusion) ||
             manifest.Is(f->rule->kind, KindRole::kImagingFinding);
    });
    const uint32_t gap_end = c->begin;
    if (only_complications && gap_end - before->end <= 120 &&
        OpensClauseOnTheFusion(text.substr(before->end, gap_end - before->end), manifest))
      c->levels = before->levels;
  }
}

// Overlapping facts describe the same words ("bony ankylosis" is both an
// ankylosis and an imaging finding): they share their levels. A fact
// without levels takes those of the first overlapping fact (in order) that
// has some by then.
void ShareOverlappingLevels(const std::vector<Candidate*>& facts,
                            const IntervalIndex& fact_index) {
  for (size_t i = 0; i < facts.size(); ++i) {
    Candidate* a = facts[i];
    if (!a->levels.empty() || a->end == 0) continue;
    const auto [first, last] = fact_index.Near(static_cast<uint64_t>(a->begin) + 1, a->end - 1);
    for (size_t k = first; k < last; ++k) {
      const Candidate* b = facts[k];
      if (k == i || b->levels.empty() || !(a->begin < b->end && b->begin < a->end)) continue;
      a->levels = b->levels;
      break;
    }
  }
}

// Step 4 of a unit: levels to facts (the pointers stay into u.levels).
void LinkLevels(std::string_view text, const UnitLevels& u, const std::vector<Candidate*>& all,
                const Manifest& manifest) {
  // A fact whose rule says levels_of_anchor = "yes" (a disease's bridging:
  // "bridging syndesmophytes T12-L1") leaves every other fact and anchor the
  // levels they take without it, so a disease it shows reads the same site;
  // it takes the levels it would be given beside them, not region words
  // ("AS involving the thoracic and lumbar spine with bridging
  // syndesmophytes": the disease's sites, M45.0).
  std::vector<Candidate*> facts, by_anchor;
  for (Candidate* c : all)
    (Attr(*c->rule, "levels_of_anchor") == "yes" ? by_anchor : facts).push_back(c);
  IntervalIndex fact_index;
  for (const Candidate* c : facts) fact_index.Add(c->begin, c->end);
  if (!by_anchor.empty()) {
    std::vector<std::vector<const LevelMention*>> kept;
    for (const Candidate* c : facts) kept.push_back(c->levels);
    IntervalIndex all_index;
    for (const Candidate* c : all) all_index.Add(c->begin, c->end);
    GiveLevelsToNearest(text, u, all, all_index);
    for (size_t i = 0; i < facts.size(); ++i) facts[i]->levels = std::move(kept[i]);
    for (Candidate* c : by_anchor)
      c->levels.erase(std::remove_if(c->levels.begin(), c->levels.end(),
                                     [](const LevelMention* lm) {
                                       return lm->form == LevelForm::kRegionWord;
                                     }),
                      c->levels.end());
  }
  const auto anchor_levels = GiveLevelsToNearest(text, u, facts, fact_index);
  ShareAnchorLevels(text, u.anchors, anchor_levels, facts, manifest);
  ShareManifestationLevels(text, u, anchor_levels, facts);
  ShareHardwareLevels(text, facts, manifest);
  ShareLevelsOfTheFusionItComplicates(text, facts, manifest);
  ShareOverlappingLevels(facts, fact_index);
  // A range that spells out the junction named beside it ("ankylosis across
  // the cervicothoracic junction (C6-T2) from ankylosing spondylitis") says
  // how far the junction's finding reaches, whichever fact the range went to:
  // the fact takes the junction too, so AddSites reads the range as the
  // junction's extent (M45.3, not M45.0 from three regions).
  for (Candidate* c : all) {
    std::vector<const LevelMention*> spelled;
    for (const LevelMention* lm : c->levels)
      for (const LevelMention& j : u.levels)
        if (j.form == LevelForm::kJunction && SpellsOutJunction(text, j, *lm))
          spelled.push_back(&j);
    if (!spelled.empty()) AddLevels(spelled, &c->levels);
  }
}

}  // namespace

// One Extract call: the note, what is found on first use, and the facts so
// far. The steps, in the order Run calls them: FindCandidates (concept
// matches of the whole note, by unit); per unit in document order
// ExtractUnit (merge, spine context, LinkLevels, BuildFacts: assertion,
// sites, timing, modality; differentials, disease linking); then over the
// note MakeBareFusionsAcquired, LinkAcrossNote and SiteFromExamLine.
class FactExtractor::NotePass {
 public:
  // `sentences` null: the pass splits only the sections that hold a
  // concept match (SplitSectionsWithMatches).
  NotePass(const FactExtractor& fx, std::string_view original, const NormalizedText& nt,
           const std::vector<Section>& sections, const std::vector<Sentence>* sentences,
           ScanReport* report, const AnalyzeOptions* options, UnitMemo* memo,
           const OriginalStash* released)
      : fx_(fx),
        options_(options),
        memo_(memo == nullptr ? nullptr : &memo->impl()),
        unit_memo_(memo),
        original_(original, released),
        nt_(nt),
        text_(nt.text),
        size_(static_cast<uint32_t>(nt.text.size())),
        sections_(sections),
        split_here_(sentences == nullptr),
        sentences_(sentences != nullptr ? *sentences : own_sentences_),
        report_(report),
        kinds_(*fx.sections_),
        manifest_(*fx.manifest_),
        anchors_(*fx.packs_.back()),
        sent_ranges_(nt, sentences_) {}

  std::vector<Fact> Run() {
    // One Vectorscan scan says where each rule of the note-wide packs can
    // match; their FindAll runs RE2 only there (match/rule_locator.h).
    windows_ = LocateNote();
    if (!FindCandidates()) return {};
    report_note_ = IsReportNote();
    absorbed_ = units_.begin();
    for (auto& [key, unit] : units_) ExtractUnit(&unit);
    ExtendFusions();
    MakeBareFusionsAcquired();
    DoubtBareFusionsOfDoubtedCause();
    DenyUnplacedPriorFusions();
    PastComplicationsRepairedElsewhere();
    FusionsOfRepairs();
    RetractCorrected();
    EarlierDocumentFacts();
    SameFusionAgain();
    FusionRegionTakesHardwareLevels();
    SiteFromSameSentence();
    LinkAcrossNote(&facts_, fact_rules_, manifest_, DiseaseSites());
    SiteFromExamLine();
    for (size_t i = 0; i < facts_.size(); ++i) facts_[i].id = static_cast<int>(i);
    return std::move(facts_);
  }

  // The locator's windows of the note: Locate's, or, in a live session whose
  // memo holds the windows of the text this one was spliced from, those
  // made again around the edit (RuleLocator::LocateAgain); null if the
  // locator is off or its scan failed.
  const RuleWindows* LocateNote() {
    if (unit_memo_ == nullptr) {
      if (!fx_.locator_->Locate(text_, &note_windows_)) return nullptr;
      return regional_ = &note_windows_;
    }
    LocatorMemo& lm = unit_memo_->locator();
    lm.located = false;
    lm.again = lm.usable && fx_.locator_->LocateAgain(text_, fx_.locator_window_, lm.size,
                                                      lm.prefix, lm.suffix, &lm.windows,
                                                      &lm.scratch);
    if (!lm.again && !fx_.locator_->Locate(text_, &lm.windows)) return nullptr;
    lm.size = size_;
    lm.located = true;
    return regional_ = &lm.windows;
  }

  // The regional anchors rules' windows over text[b, e) (RuleLocator::
  // LocateRegional), before the anchors pack's FindAll there.
  void LocateRegional(uint32_t b, uint32_t e) {
    if (regional_ != nullptr) fx_.locator_->LocateRegional(text_, b, e, regional_);
  }

  // The assertion cues of the unit r, in *out; from the session's memo when
  // a pass before found them in the same bytes (UnitScanKey), else found
  // and kept there (not if they could not be found: that is reported again).
  const SentenceCues& CuesOf(Range r, std::optional<SentenceCues>* out) {
    if (memo_ == nullptr) return out->emplace(*fx_.assertion_, text_, r.begin, r.end);
    UnitMemo::Impl::Entry& entry = memo_->Find(UnitScanKey(text_, r.begin, r.end));
    if (entry.assertion_cues) return out->emplace(*entry.assertion_cues, r.begin);
    const SentenceCues& cues = out->emplace(*fx_.assertion_, text_, r.begin, r.end);
    if (!cues.failed()) entry.assertion_cues.emplace(cues, r.begin);
    return cues;
  }

  // LevelExtractor::Extract of the unit r (no hint) and the anchors pack's
  // matches in it; from the session's memo when a pass before scanned the
  // same bytes (UnitScanKey), else scanned and kept there. `report` as the
  // scans' own.
  std::vector<LevelMention> LevelsIn(Range r, ScanReport* report) {
    if (memo_ == nullptr)
      return fx_.levels_->Extract(text_, r.begin, r.end, {}, report, windows_);
    UnitMemo::Impl::Entry& entry = memo_->Find(UnitScanKey(text_, r.begin, r.end));
    if (entry.levels_done) {
      ++memo_->reused;
      std::vector<LevelMention> out = entry.levels;
      for (LevelMention& lm : out) lm.begin += r.begin, lm.end += r.begin;
      return out;
    }
    ++memo_->scanned;
    ScanReport own;
    std::vector<LevelMention> out =
        fx_.levels_->Extract(text_, r.begin, r.end, {}, &own, windows_);
    MergeReport(own, report);
    if (!own.truncated && !own.failed) {
      entry.levels = out;
      for (LevelMention& lm : entry.levels) lm.begin -= r.begin, lm.end -= r.begin;
      entry.levels_done = true;
    }
    return out;
  }
  // LevelExtractor::RegionsOfPhrase of a fact's words (a text of its own:
  // a function of those bytes alone), from the session's memo when it has
  // them.
  LevelExtractor::PhraseRegions RegionsOfWords(std::string_view words) const {
    if (memo_ == nullptr) return fx_.levels_->RegionsOfPhrase(words, report_);
    std::string key(words);
    if (const LevelExtractor::PhraseRegions* kept = memo_->FindPhrase(key)) {
      ++memo_->reused;
      return *kept;
    }
    ++memo_->scanned;
    ScanReport own;
    LevelExtractor::PhraseRegions out = fx_.levels_->RegionsOfPhrase(words, &own);
    MergeReport(own, report_);
    if (!own.truncated && !own.failed) memo_->current_phrases.emplace(std::move(key), out);
    return out;
  }
  std::vector<Mention> AnchorsIn(Range r, ScanReport* report) {
    LocateRegional(r.begin, r.end);
    return UnitMatches(memo_, &UnitMemoImpl::Entry::anchors_done, &UnitMemoImpl::Entry::anchors,
                       anchors_, text_, r.begin, r.end, windows_, report);
  }

 private:
  bool Is(const Rule& rule, KindRole role) const { return manifest_.Is(rule.kind, role); }

  // Step 1: concept matches over the whole note, grouped by unit. False if
  // there is none.
  bool FindCandidates() {
    const size_t concept_packs = fx_.packs_.size() - 1;  // the last is anchors
    std::vector<std::vector<Mention>> found(concept_packs);
    for (size_t p = 0; p < concept_packs; ++p) {
      const RulePack& pack = *fx_.packs_[p];
      found[p] = pack.FindAll(text_, 0, size_, windows_, report_);
      auto allowed = [&](const Mention& m) { return CaseAllows(pack.rules()[m.rule], m); };
      found[p].erase(std::stable_partition(found[p].begin(), found[p].end(), allowed),
                     found[p].end());
    }
    if (split_here_) SplitSectionsWithMatches(found);
    bool any = false;
    for (size_t p = 0; p < concept_packs; ++p) {
      const RulePack& pack = *fx_.packs_[p];
      for (const Mention& m : found[p]) {
        const Rule& rule = pack.rules()[m.rule];
        Candidate c;
        c.rule = &rule;
        c.begin = m.begin;
        c.end = m.end;
        // A group named `concept` is the fact's words; the rest of the match
        // only says which concept is meant ("r/o AS - xray SI jts": the fact
        // is "AS", and "r/o" stays a cue outside it that can reach it).
        for (const Mention::Group& g : m.groups)
          if (g.name == "concept") c.begin = g.begin, c.end = g.end;
        const std::string_view needs = Attr(rule, "needs_spine_context");
        c.generic = needs == "yes" || needs == "sentence";
        c.note_context = needs == "note";
        c.own_sentence = needs == "sentence";
        const uint32_t at = c.begin;
        UnitFor(at).cands.push_back(std::move(c));
        any = true;
      }
    }
    return any;
  }

  // The sentences this pass reads, when it was handed none: those of the
  // sections that hold a concept match. A candidate's unit is the sentence
  // holding it, which lies in the section holding its first byte (sentences
  // never cross a section's body; the map is monotone), and the only other
  // sentences read are its neighbours in the same section (spine context);
  // the sentences of a section depend on its body's bytes alone
  // (text/sentence_splitter.h SplitSection). So a long note is split where
  // it names a concept, not all over (issue 18: CPU per byte of long notes).
  void SplitSectionsWithMatches(const std::vector<std::vector<Mention>>& found) {
    std::vector<int> needed;
    for (const std::vector<Mention>& ms : found)
      for (const Mention& m : ms)
        if (const int k = SectionOf(sections_, nt_.map.ToOriginalBegin(m.begin)); k >= 0)
          needed.push_back(k);
    std::sort(needed.begin(), needed.end());
    needed.erase(std::unique(needed.begin(), needed.end()), needed.end());
    std::string copy;  // a body's bytes, when the caller's text is released
    for (const int k : needed) {
      const Span body = sections_[k].body;
      if (body.empty() || body.end > original_.size()) continue;
      SplitSection(original_.Bytes(body.begin, body.end, &copy), body.begin, k, &own_sentences_,
                   &nt_.furniture);
    }
    sent_ranges_.Reset();
  }

  // original_case = "upper": only the acronym as written in capitals
  // ("DISH", not the "dish" of a diet note): the group named `acronym` when
  // the rule has one ("AS of the lumbar spine"), else the match.
  // "upper_in_mixed": besides, the line around it is not all capitals, where
  // "AS" or "DISH" may be any word.
  bool CaseAllows(const Rule& rule, const Mention& m) {
    const std::string_view oc = Attr(rule, "original_case");
    if (oc.empty()) return true;
    uint32_t ab = m.begin, ae = m.end;
    for (const Mention::Group& g : m.groups)
      if (g.name == "acronym") ab = g.begin, ae = g.end;
    if (!UpperInOriginal(nt_, original_, ab, ae)) return false;
    return oc != "upper_in_mixed" || LowerOnLine(nt_, original_, ab, &mixed_lines_);
  }

  // The index of the sentence holding normalized offset b, or -1.
  int SentenceAt(uint32_t b) {
    const size_t next = sent_ranges_.UpperBound(b);
    return next > 0 && b < sent_ranges_.At(next - 1).end ? static_cast<int>(next - 1) : -1;
  }

  // The line holding normalized offset b: from after the newline before it
  // to the newline at or after it (or the text's end).
  Range LineAt(uint32_t b) {
    // Line bounds by binary search: walking to the line ends per match was
    // quadratic on a long line of headers.
    if (!newlines_built_) {  // memchr: a byte loop cost ~7 instructions per note byte
      const char* const base = text_.data();
      for (const char* p = base; (p = static_cast<const char*>(
                                      std::memchr(p, '\n', size_ - (p - base)))) != nullptr;
           ++p)
        newlines_.push_back(static_cast<uint32_t>(p - base));
      newlines_built_ = true;
    }
    auto nl = std::lower_bound(newlines_.begin(), newlines_.end(), b);
    return Range{nl == newlines_.begin() ? 0 : *std::prev(nl) + 1,
                 nl == newlines_.end() ? size_ : *nl};
  }

  // The unit holding normalized offset b: its sentence, else its line.
  Unit& UnitFor(uint32_t b) {
    if (const int si = SentenceAt(b); si >= 0) {
      const Range r = sent_ranges_.At(si);
      Unit& u = units_[{r.begin, r.end}];
      u.range = r;
      u.sentence = si;
      u.section = sentences_[si].section;
      return u;
    }
    // Outside every sentence (a header line, say): the line is the unit.
    const auto [lb, le] = LineAt(b);
    auto [slot, created] = units_.try_emplace({lb, le});
    Unit& u = slot->second;
    if (created) {
      u.range = {lb, le};
      u.section = SectionOf(sections_, nt_.map.ToOriginalBegin(lb));
    }
    return u;
  }

  // An imaging report: a findings or imaging section, or a modality word in
  // its first line ("EXAM: CT THORACIC SPINE", which the sectionizer files as
  // an exam).
  // A report's own section: one of a report ("FINDINGS:"), or in a note that
  // is a report, its summary ("IMPRESSION:") or body (the lines under "EXAM:
  // CT CERVICAL SPINE", "TECHNIQUE:", or no header at all).
  bool ReportSection(std::string_view kind) const {
    return kinds_.Has(kind, SectionRole::kReport) ||
           (report_note_ && (kinds_.Has(kind, SectionRole::kReportSummary) ||
                             kinds_.Has(kind, SectionRole::kReportBody)));
  }

  bool IsReportNote() const {
    if (std::any_of(sections_.begin(), sections_.end(), [&](const Section& s) {
          return kinds_.Has(s.kind, SectionRole::kReport);
        }))
      return true;
    // The exam line is a title: its modality stands in the line's first
    // sentence ("CT CERVICAL SPINE WITHOUT CONTRAST"). A clinic or ED note
    // written on one line that ends by ordering a study ("... after MVC with
    // neck stiffness. Sent to ED for CT c-spine.") is no report (round 22).
    uint32_t first_line = static_cast<uint32_t>(std::min(text_.find('\n'), text_.size()));
    for (uint32_t k = 0; k + 1 < first_line; ++k)
      if ((text_[k] == '.' || text_[k] == '?' || text_[k] == '!') && text_[k + 1] == ' ' &&
          k > 0 && IsAlnum(text_[k - 1]) && k + 2 < first_line &&
          std::isalpha(static_cast<unsigned char>(text_[k + 2]))) {
        first_line = k;
        break;
      }
    for (const auto& [key, unit] : units_) {
      if (key.first >= first_line) break;
      for (const Candidate& c : unit.cands)
        if (Is(*c.rule, KindRole::kImagingModality) && c.begin < first_line) return true;
    }
    return false;
  }

  // Built on first use: most notes that reach this stage hold no fusion
  // (their candidates lack spine context), so the timing scan is skipped.
  const Timing& timing() {
    if (!timing_)
      timing_.emplace(*fx_.encounter_, *fx_.clause_timing_, text_, windows_, report_, sections_,
                      kinds_, manifest_, options_, memo_, &nt_.map,
                      [this](uint32_t b, uint32_t e) {
                        return UpperInOriginal(nt_, original_, b, e);
                      });
    return *timing_;
  }

  // Whether the note names the spine anywhere (for needs_spine_context =
  // "note"), found on first use.
  bool NoteSpineContext() {
    if (!note_spine_) {
      note_spine_ = false;
      // Only the rules the question reads, but for the match cap's report:
      // a rule of a note of kMaxMatchesPerRule bytes or more may pass it
      // here (each match holds a byte, or is one of n + 1 empty ones).
      const std::vector<bool>* only = &fx_.note_wide_anchors_;
      if (size_ >= kMaxMatchesPerRule) {
        LocateRegional(0, size_);
        only = nullptr;
      }
      for (const Mention& m : anchors_.FindAll(text_, 0, size_, windows_, report_, only))
        if (Is(anchors_.rules()[m.rule], KindRole::kSpineWord)) {
          note_spine_ = true;
          break;
        }
      // An imaging report whose exam line shows the spine (anchors.toml
      // exam_region: a chest film shows the thoracic spine, a CT of the
      // abdomen and pelvis several regions) is a picture of that spine:
      // "CHEST, PA AND LATERAL ... IMPRESSION: DISH." names the spine as
      // much as a spine word would (round 18, sites18). Which region it is
      // stays SiteFromExamLine's question.
      if (!*note_spine_ && report_note_) note_spine_ = !FirstLine().regions.empty();
    }
    return *note_spine_;
  }

  // The exam regions a report's content shows (anchors.toml content_region:
  // "the lungs are clear" -> thoracic), read over the whole note, once.
  const std::set<std::string_view>& ContentRegions() {
    if (!content_regions_) {
      content_regions_.emplace();
      for (const Mention& m :
           anchors_.FindAll(text_, 0, size_, windows_, nullptr, &fx_.note_wide_anchors_)) {
        const Rule& rule = anchors_.rules()[m.rule];
        if (Is(rule, KindRole::kContentRegion)) content_regions_->insert(Attr(rule, "region"));
      }
    }
    return *content_regions_;
  }

  // The note's first line, read on first use. At most its first 160 bytes:
  // a note written on one line is not all "first line".
  const ExamLine& FirstLine() {
    if (!exam_line_) {
      exam_line_.emplace();
      const uint32_t end = static_cast<uint32_t>(
          std::min({text_.find('\n'), text_.size(), static_cast<size_t>(160)}));
      for (const Mention& m :
           anchors_.FindAll(text_, 0, end, windows_, nullptr, &fx_.note_wide_anchors_)) {
        const Rule& rule = anchors_.rules()[m.rule];
        if (Is(rule, KindRole::kSpineWord)) exam_line_->spine = true;
        if (Is(rule, KindRole::kExamRegion)) exam_line_->regions.insert(Attr(rule, "region"));
      }
    }
    return *exam_line_;
  }

  // Whether a sentence names a level or the spine itself (the test of step
  // 3), for the neighbours of a sentence that does not; cached.
  // Whether sentence si names a fusion of a joint that is not the spine: an
  // anchor of kind nonspinal_joint (not not_documentation, which shares its
  // role) that drops fusion_procedure facts.
  bool NamesNonspinalFusion(int si) {
    for (const Mention& m : AnchorsIn(sent_ranges_.At(si), nullptr)) {
      const Rule& rule = anchors_.rules()[m.rule];
      if (rule.kind == "nonspinal_joint" && HasWord(Attr(rule, "drops"), "fusion_procedure"))
        return true;
    }
    return false;
  }

  bool SentenceSpineContext(int si) {
    auto [it, created] = sentence_spine_.try_emplace(si, false);
    if (created) {
      const Range r = sent_ranges_.At(si);
      bool found = !LevelsIn(r, nullptr).empty();
      for (const Mention& m : found ? std::vector<Mention>() : AnchorsIn(r, nullptr))
        found = found || Is(anchors_.rules()[m.rule], KindRole::kSpineWord);
      it->second = found;
    }
    return it->second;
  }

  // Modality words of the units before the one at `begin` (for imaging
  // findings without one in their own unit): the note's first, and the last
  // per section. Kept up to date unit by unit instead of rescanning every
  // earlier unit per finding (quadratic in a long report).
  void AbsorbModalitiesBefore(uint32_t begin) {
    for (; absorbed_ != units_.end() && absorbed_->first.first < begin; ++absorbed_) {
      for (const Candidate& o : absorbed_->second.cands) {
        if (!Is(*o.rule, KindRole::kImagingModality)) continue;
        if (first_modality_.empty()) first_modality_ = std::string(Attr(*o.rule, "modality"));
        last_modality_[absorbed_->second.section] = std::string(Attr(*o.rule, "modality"));
      }
    }
  }

  // Steps 2-5 for one unit: its candidates become facts.
  void ExtractUnit(Unit* unit) {
    AbsorbModalitiesBefore(unit->range.begin);
    std::vector<Candidate>& cands = unit->cands;
    std::sort(cands.begin(), cands.end(), [](const Candidate& a, const Candidate& b) {
      return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
    });
    MergeJoined(text_, &cands);  // step 2
    DropFusionInDiagnosis(&cands, manifest_);
    ApplyHides(&cands);
    if (OnlyModalityWords(*unit)) return;
    UnitLevels levels = FindSpineContext(*unit);  // step 3
    levels.forward_word_in = [this, unit](uint32_t b, uint32_t e) {
      const std::vector<Range>& words = timing().SurgeryWords(unit->range.begin, unit->range.end);
      const std::vector<bool>& fwd =
          timing().SurgeryWordsForward(unit->range.begin, unit->range.end);
      for (size_t k = 0; k < words.size() && k < fwd.size(); ++k)
        if (fwd[k] && words[k].begin >= b && words[k].end <= e) return true;
      return false;
    };
    std::vector<Candidate*> fact_cands;
    for (Candidate& c : cands)
      if (!c.dropped && !Is(*c.rule, KindRole::kImagingModality)) fact_cands.push_back(&c);
    if (fact_cands.empty()) return;
    LinkLevels(text_, levels, fact_cands, manifest_);  // step 4
    const size_t first = facts_.size();
    BuildFacts(*unit, fact_cands);          // step 5
    if (levels.levels.empty()) BorrowLevelsOfPreviousSentence(*unit, first);
    if (levels.levels.empty()) BorrowLevelsOfFieldLine(*unit, first);
  }

  // A form's levels field after the item ("[X] Spinal fusion" then
  // "Level(s) / year: L4-5, 2014"; "...spinal fusion?  [X] Yes  [ ] No" then
  // "If yes, which levels: C4-C5, 2020"): a fusion of the unit, done (present
  // or historical), that names no level or region takes the segments of the
  // next sentence of its section when that sentence opens with a
  // levels_field label (anchors.toml). Only that one sentence, and only
  // segments (a lone vertebra or a nerve root is no fused level).
  void BorrowLevelsOfFieldLine(const Unit& unit, size_t first) {
    if (unit.sentence < 0) return;
    const int n = unit.sentence + 1;
    if (n >= static_cast<int>(sent_ranges_.size()) || sentences_[n].section != unit.section)
      return;
    auto wants = [&](const Fact& f) {
      return manifest_.Is(f.kind, KindRole::kSurgicalFusion) && f.segments.empty() &&
             f.regions.empty() && f.vertebrae.empty() && Asserted(f);
    };
    if (std::none_of(facts_.begin() + first, facts_.end(), wants)) return;
    const Range r = sent_ranges_.At(n);
    bool label = false;
    for (const Mention& m : AnchorsIn(r, nullptr)) {
      if (!Is(anchors_.rules()[m.rule], KindRole::kLevelsField)) continue;
      uint32_t b = r.begin;
      while (b < m.begin && (text_[b] == ' ' || text_[b] == '\n')) ++b;
      if (b == m.begin) label = true;
    }
    if (!label) return;
    Fact from;
    for (const LevelMention& lm : LevelsIn(r, nullptr)) {
      if (lm.nerve_root || lm.segments.empty()) continue;
      AddUnique(&from.segments, lm.segments);
      AddUnique(&from.regions, lm.regions);
      from.level_spans.push_back(nt_.map.ToOriginal(lm.begin, lm.end));
    }
    if (from.segments.empty()) return;
    SortSites(&from);
    for (size_t i = first; i < facts_.size(); ++i) {
      Fact& f = facts_[i];
      if (!wants(f)) continue;
      f.segments = from.segments;
      f.regions = from.regions;
      f.level_spans = from.level_spans;
    }
  }

  // A fusion extended to one vertebra (fusion.toml extends_fusion: "L4-S1
  // fusion 2012, extension of fusion to L3") fuses the segments from that
  // vertebra to the near end of the fusion it extends, the nearest earlier
  // fusion of the note with segments that is not negated or a relative's:
  // L3 above L4-S1 adds L3-L4. Only an extension done (present or
  // historical): a possible or planned one fuses nothing yet. A vertebra
  // inside that fusion, or no such fusion before it, adds nothing (the fact
  // keeps its vertebra only).
  void ExtendFusions() {
    for (size_t i = 0; i < facts_.size(); ++i) {
      Fact& f = facts_[i];
      if (Attr(*fact_rules_[i], "extends_fusion").empty() || !f.segments.empty() ||
          f.vertebrae.size() != 1 || !Asserted(f))
        continue;
      const Vertebra to = Vertebra::Parse(f.vertebrae[0]);
      if (!to.valid()) continue;
      for (size_t j = i; j-- > 0;) {
        const Fact& g = facts_[j];
        if (!manifest_.Is(g.kind, KindRole::kSurgicalFusion) || g.segments.empty() ||
            g.assertion == Assertion::kNegated || g.assertion == Assertion::kFamily)
          continue;
        Segment top, bottom;
        if (!Segment::Parse(g.segments.front(), &top) ||
            !Segment::Parse(g.segments.back(), &bottom))
          break;
        Vertebra from, until;  // the added range, cranial first
        if (to < top.upper) {
          from = to;
          until = top.upper;
        } else if (bottom.lower < to) {
          from = bottom.lower;
          until = to;
        } else {
          break;
        }
        const bool l6 = from.Name() == "L6" || until.Name() == "L6";
        std::vector<std::string> added, regions;
        for (Vertebra v = from; v < until;) {
          const Vertebra n = v.Next(l6);
          if (!n.valid()) break;
          const Segment seg{v, n};
          added.push_back(seg.Name());
          regions.emplace_back(RegionName(seg.region()));
          v = n;
        }
        AddUnique(&f.segments, added);
        AddUnique(&f.regions, regions);
        SortSites(&f);
        break;
      }
    }
  }

  // A generic word, an imaging finding or a nonunion in a sentence that
  // names no level or region ("Anterior cervical plate and screws at C5-C6.
  // Solid arthrodesis.") continues the sentence before it in the same
  // section, as its spine context does (BorrowedSpineContext): it takes the
  // levels of that sentence's affirmed fusions and hardware. Only those: "Disc narrowing at L3-L4. Solid
  // fusion." names no fusion level, so the fusion keeps none.
  void BorrowLevelsOfPreviousSentence(const Unit& unit, size_t first) {
    if (unit.sentence <= 0) return;
    Fact from;  // the levels of the sources, merged
    for (size_t j = first; j-- > 0;) {
      const Fact& s = facts_[j];
      if (s.sentence < unit.sentence - 1) break;
      if (s.sentence != unit.sentence - 1 || !Neighbours(s.sentence, unit.sentence)) continue;
      if (!Asserted(s)) continue;
      if (!manifest_.Is(s.kind, KindRole::kSurgicalFusion) &&
          !manifest_.Is(s.kind, KindRole::kImagingFinding))
        continue;
      AddUnique(&from.segments, s.segments);
      AddUnique(&from.regions, s.regions);
      AddUnique(&from.vertebrae, s.vertebrae);
      from.level_spans.insert(from.level_spans.end(), s.level_spans.begin(), s.level_spans.end());
    }
    // No fusion or finding there, but hardware placed there ("I placed
    // pedicle screws at L4 and L5 bilaterally. The posterolateral fusion was
    // then completed."): the operation's levels, for any fusion that names
    // none.
    bool placed = false;
    if (from.segments.empty() && from.regions.empty() &&
        placed_hardware_.sentence == unit.sentence - 1 &&
        placed_hardware_.section == unit.section) {
      from.segments = placed_hardware_.segments;
      from.regions = placed_hardware_.regions;
      from.level_spans = placed_hardware_.level_spans;
      placed = true;
    }
    if (from.segments.empty() && from.regions.empty()) return;
    SortSites(&from);
    for (size_t i = first; i < facts_.size(); ++i) {
      Fact& f = facts_[i];
      const bool takes = f.weak || manifest_.Is(f.kind, KindRole::kImagingFinding) ||
                         manifest_.Is(f.kind, KindRole::kRequiresFusion) ||
                         (placed && manifest_.Is(f.kind, KindRole::kSurgicalFusion));
      if (!takes || !f.segments.empty() || !f.regions.empty() || !f.vertebrae.empty()) continue;
      f.segments = from.segments;
      f.regions = from.regions;
      f.vertebrae = from.vertebrae;
      f.level_spans = from.level_spans;
    }
  }

  // True if no candidate of the unit can become a fact: every one is a
  // modality word or dropped already (step 3 only drops more). Its levels
  // and anchors are then not read: a long report names "MRI" or "CT" in
  // many sentences that state no finding, and those sentences are not
  // fusion-bearing parts (issue 18). What step 3 would read there changes
  // nothing that is kept (the modality words it might mark dropped are
  // read by AbsorbModalitiesBefore, which does not look at `dropped`), but
  // for its scans' report: a unit of fewer than kMaxMatchesPerRule bytes
  // cannot truncate a scan, so only those are skipped.
  bool OnlyModalityWords(const Unit& unit) const {
    return unit.range.end - unit.range.begin < kMaxMatchesPerRule &&
           std::none_of(unit.cands.begin(), unit.cands.end(), [&](const Candidate& c) {
             return !c.dropped && !Is(*c.rule, KindRole::kImagingModality);
           });
  }

  // Step 3: levels and spine context of the unit: a level or a spine word of
  // anchors.toml (kind spine_context). Not levels.toml's
  // level_spine_context: it lists the generic concept words themselves
  // (fusion, fused, arthrodesis), so every generic word licensed itself.
  // Then the candidates that need spine context and have none are dropped.
  UnitLevels FindSpineContext(Unit& unit) {
    const Range r = unit.range;
    UnitLevels u;
    u.levels = LevelsIn(r, report_);
    u.spine_context = !u.levels.empty();
    for (const Mention& m : AnchorsIn(r, report_)) {
      const Rule& rule = anchors_.rules()[m.rule];
      if (Is(rule, KindRole::kSpineWord)) u.spine_context = true;
      // A rule with sections = "KIND ..." counts only in those sections
      // ("M96.0 Pseudarthrosis ..." under "Referral dx:", whose header is
      // outside the sentence; cdi24).
      if (Is(rule, KindRole::kNonspinalJoint) && InSections(rule, unit.section))
        u.nonspinal.push_back(m);
      if (Is(rule, KindRole::kLevelAnchor) && Attr(rule, "relation") == "yes") {
        // "above" / "below" as an adverb before a verb ("the L4-5 level
        // above has autofused": group `adverb`) places its level against an
        // earlier fusion, not against the fact after it: no relation.
        const bool adverb = std::any_of(m.groups.begin(), m.groups.end(),
                                        [](const Mention::Group& g) { return g.name == "adverb"; });
        if (!adverb) u.relations.Add(m.begin, m.end);
      } else if (Is(rule, KindRole::kLevelAnchor) && Attr(rule, "relation") == "after") {
        u.relations_after.Add(m.begin, m.end);
      } else if (Is(rule, KindRole::kLevelAnchor)) {
        u.anchors.push_back(m);
        u.explained_by.push_back(Attr(rule, "explained_by"));
      }
      // exam_region: read from the exam line only (FirstLine)
    }
    u.own_context = u.spine_context;
    if (!u.spine_context) u.spine_context = BorrowedSpineContext(unit);
    DropWithoutSpineContext(u, &unit.cands);
    return u;
  }

  // Whether sentence b, just after a, continues it: both in one section, or
  // b opens an imaging section whose header is written on a's line ("Hx
  // L4-L5 fusion 2018. CT today: solid fusion, no pseudarthrosis.": the
  // study of what a terse note just named, in the same paragraph; round 22).
  // Only that way: the sentence before such a header is not licensed by the
  // study after it, nor is one section of a clinical note by the next
  // ("OMFS: bony ankylosis R TMJ ... PMH: C1-C2 posterior fusion").
  bool Neighbours(int a, int b) {
    const int sa = sentences_[a].section, sb = sentences_[b].section;
    if (sa == sb) return true;
    if (sb != sa + 1 || sb < 0 || sa < 0 ||
        !kinds_.Has(sections_[sb].kind, SectionRole::kReport))
      return false;
    const uint32_t from = sent_ranges_.At(a).end, to = sent_ranges_.At(b).begin;
    return from < to && text_.substr(from, to - from).find('\n') == std::string_view::npos;
  }

  // A generic word in a sentence of its own ("Solid arthrodesis.", "No
  // pseudarthrosis.") continues the sentence before or after it in the same
  // section: that sentence's levels or spine words license it, as a reader
  // takes them. Only the adjacent sentences, so the context never travels
  // along a paragraph.
  bool BorrowedSpineContext(const Unit& unit) {
    if (unit.sentence < 0 || std::none_of(unit.cands.begin(), unit.cands.end(),
                                          [](const Candidate& c) { return !c.dropped && c.generic; }))
      return false;
    // A bare word right after a sentence that names the fusion of a joint
    // that is not the spine, and no spine word or level ("12 weeks out from
    // her right first MTP joint fusion. X-rays show bridging across the
    // fusion site. Her old L2 fracture is stable."), continues that joint's
    // sentence: it is that fusion, never licensed by the spine sentence
    // after it (letters28).
    if (const int p = unit.sentence - 1;
        p >= 0 && Neighbours(p, unit.sentence) && !SentenceSpineContext(p) &&
        NamesNonspinalFusion(p))
      return false;
    for (const int n : {unit.sentence - 1, unit.sentence + 1}) {
      if (n < 0 || n >= static_cast<int>(sent_ranges_.size()) ||
          (n < unit.sentence ? !Neighbours(n, unit.sentence)
                             : sentences_[n].section != unit.section))
        continue;
      if (SentenceSpineContext(n)) return true;
    }
    // An imaging report whose first line names the spine ("EXAMINATION: CT
    // LUMBAR SPINE") is about the spine: in its findings and impression "No
    // evidence of pseudarthrosis." needs no spine word of its own, and
    // neither does the clinical history or indication the study was ordered
    // for ("HISTORY: Back pain, prior fusion.": the fusion of that spine;
    // not in an operative report, whose history tells the consent's risks).
    if (report_note_ && unit.section >= 0) {
      const std::string& k = sections_[unit.section].kind;
      const bool ordered = kinds_.Has(k, SectionRole::kOrderingReason) ||
                           kinds_.Has(k, SectionRole::kBackground);
      return (ReportSection(k) || (ordered && !OperativeSections())) && FirstLine().spine;
    }
    return false;
  }

  // Whether a section of the note is an operative report's (sections.toml
  // role operative). Read on first use: asked per unit, and a long note has
  // tens of thousands of sections.
  bool OperativeSections() {
    if (!operative_sections_)
      operative_sections_ = std::any_of(sections_.begin(), sections_.end(), [&](const Section& s) {
        return kinds_.Has(s.kind, SectionRole::kOperative);
      });
    return *operative_sections_;
  }

  // Whether an anchor rule counts in section `section` (an index into
  // sections_, -1 for none): always without the attribute `sections`, else
  // only in a section of a kind it lists.
  bool InSections(const Rule& rule, int section) const {
    const std::string_view only = Attr(rule, "sections");
    return only.empty() || (section >= 0 && HasWord(only, sections_[section].kind));
  }

  void DropWithoutSpineContext(const UnitLevels& u, std::vector<Candidate>* cands) {
    for (Candidate& c : *cands) {
      if (c.generic && !u.spine_context) c.dropped = true;
      if (c.own_sentence && !u.own_context) c.dropped = true;
      if (c.note_context && !u.spine_context && !NoteSpineContext()) c.dropped = true;
      // The fusion of a joint that is not the spine ("hip fusion in
      // childhood", "subtalar arthrodesis") is never a spinal fact, nor is a
      // fracture nonunion a pseudarthrosis: the kinds each anchor drops.
      for (const Mention& j : u.nonspinal)
        if (j.begin < c.end && c.begin < j.end &&
            HasWord(Attr(anchors_.rules()[j.rule], "drops"), c.rule->kind)) {
          c.dropped = true;
          // A fusion word said to be another thing ("the arthrodesis was of
          // the ankle"): inside a correction it names the earlier unplaced
          // fusion too (identifies = "yes"; RetractCorrected).
          if (Attr(anchors_.rules()[j.rule], "identifies") == "yes" &&
              Is(*c.rule, KindRole::kSurgicalFusion))
            identified_.push_back({j.begin, j.end});
        }
    }
  }

  // Step 5: the facts of the unit, then what relates them: differentials,
  // at_discharge, diseases that explain a fusion.
  void BuildFacts(const Unit& unit, const std::vector<Candidate*>& fact_cands) {
    const UnitFindings found(unit.cands, manifest_);
    // Cues of the unit, found once for all its facts.
    std::optional<SentenceCues> found_cues;
    const SentenceCues& cues = CuesOf(unit.range, &found_cues);
    if (cues.failed() && report_ != nullptr) report_->failed = true;
    const std::string_view section_kind =
        unit.section >= 0 ? std::string_view(sections_[unit.section].kind) : std::string_view();
    const size_t unit_first = facts_.size();
    std::vector<const Rule*> unit_rules;  // the rule of each fact of the unit
    std::vector<Range> unit_spans;        // and its normalized words
    std::vector<bool> unit_no_diagnosis;  // and whether a no_diagnosis cue doubts it
    const SpanKinds span_kinds(fact_cands);
    for (Candidate* c : fact_cands) {
      // An extension written without its fusion ("L4-5 in 2010, extended up
      // to L3 in 2015", "planned L3-4 extension"): an extension only after
      // a surgical fusion of its own unit, else no fact at all.
      if (Attr(*c->rule, "extends_fusion") == "elliptical" &&
          std::none_of(facts_.begin() + unit_first, facts_.end(), [&](const Fact& g) {
            return manifest_.Is(g.kind, KindRole::kSurgicalFusion) &&
                   g.assertion != Assertion::kNegated && g.assertion != Assertion::kFamily;
          }))
        continue;
      Fact f;
      f.kind = c->rule->kind;
      f.rule_id = c->rule->id;
      f.weak = c->generic;
      f.section = unit.section;
      f.section_kind = std::string(section_kind);
      f.sentence = unit.sentence;
      f.span = nt_.map.ToOriginal(c->begin, c->end);
      const AssertionVerdict v =
          SetAssertion(unit, *c, fact_cands, span_kinds, cues, section_kind, &f);
      AddSites(*c, &f);
      // "No solid fusion at L4-L5" denies that the fusion healed, not that
      // it was done: the negated finding is the fact, the word inside it
      // no negated operation (nor a conflict with "L4-5 TLIF in 2024").
      if (Is(*c->rule, KindRole::kSurgicalFusion) && f.assertion == Assertion::kNegated &&
          ExistingFusion(*c, found.solid))
        continue;
      if (Is(*c->rule, KindRole::kSurgicalFusion))
        SetWhen(unit.range, *c, v, found, section_kind, &f);
      if (Is(*c->rule, KindRole::kRequiresFusion)) RepairedComplication(unit, section_kind, &f);
      if (Is(*c->rule, KindRole::kImagingFinding) &&
          !SetModality(unit, *c, found, section_kind, &f)) {
        // Hardware placed in an operative description is no finding, but
        // its levels are the levels of the fusion the next sentence names
        // (BorrowLevelsOfPreviousSentence).
        if (manifest_.FindingIs(f.finding, FindingRole::kHardware) && !f.segments.empty() &&
            f.assertion != Assertion::kNegated)
          placed_hardware_ = std::move(f);
        continue;
      }
      // detail: the rule's syndrome (klippel_feil) or detail (failed_fusion),
      // which map.toml rules may select on.
      f.detail = std::string(Attr(*c->rule, "syndrome"));
      if (f.detail.empty()) f.detail = std::string(Attr(*c->rule, "detail"));
      // Where a fusion or a complication of one stands, in a note that
      // pastes documents of earlier encounters (EarlierDocumentFacts).
      if ((Is(*c->rule, KindRole::kSurgicalFusion) || Is(*c->rule, KindRole::kRequiresFusion)) &&
          timing().HasEarlierDocuments())
        doc_facts_.push_back({facts_.size(), unit.range,
                              timing().EarlierDocument(unit.range.begin)});
      const bool no_diagnosis = f.assertion == Assertion::kPossible && v.has_cue &&
                                v.modifier >= 0 &&
                                fx_.assertion_->modifiers()[v.modifier].no_diagnosis;
      facts_.push_back(std::move(f));
      unit_rules.push_back(c->rule);
      unit_spans.push_back({c->begin, c->end});
      unit_no_diagnosis.push_back(no_diagnosis);
    }
    MarkDifferentials(text_, nt_.map, &facts_, unit_first, unit_spans, manifest_);
    // Only an uncertain diagnosis needs at_discharge (the inpatient setting
    // codes it when documented at discharge), so only it pays for the scan.
    // Not one the provider declines to make (a no_diagnosis cue: "clinically
    // undetermined"): II.H codes probable or suspected diagnoses, not that.
    for (size_t i = unit_first; i < facts_.size(); ++i)
      if (facts_[i].assertion == Assertion::kPossible && !unit_no_diagnosis[i - unit_first])
        facts_[i].at_discharge = timing().AtDischarge(facts_[i].section_kind);
    std::optional<std::vector<bool>> surgery;  // found on first use
    LinkManifestations(&facts_, unit_first, unit_rules, manifest_, [&](size_t k) {
      if (!surgery) surgery = NearestFusionsToSurgeryWords(unit, unit_rules, unit_spans);
      return (*surgery)[k];
    });
    fact_rules_.insert(fact_rules_.end(), unit_rules.begin(), unit_rules.end());
  }

  // For each fact of the unit, whether it is the surgical fusion nearest to
  // one of the unit's surgical or dating words ("underwent" in "has
  // ankylosing spondylitis and underwent spinal fusion"; not "prior
  // surgical" in "fused C2-C3, block vertebra or prior surgical fusion",
  // which is the other's). One pass per word, not per fact and word.
  std::vector<bool> NearestFusionsToSurgeryWords(const Unit& unit,
                                                 const std::vector<const Rule*>& rules,
                                                 const std::vector<Range>& spans) {
    std::vector<bool> out(spans.size(), false);
    const std::vector<Range>& words = timing().SurgeryWords(unit.range.begin, unit.range.end);
    if (words.empty()) return out;
    std::vector<size_t> fusions;
    for (size_t j = 0; j < spans.size(); ++j)
      if (manifest_.Is(rules[j]->kind, KindRole::kSurgicalFusion)) fusions.push_back(j);
    // A fusion of the word's own clause comes first: "ankylosing spondylitis
    // with bilateral SI joint fusion; s/p C5-6 ACDF" dates the ACDF, not the
    // disease's fusion two bytes before the ';' (round 18, sites18).
    auto other_clause = [&](const Range& w, const Range& f) {
      const uint32_t from = std::min(w.end, f.end), to = std::max(w.begin, f.begin);
      return from < to && text_.substr(from, to - from).find(';') != std::string_view::npos;
    };
    const std::vector<bool>& forward =
        timing().SurgeryWordsForward(unit.range.begin, unit.range.end);
    for (size_t wi = 0; wi < words.size(); ++wi) {
      const Range& w = words[wi];
      // A word that points forward ("s/p", "underwent") dates the fusion
      // after it in its clause, not one before it ("ankylosing spondylitis,
      // spine fused, s/p C3-T1 posterior fusion": the disease's fusion
      // stands before the s/p; round 22). Without one after it, as before.
      const bool ahead = wi < forward.size() && forward[wi] &&
                         std::any_of(fusions.begin(), fusions.end(), [&](size_t j) {
                           return spans[j].begin >= w.end && !other_clause(w, spans[j]);
                         });
      size_t nearest = spans.size();
      for (const size_t j : fusions) {
        if (ahead && spans[j].begin < w.end) continue;
        if (nearest == spans.size()) {
          nearest = j;
          continue;
        }
        const bool j_other = other_clause(w, spans[j]);
        const bool n_other = other_clause(w, spans[nearest]);
        if (j_other != n_other) {
          if (!j_other) nearest = j;
          continue;
        }
        if (Gap(w.begin, w.end, spans[j].begin, spans[j].end) <
            Gap(w.begin, w.end, spans[nearest].begin, spans[nearest].end))
          nearest = j;
      }
      if (nearest < spans.size()) out[nearest] = true;
    }
    return out;
  }

  // The assertion of a fact (ConText over the unit's cues, a hedge narrowed
  // to the finding beside it) and the cue that decided it.
  AssertionVerdict SetAssertion(const Unit& unit, const Candidate& c,
                          const std::vector<Candidate*>& fact_cands, const SpanKinds& span_kinds,
                          const SentenceCues& cues, std::string_view section_kind,
                          Fact* f) {
    AssertionVerdict v = cues.Assess(c.begin, c.end, section_kind);
    if (v.rule_id.rfind("section:", 0) == 0 && kinds_.Has(section_kind, SectionRole::kCuesFirst)) {
      // The section's default only where no cue of the sentence reaches.
      // (Not timing.toml's dating words: in a plan "six weeks after the
      // fusion" is still to come.)
      AssertionVerdict cued = cues.Assess(c.begin, c.end, {});
      if (cued.has_cue) v = cued;
      // Nor over an operation its sentence dates before this encounter by
      // a calendar date ("Spinal precautions x 12 weeks post L4-5 fusion
      // (surgery 11/10/2026)" in a care plan of 12/01/2026): done, not still
      // to come (timing26). A date after it stays a plan.
      else if (v.assertion == Assertion::kHypothetical && Is(*c.rule, KindRole::kSurgicalFusion) &&
               timing().HasDateBeside(unit.range.begin, unit.range.end, Range{c.begin, c.end}))
        v = cued;
    }
    // A plan's cue whose object is another operation written between them
    // ("Admitted today for elective L3-L4 XLIF above her L4-S1 fusion
    // (2016)", "Plan for L4-5 TLIF and revision of prior L5-S1 fusion"): a
    // surgical fusion a dating cue of its own puts before the encounter was
    // done (I.C.21.c.3), the plan is the operation before it (timing26).
    // Both placed at their levels: a template's instruction ("assign Z98.1
    // arthrodesis status only when a prior spinal fusion is documented")
    // names no patient's operation.
    if (v.assertion == Assertion::kHypothetical && v.has_cue && v.cue_end <= c.begin &&
        Is(*c.rule, KindRole::kSurgicalFusion) && !c.levels.empty() &&
        std::any_of(fact_cands.begin(), fact_cands.end(), [&](const Candidate* o) {
          return o != &c && o->begin >= v.cue_end && o->end <= c.begin &&
                 Is(*o->rule, KindRole::kSurgicalFusion) && !o->levels.empty();
        })) {
      const AssertionVerdict own =
          cues.Assess(c.begin, c.end, {}, 1u << static_cast<int>(Assertion::kHypothetical));
      if (own.assertion == Assertion::kHistorical && own.has_cue &&
          fx_.assertion_->DatesBeforeEncounter(own.rule_id))
        v = own;
    }
    if (v.assertion == Assertion::kPossible && v.has_cue && v.modifier >= 0 &&
        !fx_.assertion_->modifiers()[v.modifier].governs_list &&
        HedgeBlocked(text_, v.cue_begin, v.cue_end, c, fact_cands, span_kinds))
      v = cues.Assess(c.begin, c.end, section_kind, 1u << static_cast<int>(Assertion::kPossible));
    // A statement about a condition in general (generic_only: "pseudarthrosis
    // after fusion is coded M96.0") names no level: a finding with its own
    // level ("her L4-5 fusion is coded Z98.1") is the patient's (cdi24).
    if (v.assertion == Assertion::kHypothetical && v.has_cue && v.modifier >= 0 &&
        fx_.assertion_->modifiers()[v.modifier].generic_only && !c.levels.empty())
      v = cues.Assess(c.begin, c.end, section_kind,
                      1u << static_cast<int>(Assertion::kHypothetical));
    // A refusal to diagnose written after an operation ("whether the L4-5
    // fusion has healed cannot be determined") doubts its outcome, not that
    // it was done (no_diagnosis; cdi24).
    if (v.assertion == Assertion::kPossible && v.has_cue && v.modifier >= 0 &&
        fx_.assertion_->modifiers()[v.modifier].no_diagnosis && v.cue_begin >= c.end &&
        Is(*c.rule, KindRole::kSurgicalFusion))
      v = cues.Assess(c.begin, c.end, section_kind, 1u << static_cast<int>(Assertion::kPossible));
    f->assertion = v.assertion;
    if (v.has_cue) {
      f->has_cue = true;
      f->cue.span = nt_.map.ToOriginal(v.cue_begin, v.cue_end);
      f->cue.rule_id = v.rule_id;
    } else if (v.rule_id.rfind("section:", 0) == 0 && unit.section >= 0 &&
               !sections_[unit.section].header.empty()) {
      // The section decided ("PAST SURGICAL HISTORY" -> historical): its
      // header is the cue.
      f->has_cue = true;
      f->cue.span = sections_[unit.section].header;
      f->cue.rule_id = v.rule_id;
    }
    return v;
  }

  // Segments, vertebrae and regions of the fact's levels, and the region
  // words in its own words ("lumbar fusion").
  void AddSites(const Candidate& c, Fact* f) const {
    for (const LevelMention* lm : c.levels) {
      AddUnique(&f->segments, lm->segments);
      AddUnique(&f->vertebrae, lm->vertebrae);
      if (std::none_of(c.levels.begin(), c.levels.end(), [&](const LevelMention* j) {
            return SpellsOutJunction(text_, *j, *lm);
          }) &&
          !RegionWordOfSegments(*lm, c.levels))
        AddUnique(&f->regions, lm->regions);
      f->level_spans.push_back(nt_.map.ToOriginal(lm->begin, lm->end));
    }
    const auto own = RegionsOfWords(text_.substr(c.begin, c.end - c.begin));
    AddUnique(&f->regions, own.regions);
    AddUnique(&f->segments, own.segments);
    // A condition with one site by definition ("Klippel-Feil syndrome":
    // cervical) has it when the note names none.
    if (const std::string_view implied = Attr(*c.rule, "implied_region");
        f->regions.empty() && !implied.empty())
      f->regions.emplace_back(implied);
    SortSites(f);
  }

  // fusion_procedure.when, and whether the fusion is a bare word that may
  // describe an acquired fusion (fusion.toml acquired_when_bare): "fused"
  // anywhere; the noun "fusion" only in an imaging report's own sections or
  // a sentence naming an image (elsewhere a clinician's "L4-5 fusion" is the
  // operation), or in a
  // sentence that names a non-surgical cause or denies surgery.
  void SetWhen(Range r, const Candidate& c, const AssertionVerdict& v, const UnitFindings& found,
               std::string_view section_kind, Fact* f) {
    const Timing& t = timing();
    const IntervalIndex& solid = found.solid;
    const std::string_view when_bare = Attr(*c.rule, "acquired_when_bare");
    // A sentence that tells what an image shows ("XR: bamboo spine with
    // fusion from C2 to L5") reads as a report's findings do.
    const bool imaging = ReportSection(section_kind) || found.modalities.size() > 0;
    // A word that names the operation itself (ACDF, TLIF, "anterior
    // cervical discectomy and fusion": acquired_when_bare = "never") is
    // surgery whatever the sentence denies ("ACDF discussed; he wants no
    // surgery" is a plan, never an ankylosis).
    // A note that denies every past operation ("No prior surgery.":
    // encounter.toml any_surgery_denied) reads its bare fusion nouns that
    // name a site as a report's: "Solid bony fusion across L3-L5" there is the
    // spine's own. One with no site is the denial's to settle
    // (DenyUnplacedPriorFusions: "before any fusion").
    const bool placed = !f->segments.empty() || !f->regions.empty();
    // So is a fusion named by its region in such a note ("No prior surgery.
    // IMPRESSION: T7-8 vertebral fusion, chronic"), unless the name is an
    // operation's (acquired_when_bare = "never").
    const bool may_be_acquired =
        when_bare != "never" &&
        (t.NoSurgery(r.begin, r.end) || t.AcquiredCause(r.begin, r.end) || when_bare == "always" ||
         (when_bare == "report" && imaging) || (t.any_surgery_denied() && placed));
    if (may_be_acquired &&
        (f->assertion == Assertion::kPresent || f->assertion == Assertion::kPossible) &&
        !t.Surgical(r.begin, r.end) &&
        !t.Dated(r.begin, r.end) && !t.operative() && !t.same_stay_note()) {
      if (t.AcquiredCause(r.begin, r.end)) caused_.push_back(facts_.size());
      bare_.push_back(facts_.size());
    }
    // A fusion made surgery only by a word of its union ("The L2-3 disc
    // space is obliterated with solid bony fusion") may be the fusion another
    // sentence gives a non-surgical cause (MakeBareFusionsAcquired).
    if (f->assertion == Assertion::kPresent && !t.operative() && !t.same_stay_note() &&
        !f->segments.empty() && t.SurgicalByUnionOnly(r.begin, r.end))
      union_only_.push_back(facts_.size());
    bool undated = false;
    const Range words{c.begin, c.end};
    f->when = t.When(f->assertion, r.begin, r.end, section_kind, ExistingFusion(c, solid),
                     fx_.assertion_->DatesBeforeEncounter(v.rule_id), &undated, &words,
                     &found.fusions);
    // The history or indication line of an imaging report dates a fusion
    // only by being the study's reason ("HISTORY: L4-L5 posterior spinal
    // fusion" on intraoperative fluoroscopy of "today's L4-L5 posterior
    // spinal fusion"): when the report places the same fusion in this
    // encounter or stay, it is that fusion (SameFusionAgain). Only a fusion
    // named bare: a cue ("s/p", "prior") or a date ("2019") keeps it before.
    if (!undated && f->when == "prior" && report_note_ && !t.Dated(r.begin, r.end) &&
        !t.HasDate(r.begin, r.end) && f->assertion == Assertion::kPresent &&
        (kinds_.Has(section_kind, SectionRole::kOrderingReason) ||
         kinds_.Has(section_kind, SectionRole::kBackground)) &&
        !OperativeSections())
      undated = true;
    if (undated) undated_.push_back(facts_.size());
    if (t.ReportedBefore(r.begin, r.end, c.begin)) reported_.push_back(facts_.size());
  }

  // The modality of an imaging finding: the nearest modality word of the
  // unit, else (in a report's own sections only) the last one before it in
  // the same section, or else the note's first one (a report's "EXAM: CT
  // lumbar spine" heading names the modality once; a later "COMPARISON:
  // previous MRI" does not). Elsewhere (history, consent text) an MRI
  // mentioned sentences earlier does not make a "risk of pseudoarthrosis" an
  // imaging finding. False if the finding is no fact: hardware or bone
  // described without any imaging (an operative report placing a plate).
  // A report's own findings section is imaging even when no word names the
  // modality ("FINDINGS: Lungs are clear. Cervical spine fixation
  // hardware."); an operative report's "FINDINGS:" is not.
  bool SetModality(const Unit& unit, const Candidate& c, const UnitFindings& found,
                   std::string_view section_kind, Fact* f) {
    f->finding = std::string(Attr(*c.rule, "finding"));
    if (const size_t m = found.modalities.Nearest(c.begin, c.end); m != IntervalIndex::npos)
      f->modality = std::string(Attr(*found.modality_cands[m]->rule, "modality"));
    const bool report_section = kinds_.Has(section_kind, SectionRole::kReportSummary) ||
                                ReportSection(section_kind);
    if (f->modality.empty() && report_section) {
      if (auto it = last_modality_.find(unit.section); it != last_modality_.end())
        f->modality = it->second;
      if (f->modality.empty()) f->modality = first_modality_;
    }
    return !f->modality.empty() || kinds_.Has(section_kind, SectionRole::kImaging) ||
           (report_section && !timing().operative());
  }

  // A bare "fused"/"fusion" that no word of its unit makes surgical or
  // dates, outside an operative report or a note of the stay ("the C5 and C6
  // vertebral bodies are fused"), is acquired fusion of spine, not
  // arthrodesis status -- unless the note documents a surgical fusion (or its
  // hardware) elsewhere, which the bare word then refers to.
  // A fusion made surgery only by words of its union ("solid bony fusion of
  // the L2 and L3 vertebral bodies") whose segments another sentence gives a
  // non-surgical cause ("IMPRESSION: Healed L2-3 discitis-osteomyelitis with
  // interbody bony fusion": timing.toml acquired_cause) is that cause's
  // fusion, as bare as the caused one: a union describes any fusion mass.
  void MakeBareFusionsAcquired() {
    std::vector<bool> is_bare(facts_.size(), false);
    for (size_t i : bare_) is_bare[i] = true;
    std::vector<size_t> also;  // union-only fusions of a caused fusion's segments
    for (size_t i : union_only_) {
      const Fact& f = facts_[i];
      if (f.when != "prior" || !manifest_.Is(f.kind, KindRole::kSurgicalFusion)) continue;
      for (size_t k : caused_)
        if (k != i && Asserted(facts_[k]) && HoldsAll(f.segments, facts_[k].segments)) {
          is_bare[i] = true;
          also.push_back(i);
          break;
        }
    }
    bool surgery = false;
    for (size_t i = 0; i < facts_.size() && !surgery; ++i) {
      const Fact& f = facts_[i];
      const bool asserted = Asserted(f);
      // A fusion word the note's denial of spine surgery negates later
      // ("this pre-existing fused segment ... no history of neck surgery":
      // DenyUnplacedPriorFusions) documents no surgery.
      surgery = asserted && ((manifest_.Is(f.kind, KindRole::kImagingFinding) &&
                              manifest_.FindingIs(f.finding, FindingRole::kHardware)) ||
                             (manifest_.Is(f.kind, KindRole::kSurgicalFusion) && !is_bare[i] &&
                              !DeniedByNote(i)));
    }
    if (surgery) {
      // A fusion its own sentence gives a non-surgical cause, at segments no
      // surgical fusion of the note shares ("Solid interbody fusion at L4-L5.
      // Healed L2-3 discitis with bony fusion of L2 and L3."), is the cause's.
      also.clear();
      for (size_t k : caused_) {
        const Fact& c = facts_[k];
        if (c.segments.empty() || !manifest_.Is(c.kind, KindRole::kSurgicalFusion)) continue;
        const bool shared = std::any_of(facts_.begin(), facts_.end(), [&](const Fact& o) {
          const size_t j = static_cast<size_t>(&o - facts_.data());
          return !is_bare[j] && manifest_.Is(o.kind, KindRole::kSurgicalFusion) && Asserted(o) &&
                 std::any_of(c.segments.begin(), c.segments.end(), [&](const std::string& g) {
                   return std::find(o.segments.begin(), o.segments.end(), g) != o.segments.end();
                 });
        });
        if (!shared) also.push_back(k);
      }
    } else {
      also.insert(also.end(), bare_.begin(), bare_.end());
    }
    for (size_t i : also)
      if (manifest_.Is(facts_[i].kind, KindRole::kSurgicalFusion)) {
        facts_[i].kind = manifest_.acquired_ankylosis();
        facts_[i].when.clear();
      }
  }

  // A bare fusion word read as acquired ankylosis ("C2 and C3 are fused")
  // says nothing of its cause; when the note names a cause for the same
  // segments only as uncertain ("IMPRESSION: C2-C3 fusion, likely congenital
  // block vertebra"), the cause of that fusion is the question: the bare
  // fusion is as uncertain as its cause (IV.H outpatient: no code from either
  // family, a gap), not a definite acquired ankylosis beside it. Only a cause
  // named in its own words (a fact of a documents_cause kind that is not a
  // bare word itself, or one a disease claimed: detail) sharing a segment
  // with the bare fusion; a bare fusion at other segments, or one with a
  // definite cause, is left as it is.
  void DoubtBareFusionsOfDoubtedCause() {
    std::vector<bool> is_bare(facts_.size(), false);
    for (size_t i : bare_) is_bare[i] = true;
    std::vector<size_t> doubted;
    for (size_t k = 0; k < facts_.size(); ++k) {
      const Fact& c = facts_[k];
      if (c.assertion == Assertion::kPossible && !c.segments.empty() &&
          manifest_.Is(c.kind, KindRole::kDocumentsCause) && (!is_bare[k] || !c.detail.empty()))
        doubted.push_back(k);
    }
    if (doubted.empty()) return;
    for (size_t i : bare_) {
      Fact& f = facts_[i];
      if (!manifest_.Is(f.kind, KindRole::kAcquiredAnkylosis) || !f.detail.empty() ||
          f.segments.empty() || !Asserted(f))
        continue;
      for (size_t k : doubted) {
        const Fact& c = facts_[k];
        if (k == i || Elsewhere(f, c)) continue;
        f.assertion = Assertion::kPossible;
        f.has_cue = c.has_cue;
        f.cue = c.cue;
        f.at_discharge = timing().AtDischarge(f.section_kind);
        break;
      }
    }
  }

  // A complication of a fusion (a requires_fusion kind: pseudarthrosis)
  // whose repair the unit tells, done before this encounter or stay
  // (Timing::RepairedBefore: "L5-S1 pseudarthrosis, which was revised
  // successfully in 2018"), is a past condition, treated and no longer there
  // (Official Guidelines I.C.21.c.7-8: after the treatment, aftercare and
  // follow-up, not the condition): the fact is negated, its cue the repair's
  // words. The revised fusion stays, and is status (Z98.1). A revision of
  // this stay or operation, or one planned, leaves the complication there.
  void RepairedComplication(const Unit& unit, std::string_view section_kind, Fact* f) {
    if (!Asserted(*f)) return;
    const Timing& t = timing();
    const std::optional<Range> repair =
        t.RepairedBefore(unit.range.begin, unit.range.end, section_kind);
    if (!repair) {
      // Told in a unit dated before this encounter ("a CT in 2020 showed
      // pseudarthrosis at L4-L5") and not as persisting: the mention may be
      // the condition a repair elsewhere in the note treated
      // (PastComplicationsRepairedElsewhere). The fact is pushed next.
      if (t.DatedOrImageDated(unit.range.begin, unit.range.end) &&
          !t.Persists(unit.range.begin, unit.range.end))
        dated_complications_.push_back(facts_.size());
      return;
    }
    f->assertion = Assertion::kNegated;
    f->has_cue = true;
    f->cue.span = nt_.map.ToOriginal(repair->begin, repair->end);
    f->cue.rule_id = t.repair_rule();
    repaired_complications_.push_back(facts_.size());  // the fact is pushed next
  }

  // The same fusion again: a mention that nothing dates, read as done before
  // only because the note is no record of its operation (Timing::When's
  // `undated`: "FINDINGS: Postoperative changes of L4-L5 TLIF."), is the
  // fusion the note places in this stay or encounter at the same segments
  // ("CLINICAL: L4-5 TLIF performed yesterday"), and takes its `when`: a
  // radiology report of the stay describing the operation's result is no
  // status (Z98.1 is the fusion done before the stay, I.C.21.c.3). Only a
  // mention with segments, all of them that fusion's, or with no segment
  // but region words, all of them that fusion's; a mention dated by its
  // own words, section or cue ("prior L4-5 fusion in 2015") keeps its own.
  // A surgical fusion named by its region alone ("s/p lumbosacral fusion")
  // takes the segments of the fusion hardware the note shows in that region
  // in another sentence ("X-ray: pedicle screws at L5 and S1 intact"): the
  // hardware names the fused levels (ShareHardwareLevels, within a clause)
  // and lies where the fusion is (round 18, sites18). Only hardware whose
  // every region is one of the fusion's, asserted, with segments; a fusion
  // with segments of its own keeps them.
  // A condition whose rule says site_from = KIND and that names no site
  // takes the segments and regions of a fact of KIND in its own sentence,
  // asserted as it is: the malformation that makes it ("Congenital kyphosis;
  // block vertebra T12-L1" is the thoracolumbar kyphosis, Q76.415; round 18,
  // sites18).
  void SiteFromSameSentence() {
    for (size_t i = 0; i < facts_.size(); ++i) {
      Fact& f = facts_[i];
      const std::string_view from = Attr(*fact_rules_[i], "site_from");
      if (from.empty() || !f.regions.empty() || f.sentence < 0) continue;
      for (const Fact& g : facts_) {
        if (&g == &f || g.kind != from || g.sentence != f.sentence ||
            g.assertion != f.assertion || g.regions.empty())
          continue;
        AddUnique(&f.segments, g.segments);
        AddUnique(&f.regions, g.regions);
        f.level_spans.insert(f.level_spans.end(), g.level_spans.begin(), g.level_spans.end());
        SortSites(&f);
      }
    }
  }

  void FusionRegionTakesHardwareLevels() {
    for (Fact& f : facts_) {
      if (!manifest_.Is(f.kind, KindRole::kSurgicalFusion) || !Asserted(f) ||
          !f.segments.empty() || f.regions.empty())
        continue;
      std::vector<std::string> segs;
      for (const Fact& h : facts_)
        if (manifest_.Is(h.kind, KindRole::kImagingFinding) &&
            manifest_.FindingIs(h.finding, FindingRole::kHardware) && Asserted(h) &&
            !h.segments.empty() && !h.regions.empty() &&
            HoldsAll(h.regions, f.regions))
          AddUnique(&segs, h.segments);
      if (segs.empty()) continue;
      SortSegments(&segs);
      f.segments = std::move(segs);
    }
  }

  // A note that pastes documents of earlier encounters (Timing's
  // FindEarlierDocuments: a discharge summary of a stay that ended before
  // the date of service, an operative report of 2019 before today's visit):
  // - a fusion that this record's own documents place in this stay
  //   (`same_stay`: "POD 19 from L3-5 PSF", "s/p C3-C6 ACDF 10/28/26" in a
  //   readmission H&P) at segments a fusion of an earlier document holds,
  //   or naming none, is that earlier stay's operation: `prior` (Z98.1 is
  //   the fusion done before the encounter or stay, I.C.21.c.3);
  // - a complication of a fusion (requires_fusion: pseudarthrosis) told in
  //   an earlier document is a past, treated condition when that document
  //   or a later earlier one records a fusion at its segments (with none,
  //   in its own document) that the document does not date before itself
  //   and does not tell as history ("Procedure 10/16/2026: revision L4-5
  //   fusion", "OP NOTE 2020: revision L4-5 fusion with TLIF for
  //   pseudarthrosis"): the operation done for it, written before the
  //   complication's words when in its sentence. The complication is
  //   negated, its cue the repairing fusion's words (I.C.21.c.7-8: Z98.1
  //   only). A complication told in this record's own documents keeps its
  //   reading ("persistent pseudarthrosis" on today's CT).
  void EarlierDocumentFacts() {
    if (doc_facts_.empty()) return;
    const Timing& t = timing();
    // The fusions of the earlier documents, done before this encounter.
    std::vector<const DocFact*> earlier;
    for (const DocFact& o : doc_facts_)
      if (o.doc >= 0 && o.index < facts_.size() &&
          manifest_.Is(facts_[o.index].kind, KindRole::kSurgicalFusion) &&
          facts_[o.index].when == "prior")
        earlier.push_back(&o);
    if (earlier.empty()) return;
    auto key_of = [](const std::vector<std::string>& segments) {
      std::string key;
      for (const std::string& seg : segments) key.append(seg).push_back(' ');
      return key;
    };
    // One answer per set of segments (a long note repeats the same few).
    std::unordered_map<std::string, bool> held;
    for (const DocFact& d : doc_facts_) {
      if (d.doc >= 0 || d.index >= facts_.size()) continue;
      Fact& f = facts_[d.index];
      if (f.when != "same_stay" || !manifest_.Is(f.kind, KindRole::kSurgicalFusion)) continue;
      bool hit = f.segments.empty();
      if (!hit) {
        auto [it, fresh] = held.try_emplace(key_of(f.segments), false);
        if (fresh)
          for (const DocFact* o : earlier) {
            const Fact& g = facts_[o->index];
            if (!g.segments.empty() && HoldsAll(f.segments, g.segments)) {
              it->second = true;
              break;
            }
          }
        hit = it->second;
      }
      if (hit) f.when = "prior";
    }
    // The repairs: fusions of an earlier document, told as done (present),
    // not dated before their document by their own words.
    std::vector<const DocFact*> repairs;
    for (const DocFact* o : earlier) {
      const Fact& g = facts_[o->index];
      if (g.assertion == Assertion::kPresent && !g.segments.empty() &&
          !t.DatedWithinDocument(o->unit.begin, o->unit.end))
        repairs.push_back(o);
    }
    if (repairs.empty()) return;
    // Per set of segments, the repairs holding them, in text order (so by
    // document): a complication looks from its own document on.
    std::unordered_map<std::string, std::vector<const DocFact*>> holding;
    for (const DocFact& d : doc_facts_) {
      if (d.doc < 0 || d.index >= facts_.size()) continue;
      Fact& f = facts_[d.index];
      if (!manifest_.Is(f.kind, KindRole::kRequiresFusion) || !Asserted(f)) continue;
      // In the complication's own unit, only an operation written before
      // it ("revision L4-5 fusion ... for pseudarthrosis").
      auto fits = [&](const DocFact* o) {
        if (f.segments.empty() ? o->doc != d.doc : o->doc < d.doc) return false;
        return o->unit.begin != d.unit.begin || facts_[o->index].span.begin < f.span.begin;
      };
      auto [list, fresh] = holding.try_emplace(key_of(f.segments));
      if (fresh)
        for (const DocFact* o : repairs)
          if (f.segments.empty() || HoldsAll(f.segments, facts_[o->index].segments))
            list->second.push_back(o);
      const DocFact* repair = nullptr;
      for (auto it = std::lower_bound(list->second.begin(), list->second.end(), d.doc,
                                      [](const DocFact* o, int doc) { return o->doc < doc; });
           it != list->second.end() && (f.segments.empty() ? (*it)->doc == d.doc : true); ++it)
        if (fits(*it)) {
          repair = *it;
          break;
        }
      if (repair == nullptr) continue;
      const Fact& g = facts_[repair->index];
      f.assertion = Assertion::kNegated;
      f.has_cue = true;
      f.cue.span = g.span;
      f.cue.rule_id = g.rule_id;
    }
  }

  void SameFusionAgain() {
    if (undated_.empty()) return;
    std::vector<const Fact*> placed;  // fusions of this stay or encounter, in order
    for (const Fact& o : facts_)
      if ((o.when == "same_stay" || o.when == "performed_this_encounter") &&
          manifest_.Is(o.kind, KindRole::kSurgicalFusion))
        placed.push_back(&o);
    if (placed.empty()) return;
    // One answer per set of segments: a long note repeats the same few, and
    // each look is a pass over the placed fusions.
    std::unordered_map<std::string, const Fact*> memo;
    for (size_t i : undated_) {
      Fact& f = facts_[i];
      if (f.when != "prior") continue;
      if (f.segments.empty()) {
        // No level, only a region ("Fresh lumbar fusion hardware" in a KUB
        // of the stay whose HISTORY says "L2-S1 fusion performed yesterday"):
        // the fusion the note places in this stay or encounter in that
        // region, the first one whose regions hold all of this mention's.
        if (f.regions.empty()) continue;
        for (const Fact* o : placed)
          if (o != &f && HoldsAll(f.regions, o->regions)) {
            f.when = o->when;
            break;
          }
        continue;
      }
      std::string key;
      for (const std::string& s : f.segments) key.append(s).push_back(' ');
      auto [it, fresh] = memo.try_emplace(key, nullptr);
      if (fresh)
        for (const Fact* o : placed)
          if (HoldsAll(f.segments, o->segments)) {
            it->second = o;
            break;
          }
      if (it->second != nullptr && it->second != &f) f.when = it->second->when;
    }
  }

  // A note that denies past spine surgery ("Patient has never had spine
  // surgery", "no prior spine surgery", a clinician's "I do not believe she
  // has had a spinal fusion", "there is no fusion at any level":
  // encounter.toml denies_spine_surgery) outweighs a bare fusion word of the
  // same note dated before the encounter that names no level and no region
  // ("PSH: fusion 2019"): that fusion is not the spine's (or not documented),
  // so the fact is negated by the denial. It outweighs as well a fusion the
  // note tells as the patient's own account, whatever its site ("she tells
  // me she had her neck fused in 2019", "Pt states she 'had a fusion' at
  // L4-5": timing.toml patient_report): the clinician's finding that there
  // is none is what the note documents. Any other fusion with a level or a
  // region word ("L4-5 fusion 2019") is a conflict the denial does not
  // settle, unless nothing but the note's silence dated it before; one of
  // this encounter or planned is not denied by a denial of the past.
  // Whether the note's denial outweighs fact i (by the rules above).
  // A denial of surgery of one part of the spine (encounter.toml
  // denies_region: "denies any neck surgery") reaches only a fusion of no
  // region or of a region it names: "CT: L4/5 PLIF, solid. Spontaneous
  // fusion C6/7 (pt denies any neck surgery)" keeps the lumbar fusion
  // (words24). Returns the first denial that reaches fact i, or null.
  const Timing::Denial* DenialReaching(size_t i) const {
    const Fact& f = facts_[i];
    for (const Timing::Denial& d : timing_->spine_denials()) {
      if (d.regions.empty() || f.regions.empty()) return &d;
      for (const std::string& g : f.regions)
        if (std::find(d.regions.begin(), d.regions.end(), g) != d.regions.end()) return &d;
    }
    return nullptr;
  }

  bool DeniedByNote(size_t i) const {
    if (!timing_ || timing_->spine_denials().empty()) return false;
    const Fact& f = facts_[i];
    // A complication whose own words name the fusion it follows (rule
    // attribute names_fusion = "yes": "pseudarthrosis after fusion", "failed
    // fusion"), placed at no level or region: the note denies the fusion it
    // names, so there is none for it to complicate (no M96.0; cdi24). Not in
    // a note that corrects itself (RetractCorrected governs there).
    if (manifest_.Is(f.kind, KindRole::kRequiresFusion))
      return Asserted(f) && Attr(*fact_rules_[i], "names_fusion") == "yes" &&
             f.segments.empty() && f.regions.empty() && f.vertebrae.empty() &&
             !timing_->correction();
    if (!manifest_.Is(f.kind, KindRole::kSurgicalFusion) || f.when != "prior") return false;
    if (!Asserted(f)) return false;
    if (DenialReaching(i) == nullptr) return false;
    const bool reported = std::binary_search(reported_.begin(), reported_.end(), i);
    // Prior only because nothing dates it (When's `undated`: "AIS 56 deg for
    // PSF T4-L1 today. No prior spine surgery."): the denial is the only
    // word on its time, so the fusion is not a past one.
    // Not in a note that corrects itself: there the correction governs what
    // it denies and what it confirms (RetractCorrected).
    const bool undated = std::binary_search(undated_.begin(), undated_.end(), i) &&
                         !timing_->correction();
    return reported || undated ||
           (f.weak && f.segments.empty() && f.regions.empty() && f.vertebrae.empty());
  }

  // A complication told in a sentence dated before this encounter ("a CT in
  // 2020 demonstrated pseudarthrosis at L4-L5", not "recurrent"), at
  // segments all of which a complication of the same kind repaired before
  // this encounter holds ("Pseudarthrosis L4-L5, successfully revised in
  // 2021": RepairedComplication negated it), is that same past, treated
  // condition (I.C.21.c.7-8; README "A pseudarthrosis whose revision was
  // done before this encounter"): negated, the repair's words its cue. A
  // mention of today ("CT today: nonunion at L4-5") is not dated and stays.
  // who21.
  void PastComplicationsRepairedElsewhere() {
    if (dated_complications_.empty() || !timing_) return;
    for (size_t i : dated_complications_) {
      if (i >= facts_.size()) continue;
      Fact& g = facts_[i];
      if (!Asserted(g) || g.segments.empty()) continue;
      for (size_t k : repaired_complications_) {
        if (k >= facts_.size() || k == i) continue;
        const Fact& f = facts_[k];
        if (f.kind != g.kind || f.assertion != Assertion::kNegated || f.segments.empty())
          continue;
        if (!HoldsAll(g.segments, f.segments)) continue;
        g.assertion = Assertion::kNegated;
        g.has_cue = true;
        g.cue = f.cue;
        break;
      }
    }
  }

  // A complication repaired before this encounter (RepairedComplication)
  // names the fusion it complicated, and its repair (a revision, a
  // re-fusion) is itself a fusion done before: "L4-5 pseudarthrosis,
  // revised 2018, now solid", "her 2018 L5-S1 fusion did not heal and was
  // revised in 2020". Unless an affirmed surgical fusion of the note already
  // holds its segments (any one, when it names none), the repair's words
  // become a fusion done before at the complication's levels: status
  // (Z98.1, I.C.21.c.3) and fused segments, with or without a fusion word
  // of its own (blind rounds 18B, 24D, 25A).
  void FusionsOfRepairs() {
    if (repaired_complications_.empty()) return;
    const std::vector<std::string> surgical = manifest_.KindsWith(KindRole::kSurgicalFusion);
    if (surgical.empty()) return;
    for (size_t k : repaired_complications_) {
      if (k >= facts_.size()) continue;
      const Fact& c = facts_[k];
      if (c.assertion != Assertion::kNegated || !c.has_cue) continue;
      const bool held = std::any_of(facts_.begin(), facts_.end(), [&](const Fact& f) {
        return manifest_.Is(f.kind, KindRole::kSurgicalFusion) && Asserted(f) &&
               HoldsAll(c.segments, f.segments);
      });
      if (held) continue;
      Fact f;
      f.kind = surgical.front();
      f.when = "prior";
      f.assertion = Assertion::kHistorical;
      f.has_cue = true;
      f.cue = c.cue;
      f.span = c.cue.span;
      f.rule_id = c.cue.rule_id;
      f.segments = c.segments;
      f.regions = c.regions;
      f.vertebrae = c.vertebrae;
      f.level_spans = c.level_spans;
      f.section = c.section;
      f.sentence = c.sentence;
      f.section_kind = c.section_kind;
      facts_.push_back(std::move(f));
      // No pattern stated it: a rule without attributes (the repair's words
      // are its rule_id).
      static const Rule kNoAttributes;
      fact_rules_.push_back(&kNoAttributes);
    }
  }

  // Fact f negated by `words` of rule `rule_id` (not_coded `negated`).
  static void Negate(Fact* f, const Span& words, const std::string& rule_id) {
    f->assertion = Assertion::kNegated;
    f->when.clear();
    f->has_cue = true;
    f->cue.span = words;
    f->cue.rule_id = rule_id;
  }

  void DenyUnplacedPriorFusions() {
    if (facts_.empty() || !timing_) return;
    if (timing_->spine_denials().empty()) return;
    for (size_t i = 0; i < facts_.size(); ++i) {
      if (!DeniedByNote(i)) continue;
      const Timing::Denial* d = DenialReaching(i);
      Negate(&facts_[i], nt_.map.ToOriginal(d->words.begin, d->words.end), d->rule_id);
    }
  }

  // A later statement that corrects the note (encounter.toml
  // opens_correction: an addendum, an amended report, "Correction:", "in
  // error", an attestation that disagrees, a query response) governs what it
  // corrects. From the sentence holding the first correction cue on:
  // - a fact of the note's own assertion `negated` ("This is not ankylosing
  //   spondylitis", "she has never had a fusion", "pseudarthrosis
  //   excluded", "The prior mention of DISH is withdrawn") retracts every
  //   earlier affirmed, historical or uncertain fact of its concept: the
  //   same kind, an ankylosis the denied disease explains (detail), and for
  //   a denied surgical fusion the imaging findings of a fusion; when the
  //   denial names segments, only the earlier facts whose segments all lie
  //   in them (a correction of one level keeps the others);
  // - a denial of surgery (denies_spine_surgery, retracts_surgery: "never
  //   had neck surgery", "never performed", "has had no surgery") retracts
  //   the surgical fusions dated before the encounter written before it or
  //   in its sentence; when its words name a region, only those of that
  //   region or of none.
  // - a diagnosis restated there as uncertain ("impression corrected to
  //   probable nonunion of the L4-5 fusion") makes the earlier definite
  //   statements of it, within its segments when it names any, uncertain too.
  // A retracted fact is negated (not_coded `negated`), its cue the words of
  // the retraction. The replacing statement keeps its own fact. An addendum
  // that only adds denies nothing and retracts nothing.
  void RetractCorrected() {
    if (facts_.empty()) return;
    const Timing& t = timing();
    if (!t.correction()) return;
    // The scope opens at the start of the sentence (else the line) holding
    // the first correction cue.
    const uint32_t cue_at = t.correction()->begin;
    const int cue_sentence = SentenceAt(cue_at);
    const uint32_t open =
        cue_sentence >= 0 ? sent_ranges_.At(cue_sentence).begin : LineAt(cue_at).begin;
    const uint32_t scope = nt_.map.ToOriginalBegin(open);
    auto retractable = [](const Fact& f) {
      return f.assertion == Assertion::kPresent || f.assertion == Assertion::kHistorical ||
             f.assertion == Assertion::kPossible;
    };
    auto within = [](const std::vector<std::string>& part, const std::vector<std::string>& all) {
      return !part.empty() && HoldsAll(part, all);
    };
    std::vector<std::pair<size_t, Span>> retract;  // fact, the words that retract it
    for (size_t r = 0; r < facts_.size(); ++r) {
      const Fact& d = facts_[r];
      if (d.assertion != Assertion::kNegated || d.span.begin < scope) continue;
      const bool surgical = manifest_.Is(d.kind, KindRole::kSurgicalFusion);
      for (size_t i = 0; i < facts_.size(); ++i) {
        const Fact& f = facts_[i];
        if (i == r || f.span.begin >= d.span.begin || !retractable(f)) continue;
        const bool same_concept =
            f.kind == d.kind || (!f.detail.empty() && f.detail == d.kind) ||
            (surgical && manifest_.Is(f.kind, KindRole::kImagingFinding) &&
             (manifest_.FindingIs(f.finding, FindingRole::kConfirmsFusion) ||
              manifest_.FindingIs(f.finding, FindingRole::kHardware) ||
              manifest_.FindingIs(f.finding, FindingRole::kExistingFusion)));
        if (!same_concept) continue;
        if (!d.segments.empty() && !within(f.segments, d.segments)) continue;
        retract.emplace_back(i, d.has_cue ? d.cue.span : d.span);
      }
    }
    for (const Range& denial : t.surgery_denials()) {
      const Span words = nt_.map.ToOriginal(denial.begin, denial.end);
      if (words.begin < scope) continue;
      // The end of the denial's sentence (else its line).
      const int ds = SentenceAt(denial.begin);
      const uint32_t stop = ds >= 0 ? sent_ranges_.At(ds).end : LineAt(denial.end).end;
      const uint32_t until = nt_.map.ToOriginalBegin(stop);
      const std::vector<std::string> named =
          RegionsOfWords(text_.substr(denial.begin, denial.end - denial.begin)).regions;
      for (size_t i = 0; i < facts_.size(); ++i) {
        const Fact& f = facts_[i];
        if (f.span.begin >= until || !retractable(f) ||
            !manifest_.Is(f.kind, KindRole::kSurgicalFusion) || f.when != "prior")
          continue;
        if (!named.empty() && !f.regions.empty() &&
            std::none_of(f.regions.begin(), f.regions.end(), [&](const std::string& g) {
              return std::find(named.begin(), named.end(), g) != named.end();
            }))
          continue;
        retract.emplace_back(i, words);
      }
    }
    // "the fused segment is L1-L2, not T12-L1": the earlier facts at the
    // wrong level, of the kinds the correcting sentence states (every
    // fusion-family kind when it states none; a surgical fusion brings its
    // imaging findings), are retracted. A fact of another kind at that level
    // stays ("the pseudarthrosis is at L5-S1, not L4-L5" keeps the L4-L5
    // fusion).
    for (const Range& wrong : t.replaced_levels()) {
      const Span words = nt_.map.ToOriginal(wrong.begin, wrong.end);
      if (words.begin < scope) continue;
      std::vector<std::string> segments;
      for (const LevelMention& lm :
           fx_.levels_->Extract(text_, wrong.begin, wrong.end, {}, report_, windows_))
        AddUnique(&segments, lm.segments);
      if (segments.empty()) continue;
      uint32_t from = wrong.begin, stop = wrong.end;
      if (const int ws = SentenceAt(wrong.begin); ws >= 0) {
        from = sent_ranges_.At(ws).begin;
        stop = sent_ranges_.At(ws).end;
      }
      const uint32_t ob = nt_.map.ToOriginalBegin(from), oe = nt_.map.ToOriginalBegin(stop);
      std::vector<std::string> kinds;
      bool surgical = false;
      for (const Fact& f : facts_)
        if (f.span.begin >= ob && f.span.begin < oe && retractable(f)) {
          AddUnique(&kinds, {f.kind});
          surgical = surgical || manifest_.Is(f.kind, KindRole::kSurgicalFusion);
        }
      for (size_t i = 0; i < facts_.size(); ++i) {
        const Fact& f = facts_[i];
        if (f.span.begin >= ob || !retractable(f) || !within(f.segments, segments)) continue;
        const bool of_kind =
            kinds.empty() || std::find(kinds.begin(), kinds.end(), f.kind) != kinds.end() ||
            (surgical && manifest_.Is(f.kind, KindRole::kImagingFinding));
        if (of_kind) retract.emplace_back(i, words);
      }
    }
    // A fusion word the correction says is another thing ("Audit addendum:
    // status removed: the arthrodesis was of the ankle"; anchors.toml rules
    // with identifies = "yes"): the earlier surgical fusions placed nowhere
    // (no segment, region or vertebra) were that thing, and are retracted,
    // unless retracted above already.
    std::vector<bool> retracted(facts_.size(), false);
    for (const auto& r : retract) retracted[r.first] = true;
    for (const Range& w : identified_) {
      const Span words = nt_.map.ToOriginal(w.begin, w.end);
      if (words.begin < scope) continue;
      for (size_t i = 0; i < facts_.size(); ++i) {
        const Fact& f = facts_[i];
        if (retracted[i] || f.span.begin >= words.begin || !retractable(f) ||
            !manifest_.Is(f.kind, KindRole::kSurgicalFusion) || !f.segments.empty() ||
            !f.regions.empty() || !f.vertebrae.empty())
          continue;
        retract.emplace_back(i, words);
        retracted[i] = true;
      }
    }
    for (const auto& [i, words] : retract) Negate(&facts_[i], words, t.correction_rule());
    // A diagnosis the correction restates as uncertain ("ADDENDUM: impression
    // corrected to probable nonunion of the L4-5 fusion"; cdi24): the earlier
    // definite statement of it is that uncertain one (IV.H / II.H then decide
    // as for it), with the same segments rule as a denial. Diagnoses only: an
    // operation or an imaging finding keeps its own assertion.
    std::vector<std::pair<size_t, size_t>> doubt;  // fact, the uncertain restatement
    for (size_t r = 0; r < facts_.size(); ++r) {
      const Fact& d = facts_[r];
      if (d.assertion != Assertion::kPossible || !d.has_cue || d.span.begin < scope ||
          manifest_.Is(d.kind, KindRole::kSurgicalFusion) ||
          manifest_.Is(d.kind, KindRole::kImagingFinding))
        continue;
      for (size_t i = 0; i < facts_.size(); ++i) {
        const Fact& f = facts_[i];
        if (i == r || f.span.begin >= d.span.begin || f.kind != d.kind ||
            (f.assertion != Assertion::kPresent && f.assertion != Assertion::kHistorical))
          continue;
        if (!d.segments.empty() && !within(f.segments, d.segments)) continue;
        doubt.emplace_back(i, r);
      }
    }
    for (const auto& [i, r] : doubt) {
      Fact& f = facts_[i];
      if (f.assertion == Assertion::kNegated) continue;  // retracted above
      f.assertion = Assertion::kPossible;
      f.has_cue = true;
      f.cue = facts_[r].cue;
      f.at_discharge = facts_[r].at_discharge;
    }
  }

  // The facts that take their site from the report: a disease that explains
  // a fusion, a finding whose rule says site_from_report = "yes", and a bare
  // "fused" read as acquired fusion ("Fused vertebral bodies." on a chest
  // film is of the thoracic spine).
  bool SiteFromReport(size_t i) const {
    const Rule& rule = *fact_rules_[i];
    if (!Attr(rule, "explains_fusion").empty() || Attr(rule, "site_from_report") == "yes")
      return true;
    return facts_[i].when.empty() && std::find(bare_.begin(), bare_.end(), i) != bare_.end();
  }

  // A disease or an acquired fusion named without a site (SiteFromReport:
  // "IMPRESSION: DISH.") in an imaging report that names one spinal region
  // only ("EXAM: CT THORACIC SPINE") is of that region; with several, or in
  // other notes (a clinic note's "neck pain" says nothing of the disease's
  // site), it stays unspecified (a gap). A report that names no spinal region
  // at all takes the one region its exam line covers ("CHEST, 2 VIEWS": the
  // thoracic spine is what a chest film shows), or without an exam line its
  // content shows (ContentRegions); an exam of several ("CT CHEST, ABDOMEN
  // AND PELVIS") gives none. A mention of a kind that the report places
  // elsewhere at named levels ("CT CERVICAL SPINE ... ankylosis of C7-T1
  // (spontaneous fusion)") is that finding again: the levels, not the exam,
  // are its site, so it takes none here (the mapper counts it with them).
  // The regions of the words that show where a disease is (anchors.toml
  // rules with site_of = the disease kinds: "flowing ossification ...
  // bridging T6 to T11"), by disease kind; scanned only when a disease that
  // explains the note's fusions (explains_fusion = "note") is named without
  // a region.
  std::map<std::string, std::vector<std::string>> DiseaseSites() {
    std::map<std::string, std::vector<std::string>> sites;
    const bool wanted = std::any_of(facts_.begin(), facts_.end(), [&](const Fact& f) {
      return f.regions.empty() && Attr(*fact_rules_[&f - facts_.data()], "explains_fusion") == "note";
    });
    if (!wanted) return sites;
    LocateRegional(0, size_);
    for (const Mention& m : anchors_.FindAll(text_, 0, size_, windows_, report_)) {
      const std::string_view of = Attr(anchors_.rules()[m.rule], "site_of");
      if (of.empty()) continue;
      std::vector<std::string> regions =
          fx_.levels_->RegionsOfPhrase(text_.substr(m.begin, m.end - m.begin), report_).regions;
      // The levels written in the words are where too ("bridging T6 to
      // T11", "with bony bridging T12-L1").
      for (const LevelMention& lm : fx_.levels_->Extract(text_, m.begin, m.end, {}, report_))
        AddUnique(&regions, lm.regions);
      for (size_t k = 0; k < of.size();) {
        const size_t e = std::min(of.find(' ', k), of.size());
        if (e > k) AddUnique(&sites[std::string(of.substr(k, e - k))], regions);
        k = e + 1;
      }
    }
    return sites;
  }

  // The note with the regions it calls normal blanked out (anchors.toml
  // rules with normal_region = "yes": "Thoracic spine unremarkable."): the
  // region a report names for a disease is one it describes, not one it
  // found normal. The note itself when it calls none normal.
  std::string_view NotCalledNormal() {
    LocateRegional(0, size_);
    for (const Mention& m : anchors_.FindAll(text_, 0, size_, windows_, report_)) {
      if (Attr(anchors_.rules()[m.rule], "normal_region") != "yes") continue;
      if (normal_blanked_.empty()) normal_blanked_ = std::string(text_);
      std::fill(normal_blanked_.begin() + m.begin, normal_blanked_.begin() + m.end, ' ');
    }
    return normal_blanked_.empty() ? text_ : std::string_view(normal_blanked_);
  }

  void SiteFromExamLine() {
    std::optional<std::vector<std::string>> named;  // the regions the report names
    std::optional<std::vector<std::string>> site;   // named, else the exam's one
    // The regions the report's body names (after its exam line), for a
    // disease named only as why the study was ordered or in the patient's
    // past: the exam line says what was filmed, not where that disease is
    // ("XR L-SPINE / HISTORY: nr-axSpA; s/p L4-L5 TLIF / FINDINGS: No
    // syndesmophytes": no site of the disease).
    std::optional<std::vector<std::string>> named_in_body;
    auto placed_elsewhere = [&](size_t i) {
      for (const Fact& o : facts_)
        if (&o != &facts_[i] && o.kind == facts_[i].kind && !o.segments.empty() &&
            !o.regions.empty() &&
            (o.assertion == Assertion::kPresent || o.assertion == Assertion::kHistorical))
          return true;
      return false;
    };
    for (size_t i = 0; i < facts_.size() && report_note_; ++i) {
      if (!facts_[i].regions.empty() || !SiteFromReport(i) || placed_elsewhere(i)) continue;
      if (!named) {
        named = fx_.levels_->RegionsOfPhrase(NotCalledNormal(), report_, windows_).regions;
        site = named;
        // No exam line: what the report describes says which exam it is
        // ("the lungs are clear", "heart size": a chest film).
        const std::set<std::string_view>& exam =
            FirstLine().regions.empty() ? ContentRegions() : FirstLine().regions;
        if (site->empty() && exam.size() == 1 && *exam.begin() != "several")
          site->emplace_back(*exam.begin());
      }
      // Why the study was ordered, or the patient's past, is the clinician's
      // question, not what the image shows: it takes a region the report
      // names ("INDICATION: Known AS. FINDINGS: bamboo lumbar spine"), never
      // the one a chest film shows by default.
      const std::string& kind = facts_[i].section_kind;
      const bool ordered = kinds_.Has(kind, SectionRole::kOrderingReason) ||
                           kinds_.Has(kind, SectionRole::kBackground);
      if (ordered && !named_in_body) {
        const std::string_view all = NotCalledNormal();
        const size_t first_end = std::min({all.find('\n'), all.size(), static_cast<size_t>(160)});
        named_in_body =
            fx_.levels_->RegionsOfPhrase(all.substr(first_end), report_, nullptr).regions;
      }
      const std::vector<std::string>& regions = ordered ? *named_in_body : *site;
      if (regions.size() == 1 && regions[0] != "multiple_sites") facts_[i].regions = regions;
    }
  }

  const FactExtractor& fx_;
  const AnalyzeOptions* options_;  // may be null
  UnitMemo::Impl* const memo_;     // a live session's, or null
  UnitMemo* const unit_memo_;      // the same memo (its locator windows), or null
  const OriginalBytes original_;
  const NormalizedText& nt_;
  const std::string_view text_;  // nt_.text
  const uint32_t size_;
  const std::vector<Section>& sections_;
  const bool split_here_;                // SplitSectionsWithMatches fills own_sentences_
  std::vector<Sentence> own_sentences_;  // then: some sections' sentences, in text order
  const std::vector<Sentence>& sentences_;
  ScanReport* const report_;
  const SectionRules& kinds_;
  const Manifest& manifest_;  // which kind does what (models/manifest.toml)
  const RulePack& anchors_;  // the last pack: the manifest's anchors pack

  SentenceRanges sent_ranges_;  // normalized range of each sentence
  RuleWindows note_windows_;
  RuleWindows* regional_ = nullptr;  // the windows LocateRegional adds to
  // &note_windows_ (or the session memo's), or null: scan whole.
  const RuleWindows* windows_ = nullptr;
  std::map<std::pair<uint32_t, uint32_t>, Unit> units_;  // by range: document order
  std::vector<uint32_t> newlines_;  // built on first use
  bool newlines_built_ = false;
  std::map<size_t, bool> mixed_lines_;  // LowerOnLine's answers by line start
  bool report_note_ = false;

  // Found on first use.
  std::optional<Timing> timing_;
  std::optional<bool> note_spine_;
  std::optional<ExamLine> exam_line_;
  std::optional<bool> operative_sections_;
  std::string normal_blanked_;  // NotCalledNormal's copy, when it blanks anything
  std::optional<std::set<std::string_view>> content_regions_;  // ContentRegions()
  std::map<int, bool> sentence_spine_;

  // Modality words of the units before the current one (AbsorbModalitiesBefore).
  std::string first_modality_;
  std::map<int, std::string> last_modality_;  // by section index
  std::map<std::pair<uint32_t, uint32_t>, Unit>::iterator absorbed_;

  std::vector<Fact> facts_;
  std::vector<size_t> bare_;             // facts of a bare "fused"/"fusion"
  std::vector<size_t> caused_;           // of bare_, those whose unit names a non-surgical cause
  std::vector<size_t> union_only_;       // fusions surgical only by a union word (MakeBareFusionsAcquired)
  std::vector<size_t> undated_;          // fusions `prior` as nothing dates them (SameFusionAgain)
  // Fusions and their complications, with their unit and the earlier
  // encounter's document holding it (-1: none), in a note that pastes such
  // documents (EarlierDocumentFacts).
  struct DocFact {
    size_t index;
    Range unit;
    int doc;
  };
  std::vector<DocFact> doc_facts_;
  std::vector<size_t> reported_;         // fusions told as the patient's account (ascending)
  std::vector<Range> identified_;        // fusion words said to be a joint's or acquired (identifies)
  // Complications repaired before this encounter (RepairedComplication), and
  // complications told in a unit dated before it (PastComplicationsRepairedElsewhere).
  std::vector<size_t> repaired_complications_;
  std::vector<size_t> dated_complications_;
  std::vector<const Rule*> fact_rules_;  // the rule of each fact
  // The last hardware with segments described without imaging (an operative
  // report placing screws): its sentence, section and levels.
  Fact placed_hardware_;
};

std::vector<Fact> FactExtractor::Extract(std::string_view original, const NormalizedText& nt,
                                         const std::vector<Section>& sections,
                                         const std::vector<Sentence>& sentences,
                                         ScanReport* report, const AnalyzeOptions* options,
                                         UnitMemo* memo, const OriginalStash* released) const {
  if (memo == nullptr)
    return NotePass(*this, original, nt, sections, &sentences, report, options, nullptr, released)
        .Run();
  memo->impl().BeginPass();
  std::vector<Fact> facts =
      NotePass(*this, original, nt, sections, &sentences, report, options, memo, released).Run();
  memo->impl().EndPass();  // keeps this pass's units only
  return facts;
}

std::vector<Fact> FactExtractor::ExtractSplitting(std::string_view original,
                                                  const NormalizedText& nt,
                                                  const std::vector<Section>& sections,
                                                  ScanReport* report,
                                                  const AnalyzeOptions* options,
                                                  const OriginalStash* released) const {
  std::vector<Fact> facts =
      NotePass(*this, original, nt, sections, nullptr, report, options, nullptr, released).Run();
  for (Fact& f : facts) f.sentence = -1;  // an index into sentences the caller never sees
  return facts;
}

}  // namespace suggest::internal
