// Copyright libsuggest authors.
#include "context/assertion.h"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <unordered_map>
#include <utility>

#include <toml++/toml.h>

#include "match/regex.h"
#include "text/sectionizer.h"
#include "text/sentence_splitter.h"
#include "suggest/version.h"
#include "util/disk_cache.h"
#include "util/toml_file.h"

namespace suggest {

const char* AssertionName(Assertion a) {
  switch (a) {
    case Assertion::kPresent: return "present";
    case Assertion::kNegated: return "negated";
    case Assertion::kPossible: return "possible";
    case Assertion::kHypothetical: return "hypothetical";
    case Assertion::kHistorical: return "historical";
    case Assertion::kFamily: return "family";
  }
  return "present";
}

}  // namespace suggest

namespace suggest::internal {
namespace {

constexpr int64_t kSchemaVersion = SUGGEST_RULES_SCHEMA_CONTEXT;
constexpr int kDefaultMaxScope = 8;
constexpr int kMaxMaxScope = 200;

struct CategoryName {
  const char* name;
  ModifierCategory category;
};
constexpr CategoryName kCategories[] = {
    {"NEGATED", ModifierCategory::kNegated},
    {"POSSIBLE", ModifierCategory::kPossible},
    {"HYPOTHETICAL", ModifierCategory::kHypothetical},
    {"HISTORICAL", ModifierCategory::kHistorical},
    {"FAMILY", ModifierCategory::kFamily},
    {"PSEUDO", ModifierCategory::kPseudo},
    {"TERMINATE", ModifierCategory::kTerminate},
};

bool IsWordByte(unsigned char c) {
  // Bytes >= 0x80 belong to non-ASCII characters, which in casefolded
  // clinical text are nearly always letters; treating them as word bytes
  // keeps "no" from matching at the start of "noé...".
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80 ||
         (c >= 'A' && c <= 'Z') || c == '_';
}

bool IsSnakeCase(std::string_view s) {
  if (s.empty() || !(s[0] >= 'a' && s[0] <= 'z')) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

// A literal phrase as a regex: words matched literally, any run of white
// space between them (notes are full of double spaces), and a word boundary
// on each side that starts/ends with a word character.
std::string PhraseRegex(std::string_view phrase) {
  std::string out;
  size_t i = 0;
  bool first = true;
  while (i < phrase.size()) {
    while (i < phrase.size() && (phrase[i] == ' ' || phrase[i] == '\t')) ++i;
    if (i >= phrase.size()) break;
    size_t j = i;
    while (j < phrase.size() && phrase[j] != ' ' && phrase[j] != '\t') ++j;
    if (!first) out += "\\s+";
    out += Regex::QuoteMeta(phrase.substr(i, j - i));
    first = false;
    i = j;
  }
  const bool word_start = IsWordByte(static_cast<unsigned char>(phrase.front()));
  const bool word_end = IsWordByte(static_cast<unsigned char>(phrase.back()));
  return std::string(word_start ? "\\b" : "") + out + (word_end ? "\\b" : "");
}

RegexOptions MatchOptions() {
  RegexOptions o;
  o.longest_match = true;  // longest trigger at a position wins
  return o;
}

// Precedence rank of an assertion (higher wins).
int Rank(Assertion a) {
  switch (a) {
    case Assertion::kNegated: return 5;
    case Assertion::kFamily: return 4;
    case Assertion::kPossible: return 3;
    case Assertion::kHypothetical: return 2;
    case Assertion::kHistorical: return 1;
    case Assertion::kPresent: return 0;
  }
  return 0;
}

bool ToAssertion(ModifierCategory c, Assertion* out) {
  switch (c) {
    case ModifierCategory::kNegated: *out = Assertion::kNegated; return true;
    case ModifierCategory::kPossible: *out = Assertion::kPossible; return true;
    case ModifierCategory::kHypothetical: *out = Assertion::kHypothetical; return true;
    case ModifierCategory::kHistorical: *out = Assertion::kHistorical; return true;
    case ModifierCategory::kFamily: *out = Assertion::kFamily; return true;
    case ModifierCategory::kPseudo:
    case ModifierCategory::kTerminate: return false;
  }
  return false;
}

std::string Quoted(std::string_view id) { return "modifier \"" + std::string(id) + "\""; }

}  // namespace

bool AssertionRules::SectionDefault(std::string_view section_kind, Assertion* out) const {
  for (const auto& [kind, a] : section_defaults_) {
    if (kind == section_kind) {
      *out = a;
      return true;
    }
  }
  return false;
}

bool AssertionRules::DatesBeforeEncounter(std::string_view id) const {
  for (const Modifier& m : modifiers_)
    if (m.id == id) return m.dates_before_encounter;
  return false;
}

const char* ModifierCategoryName(ModifierCategory c) {
  switch (c) {
    case ModifierCategory::kNegated: return "negated";
    case ModifierCategory::kPossible: return "possible";
    case ModifierCategory::kHypothetical: return "hypothetical";
    case ModifierCategory::kHistorical: return "historical";
    case ModifierCategory::kFamily: return "family";
    case ModifierCategory::kPseudo: return "pseudo";
    case ModifierCategory::kTerminate: return "terminate";
  }
  return "?";
}

// The compiled form: one RE2 per modifier (its phrases and pattern as one
// alternation) and the RE2::Set of all of them, same indexes.
struct AssertionRules::Compiled {
  Compiled() : set(MatchOptions()) {}
  RegexSet set;
  std::vector<std::unique_ptr<const Regex>> regexes;
};

// The rules from a parsed document (positions come from its nodes).
struct AssertionRules::Loader {
  // `bytes`: the file's text, whose checks a CheckedFile may have recorded.
  static StatusOr<AssertionRules> FromTable(const toml::table& root, const std::string& path,
                                            const SectionRules* sections,
                                            std::string_view bytes);
};

AssertionRules::AssertionRules() = default;
AssertionRules::~AssertionRules() = default;
AssertionRules::AssertionRules(AssertionRules&&) noexcept = default;
AssertionRules& AssertionRules::operator=(AssertionRules&&) noexcept = default;

StatusOr<AssertionRules> AssertionRules::Load(const std::string& path,
                                              const SectionRules* sections) {
  std::string bytes;
  StatusOr<toml::table> root = ParseTomlFile(path, &bytes);
  if (!root.ok()) return root.status();
  return Loader::FromTable(*root, path, sections, bytes);
}

StatusOr<AssertionRules> AssertionRules::Parse(std::string_view toml_text,
                                               const std::string& path,
                                               const SectionRules* sections) {
  if (Status s = CheckTomlText(toml_text, path); !s.ok()) return s;
  toml::table root;
  try {
    root = toml::parse(toml_text, path);
  } catch (const toml::parse_error& e) {
    return TomlError(path, e.source().begin, e.description());
  }
  return Loader::FromTable(root, path, sections, toml_text);
}

namespace {

// [section_defaults]: the assertion a section kind gives its facts.
Status ReadSectionDefaults(const std::string& path, const toml::table& root,
                           const SectionRules* sections,
                           std::vector<std::pair<std::string, Assertion>>* out) {
  const toml::node* sd = root.get("section_defaults");
  if (sd == nullptr) return Status();
  const toml::table* t = sd->as_table();
  if (t == nullptr) return TomlError(path, *sd, "section_defaults must be a table");
  LoadErrors errors;
  for (const auto& [key, value] : *t) {
    const std::string kind(key.str());
    if (sections != nullptr && !sections->KnowsKind(kind)) {
      errors.Add(TomlError(path, value,
                           "section_defaults: unknown section kind \"" + kind +
                               "\" (sections.toml [kinds]: " + sections->KindList() + ")" +
                               DidYouMean(kind, sections->Kinds())));
      continue;
    }
    const auto* name = value.as_string();
    Assertion a = Assertion::kPresent;
    bool known = false;
    for (const CategoryName& c : kCategories) {
      if (name != nullptr && name->get() == c.name) known = ToAssertion(c.category, &a);
    }
    if (!known) {
      errors.Add(TomlError(
          path, value,
          "section_defaults." + kind +
              ": expected one of NEGATED, POSSIBLE, HYPOTHETICAL, HISTORICAL, FAMILY" +
              (name ? DidYouMean(name->get(), {"NEGATED", "POSSIBLE", "HYPOTHETICAL",
                                                "HISTORICAL", "FAMILY"})
                    : std::string())));
      continue;
    }
    out->emplace_back(kind, a);
  }
  return errors.ToStatus();
}

// An integer scope in 1..kMaxMaxScope at `key` of `t`, if given.
Status ReadScope(const std::string& path, const toml::table& t, const char* key,
                 const std::string& prefix, int* out) {
  const toml::node* ms = t.get(key);
  if (ms == nullptr) return Status();
  const auto* i = ms->as_integer();
  if (i == nullptr || i->get() < 1 || i->get() > kMaxMaxScope) {
    return TomlError(path, *ms,
                     prefix + key + " must be an integer in 1.." + std::to_string(kMaxMaxScope));
  }
  *out = static_cast<int>(i->get());
  return Status();
}

// The id of modifier #n (first, so every later message can name it),
// unique, and the keys of its table.
Status ReadModifierId(const std::string& path, const toml::node& node, const toml::table& t,
                      size_t n, std::unordered_map<std::string, uint32_t>* line_of_id,
                      Modifier* m) {
  const toml::node* id_node = t.get("id");
  if (id_node == nullptr) {
    return TomlError(path, node, "modifier #" + std::to_string(n + 1) + ": missing \"id\"");
  }
  const auto* id_str = id_node->as_string();
  if (id_str == nullptr || !IsSnakeCase(id_str->get())) {
    return TomlError(path, *id_node,
                     "modifier #" + std::to_string(n + 1) +
                         ": \"id\" must be a snake_case string ([a-z][a-z0-9_]*)");
  }
  m->id = id_str->get();
  m->line = node.source().begin.line;
  const std::string what = Quoted(m->id);
  if (auto [it, inserted] = line_of_id->emplace(m->id, id_node->source().begin.line); !inserted) {
    return TomlError(path, *id_node,
                     what + ": duplicate id (first defined on line " +
                         std::to_string(it->second) + ")");
  }
  return CheckKnownKeys(path, t,
                        {"id", "category", "direction", "phrases", "pattern", "max_scope",
                         "examples", "dates_before_encounter", "ends_other_scopes",
                         "governs_list", "shields_from_plan", "shields_before",
                         "ends_negation_only", "ends_plan_only", "ends_history_only", "spares_family", "pierces_shield",
                         "no_diagnosis", "generic_only"},
                        what);
}

// category (required) and direction (required but for PSEUDO and
// TERMINATE).
Status ReadCategoryAndDirection(const std::string& path, const toml::node& node,
                                const toml::table& t, const std::string& what, Modifier* m) {
  const toml::node* cat_node = t.get("category");
  if (cat_node == nullptr) return TomlError(path, node, what + ": missing \"category\"");
  const auto* cat = cat_node->as_string();
  bool cat_ok = false;
  for (const CategoryName& cn : kCategories) {
    if (cat != nullptr && cat->get() == cn.name) {
      m->category = cn.category;
      cat_ok = true;
    }
  }
  if (!cat_ok) {
    return TomlError(path, *cat_node,
                     what + ": unknown category" +
                         (cat ? " \"" + cat->get() + "\"" : std::string()) +
                         " (expected NEGATED, POSSIBLE, HYPOTHETICAL, HISTORICAL, FAMILY, "
                         "PSEUDO or TERMINATE)" +
                         (cat ? DidYouMean(cat->get(), {"NEGATED", "POSSIBLE", "HYPOTHETICAL",
                                                        "HISTORICAL", "FAMILY", "PSEUDO",
                                                        "TERMINATE"})
                              : std::string()));
  }
  const toml::node* dir_node = t.get("direction");
  if (dir_node == nullptr) {
    if (m->category != ModifierCategory::kPseudo && m->category != ModifierCategory::kTerminate)
      return TomlError(path, node, what + ": missing \"direction\"");
    return Status();
  }
  const auto* dir = dir_node->as_string();
  const std::string d = dir ? dir->get() : std::string();
  if (d == "forward") {
    m->direction = ScopeDirection::kForward;
  } else if (d == "backward") {
    m->direction = ScopeDirection::kBackward;
  } else if (d == "both") {
    m->direction = ScopeDirection::kBoth;
  } else {
    return TomlError(path, *dir_node,
                     what + ": unknown direction" + (dir ? " \"" + d + "\"" : std::string()) +
                         " (expected forward, backward or both)" +
                         DidYouMean(d, {"forward", "backward", "both"}));
  }
  return Status();
}

// The alternatives of a modifier's one regex: each phrase (lower case,
// words matched literally) and the pattern; at least one.
Status ReadTriggers(const std::string& path, const toml::node& node, const toml::table& t,
                    const std::string& what, bool checked_before,
                    std::vector<std::string>* alternatives) {
  if (const toml::node* ph = t.get("phrases")) {
    const toml::array* arr = ph->as_array();
    if (arr == nullptr) return TomlError(path, *ph, what + ": phrases must be an array of strings");
    for (const toml::node& p : *arr) {
      const auto* str = p.as_string();
      if (str == nullptr) return TomlError(path, p, what + ": phrases must be strings");
      const std::string& phrase = str->get();
      if (phrase.find_first_not_of(" \t") == std::string::npos) {
        return TomlError(path, p, what + ": empty phrase");
      }
      for (char ch : phrase) {
        // The text is casefolded: an upper-case phrase could never match.
        if (ch >= 'A' && ch <= 'Z') {
          return TomlError(path, p, what + ": phrase \"" + phrase + "\" must be lower case");
        }
      }
      std::string trimmed = phrase.substr(phrase.find_first_not_of(" \t"));
      trimmed.erase(trimmed.find_last_not_of(" \t") + 1);
      alternatives->push_back(PhraseRegex(trimmed));
    }
  }
  if (const toml::node* pat = t.get("pattern")) {
    const auto* str = pat->as_string();
    if (str == nullptr || str->get().empty()) {
      return TomlError(path, *pat, what + ": pattern must be a non-empty string");
    }
    if (!checked_before) {
      RegexError error;
      auto probe = Regex::Compile(str->get(), MatchOptions(), &error);
      if (probe == nullptr) {
        return TomlError(path, *pat, what + ": bad pattern: " + error.message);
      }
      if (probe->Match("", 0, 0, Regex::Anchor::kUnanchored, nullptr, 0)) {
        return TomlError(path, *pat, what + ": pattern matches the empty string");
      }
    }
    alternatives->push_back("(?:" + str->get() + ")");
  }
  if (alternatives->empty()) {
    return TomlError(path, node, what + ": needs \"phrases\" or \"pattern\"");
  }
  return Status();
}

// Examples document the modifier and are checked: each must contain a
// match, so a typo in a phrase or pattern shows at load time.
Status CheckExamples(const std::string& path, const toml::table& t, const std::string& what,
                     const Regex& re) {
  const toml::node* ex = t.get("examples");
  if (ex == nullptr) return Status();
  const toml::array* arr = ex->as_array();
  if (arr == nullptr) return TomlError(path, *ex, what + ": examples must be an array of strings");
  for (const toml::node& e : *arr) {
    const auto* str = e.as_string();
    if (str == nullptr) return TomlError(path, e, what + ": examples must be strings");
    std::string lower = str->get();
    for (char& ch : lower) {
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    }
    if (!re.PartialMatch(lower)) {
      return TomlError(path, e,
                       what + ": example \"" + str->get() + "\" does not contain a trigger");
    }
  }
  return Status();
}

// One [[modifier]] table, checked in the order its messages are promised:
// id, category, direction, scope, dates_before_encounter, triggers, then
// the examples against the compiled trigger.
struct ParsedModifier {
  Modifier modifier;
  std::string regex;  // the phrases and pattern as one alternation
  std::unique_ptr<const Regex> re;
};

// `checked_before`: the file's bytes passed the checks before
// (util/disk_cache.h CheckedFile): the triggers are only compiled.
Status ReadModifier(const std::string& path, const toml::node& node, size_t n,
                    int default_scope, bool checked_before,
                    std::unordered_map<std::string, uint32_t>* line_of_id,
                    ParsedModifier* out) {
  const toml::table* t = node.as_table();
  if (t == nullptr) return TomlError(path, node, "modifier must be a table");
  Modifier& m = out->modifier;
  if (Status s = ReadModifierId(path, node, *t, n, line_of_id, &m); !s.ok()) return s;
  const std::string what = Quoted(m.id);
  if (Status s = ReadCategoryAndDirection(path, node, *t, what, &m); !s.ok()) return s;
  m.max_scope = default_scope;
  if (Status s = ReadScope(path, *t, "max_scope", what + ": ", &m.max_scope); !s.ok()) return s;
  struct Flag {
    const char* key;
    bool* field;
    std::optional<ModifierCategory> only;  // the one category it may be on
    const char* only_name;
  };
  const Flag flags[] = {
      {"dates_before_encounter", &m.dates_before_encounter, std::nullopt, ""},
      {"ends_other_scopes", &m.ends_other_scopes, std::nullopt, ""},
      {"governs_list", &m.governs_list, ModifierCategory::kPossible, "POSSIBLE"},
      {"shields_from_plan", &m.shields_from_plan, ModifierCategory::kTerminate, "TERMINATE"},
      {"shields_before", &m.shields_before, ModifierCategory::kTerminate, "TERMINATE"},
      {"ends_negation_only", &m.ends_negation_only, ModifierCategory::kTerminate, "TERMINATE"},
      {"ends_plan_only", &m.ends_plan_only, ModifierCategory::kTerminate, "TERMINATE"},
      {"ends_history_only", &m.ends_history_only, ModifierCategory::kTerminate, "TERMINATE"},
      {"spares_family", &m.spares_family, ModifierCategory::kTerminate, "TERMINATE"},
      {"pierces_shield", &m.pierces_shield, ModifierCategory::kHypothetical, "HYPOTHETICAL"},
      {"no_diagnosis", &m.no_diagnosis, ModifierCategory::kPossible, "POSSIBLE"},
      {"generic_only", &m.generic_only, ModifierCategory::kHypothetical, "HYPOTHETICAL"},
  };
  for (const Flag& f : flags) {
    const toml::node* d = t->get(f.key);
    if (d == nullptr) continue;
    const auto* b = d->as_boolean();
    if (b == nullptr || (f.only && m.category != *f.only))
      return TomlError(path, *d,
                       what + ": " + f.key + " must be true or false" +
                           (f.only ? std::string(", on a ") + f.only_name + " modifier" : ""));
    *f.field = b->get();
  }
  std::vector<std::string> alternatives;
  if (Status s = ReadTriggers(path, node, *t, what, checked_before, &alternatives); !s.ok())
    return s;
  for (size_t k = 0; k < alternatives.size(); ++k) {
    if (k) out->regex += '|';
    out->regex += alternatives[k];
  }
  RegexError error;
  out->re = Regex::Compile(out->regex, MatchOptions(), &error);
  if (out->re == nullptr) return TomlError(path, node, what + ": bad trigger: " + error.message);
  if (checked_before) return Status();
  // On a copy: the checks' DFA states would stay with the model's regex
  // (rule_pack.cc ReadOneRule says why that matters).
  const std::unique_ptr<const Regex> probe = Regex::Compile(out->regex, MatchOptions());
  return CheckExamples(path, *t, what, probe != nullptr ? *probe : *out->re);
}

}  // namespace

StatusOr<AssertionRules> AssertionRules::Loader::FromTable(const toml::table& root,
                                                   const std::string& path,
                                                   const SectionRules* sections,
                                                   std::string_view bytes) {
  if (Status s = CheckSchemaVersion(path, root, kSchemaVersion, kSchemaVersion); !s.ok()) {
    return s;
  }
  const CheckedFile checked("context", bytes);
  const bool checked_before = checked.Found();
  // Every error of the file is reported (LoadErrors): the top-level keys,
  // each section default, each [[modifier]]'s first error.
  LoadErrors errors;
  errors.Add(CheckKnownKeys(path, root,
                            {"schema_version", "default_max_scope", "section_defaults",
                             "modifier"},
                            "context file"));
  AssertionRules rules;
  errors.Add(ReadSectionDefaults(path, root, sections, &rules.section_defaults_));
  int default_scope = kDefaultMaxScope;
  errors.Add(ReadScope(path, root, "default_max_scope", "", &default_scope));
  const toml::node* mods_node = root.get("modifier");
  const toml::array* mods = mods_node ? mods_node->as_array() : nullptr;
  if (mods == nullptr || mods->empty()) {
    errors.Add(TomlError(path,
                         mods_node ? mods_node->source().begin : toml::source_position{1, 1},
                         "expected [[modifier]] tables"));
    return errors.ToStatus();
  }

  rules.compiled_ = std::make_unique<Compiled>();
  Compiled& c = *rules.compiled_;
  std::unordered_map<std::string, uint32_t> line_of_id;
  for (size_t n = 0; n < mods->size(); ++n) {
    const toml::node& node = *mods->get(n);
    ParsedModifier parsed;
    if (errors.Add(
            ReadModifier(path, node, n, default_scope, checked_before, &line_of_id, &parsed)))
      continue;
    std::string set_error;
    if (c.set.Add(parsed.regex, &set_error) < 0) {
      errors.Add(
          TomlError(path, node, Quoted(parsed.modifier.id) + ": bad trigger: " + set_error));
      continue;
    }
    c.regexes.push_back(std::move(parsed.re));
    rules.modifiers_.push_back(std::move(parsed.modifier));
  }
  if (!errors.ok()) return errors.ToStatus();
  if (!c.set.Compile()) {
    return TomlError(path, toml::source_position{1, 1},
                     "the trigger set is too large for RE2::Set (memory budget)");
  }
  if (!checked_before) checked.Record();
  return rules;
}

// A scope boundary (TERMINATE) does not hide a cue that starts inside it
// and ends within it: it ends where that cue begins. "stenosis above a prior
// L4-L5 fusion" stops the scope of a cue before "stenosis" (term_fusion_site)
// while "prior" still dates the fusion after it. False if `inner` must go.
bool AssertionRules::EndBefore(std::string_view text, const CueMatch& inner,
                               CueMatch* boundary) const {
  if (modifiers_[boundary->modifier].category != ModifierCategory::kTerminate ||
      modifiers_[inner.modifier].category == ModifierCategory::kTerminate ||
      inner.begin <= boundary->begin || inner.end > boundary->end)
    return false;
  uint32_t e = inner.begin;
  while (e > boundary->begin + 1 && (text[e - 1] == ' ' || text[e - 1] == '\n')) --e;
  boundary->end = e;
  return true;
}

std::vector<CueMatch> AssertionRules::FindCues(std::string_view text, uint32_t begin,
                                               uint32_t end, bool* failed) const {
  std::vector<CueMatch> all;
  if (!compiled_ || begin >= end || end > text.size()) return all;
  const Compiled& c = *compiled_;
  const std::string_view sentence = text.substr(begin, end - begin);
  std::vector<int> hits;
  const RegexSet::Result r = c.set.Match(sentence, &hits);
  if (r == RegexSet::Result::kFailed && failed != nullptr) *failed = true;
  if (r != RegexSet::Result::kMatch) return all;
  std::sort(hits.begin(), hits.end());

  for (int h : hits) {
    const Regex& re = *c.regexes[h];
    size_t pos = 0;
    std::string_view m;
    while (pos < sentence.size() &&
           re.Match(sentence, pos, sentence.size(), Regex::Anchor::kUnanchored, &m, 1)) {
      const auto b = static_cast<uint32_t>(m.data() - sentence.data());
      const auto e = static_cast<uint32_t>(b + m.size());
      if (e == b) {  // cannot happen for validated patterns; never loop
        pos = b + 1;
        continue;
      }
      // RE2's \b is ASCII-only and sees the sentence edges as boundaries:
      // re-check against the whole text so a trigger never starts or ends
      // inside a word.
      const uint32_t ab = begin + b, ae = begin + e;
      const bool starts_word = IsWordByte(static_cast<unsigned char>(text[ab]));
      const bool ends_word = IsWordByte(static_cast<unsigned char>(text[ae - 1]));
      const bool bad_start =
          starts_word && ab > 0 && IsWordByte(static_cast<unsigned char>(text[ab - 1]));
      const bool bad_end =
          ends_word && ae < text.size() && IsWordByte(static_cast<unsigned char>(text[ae]));
      if (bad_start || bad_end) {
        pos = b + 1;
        continue;
      }
      all.push_back({ab, ae, h});
      pos = e;
    }
  }

  // Overlaps: the longest match wins, then the earliest, then the modifier
  // listed first in the file.
  std::vector<size_t> order(all.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const CueMatch& x = all[a];
    const CueMatch& y = all[b];
    if (x.end - x.begin != y.end - y.begin) return x.end - x.begin > y.end - y.begin;
    if (x.begin != y.begin) return x.begin < y.begin;
    return x.modifier < y.modifier;
  });
  // Kept cues are disjoint: keyed by begin, only the neighbours of a new
  // match can overlap it (a scan of all kept cues was quadratic).
  std::vector<CueMatch> kept;
  std::map<uint32_t, size_t> kept_at;  // begin -> index in `kept`
  for (size_t i : order) {
    const CueMatch& m = all[i];
    auto next = kept_at.lower_bound(m.begin);
    if (next != kept_at.end() && next->first < m.end) continue;
    if (next != kept_at.begin()) {
      CueMatch& prev = kept[std::prev(next)->second];
      if (prev.end > m.begin && !EndBefore(text, m, &prev)) continue;
    }
    kept_at.emplace(m.begin, kept.size());
    kept.push_back(m);
  }
  // A cue may start at the punctuation that opens its clause (", consistent
  // with"): that decides which trigger wins, but the cue the reader is shown
  // is its words.
  constexpr std::string_view kClauseOpeners = ", \t\n";
  for (CueMatch& m : kept) {
    while (m.end - m.begin > 1 && kClauseOpeners.find(text[m.begin]) != std::string_view::npos) {
      ++m.begin;
    }
  }
  std::sort(kept.begin(), kept.end(),
            [](const CueMatch& a, const CueMatch& b) { return a.begin < b.begin; });
  return kept;
}

namespace {

// Words and scope stops of one sentence, for measuring scopes.
class SentenceView {
 public:
  SentenceView(std::string_view text, uint32_t begin, uint32_t end,
               const std::vector<CueMatch>& cues)
      : text_(text) {
    size_t k = 0;  // cues are sorted; skip stop characters inside a cue
    for (uint32_t i = begin; i < end; ++i) {
      while (k < cues.size() && cues[k].end <= i) ++k;
      const bool in_cue = k < cues.size() && cues[k].begin <= i;
      const auto ch = static_cast<unsigned char>(text[i]);
      if (IsWordByte(ch)) {
        if (i == begin || !IsWordByte(static_cast<unsigned char>(text[i - 1]))) {
          word_starts_.push_back(i);
        }
      } else if (!in_cue && IsStop(i, end)) {
        stops_.push_back(i);
      }
    }
  }

  // Words starting in [b, e).
  int WordsIn(uint32_t b, uint32_t e) const {
    if (b >= e) return 0;
    auto lo = std::lower_bound(word_starts_.begin(), word_starts_.end(), b);
    auto hi = std::lower_bound(word_starts_.begin(), word_starts_.end(), e);
    return static_cast<int>(hi - lo);
  }

  // The n-th word start before `pos` (0 if there are fewer): a cue ending
  // at or before it has at least n words between it and pos.
  uint32_t WordStartBefore(uint32_t pos, int n) const {
    const size_t k = std::lower_bound(word_starts_.begin(), word_starts_.end(), pos) -
                     word_starts_.begin();
    return k >= static_cast<size_t>(n) ? word_starts_[k - n] : 0;
  }

  // The n-th word start at or after `pos` (UINT32_MAX if there are fewer): a
  // cue beginning after it has at least n words between pos and it.
  uint32_t WordStartAfter(uint32_t pos, int n) const {
    const size_t j = std::lower_bound(word_starts_.begin(), word_starts_.end(), pos) -
                     word_starts_.begin();
    return j + n - 1 < word_starts_.size() ? word_starts_[j + n - 1]
                                           : std::numeric_limits<uint32_t>::max();
  }

  bool StopIn(uint32_t b, uint32_t e) const {
    auto it = std::lower_bound(stops_.begin(), stops_.end(), b);
    return it != stops_.end() && *it < e;
  }

 private:
  // Clause-ending punctuation inside a sentence: ';', ':', a blank line,
  // and '.' or '?' or '!' followed by white space (a sentence the splitter
  // did not cut, e.g. after a header).
  bool IsStop(uint32_t i, uint32_t end) const {
    const char ch = text_[i];
    if (ch == ';' || ch == ':') return true;
    if (ch == '\n') return i + 1 < end && text_[i + 1] == '\n';
    if (ch == '.' || ch == '?' || ch == '!') {
      if (!(i + 1 < end && (text_[i + 1] == ' ' || text_[i + 1] == '\n'))) return false;
      // The '.' of a title or "vs." ("planned with Dr. Haas next month")
      // ends no statement, as it ends no sentence.
      if (ch == '.') {
        uint32_t b = i;
        while (b > 0 && text_[b - 1] >= 'a' && text_[b - 1] <= 'z') --b;
        if (b < i && IsNonFinalAbbrev(text_.substr(b, i - b))) return false;
      }
      return true;
    }
    return false;
  }

  std::string_view text_;
  std::vector<uint32_t> word_starts_;
  std::vector<uint32_t> stops_;
};

// Longest max_scope of any modifier: no cue farther (in words) from a target
// can reach it.
int MaxScope(const std::vector<Modifier>& mods) {
  int m = 1;
  for (const Modifier& mod : mods) m = std::max(m, mod.max_scope);
  return m;
}

// The cues that reach a target: the nearest of each category (fewest words
// between cue and target), and every category seen.
struct NearestCues {
  struct Best {
    int distance = std::numeric_limits<int>::max();
    const CueMatch* cue = nullptr;
  };
  Best best[6];  // by Assertion
  uint32_t categories = 0;  // bits 1 << Assertion
};

}  // namespace

struct SentenceCues::State {
  State(const AssertionRules& r, std::string_view t, uint32_t b, uint32_t e)
      : rules(r), begin(b),
        end(std::min<uint32_t>(e, static_cast<uint32_t>(t.size()))),
        cues(r.FindCues(t, b, end, &failed)), view(t, b, end, cues),
        max_scope(MaxScope(r.modifiers())) {
    for (const CueMatch& m : cues) {
      const Modifier& mod = r.modifiers()[m.modifier];
      if (mod.category == ModifierCategory::kTerminate || mod.ends_other_scopes) {
        terminators.push_back(m);
      }
    }
  }

  // A scope stops at a clause stop or at a terminator cue that starts inside
  // [b, e) (one may run over the target: "no pseudarthrosis [at the L4-5
  // fusion]" locates the finding at the fusion, which stands). Terminators
  // are disjoint and sorted: those starting at or after b and before e are
  // consecutive. One with ends_negation_only ends only the scope of a
  // NEGATED cue, one with ends_plan_only only that of a HYPOTHETICAL one,
  // one with ends_history_only only that of a HISTORICAL one,
  // one with spares_family that of every cue but a FAMILY one
  // (`category`: the cue's); a later one may still end the others.
  bool Terminated(uint32_t b, uint32_t e, ModifierCategory category) const {
    if (view.StopIn(b, e)) return true;
    auto it = std::lower_bound(terminators.begin(), terminators.end(), b,
                               [](const CueMatch& m, uint32_t x) { return m.begin < x; });
    for (; it != terminators.end() && it->begin < e; ++it) {
      const Modifier& t = rules.modifiers()[it->modifier];
      if (t.ends_negation_only && category != ModifierCategory::kNegated) continue;
      if (t.ends_plan_only && category != ModifierCategory::kHypothetical) continue;
      if (t.ends_history_only && category != ModifierCategory::kHistorical) continue;
      if (t.spares_family && category == ModifierCategory::kFamily) continue;
      return true;
    }
    return false;
  }

  // The words between cue m (of modifier mod) and the target [tb, te) if the
  // cue's scope reaches the target, else -1. A cue that runs into the
  // finding ("no acute" + "acute fracture") is adjacent.
  int Distance(const CueMatch& m, const Modifier& mod, uint32_t tb, uint32_t te) const {
    // A cue that starts before the target and ends inside it shares the
    // target's first words: it is about the target whatever its direction
    // ("likely congenital" of "likely congenital block vertebra" hedges the
    // block vertebra). One that runs to the target's end or past it keeps
    // its direction ("likely from prior fusion" does not doubt the fusion).
    if (m.begin < tb && m.end > tb)
      return mod.direction != ScopeDirection::kBackward || m.end < te ? 0 : -1;
    if (m.begin < te && m.end > te) return mod.direction != ScopeDirection::kForward ? 0 : -1;
    if (m.end <= tb && mod.direction != ScopeDirection::kBackward) {
      const int words = view.WordsIn(m.end, tb);
      return words < mod.max_scope && !Terminated(m.end, tb, mod.category) ? words : -1;
    }
    if (m.begin >= te && mod.direction != ScopeDirection::kForward) {
      const int words = view.WordsIn(te, m.begin);
      return words < mod.max_scope && !Terminated(te, m.begin, mod.category) ? words : -1;
    }
    return -1;
  }

  NearestCues Nearest(uint32_t tb, uint32_t te, uint32_t skip_categories,
                      uint32_t shielded = 0) const;
  AssertionVerdict Decide(const NearestCues& near, std::string_view section_kind,
                          uint32_t shielded) const;

  // The categories kept from the target [tb, te) by a shields_from_plan
  // terminator that holds it after its first byte (bits 1 << Assertion): the
  // treated disease, not the operation that opens the match ("fusion for
  // pseudarthrosis": the fusion is still the plan).
  // A shields_before terminator shields the finding that ends just before
  // it: no word and no clause end between ("nr-axSpA, on ixekizumab").
  uint32_t Shielded(uint32_t tb, uint32_t te) const {
    const uint32_t next_word = view.WordStartAfter(te, 1);
    for (const CueMatch& m : terminators) {
      const Modifier& mod = rules.modifiers()[m.modifier];
      if (m.begin >= tb) {
        if (m.begin > next_word) break;
        if (mod.shields_before && m.begin >= te && !view.StopIn(te, m.begin))
          return 1u << static_cast<int>(Assertion::kHypothetical);
        continue;
      }
      if (m.end >= te && mod.shields_from_plan)
        return 1u << static_cast<int>(Assertion::kHypothetical);
    }
    return 0;
  }

  const AssertionRules& rules;
  uint32_t begin;  // no text: nothing is read after construction
  uint32_t end;
  bool failed = false;         // FindCues could not answer
  std::vector<CueMatch> cues;  // disjoint, by begin (so also by end)
  SentenceView view;
  std::vector<CueMatch> terminators;
  int max_scope;
};

// The cues that reach the target [tb, te), leaving out the categories in
// `skip_categories`. Only cues within max_scope words of the target can
// reach it: those ending after the max_scope-th word start before it and
// beginning at or before the max_scope-th word start after it.
NearestCues SentenceCues::State::Nearest(uint32_t tb, uint32_t te,
                                         uint32_t skip_categories,
                                         uint32_t shielded) const {
  NearestCues near;
  const uint32_t reach_from = view.WordStartBefore(tb, max_scope);
  const uint32_t hi_begin = view.WordStartAfter(te, max_scope);
  auto first = std::lower_bound(cues.begin(), cues.end(), reach_from,
                                [](const CueMatch& m, uint32_t x) { return m.end <= x; });
  for (auto it = first; it != cues.end() && it->begin <= hi_begin; ++it) {
    const CueMatch& m = *it;
    const Modifier& mod = rules.modifiers()[m.modifier];
    Assertion a;
    if (!ToAssertion(mod.category, &a)) continue;
    if ((skip_categories >> static_cast<int>(a)) & 1u) continue;
    // A shield keeps the plan's cues off the treated finding, not a
    // statement about no patient in particular (pierces_shield).
    if (((shielded >> static_cast<int>(a)) & 1u) && !mod.pierces_shield) continue;
    // A cue inside the finding's own words does not modify it.
    if (m.begin >= tb && m.end <= te) continue;
    const int distance = Distance(m, mod, tb, te);
    if (distance < 0) continue;
    near.categories |= 1u << static_cast<int>(a);
    NearestCues::Best& b = near.best[static_cast<int>(a)];
    if (distance < b.distance) {
      b.distance = distance;
      b.cue = &m;
    }
  }
  return near;
}

// The verdict: the highest-ranked category among the cues that reach, unless
// the section's default assertion ranks higher.
AssertionVerdict SentenceCues::State::Decide(const NearestCues& near,
                                             std::string_view section_kind,
                                             uint32_t shielded) const {
  AssertionVerdict v;
  v.categories = near.categories;
  Assertion winner = Assertion::kPresent;
  for (int i = 1; i < 6; ++i) {
    const auto a = static_cast<Assertion>(i);
    if (near.best[i].cue != nullptr && Rank(a) > Rank(winner)) winner = a;
  }
  Assertion from_section = Assertion::kPresent;
  const bool has_section = rules.SectionDefault(section_kind, &from_section) &&
                           !((shielded >> static_cast<int>(from_section)) & 1u);
  if (has_section) v.categories |= 1u << static_cast<int>(from_section);

  if (has_section && Rank(from_section) > Rank(winner)) {
    v.assertion = from_section;
    v.rule_id = "section:" + std::string(section_kind);
  } else if (winner != Assertion::kPresent) {
    const CueMatch& m = *near.best[static_cast<int>(winner)].cue;
    v.assertion = winner;
    v.has_cue = true;
    v.cue_begin = m.begin;
    v.cue_end = m.end;
    v.modifier = m.modifier;
    v.rule_id = rules.modifiers()[m.modifier].id;
  }
  return v;
}

SentenceCues::SentenceCues(const AssertionRules& rules, std::string_view text,
                           uint32_t sentence_begin, uint32_t sentence_end)
    : state_(std::make_shared<const State>(rules, text, sentence_begin, sentence_end)),
      begin_(state_->begin) {}

SentenceCues::SentenceCues(const SentenceCues& same, uint32_t sentence_begin)
    : state_(same.state_), begin_(sentence_begin) {}

SentenceCues::~SentenceCues() = default;

bool SentenceCues::failed() const { return state_->failed; }

AssertionVerdict SentenceCues::Assess(uint32_t target_begin, uint32_t target_end,
                                      std::string_view section_kind,
                                      uint32_t skip_categories) const {
  const State& st = *state_;
  // Clamped to this sentence, then into the offsets the state was built at.
  const uint32_t end = begin_ + (st.end - st.begin);
  target_begin = std::clamp(target_begin, begin_, end);
  target_end = std::clamp(target_end, target_begin, end);
  const uint32_t tb = target_begin - begin_ + st.begin;
  const uint32_t te = target_end - begin_ + st.begin;
  const uint32_t shielded = st.Shielded(tb, te);
  AssertionVerdict v =
      st.Decide(st.Nearest(tb, te, skip_categories, shielded), section_kind, shielded);
  if (v.has_cue) {
    v.cue_begin = v.cue_begin - st.begin + begin_;
    v.cue_end = v.cue_end - st.begin + begin_;
  }
  return v;
}

AssertionVerdict Assess(const AssertionRules& rules, std::string_view text,
                        uint32_t sentence_begin, uint32_t sentence_end,
                        uint32_t target_begin, uint32_t target_end,
                        std::string_view section_kind) {
  return SentenceCues(rules, text, sentence_begin, sentence_end)
      .Assess(target_begin, target_end, section_kind);
}

}  // namespace suggest::internal
