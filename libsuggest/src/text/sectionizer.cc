// Copyright libsuggest authors.

#include "text/sectionizer.h"

#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
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
      {"report_body", SectionRole::kReportBody},
      {"current_in_stay", SectionRole::kCurrentInStay}};
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

// What Analyze asks of a code point, from one table for ASCII: a word
// separator, or a letter (upper / lower case: both may be false) or a digit.
constexpr uint8_t kSepClass = 1, kAlphaClass = 2, kUpperClass = 4, kLowerClass = 8,
                  kDigitClass = 16;
constexpr std::array<uint8_t, 128> kAsciiClass = [] {
  std::array<uint8_t, 128> t{};
  for (int c = 0; c < 128; ++c) {
    const char ch = static_cast<char>(c);
    if (c == ' ' || c == '\t' || c == '/' || c == ',' || c == '-' || c == '&') t[c] = kSepClass;
    if (IsAsciiUpper(ch)) t[c] = kAlphaClass | kUpperClass;
    if (IsAsciiLower(ch)) t[c] = kAlphaClass | kLowerClass;
    if (IsAsciiDigit(ch)) t[c] = kDigitClass;
  }
  return t;
}();

inline uint8_t ClassOf(UChar32 c) {
  if (c < 0x80) return kAsciiClass[c];
  if (u_isalpha(c))
    return kAlphaClass | (u_isupper(c) ? kUpperClass : 0) | (u_islower(c) ? kLowerClass : 0);
  return u_isdigit(c) ? kDigitClass : 0;
}

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
    const UChar32 c = Next(s, &i);
    const uint8_t k = ClassOf(c);
    if (k & kSepClass) {
      if (c == ',') r.has_comma = true;
      end_word();
      continue;
    }
    if (!in_word) {
      in_word = true;
      ++r.words;
    }
    if (k & kAlphaClass) {
      if (r.letters == 0) r.first_upper = (k & kUpperClass) != 0;
      ++r.letters;
      ++word_letters;
      if (k & kLowerClass) r.all_caps = false;
    } else if (k & kDigitClass) {
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

// Small on purpose: a 10 MB note holds tens of thousands of headers, and the
// vector of them peaks at one and a half times its size while it grows
// (docs/performance.md "Peak RSS"): offsets, a pointer into the rules and the
// rules' answer, no strings.
struct Header {
  uint32_t begin;       // header words
  uint32_t end;
  uint32_t body_begin;  // after ':' / the header word run
  const std::string* kind;  // forced kind (an imaging kind, rules-owned), else null
  SectionRules::Entry entry;  // the rules' answer for the header's words
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
  bool whole_only = false;
  bool colon_only = false;
  std::vector<std::string> headers;
};

// Reads [[section]] `t`; `first_line` (header -> line of its first listing)
// finds duplicates across tables. Every bad header is reported.
StatusOr<SectionEntry> ReadSection(const std::string& path, const toml::table& t,
                                   const SectionRules& rules,
                                   std::unordered_map<std::string, uint32_t>& first_line) {
  if (Status st = CheckKnownKeys(path, t,
                                 {"kind", "headers", "inherit", "whole_only", "colon_only"},
                                 "[[section]]");
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
  if (const toml::node* w = t.get("whole_only")) {
    if (!w->is_boolean()) return TomlError(path, *w, "'whole_only' must be a boolean");
    entry.whole_only = w->as_boolean()->get();
  }
  if (const toml::node* co = t.get("colon_only")) {
    if (!co->is_boolean()) return TomlError(path, *co, "'colon_only' must be a boolean");
    entry.colon_only = co->as_boolean()->get();
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

// The [layout] table (text/layout.h): word lists and a few numbers. Lists
// of lower-case words without blanks; join_words of letters only.
StatusOr<LayoutRules> ReadLayout(const std::string& path, const toml::table& t) {
  if (Status st = CheckKnownKeys(path, t,
                                 {"join_words", "page_words", "header_cues", "rule_chars",
                                  "rule_min", "header_max", "max_block_lines",
                                  "ocr_level_digits"},
                                 "[layout]");
      !st.ok())
    return st;
  LayoutRules r;
  LoadErrors errors;
  auto words = [&](const char* key, bool letters_only, std::vector<std::string>* out) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return;
    const toml::array* arr = n->as_array();
    if (arr == nullptr) {
      errors.Add(TomlError(path, *n, std::string("'") + key + "' must be an array of strings"));
      return;
    }
    for (const toml::node& w : *arr) {
      if (!w.is_string()) {
        errors.Add(TomlError(path, w, std::string("'") + key + "' must be an array of strings"));
        continue;
      }
      const std::string& ws = w.as_string()->get();
      bool ok = !ws.empty();
      for (char c : ws) {
        const bool letter = c >= 'a' && c <= 'z';
        if (letters_only ? !letter : (c == ' ' || c == '\t' || c == '\n' || (c >= 'A' && c <= 'Z') ||
                                      static_cast<unsigned char>(c) >= 0x80))
          ok = false;
      }
      if (!ok) {
        errors.Add(TomlError(path, w, std::string("'") + ws + "' in '" + key + "': write " +
                                          (letters_only ? "lower-case letters a-z only"
                                                        : "one lower-case ASCII word")));
        continue;
      }
      out->push_back(ws);
    }
    std::sort(out->begin(), out->end());
    out->erase(std::unique(out->begin(), out->end()), out->end());
  };
  words("join_words", true, &r.join_words);
  words("page_words", true, &r.page_words);
  words("header_cues", false, &r.header_cues);
  words("ocr_level_digits", false, &r.ocr_level_digits);
  for (const std::string& p : r.ocr_level_digits)
    if (p.size() != 2 || !(p[0] >= 'a' && p[0] <= 'z') || !(p[1] >= '0' && p[1] <= '9'))
      errors.Add(TomlError(path, *t.get("ocr_level_digits"),
                           "'" + p + "' in 'ocr_level_digits': write a letter and the digit "
                           "OCR reads it for (\"l1\")"));
  if (const toml::node* n = t.get("rule_chars")) {
    const std::string* s = n->is_string() ? &n->as_string()->get() : nullptr;
    bool ok = s != nullptr && !s->empty();
    if (ok)
      for (char c : *s)
        if (!(c > ' ' && c < 0x7f) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c >= '0' && c <= '9'))
          ok = false;
    if (!ok) {
      errors.Add(TomlError(path, *n, "'rule_chars' must be a string of ASCII punctuation"));
    } else {
      r.rule_chars = *s;
    }
  }
  auto number = [&](const char* key, int64_t lo, int64_t hi, uint32_t* out) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return;
    if (!n->is_integer() || n->as_integer()->get() < lo || n->as_integer()->get() > hi) {
      errors.Add(TomlError(path, *n, std::string("'") + key + "' must be an integer from " +
                                         std::to_string(lo) + " to " + std::to_string(hi)));
      return;
    }
    *out = static_cast<uint32_t>(n->as_integer()->get());
  };
  number("rule_min", 3, 200, &r.rule_min);
  number("header_max", 10, 1000, &r.header_max);
  number("max_block_lines", 1, 50, &r.max_block_lines);
  if (!errors.ok()) return errors.ToStatus();
  return r;
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
  errors.Add(
      CheckKnownKeys(path, root, {"schema_version", "kinds", "section", "layout"}, "sections file"));
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
      rules.by_header_.emplace(h, Listed{entry->kind, entry->inherit, entry->colon_only});
      if (entry->whole_only) rules.whole_only_.insert(h);
    }
  }
  if (const toml::node* layout = root.get("layout")) {
    if (!layout->is_table()) {
      errors.Add(TomlError(path, *layout, "'layout' must be a table ([layout])"));
    } else if (auto l = ReadLayout(path, *layout->as_table()); !errors.Add(l.status())) {
      rules.layout_ = std::move(*l);
    }
  }
  if (!errors.ok()) return errors.ToStatus();
  return rules;
}

const SectionRules::Listed* SectionRules::Lookup(std::string_view h) const {
  if (h.empty()) return nullptr;
  auto it = by_header_.find(h);
  if (it != by_header_.end()) return &it->second;
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
    const Listed* first = nullptr;
    size_t b = 0;
    while (b <= h.size()) {
      size_t e = h.find('/', b);
      if (e == std::string_view::npos) e = h.size();
      std::string part = NormalizeHeader(h.substr(b, e - b));
      while (!part.empty() && part.front() == ' ') part.erase(0, 1);
      auto pit = by_header_.find(part);
      if (pit == by_header_.end()) {
        first = nullptr;
        break;
      }
      if (first == nullptr) first = &pit->second;
      b = e + 1;
    }
    if (first != nullptr) return first;
  }
  // Drop leading words: "pathological findings" -> "findings". A header
  // marked whole_only is too vague as a tail ("occupational history" is not
  // the HPI, "RHEUMATOLOGY FOLLOW-UP" a title, not a plan).
  for (size_t sp = h.find(' '); sp != std::string_view::npos;
       sp = h.find(' ', sp + 1)) {
    std::string_view tail = h.substr(sp + 1);
    if (whole_only_.find(tail) != whole_only_.end()) continue;
    it = by_header_.find(tail);
    if (it != by_header_.end()) return &it->second;
  }
  return nullptr;
}

const std::string& SectionRules::KindFor(std::string_view h) const {
  const Listed* listed = Lookup(h);
  return listed == nullptr ? other_ : listed->kind;
}

bool SectionRules::Knows(std::string_view h) const {
  return Lookup(h) != nullptr;
}

SectionRules::Entry SectionRules::Describe(std::string_view h) const {
  const Listed* listed = Lookup(h);
  if (listed == nullptr) return Entry{false, false, &other_};
  return Entry{true, listed->inherit, &listed->kind, listed->colon_only};
}

bool SectionRules::Inherits(std::string_view h) const {
  const Listed* listed = Lookup(h);
  return listed != nullptr && listed->inherit;
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
const std::string* OpensImaging(std::string_view text, uint32_t s, uint32_t he,
                                 const SectionRules& rules) {
  const uint32_t w = UpperFirstWordEnd(text, s, he);
  if (w == he || he - s > 40) return nullptr;
  const std::string first = NormalizeHeader(text.substr(s, w - s));
  if (first.size() < 2 || !rules.Knows(first)) return nullptr;
  const SectionRules::Entry e = rules.Describe(first);
  return rules.Has(*e.kind, SectionRole::kImaging) ? e.kind : nullptr;
}

// Where a date that ends the header words [s, he) begins ("Interval history
// 05/01/2026", "Progress note (7/16/26)"): a token of digits and '/', '-' or
// '.' that starts and ends with a digit, holds at least three digits and one
// separator, optionally in parentheses, after a blank. Returns the end of the
// words before it (blanks trimmed), or `he` if the words end with no date.
uint32_t DateTailBegin(std::string_view text, uint32_t s, uint32_t he) {
  uint32_t e = he;
  const bool paren = e > s && text[e - 1] == ')';
  if (paren) --e;
  if (e == s || !IsAsciiDigit(text[e - 1])) return he;
  uint32_t b = e;
  int digits = 0, seps = 0;
  while (b > s) {
    const char c = text[b - 1];
    if (IsAsciiDigit(c)) ++digits;
    else if (c == '/' || c == '-' || c == '.') ++seps;
    else break;
    --b;
  }
  if (!IsAsciiDigit(text[b]) || digits < 3 || seps < 1) return he;
  if (paren) {
    if (b == s || text[b - 1] != '(') return he;
    --b;
  }
  if (b == s || !IsSpace(text[b - 1])) return he;
  return TrimRight(text, s, b);
}

// (a) "WORDS:" - the run ending at `run_end`, where a ':' follows.
bool TryColonHeader(const HeaderSite& site, uint32_t run_end, Header* out) {
  const std::string_view text = site.text;
  const uint32_t s = site.begin;
  const uint32_t he = TrimRight(text, s, run_end);
  const RunInfo r = Analyze(text, s, he);
  std::string norm = NormalizeHeader(text.substr(s, he - s));
  const SectionRules::Entry entry = site.rules.Describe(norm);
  const bool known = entry.known;
  // A listed header of single letters joined by '/' ("A/P:", assessment and
  // plan) has no word of two letters but is as known as "assessment".
  bool ok = (r.has_plain_word || known) && r.letters >= 2;
  if (ok && r.has_comma) ok = r.all_caps && known;
  if (ok) {
    // Unknown all-caps headers need >= 3 letters: "HR: 80", "BP: 120/80"
    // inside vitals are values, not sections.
    ok = (r.all_caps && (known || (r.words <= 8 && r.letters >= 3))) ||
         (r.first_upper && known && r.words <= 6);
  }
  if (!known) {
    if (const std::string* imaging = OpensImaging(text, s, he, site.rules)) {
      *out = {s, he, run_end + 1, imaging, entry};
      return true;
    }
    // A known header followed by the date it was written ("Interval history
    // 05/01/2026:", "PROGRESS NOTE 7/16/26:"): the words before the date name
    // the section, as they would alone. Not an operative kind: "Procedure
    // 11/20/2026: L3-L4 XLIF" in a progress note dates a procedure, it does
    // not make the note that procedure's report.
    if (const uint32_t dh = DateTailBegin(text, s, he); dh != he && dh > s) {
      const RunInfo rd = Analyze(text, s, dh);
      std::string dated = NormalizeHeader(text.substr(s, dh - s));
      const SectionRules::Entry de = site.rules.Describe(dated);
      if (de.known && !site.rules.Has(*de.kind, SectionRole::kOperative) &&
          rd.has_plain_word && rd.letters >= 2 && !rd.has_comma &&
          (rd.all_caps || (rd.first_upper && rd.words <= 6))) {
        *out = {s, dh, run_end + 1, nullptr, de};
        return true;
      }
    }
  }
  if (!ok) return false;
  *out = {s, he, run_end + 1, nullptr, entry};
  return true;
}

// (b) alone on its line (header words [begin, he), the line break or text
// end at `after`): ALL-CAPS (<= 6 words), or a known header.
bool TryOwnLineHeader(const HeaderSite& site, uint32_t he, uint32_t after, const RunInfo& r,
                      Header* out) {
  if (r.words > 6) return false;
  const uint32_t s = site.begin;
  const std::string norm = NormalizeHeader(site.text.substr(s, he - s));
  const SectionRules::Entry entry = site.rules.Describe(norm);
  if (!r.all_caps && (!(r.first_upper && entry.known) || entry.colon_only)) return false;
  *out = {s, he, after, nullptr, entry};
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
  const SectionRules::Entry entry = site.rules.Describe(norm);
  // "PT, OT, etc." is physical therapy, not the patient's label "Pt:".
  if (!entry.known || entry.colon_only) return false;
  *out = {s, he, after + 1, nullptr, entry};
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
// Inlined into HeaderScan::Consider, where most calls stop at once.
[[gnu::always_inline]] inline uint32_t SkipBlankAndInvisible(std::string_view text,
                                                             uint32_t s) {
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

// The header prescreen of HeaderScan: a test of a candidate start s that is
// false only where TryHeader is false, and reads a few bytes where TryHeader
// would read a run of up to 85 (a capitalized sentence start is read for up
// to 7 words: a mixed-case known header of up to 6 words may follow, and
// SectionRules::Lookup accepts one after dropping leading words, so no test
// of the first words can reject it). It rests on the rules' shapes, not on
// the header vocabulary: a header is
//  (a) a run of header characters that a ':' not before a digit ends, at
//      most kRunReach bytes from s (ScanHeaderRun, ColonFollows);
//  (b) at a line start, a run without ',' alone on its line: up to the line
//      end or the text end only header characters but ',' and blanks
//      (TryPlainHeader, TryOwnLineHeader);
//  (c) after a sentence, an ALL-CAPS run up to a ',' (TryJoinedHeader): no
//      lower-case letter among the run's bytes before its first ','.
// So a candidate is turned away if it does not start capitalized, (c) is out
// (no sentence before, or an ASCII lower-case letter in the run before any
// ','), (b) is out (no line start, or a ',' or an ASCII byte that is no header
// character or '\r' before the line end) and (a) is out (the first ':' from
// s lies further, before a digit, or after an ASCII byte that is no header
// character). A byte that is not ASCII leaves the candidate to the rules.
// A sentence start ("The patient ...") fails (c) at its second letter and
// (a) at the next ':', which a cursor keeps. The reuse's bound of what a
// decision reads (HeaderScan) holds: the prescreen reads further, to the next
// ':' or the line end, but the decision is the rules' own.
class HeaderPrescreen {
 public:
  explicit HeaderPrescreen(std::string_view text)
      : text_(text), n_(static_cast<uint32_t>(text.size())) {}

  bool MayOpen(uint32_t s, bool line_start, bool after_sentence) {
    if (s >= n_ || !StartsCapitalized(text_, s)) return false;
    if (after_sentence && !LowerBeforeComma(s)) return true;  // (c)
    if (line_start && AloneOnLine(s)) return true;           // (b)
    return ColonEndsRun(s);                                  // (a)
  }

 private:
  // The farthest run end from s: ScanHeaderRun reads a byte while it is at
  // most 80 bytes from s, and a code point of up to 4 bytes there.
  static constexpr uint32_t kRunLast = 80, kRunReach = kRunLast + 4;

  static uint8_t Flags(unsigned char b) { return kRunFlags[b]; }

  // True if an ASCII lower-case letter is in the run from s before any ','
  // (so the run is not ALL-CAPS up to its first ','); false if unsure.
  bool LowerBeforeComma(uint32_t s) const {
    const uint32_t end = s + std::min<uint32_t>(n_ - s, kRunLast + 1);
    for (uint32_t p = s; p < end; ++p) {
      const auto b = static_cast<unsigned char>(text_[p]);
      if (b >= 0x80) return false;
      const uint8_t f = Flags(b);
      if (f & kLower) return true;
      if (f == 0 || (f & kComma) != 0) return false;
    }
    return false;
  }

  // False if a ',' or an ASCII byte that is neither a header character nor
  // '\r' comes before the line end ('\n' or the text end).
  bool AloneOnLine(uint32_t s) const {
    for (uint32_t p = s; p < n_; ++p) {
      const auto b = static_cast<unsigned char>(text_[p]);
      if (b >= 0x80 || b == '\n') return true;
      const uint8_t f = Flags(b);
      if ((f == 0 && b != '\r') || (f & kComma) != 0) return false;
    }
    return true;
  }

  // Whether a ':' that ColonFollows accepts can end the run from s.
  bool ColonEndsRun(uint32_t s) {
    const uint32_t c = NextColon(s);
    if (c >= n_ || c - s > kRunReach) return false;
    if (c + 1 < n_ && IsAsciiDigit(text_[c + 1])) return false;  // "10:30"
    for (uint32_t p = s; p < c; ++p) {
      const auto b = static_cast<unsigned char>(text_[p]);
      if (b < 0x80 && Flags(b) == 0) return false;
    }
    return true;
  }

  // The first ':' at or after s, or n_. Candidates grow with the scan, so
  // the last answer (the first ':' from colon_from_) serves until s passes it.
  uint32_t NextColon(uint32_t s) {
    if (s < colon_from_ || s > colon_) {
      const void* c = std::memchr(text_.data() + s, ':', n_ - s);
      colon_ = c == nullptr ? n_
                            : static_cast<uint32_t>(static_cast<const char*>(c) - text_.data());
      colon_from_ = s;
    }
    return colon_;
  }

  std::string_view text_;
  uint32_t n_;
  uint32_t colon_from_ = UINT32_MAX;  // none yet
  uint32_t colon_ = 0;
};

// The header scan of FindSections: the headers of a note, in text order,
// from candidates at its start, after each line end, after a ',' and after a
// '.' that closes a sentence. The characters '\n', ',' and '.' are its
// triggers; each trigger (and the text start) is one decision: a candidate
// start s = SkipBlankAndInvisible(trigger + 1), then TryHeader at s.
//
// What a live session's reuse (ReusingSections, below) relies on:
//  - State. Between triggers the scan carries only the body start of the
//    last header found (last_header_end_, none before the first). It is read
//    twice: a candidate inside that header (s < it) is not tried, and a ','
//    whose blanks reach back into it (p <= it) follows a header. Its
//    section's body.begin B (the first byte from it that TrimBody does not
//    skip: ' ' '\t' ',' ':' '\n' '\r') is the same state: a candidate s in
//    [it, B) starts with such a byte, which StartsCapitalized rejects; a ','
//    with p in (it, B] has a ',' ':' or '\n' before p (p stopped at no
//    blank), which already makes it follow a sentence. And once the scan is
//    past B (the trigger position i >= B), the state reads nothing any more:
//    later candidates start after i, and p stops at i or later (a trigger is
//    no blank). Candidate starts grow strictly with the trigger (the bytes
//    between a trigger and its start are blanks or invisible characters, no
//    trigger among them), so the headers found by the triggers up to i are
//    exactly those that begin at or before SkipBlankAndInvisible(i + 1).
//  - Reads. A decision reads backwards from its trigger only over a run of
//    ASCII letters ('.', for "Dr.") or of blanks (','), and the byte that
//    ends the run: never past an earlier trigger. Forwards it reads the
//    blanks and invisible characters up to s, at most 85 bytes from s (the
//    header run is at most 81 bytes and a code point; ColonFollows reads one
//    more), and beyond that only runs of ' ' '\t' '\r' ',' (TryPlainHeader's
//    and TryJoinedHeader's skips) and the byte that ends them.
// With `screened` (FindSections), HeaderPrescreen turns most candidates away
// before TryHeader; without it (FindSectionsUnscreened, for tests) every
// candidate is decided by the rules. The headers are the same.
class HeaderScan {
 public:
  HeaderScan(std::string_view text, const SectionRules& rules, bool screened = true)
      : text_(text), n_(static_cast<uint32_t>(text.size())), rules_(rules), screen_(text),
        screened_(screened) {}

  // Starts as the scan that found a header whose section body begins at
  // `body_begin` (the state above) before the first trigger it reads.
  void ResumeAfterHeader(uint32_t body_begin) {
    have_header_ = true;
    last_header_end_ = body_begin;
  }

  // Decides the candidates of the triggers from `from` on (and the text
  // start if `from` is 0); after each trigger i, stop(i) may end the scan.
  // Returns one past the last trigger read, or the text size.
  template <class Stop>
  uint32_t Run(uint32_t from, Stop stop) {
    if (from == 0) Consider(0, true, true);
    scan::Positions<'\n', ',', '.'> triggers(text_.data(), from, n_);
    for (uint32_t i; (i = static_cast<uint32_t>(triggers.Next())) < n_;) {
      Trigger(i);
      if (stop(i)) return i + 1;
    }
    return n_;
  }

  std::vector<Header>& headers() { return headers_; }
  bool have_header() const { return have_header_; }
  uint32_t last_header_end() const { return last_header_end_; }

 private:
  // `period`: the '.' trigger before s, which must close a sentence; read
  // last, only for a candidate that passed the rest (all are tests of the
  // bytes, so their order does not change the answer).
  static constexpr uint32_t kNoPeriod = UINT32_MAX;
  [[gnu::always_inline]] void Consider(uint32_t s, bool line_start, bool after_sentence,
                                       uint32_t period = kNoPeriod) {
    s = SkipBlankAndInvisible(text_, s);
    // Most candidates (the word after a comma) start with an ASCII byte that
    // is no capital, which StartsCapitalized rejects: told here, no call.
    if (screened_ && s < n_ && static_cast<unsigned char>(text_[s]) < 0x80 &&
        !IsAsciiUpper(text_[s]))
      return;
    Decide(s, line_start, after_sentence, period);
  }

  void Decide(uint32_t s, bool line_start, bool after_sentence, uint32_t period) {
    if (have_header_ && s < last_header_end_) return;
    if (screened_ && !screen_.MayOpen(s, line_start, after_sentence)) return;
    if (period != kNoPeriod && !ClosesSentence(period)) return;
    Header h;
    if (TryHeader(text_, s, line_start, after_sentence, rules_, &h)) {
      headers_.push_back(std::move(h));
      last_header_end_ = headers_.back().body_begin;
      have_header_ = true;
    }
  }

  // The trigger at i ('\n', ',' or '.'). Inlined into Run's loop (out of
  // line it cost FindSections 5 % more instructions).
  [[gnu::always_inline]] void Trigger(uint32_t i) {
    const char c = text_[i];
    if (c == '\n') {
      Consider(i + 1, true, true);
    } else if (c == ',') {
      // Is the text before this ',' a finished sentence or a header?
      uint32_t p = i;
      while (p > 0 && IsSpace(text_[p - 1])) --p;
      const bool after_sentence = p == 0 || text_[p - 1] == '.' || text_[p - 1] == ':' ||
                                  text_[p - 1] == ',' || text_[p - 1] == '\n' ||
                                  (have_header_ && p <= last_header_end_);
      Consider(i + 1, false, after_sentence);
    } else {
      if (i + 1 < n_ && !IsSpace(text_[i + 1]) && text_[i + 1] != ',' && text_[i + 1] != '\n') {
        return;  // "e.g", decimals
      }
      Consider(i + 1, false, true, i);
    }
  }

  // "Dr. XYZ:" is not a header: the '.' at i must close a sentence.
  bool ClosesSentence(uint32_t i) const {
    uint32_t w = i;
    while (w > 0 && (IsAsciiUpper(text_[w - 1]) || IsAsciiLower(text_[w - 1]))) --w;
    const std::string_view word = text_.substr(w, i - w);
    return word.size() != 1 && !IsTitleAbbrev(word);
  }

  std::string_view text_;
  uint32_t n_;
  const SectionRules& rules_;
  HeaderPrescreen screen_;
  bool screened_;
  std::vector<Header> headers_;
  uint32_t last_header_end_ = 0;  // body_begin of the last header
  bool have_header_ = false;
};

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

// The kind of the section header h opens. `parent` is the kind of the
// enclosing top-level section (FindSections' state from header to header):
// a sub-header takes it when its kind encloses sub-headers; an imaging
// header and a known header that is no sub-header set it.
std::string KindOf(const Header& h, const SectionRules& rules, std::string* parent) {
  if (h.kind != nullptr) {
    *parent = *h.kind;
    return *h.kind;
  }
  const SectionRules::Entry& e = h.entry;
  if (e.known && e.inherits && rules.Has(*parent, SectionRole::kEnclosesSubheaders))
    return *parent;
  if (e.known && !e.inherits) *parent = *e.kind;
  return *e.kind;
}

// The section of the text before the first header (at `first`), if it holds
// a letter or a digit.
bool Preamble(std::string_view original, uint32_t first, Section* out) {
  const Span body = TrimBody(original, 0, first);
  bool has_content = false;
  for (uint32_t i = body.begin; i < body.end && !has_content;) {
    UChar32 c = Next(original, &i);
    has_content = IsAlpha(c) || IsDigitCp(c);
  }
  if (!has_content) return false;
  *out = {"other", Span{body.begin, body.begin}, body};
  return true;
}

// FindSections and FindSectionsUnscreened (`screened`: HeaderScan).
std::vector<Section> Sectionize(std::string_view original, const SectionRules& rules,
                                bool screened) {
  HeaderScan scan(original, rules, screened);
  scan.Run(0, [](uint32_t) { return false; });
  const std::vector<Header>& headers = scan.headers();
  const uint32_t n = static_cast<uint32_t>(original.size());
  std::vector<Section> out;
  out.reserve(headers.size() + 1);
  Section preamble;
  if (Preamble(original, headers.empty() ? n : headers.front().begin, &preamble))
    out.push_back(std::move(preamble));
  std::string parent_kind;  // kind of the enclosing top-level section
  for (size_t k = 0; k < headers.size(); ++k) {
    const Header& h = headers[k];
    const uint32_t next = k + 1 < headers.size() ? headers[k + 1].begin : n;
    Section s;
    s.header = Span{h.begin, h.end};
    s.body = TrimBody(original, std::min(h.body_begin, next), next);
    s.kind = KindOf(h, rules, &parent_kind);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

std::vector<Section> FindSections(std::string_view original,
                                  const NormalizedText& /*nt*/,
                                  const SectionRules& rules) {
  return Sectionize(original, rules, true);
}

std::vector<Section> FindSectionsUnscreened(std::string_view original,
                                            const SectionRules& rules) {
  return Sectionize(original, rules, false);
}

std::vector<uint32_t> PrescreenMisses(std::string_view text, const SectionRules& rules) {
  std::vector<uint32_t> misses;
  const uint32_t n = static_cast<uint32_t>(text.size());
  HeaderPrescreen screen(text);
  for (uint32_t s = 0; s < n; ++s) {
    for (int flags = 0; flags < 4; ++flags) {
      const bool line_start = (flags & 1) != 0, after_sentence = (flags & 2) != 0;
      Header h;
      if (!screen.MayOpen(s, line_start, after_sentence) &&
          TryHeader(text, s, line_start, after_sentence, rules, &h)) {
        misses.push_back(s);
        break;
      }
    }
  }
  return misses;
}

namespace {

constexpr size_t kNone = SIZE_MAX;
constexpr uint32_t kPast = UINT32_MAX;  // a scan state that reads nothing more

// How far past a candidate start its decision reads, runs of ' ' '\t' '\r'
// ',' aside (HeaderScan: 85 bytes), with room to spare.
constexpr uint32_t kReadAhead = 96;

// A byte that a restart point may follow: ASCII, no trigger and no blank, so
// no header found by an earlier trigger begins after it (the bytes between a
// trigger and its header's start are blanks or invisible characters).
bool Settled(char c) {
  return static_cast<unsigned char>(c) < 0x80 && c != '\n' && c != ',' && c != '.' &&
         !IsSpace(c);
}

// The body.begin of the section of a header whose body starts at `from`
// (TrimBody's first loop; the next header begins with a letter, which stops
// it before that header).
uint32_t BodyStart(std::string_view text, uint32_t from) {
  const uint32_t n = static_cast<uint32_t>(text.size());
  while (from < n && (IsJoinChar(text[from]) || text[from] == '\n' || text[from] == '\r')) ++from;
  return from;
}

// Whether an earlier section (a header's) set the parent kind (KindOf): a
// known header that is no sub-header, or an unknown one whose kind is not
// "other", which only the imaging rule gives it (the caller makes sure that
// "other" is no imaging kind).
bool SetsParent(std::string_view text, const Section& s, const SectionRules& rules) {
  const SectionRules::Entry e =
      rules.Describe(NormalizeHeader(text.substr(s.header.begin, s.header.size())));
  return e.known ? !e.inherits : s.kind != "other";
}

// True if `sections` can be FindSections of `text`: in text order, inside it,
// a header-less section only first. Anything else is not reused.
bool Plausible(std::string_view text, const std::vector<Section>& sections) {
  uint32_t at = 0;
  for (size_t k = 0; k < sections.size(); ++k) {
    const Section& s = sections[k];
    if (s.header.begin < at || s.header.end < s.header.begin || s.body.begin < s.header.end ||
        s.body.end < s.body.begin || s.body.end > text.size() ||
        (s.header.empty() && k != 0))
      return false;
    at = s.header.end;
  }
  return true;
}

// FindSections of an edited text from FindSections of the text before the
// edit (SectionReuse): bytes [0, prefix) are the earlier ones, and so are
// those from suffix_begin on, shifted by delta (the change in length).
//
// Restart. At a point x that follows a Settled byte, the scan's state is
// that of the earlier text's scan: every trigger before x reads only bytes
// before `prefix` (checked: ReadEnd), so it decides as before; its headers
// are the earlier ones that begin before x, the last of them (`open`) gives
// the state (its body.begin, below `prefix`, so the same in both texts) and
// the parent kind (walked back over the earlier headers: SetsParent). The
// sections before `open` are copied; `open`'s body waits for the next header.
//
// Resynchronisation. From x the scan runs on the new text. After a trigger
// i >= suffix_begin, every later decision reads only bytes after i (none
// before a trigger), which are the earlier ones shifted; if the state and the
// parent kind then equal those of the earlier scan after its trigger i - delta
// (its last header that begins at or before SkipBlankAndInvisible(i + 1) -
// delta), every later header is the earlier one shifted, and so is its
// section (body and kind). The state compares as body.begin, or as "reads
// nothing" once the scan is past it (HeaderScan).
class ReusingSections {
 public:
  ReusingSections(std::string_view text, const SectionRules& rules, std::string_view old_text,
                  const std::vector<Section>& old, uint32_t prefix, uint32_t suffix_begin)
      : text_(text),
        n_(static_cast<uint32_t>(text.size())),
        rules_(rules),
        old_text_(old_text),
        old_(old),
        prefix_(prefix),
        suffix_begin_(suffix_begin),
        delta_(static_cast<int64_t>(text.size()) - static_cast<int64_t>(old_text.size())),
        scan_(text, rules) {
    out_.reserve(old.size() + 2);  // mostly the earlier sections again
  }

  std::vector<Section> Run(uint64_t* scanned) {
    const uint32_t x = Restart();
    const uint32_t end =
        scan_.Run(x, [this](uint32_t i) { return i >= suffix_begin_ && Resynced(i); });
    if (!resynced_) {
      TakeNewHeaders();
      Close(n_);
    }
    if (scanned != nullptr) *scanned += end - x;
    if (open_ == kNone) {  // no header before x: the preamble is the new text's
      Section preamble;
      if (Preamble(text_, out_.empty() ? n_ : out_.front().header.begin, &preamble))
        out_.insert(out_.begin(), std::move(preamble));
    }
    return std::move(out_);
  }

 private:
  // Picks x (returned) and open_, and takes the earlier scan's state at x.
  uint32_t Restart() {
    const uint32_t x = ChooseRestart();
    if (open_ != kNone) {
      out_.assign(old_.begin(), old_.begin() + static_cast<std::ptrdiff_t>(open_));
      pending_ = old_[open_];
      pending_from_ = old_[open_].body.begin;
      has_pending_ = true;
      scan_.ResumeAfterHeader(pending_from_);
      old_at_ = open_;
      // Both parent kinds are the one after `open`, read only if needed.
      parent_.reset();
      old_parent_.reset();
    }
    next_old_ = open_ == kNone ? 0 : open_ + 1;
    return x;
  }

  // The latest restart point about 128 bytes before the edit whose earlier
  // triggers read only bytes before it, else 0 (the text start: no state).
  uint32_t ChooseRestart() {
    constexpr uint32_t kBack = 128, kStep = 512;
    uint32_t x0 = prefix_ > kBack ? prefix_ - kBack : 0;
    for (int tries = 0; tries < 4 && x0 > 0; ++tries, x0 = x0 > kStep ? x0 - kStep : 0) {
      uint32_t x = x0;
      while (x > 0 && x0 - x < 64 && !Settled(old_text_[x - 1])) --x;
      if (x == 0 || !Settled(old_text_[x - 1]) || ReadEnd(x) >= prefix_) continue;
      const auto it = std::partition_point(old_.begin(), old_.end(),
                                           [x](const Section& s) { return s.header.begin < x; });
      const size_t k = static_cast<size_t>(it - old_.begin());
      const size_t open = k > 0 && !old_[k - 1].header.empty() ? k - 1 : kNone;
      if (open != kNone && old_[open].body.begin >= prefix_) continue;
      open_ = open;
      return x;
    }
    open_ = kNone;
    return 0;
  }

  // A bound of the bytes the earlier triggers before x read: candidate
  // starts grow with the trigger, so each read at most kReadAhead bytes past
  // SkipBlankAndInvisible(x), then only a run of ' ' '\t' '\r' ',' and the
  // byte ending it. The bound is that byte, or `prefix_` if the run (or the
  // skip) reaches it.
  uint32_t ReadEnd(uint32_t x) const {
    uint64_t e = uint64_t{SkipBlankAndInvisible(old_text_, x)} + kReadAhead;
    while (e < prefix_ && (IsSpace(old_text_[e]) || old_text_[e] == ',')) ++e;
    return static_cast<uint32_t>(std::min<uint64_t>(e, prefix_));
  }

  // The parent kind after earlier section k (a header's).
  std::string ParentAfter(size_t k) const {
    for (size_t j = k + 1; j-- > 0;) {
      if (old_[j].header.empty()) break;
      if (SetsParent(old_text_, old_[j], rules_)) return old_[j].kind;
    }
    return std::string();
  }

  // Sections for the headers the scan found since the last call.
  void TakeNewHeaders() {
    const std::vector<Header>& headers = scan_.headers();
    for (; taken_ < headers.size(); ++taken_) {
      const Header& h = headers[taken_];
      Close(h.begin);
      pending_.header = Span{h.begin, h.end};
      if (!parent_) parent_ = ParentAfter(open_);
      pending_.kind = KindOf(h, rules_, &*parent_);
      pending_from_ = h.body_begin;
      has_pending_ = true;
    }
  }

  // Ends the pending section before the next header (at `next`).
  void Close(uint32_t next) {
    if (!has_pending_) return;
    pending_.body = TrimBody(text_, std::min(pending_from_, next), next);
    out_.push_back(std::move(pending_));
    has_pending_ = false;
  }

  // Whether the two scans' parent kinds are equal (both still the one after
  // `open`, or read).
  bool SameParent() {
    if (parent_.has_value() != old_parent_.has_value()) {
      const std::string after_open = ParentAfter(open_);
      if (!parent_) parent_ = after_open;
      if (!old_parent_) old_parent_ = after_open;
    }
    return parent_ == old_parent_;
  }

  uint32_t Shift(uint32_t at) const { return static_cast<uint32_t>(at + delta_); }

  // After trigger i (>= suffix_begin_): true, with the sections completed
  // from the earlier ones, if the two scans are in the same state.
  bool Resynced(uint32_t i) {
    TakeNewHeaders();
    const int64_t old_start = int64_t{SkipBlankAndInvisible(text_, i + 1)} - delta_;
    while (next_old_ < old_.size() && old_[next_old_].header.begin <= old_start) {
      const Section& s = old_[next_old_];
      if (!s.header.empty()) {
        old_at_ = next_old_;
        if (SetsParent(old_text_, s, rules_)) old_parent_ = s.kind;
      }
      ++next_old_;
    }
    uint32_t now = kPast, then = kPast;
    if (scan_.have_header()) {
      const uint32_t b = BodyStart(text_, scan_.last_header_end());
      if (b > i) now = b;
    }
    if (old_at_ != kNone) {
      const int64_t b = old_[old_at_].body.begin;
      if (b > int64_t{i} - delta_) then = Shift(static_cast<uint32_t>(b));
    }
    if (now != then || !SameParent()) return false;
    size_t m = next_old_;
    if (m < old_.size() && old_[m].header.empty()) ++m;  // the earlier preamble
    Close(m < old_.size() ? Shift(old_[m].header.begin) : n_);
    for (; m < old_.size(); ++m) {
      Section s = old_[m];
      s.header = Span{Shift(s.header.begin), Shift(s.header.end)};
      s.body = Span{Shift(s.body.begin), Shift(s.body.end)};
      out_.push_back(std::move(s));
    }
    resynced_ = true;
    return true;
  }

  std::string_view text_;
  uint32_t n_;
  const SectionRules& rules_;
  std::string_view old_text_;
  const std::vector<Section>& old_;
  uint32_t prefix_, suffix_begin_;
  int64_t delta_;
  HeaderScan scan_;
  size_t open_ = kNone;  // the earlier section of the last header before x
  std::vector<Section> out_;
  // The section of the latest header, its body still open, and where its
  // body starts (Header::body_begin, or body.begin for an earlier one).
  Section pending_;
  uint32_t pending_from_ = 0;
  bool has_pending_ = false;
  size_t taken_ = 0;  // headers of scan_ made into sections
  // The parent kind after the latest header; none: the one after `open`,
  // not read yet (ParentAfter walks back over the earlier headers).
  std::optional<std::string> parent_ = std::string();
  size_t old_at_ = kNone;  // the earlier scan's last header (at the last check)
  size_t next_old_ = 0;    // the earlier section after it
  std::optional<std::string> old_parent_ = std::string();  // after old_at_, as parent_
  bool resynced_ = false;
};

}  // namespace

std::vector<Section> FindSections(std::string_view original, const SectionRules& rules,
                                  const SectionReuse& earlier, uint64_t* scanned) {
  if (earlier.sections == nullptr || earlier.text.size() >= UINT32_MAX ||
      original.size() >= UINT32_MAX || rules.Has("other", SectionRole::kImaging) ||
      !Plausible(earlier.text, *earlier.sections)) {
    if (scanned != nullptr) *scanned += original.size();
    return FindSections(original, NormalizedText(), rules);
  }
  const size_t prefix = scan::CommonPrefix(earlier.text, original, earlier.same_prefix);
  if (prefix == earlier.text.size() && prefix == original.size()) return *earlier.sections;
  const size_t suffix =
      scan::CommonSuffix(earlier.text, original,
                         std::min(earlier.text.size(), original.size()) - prefix,
                         earlier.same_suffix);
  ReusingSections reuse(original, rules, earlier.text, *earlier.sections,
                        static_cast<uint32_t>(prefix),
                        static_cast<uint32_t>(original.size() - suffix));
  return reuse.Run(scanned);
}

}  // namespace suggest::internal
