// Copyright libsuggest authors.

#include "text/sectionizer.h"

#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <string>
#include <toml++/toml.h>

#include "util/byte_scan.h"
#include "suggest/version.h"
#include "util/toml_file.h"

namespace suggest::internal {

const std::vector<std::pair<std::string_view, SectionRole>>& SectionRoleNames() {
  static const std::vector<std::pair<std::string_view, SectionRole>> kNames = {
      {"background", SectionRole::kBackground},
      {"operative", SectionRole::kOperative},
      {"written_in_stay", SectionRole::kWrittenInStay},
      {"discharge", SectionRole::kDischarge},
      {"discharge_summary_diagnosis", SectionRole::kDischargeSummaryDiagnosis},
      {"report", SectionRole::kReport},
      {"report_summary", SectionRole::kReportSummary},
      {"imaging", SectionRole::kImaging},
      {"encloses_subheaders", SectionRole::kEnclosesSubheaders},
      {"cues_first", SectionRole::kCuesFirst},
      {"ordering_reason", SectionRole::kOrderingReason},
      {"report_body", SectionRole::kReportBody}};
  return kNames;
}

bool SectionRules::KnowsKind(std::string_view kind) const {
  return roles_by_kind_.find(kind) != roles_by_kind_.end();
}

std::vector<std::string> SectionRules::Kinds() const {
  std::vector<std::string> kinds;
  for (const auto& [k, roles] : roles_by_kind_) kinds.emplace_back(k);
  std::sort(kinds.begin(), kinds.end());
  return kinds;
}

std::string SectionRules::KindList() const {
  std::string out;
  for (const std::string& k : Kinds()) out += (out.empty() ? "" : ", ") + k;
  return out;
}

bool SectionRules::Has(std::string_view kind, SectionRole role) const {
  auto it = roles_by_kind_.find(kind);
  return it != roles_by_kind_.end() && (it->second & static_cast<uint32_t>(role)) != 0;
}

namespace {

// ---- header scanning helpers (original text) ----

constexpr bool IsAsciiUpper(char c) { return c >= 'A' && c <= 'Z'; }
constexpr bool IsAsciiLower(char c) { return c >= 'a' && c <= 'z'; }
constexpr bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Decodes the code point at i (advancing i); invalid bytes give U+FFFD.
inline UChar32 Next(std::string_view s, uint32_t* i) {
  const auto b = static_cast<unsigned char>(s[*i]);
  if (b < 0x80) {  // most bytes: no decoder call
    ++*i;
    return b;
  }
  UChar32 c;
  int32_t pos = static_cast<int32_t>(*i);
  U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), pos,
          static_cast<int32_t>(s.size()), c);
  *i = static_cast<uint32_t>(pos);
  return c < 0 ? 0xFFFD : c;
}

// Characters allowed inside a header run ("PAST MEDICAL/SURGICAL HISTORY",
// "PREOPERATIVE DIAGNOSIS (ES)"). ',' is allowed only for all-caps runs
// ("EARS, NOSE, AND THROAT:"); the caller checks that.
// ICU character classes with the ASCII answers inline (same results: in
// ASCII only A-Z / a-z are letters and 0-9 digits).
inline bool IsAlpha(UChar32 c) {
  return c < 0x80 ? IsAsciiUpper(static_cast<char>(c)) || IsAsciiLower(static_cast<char>(c))
                  : u_isalpha(c);
}
inline bool IsDigitCp(UChar32 c) {
  return c < 0x80 ? IsAsciiDigit(static_cast<char>(c)) : u_isdigit(c);
}
inline bool IsUpperCp(UChar32 c) {
  return c < 0x80 ? IsAsciiUpper(static_cast<char>(c)) : u_isupper(c);
}
inline bool IsLowerCp(UChar32 c) {
  return c < 0x80 ? IsAsciiLower(static_cast<char>(c)) : u_islower(c);
}

constexpr bool IsHeaderChar(UChar32 c) {
  if (c < 0x80) {
    return IsAsciiUpper(static_cast<char>(c)) ||
           IsAsciiLower(static_cast<char>(c)) ||
           IsAsciiDigit(static_cast<char>(c)) || c == ' ' || c == '\t' ||
           c == '/' || c == '&' || c == '-' || c == '(' || c == ')' ||
           c == '\'' || c == ',';
  }
  return u_isalpha(c) || u_isdigit(c);
}

// Per ASCII byte for the run scan: 0 if not a header character, else kHeader
// plus Analyze()'s word separators, lower-case letters and the comma.
constexpr uint8_t kHeader = 1, kSeparator = 2, kLower = 4, kComma = 8;
constexpr std::array<uint8_t, 128> kRunFlags = [] {
  std::array<uint8_t, 128> t{};
  for (int c = 0; c < 128; ++c) {
    if (!IsHeaderChar(c)) continue;
    t[c] = kHeader;
    if (c == ' ' || c == '\t' || c == '/' || c == ',' || c == '-' || c == '&') t[c] |= kSeparator;
    if (IsAsciiLower(static_cast<char>(c))) t[c] |= kLower;
    if (c == ',') t[c] |= kComma;
  }
  return t;
}();

struct RunInfo {
  int words = 0;
  int letters = 0;
  bool all_caps = true;      // no lower-case letter
  bool first_upper = false;  // first letter is upper case
  bool has_plain_word = false;  // a word of >= 2 letters and no digits
  bool has_comma = false;
};

RunInfo Analyze(std::string_view s, uint32_t b, uint32_t e) {
  RunInfo r;
  bool in_word = false;
  int word_letters = 0;
  bool word_digit = false;
  auto end_word = [&] {
    if (in_word && word_letters >= 2 && !word_digit) r.has_plain_word = true;
    in_word = false;
    word_letters = 0;
    word_digit = false;
  };
  for (uint32_t i = b; i < e;) {
    UChar32 c = Next(s, &i);
    if (c == ' ' || c == '\t' || c == '/' || c == ',' || c == '-' ||
        c == '&') {
      if (c == ',') r.has_comma = true;
      end_word();
      continue;
    }
    if (!in_word) {
      in_word = true;
      ++r.words;
    }
    if (IsAlpha(c)) {
      if (r.letters == 0) r.first_upper = IsUpperCp(c);
      ++r.letters;
      ++word_letters;
      if (IsLowerCp(c)) r.all_caps = false;
    } else if (IsDigitCp(c)) {
      word_digit = true;
    }
  }
  end_word();
  return r;
}

// Title words after which a '.' is not a sentence/join end ("Dr. XYZ:").
// `w` holds ASCII letters only; compared without allocating.
bool IsTitleAbbrev(std::string_view w) {
  if (w.size() < 2 || w.size() > 4) return false;
  char buf[4];
  for (size_t i = 0; i < w.size(); ++i) {
    buf[i] = IsAsciiUpper(w[i]) ? static_cast<char>(w[i] - 'A' + 'a') : w[i];
  }
  const std::string_view l(buf, w.size());
  return l == "dr" || l == "mr" || l == "mrs" || l == "ms" || l == "st" ||
         l == "prof" || l == "no" || l == "vs";
}

struct Header {
  uint32_t begin;       // header words
  uint32_t end;
  uint32_t body_begin;  // after ':' / the header word run
  std::string norm;
  std::string kind;  // forced kind (an imaging kind), else from the rules
};

}  // namespace

std::string NormalizeHeader(std::string_view header) {
  std::string folded;
  bool ascii = std::all_of(header.begin(), header.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x80;
  });
  std::string_view src = header;  // ASCII: lower-cased in the loop below
  if (!ascii) {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(
        icu::StringPiece(header.data(), static_cast<int32_t>(header.size())));
    u.foldCase();
    u.toUTF8String(folded);
    src = folded;
  }
  std::string out;
  out.reserve(src.size());
  for (char c : src) {
    if (IsAsciiUpper(c)) c = static_cast<char>(c - 'A' + 'a');
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out.push_back(c);
  }
  while (!out.empty() &&
         (out.back() == ' ' || out.back() == ':' || out.back() == ',')) {
    out.pop_back();
  }
  return out;
}

namespace {

// The roles of one entry of [kinds], as bits of SectionRole in *bits (the
// known ones even when others are wrong, so the kind stays declared and its
// [[section]] tables raise no second error).
Status ReadRoles(const std::string& path, const std::string& kind, const toml::node& value,
                 uint32_t* bits) {
  std::vector<std::string> allowed;
  for (const auto& [name, role] : SectionRoleNames()) allowed.emplace_back(name);
  const toml::array* roles = value.as_array();
  if (roles == nullptr)
    return TomlError(path, value, "kinds." + kind + ": roles must be an array of strings");
  LoadErrors errors;
  for (const toml::node& r : *roles) {
    const auto* name = r.as_string();
    if (name == nullptr) {
      errors.Add(TomlError(path, r, "kinds." + kind + ": roles must be an array of strings"));
      continue;
    }
    bool found = false;
    for (const auto& [role_name, role] : SectionRoleNames()) {
      if (name->get() == role_name) {
        *bits |= static_cast<uint32_t>(role);
        found = true;
      }
    }
    if (!found) {
      errors.Add(TomlError(path, r,
                           "kinds." + kind + ": unknown role \"" + name->get() + "\"" +
                               AllowedList(name->get(), allowed)));
    }
  }
  return errors.ToStatus();
}

// One [[section]] table, checked.
struct SectionEntry {
  std::string kind;
  bool inherit = false;
  std::vector<std::string> headers;
};

// Reads [[section]] `t`; `first_line` (header -> line of its first listing)
// finds duplicates across tables. Every bad header is reported.
StatusOr<SectionEntry> ReadSection(const std::string& path, const toml::table& t,
                                   const SectionRules& rules,
                                   std::unordered_map<std::string, uint32_t>& first_line) {
  if (Status st = CheckKnownKeys(path, t, {"kind", "headers", "inherit"}, "[[section]]");
      !st.ok()) {
    return st;
  }
  SectionEntry entry;
  const toml::node* kind = t.get("kind");
  if (kind == nullptr) return TomlError(path, t, "[[section]] without 'kind'");
  if (!kind->is_string()) return TomlError(path, *kind, "'kind' must be a string");
  entry.kind = kind->as_string()->get();
  if (!rules.KnowsKind(entry.kind)) {
    return TomlError(path, *kind,
                     "unknown section kind '" + entry.kind + "' (declare it in [kinds]: " +
                         rules.KindList() + ")" + DidYouMean(entry.kind, rules.Kinds()));
  }
  if (const toml::node* inh = t.get("inherit")) {
    if (!inh->is_boolean()) return TomlError(path, *inh, "'inherit' must be a boolean");
    entry.inherit = inh->as_boolean()->get();
  }
  const toml::node* headers = t.get("headers");
  if (headers == nullptr)
    return TomlError(path, t, "[[section]] kind '" + entry.kind + "' without 'headers'");
  const toml::array* harr = headers->as_array();
  if (harr == nullptr) return TomlError(path, *headers, "'headers' must be an array of strings");
  if (harr->empty()) return TomlError(path, *headers, "'headers' is empty");
  LoadErrors errors;
  for (const toml::node& h : *harr) {
    if (!h.is_string()) {
      errors.Add(TomlError(path, h, "'headers' must be an array of strings"));
      continue;
    }
    const std::string& hs = h.as_string()->get();
    const std::string norm = NormalizeHeader(hs);
    if (norm.empty()) {
      errors.Add(TomlError(path, h, "empty header"));
    } else if (norm != hs) {
      errors.Add(TomlError(path, h, "header '" + hs + "' is not normalized (write '" + norm +
                                        "')"));
    } else if (auto [it, inserted] = first_line.emplace(hs, h.source().begin.line); !inserted) {
      errors.Add(TomlError(path, h,
                           "duplicate header '" + hs + "' (first listed on line " +
                               std::to_string(it->second) + ")"));
    } else {
      entry.headers.push_back(hs);
    }
  }
  if (!errors.ok()) return errors.ToStatus();
  return entry;
}

}  // namespace

// Every error of the file is reported (LoadErrors): each kind's unknown
// roles, each [[section]]'s first error and each of its bad headers. Only a
// file that cannot be read as a sections file (syntax, schema_version, no
// [kinds] or [[section]] tables) stops early.
StatusOr<SectionRules> SectionRules::Load(const std::string& path) {
  StatusOr<toml::table> parsed = ParseTomlFile(path);
  if (!parsed.ok()) return parsed.status();
  const toml::table& root = *parsed;
  if (Status st = CheckSchemaVersion(path, root, SUGGEST_RULES_SCHEMA_SECTIONS,
                                         SUGGEST_RULES_SCHEMA_SECTIONS); !st.ok()) return st;
  LoadErrors errors;
  errors.Add(CheckKnownKeys(path, root, {"schema_version", "kinds", "section"}, "sections file"));
  SectionRules rules;
  const toml::node* kinds = root.get("kinds");
  if (kinds == nullptr) {
    errors.Add(TomlError(path, toml::source_position{1, 1},
                         "no [kinds] table (every section kind with its roles)"));
    return errors.ToStatus();
  }
  if (!kinds->is_table()) {
    errors.Add(TomlError(path, *kinds, "'kinds' must be a table ([kinds])"));
    return errors.ToStatus();
  }
  for (const auto& [key, value] : *kinds->as_table()) {
    const std::string kind(key.str());
    uint32_t bits = 0;
    errors.Add(ReadRoles(path, kind, value, &bits));
    rules.roles_by_kind_.emplace(kind, bits);
  }
  if (!rules.KnowsKind("other")) {
    errors.Add(TomlError(path, *kinds,
                         "[kinds] must declare \"other\" (the kind of unknown headers)"));
  }
  const toml::node* sections = root.get("section");
  if (sections == nullptr) {
    errors.Add(TomlError(path, toml::source_position{1, 1}, "no [[section]] tables"));
    return errors.ToStatus();
  }
  const toml::array* arr = sections->as_array();
  if (arr == nullptr || !arr->is_array_of_tables()) {
    errors.Add(TomlError(path, *sections, "'section' must be an array of tables ([[section]])"));
    return errors.ToStatus();
  }
  std::unordered_map<std::string, uint32_t> first_line;
  for (const toml::node& elem : *arr) {
    auto entry = ReadSection(path, *elem.as_table(), rules, first_line);
    if (errors.Add(entry.status())) continue;
    for (const std::string& h : entry->headers) {
      rules.kind_by_header_.emplace(h, entry->kind);
      if (entry->inherit) rules.inherit_.insert(h);
    }
  }
  if (!errors.ok()) return errors.ToStatus();
  return rules;
}

const std::string* SectionRules::Lookup(std::string_view h) const {
  if (h.empty()) return nullptr;
  auto it = kind_by_header_.find(h);
  if (it != kind_by_header_.end()) return &it->first;
  if (h.find('(') != std::string_view::npos) {
    // "preoperative diagnosis (es)" -> "preoperative diagnosis".
    std::string stripped;
    int depth = 0;
    for (char c : h) {
      if (c == '(') {
        ++depth;
      } else if (c == ')') {
        if (depth > 0) --depth;
      } else if (depth == 0) {
        stripped.push_back(c);
      }
    }
    stripped = NormalizeHeader(stripped);
    if (stripped != h) return Lookup(stripped);
  }
  if (h.find('/') != std::string_view::npos) {
    // "station/gait/coord": every part known -> the first part's entry.
    const std::string* first = nullptr;
    size_t b = 0;
    while (b <= h.size()) {
      size_t e = h.find('/', b);
      if (e == std::string_view::npos) e = h.size();
      std::string part = NormalizeHeader(h.substr(b, e - b));
      while (!part.empty() && part.front() == ' ') part.erase(0, 1);
      auto pit = kind_by_header_.find(part);
      if (pit == kind_by_header_.end()) {
        first = nullptr;
        break;
      }
      if (first == nullptr) first = &pit->first;
      b = e + 1;
    }
    if (first != nullptr) return first;
  }
  // Drop leading words: "pathological findings" -> "findings". A lone
  // "history" is too vague ("occupational history" is not the HPI).
  for (size_t sp = h.find(' '); sp != std::string_view::npos;
       sp = h.find(' ', sp + 1)) {
    std::string_view tail = h.substr(sp + 1);
    if (tail == "history") break;
    it = kind_by_header_.find(tail);
    if (it != kind_by_header_.end()) return &it->first;
  }
  return nullptr;
}

const std::string& SectionRules::KindFor(std::string_view h) const {
  const std::string* key = Lookup(h);
  return key == nullptr ? other_ : kind_by_header_.at(*key);
}

bool SectionRules::Knows(std::string_view h) const {
  return Lookup(h) != nullptr;
}

SectionRules::Entry SectionRules::Describe(std::string_view h) const {
  const std::string* key = Lookup(h);
  if (key == nullptr) return Entry{false, false, &other_};
  return Entry{true, inherit_.find(*key) != inherit_.end(), &kind_by_header_.at(*key)};
}

bool SectionRules::Inherits(std::string_view h) const {
  const std::string* key = Lookup(h);
  return key != nullptr && inherit_.find(*key) != inherit_.end();
}

namespace {

// A header starts with a letter that is not lower case: a lower-case first
// letter makes the run neither ALL-CAPS nor capitalized, which every rule
// below requires (the imaging case too), so the usual word after a comma is
// rejected here, before any scan.
inline bool StartsCapitalized(std::string_view text, uint32_t s) {
  uint32_t j = s;
  const UChar32 c0 = Next(text, &j);
  return IsAlpha(c0) && !IsLowerCp(c0);
}

// The end of an upper-case first word ([A-Z-]+) of text[s, limit) that a ' '
// or ',' follows there, else `limit`: the imaging modality of "MRI L-spine:"
// or "MRI C-spine, 12/1/92:".
inline uint32_t UpperFirstWordEnd(std::string_view text, uint32_t s, uint32_t limit) {
  uint32_t w = s;
  while (w < limit && (IsAsciiUpper(text[w]) || text[w] == '-')) ++w;
  return w < limit && (text[w] == ' ' || text[w] == ',') ? w : limit;
}

inline uint32_t TrimRight(std::string_view text, uint32_t s, uint32_t e) {
  while (e > s && IsSpace(text[e - 1])) --e;
  return e;
}

// The longest run of header characters (commas included) from a candidate
// start, at most 80 bytes.
struct HeaderRun {
  uint32_t end;          // one past the run
  uint32_t first_comma;  // the first ',' in it, or text.size()
};

// Scans the run from s; false as soon as no rule can accept it. With a
// lower-case letter before any comma, neither the whole run (a) nor the part
// before the first comma (b, c) is ALL-CAPS, so only a known header of <= 6
// words without a comma ((a) or (b)) or the modality rule is left. That is
// most sentence starts ("The patient is a 45-year-old ..."), which would
// otherwise be read for 80 bytes at every '.'.
inline bool ScanHeaderRun(std::string_view text, uint32_t s, HeaderRun* run) {
  const uint32_t n = static_cast<uint32_t>(text.size());
  uint32_t i = s;  // the run is [s, i)
  uint32_t first_comma = n;
  uint8_t mixed = 0;            // kLower once a lower-case letter stood before the first comma
  uint8_t lower_mask = kLower;  // kLower until the first comma, then 0
  int words = 0;                // as Analyze() counts them
  bool in_word = false;
  while (i < n && i - s <= 80) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {  // by table
      const uint8_t f = kRunFlags[b];
      if (f == 0) break;  // not a header character
      mixed |= f & lower_mask;
      ++i;
      if (f & kSeparator) {
        // The comma is a separator without kLower, so it may come after mixed.
        if ((f & kComma) && first_comma == n) {
          first_comma = i - 1;
          lower_mask = 0;
        }
        in_word = false;
        continue;
      }
    } else {
      uint32_t j = i;
      const UChar32 c = Next(text, &j);
      if (!IsHeaderChar(c)) break;
      if (lower_mask != 0 && IsLowerCp(c)) mixed = kLower;
      i = j;  // letters and digits: never separators
    }
    if (in_word) continue;
    in_word = true;
    ++words;
    // Checked where a word starts: i - s then also bounds the trimmed run.
    // The modality rule of (a) accepts mixed-case runs ("MRI L-spine:"), but
    // only after an upper-case first word and within 40 bytes; that word is
    // read only here, where the run would otherwise be rejected.
    if (mixed != 0 && (words > 6 || first_comma != n) &&
        (i - s > 40 || UpperFirstWordEnd(text, s, n) == n)) {
      return false;
    }
  }
  *run = {i, first_comma};
  return true;
}

// Where a header may start (a line start or just after a ',' / '.' join)
// and what the rules read around it.
struct HeaderSite {
  std::string_view text;
  uint32_t begin;
  bool line_start;      // at text start or after LF
  bool after_sentence;  // after a finished sentence or another header
  const SectionRules& rules;
};

// Rule (a) applies to a run followed by ':' that is not a time ("10:30",
// "HR:83").
inline bool ColonFollows(std::string_view text, uint32_t run_end) {
  const uint32_t n = static_cast<uint32_t>(text.size());
  return run_end < n && text[run_end] == ':' &&
         !(run_end + 1 < n && IsAsciiDigit(text[run_end + 1]));
}

// "MRI C-spine, 12/1/92:", "MRI L-SPINE:": an upper-case imaging modality
// opens an imaging section whatever follows it (header words [s, he)).
// Returns the kind its first word names (a kind with the imaging role of
// sections.toml), else empty.
std::string OpensImaging(std::string_view text, uint32_t s, uint32_t he,
                         const SectionRules& rules) {
  const uint32_t w = UpperFirstWordEnd(text, s, he);
  if (w == he || he - s > 40) return {};
  const std::string first = NormalizeHeader(text.substr(s, w - s));
  if (first.size() < 2 || !rules.Knows(first)) return {};
  std::string kind = rules.KindFor(first);
  return rules.Has(kind, SectionRole::kImaging) ? kind : std::string();
}

// (a) "WORDS:" - the run ending at `run_end`, where a ':' follows.
bool TryColonHeader(const HeaderSite& site, uint32_t run_end, Header* out) {
  const std::string_view text = site.text;
  const uint32_t s = site.begin;
  const uint32_t he = TrimRight(text, s, run_end);
  const RunInfo r = Analyze(text, s, he);
  std::string norm = NormalizeHeader(text.substr(s, he - s));
  const bool known = site.rules.Knows(norm);
  bool ok = r.has_plain_word && r.letters >= 2;
  if (ok && r.has_comma) ok = r.all_caps && known;
  if (ok) {
    // Unknown all-caps headers need >= 3 letters: "HR: 80", "BP: 120/80"
    // inside vitals are values, not sections.
    ok = (r.all_caps && (known || (r.words <= 8 && r.letters >= 3))) ||
         (r.first_upper && known && r.words <= 6);
  }
  if (!known) {
    if (std::string imaging = OpensImaging(text, s, he, site.rules); !imaging.empty()) {
      *out = {s, he, run_end + 1, std::move(norm), std::move(imaging)};
      return true;
    }
  }
  if (!ok) return false;
  *out = {s, he, run_end + 1, std::move(norm), {}};
  return true;
}

// (b) alone on its line (header words [begin, he), the line break or text
// end at `after`): ALL-CAPS (<= 6 words), or a known header.
bool TryOwnLineHeader(const HeaderSite& site, uint32_t he, uint32_t after, const RunInfo& r,
                      Header* out) {
  if (r.words > 6) return false;
  const uint32_t s = site.begin;
  std::string norm = NormalizeHeader(site.text.substr(s, he - s));
  if (!r.all_caps && !(r.first_upper && site.rules.Knows(norm))) return false;
  *out = {s, he, after, std::move(norm), {}};
  return true;
}

// (c) corpus join ".,PHYSICAL EXAMINATION,VITAL SIGNS:" or "HX ,": a known
// ALL-CAPS header (words [begin, he), the ',' at `after`) between joins,
// after a finished sentence or another header, before an upper-case letter,
// a digit, '(' or '*'.
bool TryJoinedHeader(const HeaderSite& site, uint32_t he, uint32_t after, Header* out) {
  const std::string_view text = site.text;
  const uint32_t n = static_cast<uint32_t>(text.size());
  uint32_t k = after + 1;
  while (k < n && (IsSpace(text[k]) || text[k] == ',')) ++k;
  if (k < n && !IsAsciiUpper(text[k]) && !IsAsciiDigit(text[k]) && text[k] != '*' &&
      text[k] != '(') {
    return false;
  }
  const uint32_t s = site.begin;
  std::string norm = NormalizeHeader(text.substr(s, he - s));
  if (!site.rules.Knows(norm)) return false;
  *out = {s, he, after + 1, std::move(norm), {}};
  return true;
}

// The headers without a colon, (b) and (c): the run up to its first ','.
bool TryPlainHeader(const HeaderSite& site, const HeaderRun& run, Header* out) {
  const std::string_view text = site.text;
  const uint32_t n = static_cast<uint32_t>(text.size());
  const uint32_t s = site.begin;
  const uint32_t plain_end = std::min(run.end, run.first_comma);
  const uint32_t he = TrimRight(text, s, plain_end);
  if (he <= s) return false;
  uint32_t after = plain_end;
  while (after < n && IsSpace(text[after])) ++after;
  // Each rule needs a particular character after the run. Most calls (the
  // sentence ends and commas of running text) fail that test, so it comes
  // before the run is analyzed, normalized and looked up; the outcome is the
  // same.
  const bool own_line = site.line_start && (after >= n || text[after] == '\n');
  const bool join = after < n && text[after] == ',' && site.after_sentence;
  if (!own_line && !join) return false;
  const RunInfo r = Analyze(text, s, he);
  if (!r.has_plain_word || r.letters < 2) return false;
  if (own_line) return TryOwnLineHeader(site, he, after, r, out);
  return r.all_caps && TryJoinedHeader(site, he, after, out);
}

// Tries to read a header starting at s (a line start or just after a
// ',' / '.' join). `line_start` is true at text start or after LF.
bool TryHeader(std::string_view text, uint32_t s, bool line_start,
               bool after_sentence, const SectionRules& rules, Header* out) {
  if (s >= text.size() || !StartsCapitalized(text, s)) return false;
  HeaderRun run;
  if (!ScanHeaderRun(text, s, &run)) return false;
  const HeaderSite site{text, s, line_start, after_sentence, rules};
  if (ColonFollows(text, run.end) && TryColonHeader(site, run.end, out)) return true;
  return TryPlainHeader(site, run, out);
}

bool IsJoinChar(char c) { return c == ' ' || c == '\t' || c == ',' || c == ':'; }

// Skips what may stand before a header without being seen: ASCII blanks
// (space, tab, CR) and any Unicode space separator (Zs: NBSP, EN SPACE,
// IDEOGRAPHIC SPACE, ...) or format character (Cf: BOM / ZWNBSP U+FEFF,
// ZWSP U+200B, ZWNJ, ZWJ, WORD JOINER, soft hyphen, bidi controls). A BOM or
// a zero-width space in front of "PLAN:" must not hide the header (issue 19
// item 5): the header's span starts after them, on a code-point boundary of
// the original bytes. Invalid bytes stop the skip (Next gives U+FFFD).
uint32_t SkipBlankAndInvisible(std::string_view text, uint32_t s) {
  const uint32_t n = static_cast<uint32_t>(text.size());
  while (s < n) {
    const auto b = static_cast<unsigned char>(text[s]);
    if (b < 0x80) {
      if (!IsSpace(static_cast<char>(b))) break;
      ++s;
      continue;
    }
    uint32_t j = s;
    const UChar32 c = Next(text, &j);
    const int8_t type = u_charType(c);
    if (type != U_SPACE_SEPARATOR && type != U_FORMAT_CHAR) break;
    s = j;
  }
  return s;
}

// The headers of a note, in text order: at its start, after each line end,
// after a ',' and after a '.' that closes a sentence.
std::vector<Header> FindHeaders(std::string_view original, const SectionRules& rules) {
  std::vector<Header> headers;
  const uint32_t n = static_cast<uint32_t>(original.size());
  uint32_t last_header_end = 0;  // body_begin of the last header
  bool have_header = false;
  auto consider = [&](uint32_t s, bool line_start, bool after_sentence) {
    s = SkipBlankAndInvisible(original, s);
    if (have_header && s < last_header_end) return;
    Header h;
    if (TryHeader(original, s, line_start, after_sentence, rules, &h)) {
      headers.push_back(std::move(h));
      last_header_end = headers.back().body_begin;
      have_header = true;
    }
  };
  consider(0, true, true);
  for (uint32_t i = 0; i < n; ++i) {
    i = static_cast<uint32_t>(scan::FindAnyOf<'\n', ',', '.'>(original.data(), i, n));
    if (i >= n) break;
    const char c = original[i];
    if (c == '\n') {
      consider(i + 1, true, true);
    } else if (c == ',') {
      // Is the text before this ',' a finished sentence or a header?
      uint32_t p = i;
      while (p > 0 && IsSpace(original[p - 1])) --p;
      bool after_sentence = p == 0 || original[p - 1] == '.' ||
                            original[p - 1] == ':' || original[p - 1] == ',' ||
                            original[p - 1] == '\n' ||
                            (have_header && p <= last_header_end);
      consider(i + 1, false, after_sentence);
    } else if (c == '.') {
      // "Dr. XYZ:" is not a header: the '.' must close a sentence.
      uint32_t w = i;
      while (w > 0 && (IsAsciiUpper(original[w - 1]) ||
                       IsAsciiLower(original[w - 1]))) {
        --w;
      }
      std::string_view word = original.substr(w, i - w);
      if (word.size() == 1 || IsTitleAbbrev(word)) continue;
      if (i + 1 < n && !IsSpace(original[i + 1]) && original[i + 1] != ',' &&
          original[i + 1] != '\n') {
        continue;  // "e.g", decimals
      }
      consider(i + 1, false, true);
    }
  }
  return headers;
}

// A body without the joins and blank lines around it.
Span TrimBody(std::string_view original, uint32_t b, uint32_t e) {
  while (b < e && (IsJoinChar(original[b]) || original[b] == '\n' || original[b] == '\r')) {
    ++b;
  }
  while (e > b &&
         (IsSpace(original[e - 1]) || original[e - 1] == '\n' || original[e - 1] == ',')) {
    --e;
  }
  return Span{b, e};
}

}  // namespace

std::vector<Section> FindSections(std::string_view original,
                                  const NormalizedText& /*nt*/,
                                  const SectionRules& rules) {
  const std::vector<Header> headers = FindHeaders(original, rules);
  const uint32_t n = static_cast<uint32_t>(original.size());
  std::vector<Section> out;
  out.reserve(headers.size() + 1);
  // Preamble before the first header.
  const uint32_t first = headers.empty() ? n : headers.front().begin;
  {
    Span body = TrimBody(original, 0, first);
    bool has_content = false;
    for (uint32_t i = body.begin; i < body.end && !has_content;) {
      UChar32 c = Next(original, &i);
      has_content = IsAlpha(c) || IsDigitCp(c);
    }
    if (has_content) out.push_back({"other", Span{body.begin, body.begin}, body});
  }
  std::string parent_kind;  // kind of the enclosing top-level section
  for (size_t k = 0; k < headers.size(); ++k) {
    const Header& h = headers[k];
    const uint32_t next = k + 1 < headers.size() ? headers[k + 1].begin : n;
    Section s;
    s.header = Span{h.begin, h.end};
    s.body = TrimBody(original, std::min(h.body_begin, next), next);
    const SectionRules::Entry e = rules.Describe(h.norm);
    if (!h.kind.empty()) {
      s.kind = h.kind;
      parent_kind = s.kind;
    } else if (e.known && e.inherits && rules.Has(parent_kind, SectionRole::kEnclosesSubheaders)) {
      s.kind = parent_kind;
    } else {
      s.kind = *e.kind;
      if (e.known && !e.inherits) parent_kind = s.kind;
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace suggest::internal
