// Copyright libsuggest authors.

#include "match/rule_locator.h"

#include <algorithm>
#include <atomic>
#include <bitset>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "match/prescreen.h"
#include "util/byte_scan.h"
#include "util/disk_cache.h"
#include "util/utf8.h"

#if SUGGEST_HAVE_VECTORSCAN
#include <hs/hs.h>

#include "match/vectorscan_scratch.h"
#endif

namespace suggest::internal {

struct RuleLocator::Impl {
#if SUGGEST_HAVE_VECTORSCAN
  // UTF-8 mode: any valid UTF-8 text. (A byte-mode twin for ASCII text was
  // dropped once the patterns went without HS_FLAG_CASELESS: it scanned no
  // faster, and held 2 MB: docs/performance.md "Case folding left to the
  // normalizer".)
  hs_database_t* db = nullptr;
  std::vector<size_t> global_of;   // database id -> global rule index
  std::vector<uint32_t> width_of;  // database id -> max width, 0 if none
  std::vector<std::vector<bool>> stop_of;  // database id -> StopBytes, or empty
  std::vector<uint32_t> nonspace_of;       // database id -> non-space bound, or 0
  // The regional rules' database (RuleLocator::LocateRegional), with its
  // own id maps as above; null if none.
  hs_database_t* regional_db = nullptr;
  std::vector<size_t> regional_global_of;
  std::vector<uint32_t> regional_width_of;
  std::vector<std::vector<bool>> regional_stop_of;
  std::vector<uint32_t> regional_nonspace_of;
  uint64_t serial = 0;
  ~Impl() {
    FreeDatabase(db);
    FreeDatabase(regional_db);
  }
#endif
};

namespace {
[[maybe_unused]] std::atomic<uint64_t> next_locator_serial{1};
}  // namespace

RuleLocator::RuleLocator() : impl_(std::make_unique<Impl>()) {}
RuleLocator::~RuleLocator() = default;

#if !SUGGEST_HAVE_VECTORSCAN
std::vector<bool> StopBytesButLast(const std::string&) { return {}; }
std::string LocatingTail(const std::string&) { return ""; }
std::string LeadingHead(const std::string&) { return ""; }
std::string AcronymScreen(const std::string&) { return ""; }
#endif

bool RuleLocator::ReachOf(const RulePack* pack, size_t rule, Reach* out) const {
  if (reach_.empty()) return false;
  for (const auto& [p, first] : packs_) {
    if (p != pack || rule >= p->rules().size()) continue;
    *out = reach_[first + rule];
    return true;
  }
  return false;
}

#if SUGGEST_HAVE_VECTORSCAN
namespace {

// Caseless and UTF-8 as the prescreen's normalized-text database; all
// matches (no SINGLEMATCH). How each rule is located is its mode in the
// plan (rule_locator.h): by its maximum width before each match end where
// that is bounded and small, else with its leftmost start tracked, else
// with the leftmost start of a widened pattern, else not at all.
constexpr unsigned kBaseFlags = HS_FLAG_CASELESS | HS_FLAG_UTF8 | HS_FLAG_ALLOWEMPTY;

// Widths up to this are windows of their own: start tracking costs more
// per byte of every note than the RE2 runs in the wider windows save.
constexpr uint32_t kMaxWindowWidth = 1024;

bool ByWidth(char m) { return m == 'W' || m == 'V'; }
// Modes whose windows need no start tracking.
bool Untracked(char m) { return ByWidth(m) || m == 'B'; }

// How far back from a match end a 'B' rule's window may reach before the
// scan gives up on the rule for the note (scanned whole then).
constexpr uint32_t kMaxWalk = 4096;

// The maximum width of a pattern's matches; 0 if unbounded or unknown.
uint32_t MaxWidth(const std::string& pattern) {
  hs_expr_info_t* info = nullptr;
  hs_compile_error_t* err = nullptr;
  uint32_t w = 0;
  if (hs_expression_info(pattern.c_str(), kBaseFlags, &info, &err) == HS_SUCCESS &&
      info != nullptr && info->max_width != UINT32_MAX)
    w = info->max_width;
  if (info != nullptr) std::free(info);
  if (err != nullptr) hs_free_compile_error(err);
  return w;
}

// `pattern` with every counted repeat that has a maximum, X{m,n} or X{m,},
// made X*: a pattern whose language holds the original's (a match of the
// original is a path through the widened one too, assertions included), so
// the leftmost start of its matches ending at t is at or before that of the
// original's. Vectorscan tracks starts of [^.;]* where it cannot of
// [^.;]{0,40}. "" if the pattern uses a construct this reader does not
// follow (\Q...\E) or has no such repeat.
std::string Widened(const std::string& pattern) {
  if (pattern.find("\\Q") != std::string::npos) return "";
  std::string out;
  bool in_class = false, changed = false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\') {  // an escape: itself and the byte after it
      out += c;
      if (i + 1 < pattern.size()) out += pattern[++i];
      continue;
    }
    if (in_class) {
      if (c == '[' && i + 1 < pattern.size() && pattern[i + 1] == ':') {
        const size_t close = pattern.find(":]", i + 2);  // [:alpha:]
        if (close == std::string::npos) return "";
        out.append(pattern, i, close + 2 - i);
        i = close + 1;
        continue;
      }
      if (c == ']') in_class = false;
      out += c;
      continue;
    }
    if (c == '[') {  // a class; a ']' first in it (after '^') is a member
      in_class = true;
      out += c;
      if (i + 1 < pattern.size() && pattern[i + 1] == '^') out += pattern[++i];
      if (i + 1 < pattern.size() && pattern[i + 1] == ']') out += pattern[++i];
      continue;
    }
    if (c == '{' && i + 1 < pattern.size() && pattern[i + 1] >= '0' && pattern[i + 1] <= '9') {
      size_t j = i + 1;
      while (j < pattern.size() && pattern[j] >= '0' && pattern[j] <= '9') ++j;
      if (j < pattern.size() && pattern[j] == ',') {
        ++j;
        while (j < pattern.size() && pattern[j] >= '0' && pattern[j] <= '9') ++j;
        if (j < pattern.size() && pattern[j] == '}') {
          out += '*';
          i = j;
          changed = true;
          continue;
        }
      }
    }
    out += c;
  }
  return changed ? out : "";
}

// The ASCII bytes a match of an RE2 pattern can hold: the union of what
// every atom of the pattern (literal, class, escape, '.') can match, each
// letter in both cases. An over-approximation: all 128 if the pattern uses
// anything this reader does not follow (\x{..}, \p, \Q, [:alpha:], ...).
// Bytes >= 0x80 are never ruled out (the callers treat them so).
using AsciiSet = std::bitset<128>;

void AddByte(AsciiSet* set, unsigned char c, bool both_cases) {
  if (c >= 128) return;
  set->set(c);
  if (both_cases && c >= 'a' && c <= 'z') set->set(c - 'a' + 'A');
  if (both_cases && c >= 'A' && c <= 'Z') set->set(c - 'A' + 'a');
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The escape at p[*i] == '\\' (advancing *i to its last byte): a single
// byte in *byte (returns 1), a class added to *set (returns 2), zero width
// (returns 0), or not understood (returns -1).
int ReadEscape(const std::string& p, size_t* i, AsciiSet* set, unsigned char* byte) {
  if (*i + 1 >= p.size()) return -1;
  const char e = p[++*i];
  switch (e) {
    case 'b': case 'B': case 'A': case 'z': return 0;
    case 's': for (char c : {' ', '\t', '\n', '\r', '\f', '\v'}) set->set(c); return 2;
    case 'd': for (char c = '0'; c <= '9'; ++c) set->set(c); return 2;
    case 'w':
      for (int c = 0; c < 128; ++c)
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')
          set->set(c);
      return 2;
    case 'S': case 'D': case 'W': set->set(); return 2;
    case 'n': *byte = '\n'; return 1;
    case 't': *byte = '\t'; return 1;
    case 'r': *byte = '\r'; return 1;
    case 'f': *byte = '\f'; return 1;
    case 'v': *byte = '\v'; return 1;
    case 'x':
      if (*i + 2 < p.size() && HexDigit(p[*i + 1]) >= 0 && HexDigit(p[*i + 2]) >= 0) {
        *byte = static_cast<unsigned char>(HexDigit(p[*i + 1]) * 16 + HexDigit(p[*i + 2]));
        *i += 2;
        return 1;
      }
      return -1;
    default:  // an escaped symbol is itself; a letter or digit we do not know
      if ((e >= '0' && e <= '9') || (e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z')) return -1;
      *byte = static_cast<unsigned char>(e);
      return 1;
  }
}

// The class at p[*i] == '[' (advancing *i to its ']') added to *set; false
// if not understood. A negated class adds every byte it does not list
// exactly (case folding can only narrow it).
bool ReadClass(const std::string& p, size_t* i, AsciiSet* set) {
  size_t j = *i + 1;
  const bool negated = j < p.size() && p[j] == '^';
  if (negated) ++j;
  AsciiSet listed;
  for (bool first = true; j < p.size() && (p[j] != ']' || first); ++j) {
    first = false;
    unsigned char lo = static_cast<unsigned char>(p[j]);
    if (p[j] == '[' && j + 1 < p.size() && p[j + 1] == ':') return false;
    if (p[j] == '\\') {
      const int kind = ReadEscape(p, &j, &listed, &lo);
      // \S, \D, \W are read as every byte: negated, that would be none.
      if (kind < 0 || (kind == 2 && negated && p[j] >= 'A' && p[j] <= 'Z')) return false;
      if (kind != 1) continue;
    }
    if (j + 2 < p.size() && p[j + 1] == '-' && p[j + 2] != ']') {
      if (p[j + 2] == '\\' || static_cast<unsigned char>(p[j + 2]) < lo) return false;
      for (unsigned c = lo; c <= static_cast<unsigned char>(p[j + 2]); ++c)
        AddByte(&listed, static_cast<unsigned char>(c), !negated);
      j += 2;
      continue;
    }
    AddByte(&listed, lo, !negated);
  }
  if (j >= p.size()) return false;
  *i = j;
  *set |= negated ? ~listed : listed;
  return true;
}

AsciiSet MatchBytes(const std::string& p) {
  AsciiSet all;
  all.set();
  // Under (?i) a letter beyond ASCII can fold to one in it (U+212A -> k).
  const bool folds = p.find("(?") != std::string::npos &&
                     std::any_of(p.begin(), p.end(), [](char c) { return (c & 0x80) != 0; });
  if (folds) return all;
  AsciiSet set;
  for (size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    unsigned char byte = static_cast<unsigned char>(c);
    if (c == '\\') {
      const int kind = ReadEscape(p, &i, &set, &byte);
      if (kind < 0) return all;
      if (kind == 1) AddByte(&set, byte, true);
    } else if (c == '[') {
      if (!ReadClass(p, &i, &set)) return all;
    } else if (c == '(' && i + 2 < p.size() && p[i + 1] == '?') {  // (?:  (?i)  (?P<name>
      const size_t close = p.find_first_of(p[i + 2] == 'P' ? ">" : ":)", i + 2);
      if (close == std::string::npos) return all;
      i = close;
    } else if (c == '{' && i + 1 < p.size() && p[i + 1] >= '0' && p[i + 1] <= '9') {
      size_t j = i + 1;
      while (j < p.size() && ((p[j] >= '0' && p[j] <= '9') || p[j] == ',')) ++j;
      if (j < p.size() && p[j] == '}') {
        i = j;  // a counted repeat
      } else {
        AddByte(&set, byte, true);
      }
    } else if (c == '.') {
      return all;
    } else if (std::string_view("()|*+?^$").find(c) == std::string_view::npos) {
      AddByte(&set, byte, true);
    }
  }
  return set;
}

// Bytes no match of `pattern` holds (a 256-entry table; none >= 0x80), or
// an empty table if these include none of the common separators: then they
// would seldom bound a window.
std::vector<bool> StopBytes(const std::string& pattern) {
  const AsciiSet can = MatchBytes(pattern);
  if (can['.'] && can['\n'] && can[','] && can[';'] && can[':']) return {};
  std::vector<bool> stop(256, false);
  for (int c = 0; c < 128; ++c) stop[c] = !can[c];
  return stop;
}

// The end of the atom of `p` at `i` (one past it), or npos if this reader
// does not follow it; *width is 0 for a zero-width atom (an anchor, \b), 1
// for one character (a literal, class, '.', escape), 2 for a group (whose
// alternatives the caller reads), and *flags true for a flag group "(?i)".
size_t AtomEnd(const std::string& p, size_t i, int* width, bool* flags) {
  *flags = false;
  const char c = p[i];
  if (c == '^' || c == '$') {
    *width = 0;
    return i + 1;
  }
  if (c == '\\') {
    AsciiSet set;
    unsigned char byte = 0;
    const int kind = ReadEscape(p, &i, &set, &byte);
    if (kind < 0) return std::string::npos;
    *width = kind == 0 ? 0 : 1;
    return i + 1;
  }
  if (c == '[') {
    AsciiSet set;
    if (!ReadClass(p, &i, &set)) return std::string::npos;
    *width = 1;
    return i + 1;
  }
  if (c == '(') {
    int depth = 0;
    for (size_t j = i; j < p.size(); ++j) {
      if (p[j] == '\\') {
        ++j;
      } else if (p[j] == '[') {
        AsciiSet set;
        if (!ReadClass(p, &j, &set)) return std::string::npos;
      } else if (p[j] == '(') {
        ++depth;
      } else if (p[j] == ')' && --depth == 0) {
        *width = 2;
        // "(?i)" and the like: flags, no atom. A named group "(?P<x>...)"
        // has no ':' either, and is a group.
        *flags = p[i + 1] == '?' && p[i + 2] != 'P' && p.find_first_of(":)", i + 2) == j;
        return j + 1;
      }
    }
    return std::string::npos;
  }
  if (c == ')' || c == '|' || c == '*' || c == '+' || c == '?' || c == '{')
    return std::string::npos;
  *width = 1;  // a literal (a UTF-8 character: its bytes together)
  size_t j = i + 1;
  while (j < p.size() && (static_cast<unsigned char>(p[j]) & 0xC0) == 0x80) ++j;
  return j;
}

// The quantifier at p[i] (one past it; i if none), and whether it lets its
// atom repeat (anything but '?', lazy or not).
size_t QuantifierEnd(const std::string& p, size_t i, bool* repeats) {
  *repeats = false;
  if (i >= p.size()) return i;
  size_t j = i;
  if (p[j] == '?') {
    ++j;
  } else if (p[j] == '*' || p[j] == '+') {
    *repeats = true;
    ++j;
  } else if (p[j] == '{' && j + 1 < p.size() && p[j + 1] >= '0' && p[j + 1] <= '9') {
    const size_t close = p.find('}', j);
    if (close == std::string::npos) return i;
    *repeats = true;
    j = close + 1;
  } else {
    return i;
  }
  if (j < p.size() && p[j] == '?') ++j;  // lazy
  return j;
}

// True if every match of `p` (a sequence of alternatives, no enclosing
// group) is at most one character: each alternative is zero-width atoms and
// at most one single-character atom (or group of such), none repeated.
bool AtMostOneCharacter(const std::string& p) {
  size_t i = 0;
  int chars = 0;
  while (i <= p.size()) {
    if (i == p.size() || p[i] == '|') {
      if (i == p.size()) return true;
      chars = 0;  // the next alternative
      ++i;
      continue;
    }
    int width = 0;
    bool flags = false;
    const size_t end = AtomEnd(p, i, &width, &flags);
    if (end == std::string::npos || flags) return false;
    if (width == 2) {
      const size_t open = p[i + 1] != '?' ? i + 1 : p.find_first_of(":>", i) + 1;
      if (open == 0 || open >= end || !AtMostOneCharacter(p.substr(open, end - 1 - open)))
        return false;
    }
    bool repeats = false;
    i = QuantifierEnd(p, end, &repeats);
    if (width != 0 && (repeats || ++chars > 1)) return false;
  }
  return true;
}

}  // namespace

std::string WidenedOrSame(const std::string& pattern) {
  std::string w = Widened(pattern);
  return w.empty() ? pattern : w;
}

// Bytes a match of `pattern` holds at most as its last byte (StopBytesButLast
// in rule_locator.h). The pattern must be one sequence (no '|' outside a
// group) whose last atom, repeated at most by '?', matches at most one
// character: a match is then a match of the rest (its "body") followed by at
// most that character, so a byte the body cannot hold (MatchBytes, the
// over-approximation StopBytes reads) is in a match only as its last byte -
// in UTF-8 an ASCII byte is a whole character. E.g. '...\s*(?:[.;,)]|\n|$)'.
std::vector<bool> StopBytesButLast(const std::string& pattern) {
  if (pattern.empty() || pattern.find("\\Q") != std::string::npos) return {};
  size_t last = std::string::npos, i = 0;
  while (i < pattern.size()) {
    if (pattern[i] == '|') return {};  // an alternation at the top
    int width = 0;
    bool flags = false;
    const size_t end = AtomEnd(pattern, i, &width, &flags);
    if (end == std::string::npos) return {};
    bool repeats = false;
    const size_t next = QuantifierEnd(pattern, end, &repeats);
    if (!flags) last = width == 0 ? std::string::npos : i;  // a final anchor: none
    if (!flags && width != 0 && repeats) last = std::string::npos;
    i = next;
  }
  if (last == std::string::npos) return {};
  int width = 0;
  bool flags = false;
  const size_t end = AtomEnd(pattern, last, &width, &flags);
  if (width == 2) {
    const size_t open =
        pattern[last + 1] != '?' ? last + 1 : pattern.find_first_of(":>", last) + 1;
    if (open == 0 || open >= end || !AtMostOneCharacter(pattern.substr(open, end - 1 - open)))
      return {};
  }
  return StopBytes(pattern.substr(0, last));
}

namespace {

// True if the atom p[i, end) (AtomEnd's width 1 or 2) can only begin with
// a run of at least three literal letters: a literal letter run, or a group
// each of whose alternatives so begins. Vectorscan then has a literal to
// start from there.
bool LiteralLed(const std::string& p, size_t i, size_t end, int width) {
  auto letters_at = [&](size_t j, size_t stop) {
    size_t n = 0;
    while (j < stop && ((p[j] >= 'a' && p[j] <= 'z') || (p[j] >= 'A' && p[j] <= 'Z'))) ++j, ++n;
    // A quantifier on the last letter makes it optional: not counted.
    if (n > 0 && j < stop && (p[j] == '?' || p[j] == '*' || p[j] == '{')) --n;
    return n;
  };
  if (width == 1) {  // one literal character: look at the run it starts
    return letters_at(i, p.size()) >= 3;
  }
  if (width != 2 || p[i] != '(') return false;
  size_t open = i + 1;
  if (p[open] == '?') {
    if (open + 1 >= end || p[open + 1] != ':') return false;  // (?: only
    open += 2;
  }
  // Each top-level alternative of the group's body [open, end - 1).
  const size_t close = end - 1;
  size_t j = open;
  int depth = 0;
  size_t alt = open;
  for (; j <= close; ++j) {
    if (j == close || (depth == 0 && p[j] == '|')) {
      // An alternative that is itself a group: its own alternatives.
      if (alt < close && p[alt] == '(') {
        int w = 0;
        bool flags = false;
        const size_t e = AtomEnd(p, alt, &w, &flags);
        bool rep = false;
        if (e == std::string::npos || flags || QuantifierEnd(p, e, &rep) != e ||
            !LiteralLed(p, alt, e, w))
          return false;
      } else if (letters_at(alt, j) < 3) {
        return false;
      }
      alt = j + 1;
      continue;
    }
    if (p[j] == '\\') {
      ++j;
    } else if (p[j] == '[') {
      AsciiSet set;
      if (!ReadClass(p, &j, &set)) return false;
    } else if (p[j] == '(') {
      ++depth;
    } else if (p[j] == ')') {
      --depth;
    }
  }
  return true;
}

}  // namespace

// The tail by which an untracked rule is located (rule_locator.h
// LocatingTail): what follows the last top-level group repeated without
// bound, if it holds a mandatory literal-led atom.
std::string LocatingTail(const std::string& pattern) {
  if (pattern.empty() || pattern.find("\\Q") != std::string::npos ||
      pattern.find('\0') != std::string::npos)
    return "";
  struct Atom {
    size_t begin, end;  // with its quantifier
    int width;
    bool flags, repeats, optional, unbounded;
  };
  std::vector<Atom> atoms;
  for (size_t i = 0; i < pattern.size();) {
    if (pattern[i] == '|') return "";  // an alternation at the top
    Atom a{};
    a.begin = i;
    const size_t end = AtomEnd(pattern, i, &a.width, &a.flags);
    if (end == std::string::npos) return "";
    a.end = QuantifierEnd(pattern, end, &a.repeats);
    const std::string_view q(pattern.data() + end, a.end - end);
    a.optional = !q.empty() && (q[0] == '?' || q[0] == '*' || q.substr(0, 2) == "{0");
    a.unbounded = !q.empty() && (q[0] == '*' || q[0] == '+' ||
                                 (q[0] == '{' && q.find(",}") != std::string_view::npos));
    atoms.push_back(a);
    i = a.end;
  }
  size_t last_loop = std::string::npos;
  for (size_t k = 0; k < atoms.size(); ++k)
    if (!atoms[k].flags && atoms[k].width == 2 && atoms[k].unbounded) last_loop = k;
  if (last_loop == std::string::npos) return "";
  // The rest must hold a literal to start from: a mandatory literal-led atom.
  bool literal = false;
  for (size_t k = last_loop + 1; k < atoms.size() && !literal; ++k) {
    const Atom& a = atoms[k];
    if (a.flags || a.width == 0 || a.optional) continue;
    int w = 0;
    bool flags = false;
    const size_t end = AtomEnd(pattern, a.begin, &w, &flags);
    literal = LiteralLed(pattern, a.begin, end, w);
  }
  if (!literal) return "";
  std::string out;
  for (size_t f = 0; f <= last_loop; ++f)
    if (atoms[f].flags) out.append(pattern, atoms[f].begin, atoms[f].end - atoms[f].begin);
  out.append(pattern, atoms[last_loop].end, std::string::npos);
  return out;
}

// The head of a pattern (rule_locator.h LeadingHead): its leading
// zero-width atoms and first group, if every match holds that group.
std::string LeadingHead(const std::string& pattern) {
  if (pattern.find("\\Q") != std::string::npos || pattern.find('\0') != std::string::npos)
    return "";
  size_t head_end = std::string::npos;
  for (size_t i = 0; i < pattern.size();) {
    if (pattern[i] == '|') return "";  // an alternation at the top
    int width = 0;
    bool flags = false, repeats = false;
    const size_t end = AtomEnd(pattern, i, &width, &flags);
    if (end == std::string::npos) return "";
    const size_t q = QuantifierEnd(pattern, end, &repeats);
    if (head_end == std::string::npos && width != 0) {
      const std::string_view quant(pattern.data() + end, q - end);
      const bool optional = !quant.empty() && (quant[0] == '?' || quant[0] == '*' ||
                                               quant.substr(0, 2) == "{0");
      if (flags || width != 2 || optional) return "";
      head_end = end;
    }
    i = q;
  }
  return head_end == std::string::npos ? "" : pattern.substr(0, head_end);
}

namespace {

// AcronymScreen's walk over one level p[b, e) of a pattern (the whole
// pattern, or a group's body), looking for the group that starts at `at`;
// `lead` / `trail`: a "\b" stands right before / after this level.
std::string AcronymIn(const std::string& p, size_t b, size_t e, size_t at, bool lead,
                      bool trail) {
  std::vector<std::pair<size_t, size_t>> atoms;  // [begin, end) of each atom
  size_t k = std::string::npos;                  // the atom holding `at`
  for (size_t i = b; i < e;) {
    if (p[i] == '|') return "";  // an alternation: a match may do without
    int width = 0;
    bool flags = false, repeats = false;
    const size_t end = AtomEnd(p, i, &width, &flags);
    if (end == std::string::npos || end > e) return "";
    const size_t q = QuantifierEnd(p, end, &repeats);
    if (i <= at && at < end) {
      if (width != 2 || flags || q != end) return "";  // optional or repeated
      k = atoms.size();
    }
    atoms.emplace_back(i, end);
    i = q;
  }
  if (k == std::string::npos) return "";
  auto is_b = [&p](std::pair<size_t, size_t> a) {
    return a.second - a.first == 2 && p.compare(a.first, 2, "\\b") == 0;
  };
  const bool lead_here = k == 0 ? lead : is_b(atoms[k - 1]);
  const bool trail_here = k + 1 == atoms.size() ? trail : is_b(atoms[k + 1]);
  const auto [open, close] = atoms[k];
  if (open != at) {  // a group around it: its body is the next level
    const size_t body = p[open + 1] != '?' ? open + 1
                        : p.compare(open, 3, "(?P") == 0 ? p.find('>', open) + 1
                                                         : p.find(':', open) + 1;
    return AcronymIn(p, body, close - 1, at, lead_here, trail_here);
  }
  std::string upper;
  for (size_t i = at + std::string_view("(?P<acronym>").size(); i + 1 < close; ++i) {
    if (p[i] == '|') {
      upper += '|';
    } else if (p[i] >= 'a' && p[i] <= 'z') {
      upper += static_cast<char>(p[i] - 'a' + 'A');
    } else {
      return "";
    }
  }
  if (upper.empty()) return "";
  return std::string(lead_here ? "\\b" : "") + "(?-i:" + upper + ")" + (trail_here ? "\\b" : "");
}

}  // namespace

std::string AcronymScreen(const std::string& pattern) {
  static constexpr std::string_view kOpen = "(?P<acronym>";
  const size_t at = pattern.find(kOpen);
  if (at == std::string::npos || pattern.find(kOpen, at + 1) != std::string::npos ||
      pattern.find("\\Q") != std::string::npos || pattern.find('\0') != std::string::npos)
    return "";
  return AcronymIn(pattern, 0, pattern.size(), at, false, false);
}

namespace {

// `pattern` without its \s+ and \s* (lazy or not) and its zero-width
// assertions (\b \B \A \z ^ $): every match of the pattern, less the
// whitespace those repeats took, is a match of it. So if its width is
// bounded by n, a match of the pattern holds at most n bytes that RE2's \s
// ([\t\n\f\r ]) does not match. "" if nothing was taken out.
std::string WithoutSpaceRuns(const std::string& p) {
  std::string out;
  bool in_class = false, changed = false;
  for (size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    if (c == '\\' && i + 1 < p.size()) {
      const char e = p[i + 1];
      if (!in_class && e == 's' && i + 2 < p.size() && (p[i + 2] == '+' || p[i + 2] == '*')) {
        i += (i + 3 < p.size() && p[i + 3] == '?') ? 3 : 2;
        changed = true;
      } else if (!in_class && (e == 'b' || e == 'B' || e == 'A' || e == 'z')) {
        ++i;
        changed = true;
      } else {
        out += c;
        out += p[++i];
      }
      continue;
    }
    if (in_class) {
      if (c == '[' && i + 1 < p.size() && p[i + 1] == ':') return "";
      in_class = c != ']';
      out += c;
      continue;
    }
    if (c == '[') {  // a ']' first in a class (after '^') is a member
      in_class = true;
      out += c;
      if (i + 1 < p.size() && p[i + 1] == '^') out += p[++i];
      if (i + 1 < p.size() && p[i + 1] == ']') out += p[++i];
      continue;
    }
    if (c == '^' || c == '$') {
      changed = true;
      continue;
    }
    out += c;
  }
  return changed ? out : "";
}

// How each rule is located: mode 'W' by width, 'B' back to the last byte no
// match of it holds or to its most bytes that are not spaces, 'S' start tracked, 'R' start tracked on its widened
// pattern, 'V' by a width past kMaxWindowWidth, 'X' not located. Windows by
// width stop at such a byte too, when the rule has them. The plan is cached beside
// the database (finding it takes failed compiles).
struct LocatorPlan {
  std::string mode;
  std::vector<uint32_t> width;  // 0 if unbounded
  std::vector<std::vector<bool>> stop;  // StopBytes
  std::vector<uint32_t> nonspace;       // MaxWidth(WithoutSpaceRuns), 0 if none
  std::string cache_name;
  bool cached = false;
};

// The plan as cached: the modes, then one "width nonspace" line per rule
// (hs_expression_info compiles each pattern to measure it: most of a cold
// load's cost once every rule is windowed, so the widths are kept too).
std::string PlanText(const LocatorPlan& plan) {
  std::string out = plan.mode + "\n";
  for (size_t i = 0; i < plan.mode.size(); ++i)
    out += std::to_string(plan.width[i]) + " " + std::to_string(plan.nonspace[i]) + "\n";
  return out;
}

// Reads PlanText back into *plan (n rules); false if it is not one.
bool ReadPlanText(std::string_view text, size_t n, LocatorPlan* plan) {
  const size_t eol = text.find('\n');
  if (eol != n) return false;
  std::string mode(text.substr(0, n));
  std::vector<uint32_t> width(n), nonspace(n);
  std::string_view rest = text.substr(n + 1);
  for (size_t i = 0; i < n; ++i) {
    const size_t end = rest.find('\n');
    if (end == std::string_view::npos) return false;
    unsigned long w = 0, b = 0;
    if (std::sscanf(std::string(rest.substr(0, end)).c_str(), "%lu %lu", &w, &b) != 2)
      return false;
    width[i] = static_cast<uint32_t>(w);
    nonspace[i] = static_cast<uint32_t>(b);
    rest.remove_prefix(end + 1);
  }
  if (!rest.empty()) return false;
  plan->mode = std::move(mode);
  plan->width = std::move(width);
  plan->nonspace = std::move(nonspace);
  return true;
}

LocatorPlan StartPlan(const std::vector<const Rule*>& all) {
  LocatorPlan plan;
  KeyHasher key;
  key.Add("locator-plan-6").Add(hs_version()).Add(std::to_string(kBaseFlags));
  key.Add(std::to_string(kMaxWindowWidth));
  for (const Rule* r : all) key.Add(r->pattern);
  plan.cache_name = "locator-plan-" + key.Hex() + ".txt";
  plan.stop.resize(all.size());
  for (size_t i = 0; i < all.size(); ++i) plan.stop[i] = StopBytes(all[i]->pattern);
  if (auto cached = ReadDiskCache(plan.cache_name);
      cached && ReadPlanText(cached->view(), all.size(), &plan)) {
    plan.cached = true;
  } else {
    plan.mode.assign(all.size(), 'S');
    plan.width.assign(all.size(), 0);
    plan.nonspace.assign(all.size(), 0);
    for (size_t i = 0; i < all.size(); ++i) {
      plan.width[i] = MaxWidth(all[i]->pattern);
      if (const std::string bare = WithoutSpaceRuns(all[i]->pattern); !bare.empty())
        plan.nonspace[i] = MaxWidth(bare);
      if (plan.width[i] > 0 && plan.width[i] <= kMaxWindowWidth) {
        plan.mode[i] = 'W';
      } else if (!plan.stop[i].empty() || plan.nonspace[i] > 0) {
        plan.mode[i] = 'B';
      }
      if (all[i]->pattern.find('\0') != std::string::npos) plan.mode[i] = 'X';
    }
  }
  for (size_t i = 0; i < all.size(); ++i) {
    if (ByWidth(plan.mode[i]) && plan.width[i] == 0) plan.mode[i] = 'X';
    if (plan.mode[i] == 'B' && plan.stop[i].empty() && plan.nonspace[i] == 0) plan.mode[i] = 'X';
  }
  return plan;
}

// The database of the located rules: db (null if none compiled, then
// `error` says why), its rules' global indexes and their windows' widths
// (0 if start tracked).
struct LocatedDatabase {
  hs_database_t* db = nullptr;
  std::vector<size_t> ids;
  std::vector<uint32_t> width_of;
  std::vector<std::vector<bool>> stop_of;  // empty where start tracked
  std::vector<uint32_t> nonspace_of;       // 0 where start tracked
  std::string error;
};

// The next mode of a rule whose compile failed in mode `m`: 'W' or 'B' ->
// 'S' -> 'R' (if it can be widened) -> 'V' (by width however wide, if
// bounded) -> 'X'.
char Demoted(char m, const Rule& rule, uint32_t width) {
  if (m == 'W' || m == 'B') return 'S';
  if (m == 'S' && !Widened(rule.pattern).empty()) return 'R';
  if ((m == 'S' || m == 'R') && width > 0) return 'V';
  return 'X';
}

// Compiles the plan's rules that `include` names; each failed compile
// demotes the rule it names (Demoted) and tries again, until a database
// compiles, no rule is left, or Vectorscan names no rule. Then the
// byte-mode twin.
LocatedDatabase CompileLocated(const std::vector<const Rule*>& all, LocatorPlan* plan,
                               const std::vector<bool>& include) {
  LocatedDatabase out;
  for (;;) {
    std::vector<size_t> ids;
    std::vector<std::string> patterns;
    std::vector<unsigned> flags;
    for (size_t i = 0; i < all.size(); ++i) {
      const char m = plan->mode[i];
      if (m == 'X' || !include[i]) continue;
      ids.push_back(i);
      // An untracked rule's window is read from its own reach, never from
      // the report's start: its tail reports every end of its matches.
      std::string tail = Untracked(m) ? LocatingTail(all[i]->pattern) : "";
      patterns.push_back(m == 'R'          ? Widened(all[i]->pattern)
                         : !tail.empty() ? std::move(tail)
                                         : all[i]->pattern);
      // The normalized view has no capitals (CaseMatters).
      const unsigned base = CaseMatters(patterns.back())
                                ? kBaseFlags
                                : kBaseFlags & ~unsigned{HS_FLAG_CASELESS};
      flags.push_back(Untracked(m) ? base : base | HS_FLAG_SOM_LEFTMOST);
    }
    if (ids.empty()) return out;
    std::string error;
    int bad = -1;
    hs_database_t* db = CompileOrLoad(patterns, flags, &error, &bad);
    if (db != nullptr) {
      out.db = db;
      out.ids = ids;
      for (size_t i : ids) {
        const bool untracked = Untracked(plan->mode[i]);
        out.width_of.push_back(untracked ? plan->width[i] : 0);
        out.stop_of.push_back(untracked ? plan->stop[i] : std::vector<bool>());
        out.nonspace_of.push_back(untracked ? plan->nonspace[i] : 0);
      }
      if (!plan->cached) WriteDiskCache(plan->cache_name, PlanText(*plan));
      return out;
    }
    if (bad < 0 || static_cast<size_t>(bad) >= ids.size()) {
      out.error = error;
      return out;
    }
    const size_t g = ids[bad];
    plan->mode[g] = Demoted(plan->mode[g], *all[g], plan->width[g]);
  }
}

}  // namespace
#endif

#if SUGGEST_HAVE_VECTORSCAN
namespace {

// The regional rules' database into `impl` (none if `regional` names no
// rule); the rules in it, by global index. Empty if it did not compile:
// the whole-note database then takes them.
std::vector<bool> CompileRegional(const std::vector<const Rule*>& all, LocatorPlan* plan,
                                  const std::vector<bool>& regional,
                                  hs_database_t** db,
                                  std::vector<size_t>* global_of, std::vector<uint32_t>* width_of,
                                  std::vector<std::vector<bool>>* stop_of,
                                  std::vector<uint32_t>* nonspace_of) {
  std::vector<bool> in(all.size(), false);
  if (std::find(regional.begin(), regional.end(), true) == regional.end()) return {};
  LocatedDatabase r = CompileLocated(all, plan, regional);
  if (r.db == nullptr) return {};
  *db = r.db;
  for (size_t i : r.ids) in[i] = true;
  *global_of = std::move(r.ids);
  *width_of = std::move(r.width_of);
  *stop_of = std::move(r.stop_of);
  *nonspace_of = std::move(r.nonspace_of);
  return in;
}

}  // namespace
#endif

std::unique_ptr<const RuleLocator> RuleLocator::Build(const std::vector<const RulePack*>& packs,
                                                      const std::vector<bool>& regional) {
  std::unique_ptr<RuleLocator> rl(new RuleLocator());
  std::vector<const Rule*> all;
  for (const RulePack* pack : packs) {
    rl->packs_.emplace_back(pack, all.size());
    for (const Rule& r : pack->rules()) all.push_back(&r);
  }
  rl->located_.assign(all.size(), false);
  rl->regional_.assign(all.size(), false);
#if SUGGEST_HAVE_VECTORSCAN
  LocatorPlan plan = StartPlan(all);
  std::vector<bool> asked = regional;
  asked.resize(all.size(), false);
  Impl& im = *rl->impl_;
  if (auto in = CompileRegional(all, &plan, asked, &im.regional_db, &im.regional_global_of,
                                &im.regional_width_of, &im.regional_stop_of,
                                &im.regional_nonspace_of);
      !in.empty())
    rl->regional_ = std::move(in);
  std::vector<bool> whole(all.size());
  for (size_t i = 0; i < all.size(); ++i) whole[i] = !rl->regional_[i];
  LocatedDatabase located = CompileLocated(all, &plan, whole);
  rl->impl_->db = located.db;
  rl->impl_->global_of = std::move(located.ids);
  rl->impl_->width_of = std::move(located.width_of);
  rl->impl_->stop_of = std::move(located.stop_of);
  rl->impl_->nonspace_of = std::move(located.nonspace_of);
  rl->inactive_reason_ = located.error;
  for (size_t i : rl->impl_->global_of) rl->located_[i] = true;
  rl->impl_->serial = next_locator_serial.fetch_add(1);
  rl->reach_.resize(all.size());
  for (size_t i = 0; i < all.size(); ++i) {
    // A NUL ends the C string hs_expression_info read: no width is known.
    if (all[i]->pattern.find('\0') != std::string::npos) continue;
    rl->reach_[i] = {plan.width[i], plan.stop[i], plan.nonspace[i],
                     StopBytesButLast(all[i]->pattern)};
  }
  rl->active_ = rl->impl_->db != nullptr;
  if (!rl->active_ && rl->inactive_reason_.empty()) rl->inactive_reason_ = "no pattern compiled";
  auto in_db = [&](size_t i) { return rl->located_[i] || rl->regional_[i]; };
  for (size_t i = 0; i < all.size(); ++i)
    if (ByWidth(plan.mode[i]) && in_db(i)) rl->by_width_.push_back(all[i]->id);
  for (size_t i = 0; i < all.size(); ++i) {
    if (plan.mode[i] == 'R' && in_db(i)) rl->widened_.push_back(all[i]->id);
    if (plan.mode[i] == 'B' && in_db(i)) rl->by_stops_.push_back(all[i]->id);
  }
#else
  rl->inactive_reason_ = "built without Vectorscan";
#endif
  for (size_t i = 0; i < all.size(); ++i) {
    if (rl->located_[i] || rl->regional_[i]) {
      ++rl->located_count_;
    } else {
      rl->unlocated_.push_back(all[i]->id);
    }
  }
  return rl;
}

#if SUGGEST_HAVE_VECTORSCAN
namespace {

// One scratch space per thread for the locator databases
// (match/vectorscan_scratch.h; apart from the prescreen's, whose serial
// numbers are counted apart).
thread_local ThreadScratch tl_locator_scratch;

struct ScanState {
  std::string_view text;
  const std::vector<size_t>* global_of;
  const std::vector<uint32_t>* width_of;
  const std::vector<std::vector<bool>>* stop_of;
  const std::vector<uint32_t>* nonspace_of;
  std::vector<std::vector<RuleWindows::Region>>* regions;
  std::vector<bool>* located;
  size_t max_regions;
  uint64_t offset = 0;  // of the scanned stretch in `text`
};

// The bytes RE2's \s matches.
bool IsRe2Space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

// Where the window of an untracked rule's match ending at `to` starts: its
// width before `to` (w > 0); after the last byte before `to` that no match
// of the rule holds (`stop`, if not empty); after the (n+1)th byte before
// `to` that is not RE2 whitespace (n > 0: a match holds at most n). False if
// none of these bounds it within kMaxWalk bytes. The walk also stops at
// `reached` (> 0: the end of the rule's last region, when `to` is not before
// it): each bound is nondecreasing in `to`, so this window's start is at or
// after that region's, and the two merge into the same region either way.
// So a rule matching densely walks each byte about once, not once a match.
bool UntrackedStart(std::string_view text, uint64_t to, uint32_t w, const std::vector<bool>& stop,
                    uint32_t n, uint64_t reached, unsigned long long* from) {
  const uint64_t lo = w > 0 ? (to > w ? to - w : 0) : (to > kMaxWalk ? to - kMaxWalk : 0);
  uint64_t p = to;
  uint32_t counted = 0;
  if (stop.empty() && n == 0) p = lo;
  while (p > lo && p > reached) {
    const auto c = static_cast<unsigned char>(text[p - 1]);
    if (!stop.empty() && stop[c]) break;
    if (n > 0 && !IsRe2Space(c) && ++counted > n) break;
    --p;
  }
  if (w == 0 && p == lo && lo > reached) return false;
  *from = p;
  return true;
}

int OnMatch(unsigned id, unsigned long long from, unsigned long long to, unsigned, void* ctx) {
  auto* st = static_cast<ScanState*>(ctx);
  from += st->offset;
  to += st->offset;
  const size_t g = (*st->global_of)[id];
  if (!(*st->located)[g]) return 0;  // gave up on this rule in this note
  std::vector<RuleWindows::Region>& v = (*st->regions)[g];
  const uint32_t w = (*st->width_of)[id];
  const std::vector<bool>& stop = (*st->stop_of)[id];
  const uint32_t n = (*st->nonspace_of)[id];
  // Without start tracking: the match starts at most its width before, and
  // after the last byte it cannot hold.
  const uint64_t reached = !v.empty() && to >= v.back().end ? v.back().end : 0;
  if ((w > 0 || !stop.empty() || n > 0) &&
      !UntrackedStart(st->text, to, w, stop, n, reached, &from)) {
    (*st->located)[g] = false;  // no bound near: scan it whole
    std::vector<RuleWindows::Region>().swap(v);
    return 0;
  }
  const auto b = static_cast<uint32_t>(from), e = static_cast<uint32_t>(to);
  if (!v.empty() && b <= v.back().end && e >= v.back().begin) {
    v.back().begin = std::min(v.back().begin, b);
    v.back().end = std::max(v.back().end, e);
    return 0;
  }
  if (v.size() >= st->max_regions) {
    (*st->located)[g] = false;  // matches nearly everywhere: scan it whole
    std::vector<RuleWindows::Region>().swap(v);
    return 0;
  }
  v.push_back({b, e});
  return 0;
}

// The scan of Locate into *st.
bool ScanText(std::string_view text, hs_database_t* db, hs_scratch_t* scratch, ScanState* st) {
  st->offset = 0;
  return hs_scan(db, text.data(), static_cast<unsigned>(text.size()), 0, scratch, OnMatch, st) ==
         HS_SUCCESS;
}

// Regions sorted by begin, those that meet merged.
void SortAndMerge(std::vector<RuleWindows::Region>* regions) {
  std::vector<RuleWindows::Region>& v = *regions;
  if (v.size() < 2) return;
  std::sort(v.begin(), v.end(), [](const RuleWindows::Region& a, const RuleWindows::Region& b) {
    return a.begin < b.begin;
  });
  size_t w = 0;
  for (size_t k = 1; k < v.size(); ++k) {
    if (v[k].begin <= v[w].end) {
      v[w].end = std::max(v[w].end, v[k].end);
    } else {
      v[++w] = v[k];
    }
  }
  v.resize(w + 1);
}

}  // namespace
#endif

bool RuleLocator::Regional(const RulePack* pack, size_t rule) const {
  for (const auto& [p, first] : packs_)
    if (p == pack && rule < p->rules().size()) return regional_[first + rule];
  return false;
}

void RuleLocator::ResetRegional(RuleWindows* out) const {
  out->regional_ = regional_;
  out->scanned_.clear();
  for (size_t g = 0; g < regional_.size(); ++g) {
    if (!regional_[g]) continue;
    out->located_[g] = true;
    out->regions_[g].clear();
  }
}

bool RuleLocator::Locate(std::string_view text, RuleWindows* out) const {
  out->packs_.clear();
  out->regions_.clear();
  out->located_.clear();
  if (!active_) return false;
#if SUGGEST_HAVE_VECTORSCAN
  if (text.size() > 0xFFFFFFFFull) return false;
  ThreadScratch& ts = tl_locator_scratch;
  if (!ts.Fit(impl_->serial,
              {impl_->db, impl_->regional_db}))
    return false;
  out->regions_.assign(located_.size(), {});
  out->located_ = located_;
  ScanState st{text,
               &impl_->global_of,
               &impl_->width_of,
               &impl_->stop_of,
               &impl_->nonspace_of,
               &out->regions_,
               &out->located_,
               4096 + text.size() / 512};
  if (!ScanText(text, impl_->db, ts.scratch, &st)) {
    out->regions_.clear();
    out->located_.clear();
    return false;
  }
  // Reports come in end order, but a later window can reach back past the
  // last region's start: sort and merge what touches.
  for (std::vector<RuleWindows::Region>& v : out->regions_) SortAndMerge(&v);
  out->packs_ = packs_;
  ResetRegional(out);
  return true;
#else
  (void)text;
  return false;
#endif
}

#if SUGGEST_HAVE_VECTORSCAN
namespace {

// Vectorscan over text[begin, end) alone (on character boundaries) into
// st's regions, each window reaching back over the whole text.
bool ScanStretch(std::string_view text, size_t begin, size_t end, hs_database_t* db,
                 ScanState* st) {
  ThreadScratch& ts = tl_locator_scratch;
  st->offset = begin;
  return hs_scan(db, text.data() + begin, static_cast<unsigned>(end - begin), 0, ts.scratch,
                 OnMatch, st) == HS_SUCCESS;
}

}  // namespace
#endif

bool RuleLocator::LocateIn(std::string_view text, size_t begin, size_t end,
                           RuleWindows* out) const {
  if (!active_ || begin > end || end > text.size()) return false;
#if SUGGEST_HAVE_VECTORSCAN
  if (text.size() > 0xFFFFFFFFull) return false;
  ThreadScratch& ts = tl_locator_scratch;
  if (!ts.Fit(impl_->serial,
              {impl_->db, impl_->regional_db}))
    return false;
  out->regions_.resize(located_.size());
  for (std::vector<RuleWindows::Region>& v : out->regions_) v.clear();
  out->located_ = located_;
  ScanState st{text,
               &impl_->global_of,
               &impl_->width_of,
               &impl_->stop_of,
               &impl_->nonspace_of,
               &out->regions_,
               &out->located_,
               4096 + text.size() / 512};
  if (!ScanStretch(text, begin, end, impl_->db, &st)) return false;
  out->packs_ = packs_;
  return true;
#else
  (void)text;
  return false;
#endif
}

void RuleLocator::LocateRegional(std::string_view text, uint32_t begin, uint32_t end,
                                 RuleWindows* out) const {
#if SUGGEST_HAVE_VECTORSCAN
  if (impl_->regional_db == nullptr || out->regional_ != regional_ || begin > end ||
      end > text.size() || out->RegionalCovers(begin, end))
    return;
  // One character of context each side (\b, ^, $ read it; a UTF-8
  // character is at most 4 bytes), on character boundaries; the stretch's
  // cut ends can only invent matches, which only widen windows.
  size_t b = begin >= 4 ? begin - 4 : 0, e = std::min<size_t>(text.size(), size_t{end} + 4);
  while (b > 0 && (static_cast<unsigned char>(text[b]) & 0xC0) == 0x80) --b;
  while (e < text.size() && (static_cast<unsigned char>(text[e]) & 0xC0) == 0x80) ++e;
  ThreadScratch& ts = tl_locator_scratch;
  ScanState st{text,
               &impl_->regional_global_of,
               &impl_->regional_width_of,
               &impl_->regional_stop_of,
               &impl_->regional_nonspace_of,
               &out->regions_,
               &out->located_,
               4096 + text.size() / 512};
  const bool ok = ts.Fit(impl_->serial, {impl_->db, impl_->regional_db}) &&
                  ScanStretch(text, b, e, impl_->regional_db, &st);
  for (size_t g = 0; g < regional_.size(); ++g) {
    if (!regional_[g]) continue;
    if (!ok) {  // FindAll runs them whole: the same matches
      out->located_[g] = false;
      std::vector<RuleWindows::Region>().swap(out->regions_[g]);
    }
    SortAndMerge(&out->regions_[g]);
  }
  // Kept sorted by begin, each with the largest end so far (RegionalCovers).
  auto& sc = out->scanned_;
  auto at = std::partition_point(sc.begin(), sc.end(),
                                 [&](const RuleWindows::Scanned& s) { return s.begin <= begin; });
  at = sc.insert(at, {begin, end, end});
  for (auto it = at; it != sc.end(); ++it)
    it->max_end = std::max(it->end, it == sc.begin() ? 0 : std::prev(it)->max_end);
#else
  (void)text, (void)begin, (void)end, (void)out;
#endif
}

}  // namespace suggest::internal
