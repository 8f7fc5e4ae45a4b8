// Copyright libsuggest authors.
//
// Rule-pack patterns, through the RE2 adapter (match/regex.h). Patterns are
// compiled once at load; matching never allocates regex state per call
// beyond RE2's own caches.

#include "match/rule_pack.h"

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <set>

#include "suggest/version.h"
#include "util/disk_cache.h"
#include "util/toml_file.h"

namespace suggest::internal {

namespace {

constexpr int64_t kSchemaVersion = SUGGEST_RULES_SCHEMA_PACK;

bool IsSnakeCase(std::string_view s) {
  if (s.empty() || !(s[0] >= 'a' && s[0] <= 'z')) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

// Position of a regex error inside the pattern's TOML string, so the editor
// lands on the offending fragment: the string's column + 1 (quote) + index.
toml::source_position PatternErrorPosition(const toml::node& pattern_node,
                                           const std::string& pattern,
                                           const std::string& error_arg) {
  toml::source_position pos = pattern_node.source().begin;
  const size_t at = error_arg.empty() ? std::string::npos : pattern.find(error_arg);
  if (at != std::string::npos && pattern.find('\n') == std::string::npos) {
    pos.column += static_cast<toml::source_index>(1 + at);
  }
  return pos;
}

Status ReadStringArray(const std::string& path, const toml::node& node,
                       const std::string& what, std::vector<std::string>* out) {
  const toml::array* arr = node.as_array();
  if (arr == nullptr) return TomlError(path, node, what + " must be an array of strings");
  for (const toml::node& el : *arr) {
    const auto* s = el.as_string();
    if (s == nullptr) return TomlError(path, el, what + " must contain only strings");
    out->push_back(s->get());
  }
  return Status();
}

// A rule that can match the empty string yields facts with empty spans (and,
// after `x*` or `foo|`, a match at every position). Tried at every position
// of a few short texts: empty, space, a letter, a digit, a word, so anchors
// and \b alternatives are caught too (issue 19).
bool MatchesEmpty(const Regex& re) {
  for (std::string_view probe : {"", " ", "a", "1", "a b", "l4-5."}) {
    std::string_view m;
    for (size_t pos = 0; pos <= probe.size(); ++pos) {
      if (re.Match(probe, pos, probe.size(), Regex::Anchor::kAnchorStart, &m, 1) && m.empty())
        return true;
    }
  }
  return false;
}

// One [[rule]] read and checked: its pattern compiled, its examples run.
struct ReadRule {
  Rule rule;
  std::unique_ptr<const Regex> re;
  const toml::node* pattern = nullptr;
};

// Examples prove the pattern does what its author meant, on the same
// normalized view the engine matches against; each example must match the
// rule's screen_pattern `stand_in` too, if it has one.
Status CheckExamples(const std::string& path, const toml::table& rt, const std::string& what,
                     const Regex& re, const Normalizer& normalizer, const Regex* stand_in) {
  for (const char* key : {"examples", "counterexamples"}) {
    const toml::node* ex = rt.get(key);
    if (ex == nullptr) continue;
    std::vector<std::string> texts;
    if (Status s = ReadStringArray(path, *ex, what + ": " + key, &texts); !s.ok()) return s;
    const bool must_match = std::string_view(key) == "examples";
    const toml::array& arr = *ex->as_array();
    for (size_t i = 0; i < texts.size(); ++i) {
      auto nt = normalizer.Normalize(texts[i], InvalidUtf8Policy::kError);
      if (!nt.ok()) return TomlError(path, *arr.get(i), what + ": " + nt.status().message());
      const bool matched = re.PartialMatch(nt->text);
      if (matched != must_match) {
        return TomlError(path, *arr.get(i),
                         what + (must_match ? ": example does not match: \""
                                            : ": counterexample matches: \"") +
                             texts[i] + "\"");
      }
      if (must_match && stand_in != nullptr && !stand_in->PartialMatch(nt->text))
        return TomlError(path, *arr.get(i),
                         what + ": example does not match the screen_pattern: \"" + texts[i] +
                             "\"");
    }
  }
  return Status();
}

// Reads the [[rule]] `rn`: its first error, or the rule. `ids` collects the
// ids seen (across packs). `checked_before`: this file's bytes passed the
// checks before (CheckedFile): the pattern is only compiled.
StatusOr<ReadRule> ReadOneRule(const std::string& path, const toml::node& rn,
                               const std::set<std::string>& kinds, std::vector<std::string>& ids,
                               const Normalizer& normalizer, bool checked_before) {
  const toml::table* rt = rn.as_table();
  if (rt == nullptr) return TomlError(path, rn, "[[rule]] must be a table");
  const auto* id = rt->get_as<std::string>("id");
  if (id == nullptr) return TomlError(path, rn, "rule without id");
  const std::string what = "rule \"" + id->get() + "\"";
  if (!IsSnakeCase(id->get())) return TomlError(path, *id, what + ": id must be snake_case");
  if (std::find(ids.begin(), ids.end(), id->get()) != ids.end())
    return TomlError(path, *id, what + ": duplicate id");
  ids.push_back(id->get());
  if (Status s = CheckKnownKeys(path, *rt,
                                {"id", "kind", "pattern", "attributes", "examples",
                                 "counterexamples", "note", "screen_pattern"},
                                what);
      !s.ok())
    return s;

  ReadRule out;
  Rule& rule = out.rule;
  rule.id = id->get();
  rule.line = rn.source().begin.line;
  rule.column = rn.source().begin.column;
  const auto* kind = rt->get_as<std::string>("kind");
  if (kind == nullptr) return TomlError(path, rn, what + ": missing kind");
  if (!kinds.count(kind->get())) {
    return TomlError(path, *kind,
                     what + ": kind \"" + kind->get() + "\" is not in this pack's kinds" +
                         AllowedList(kind->get(), {kinds.begin(), kinds.end()}));
  }
  rule.kind = kind->get();
  rule.kind_line = kind->source().begin.line;
  rule.kind_column = kind->source().begin.column;
  const auto* pattern = rt->get_as<std::string>("pattern");
  if (pattern == nullptr) return TomlError(path, rn, what + ": missing pattern (a string)");
  rule.pattern = pattern->get();
  out.pattern = pattern;

  RegexError error;
  out.re = Regex::Compile(rule.pattern, {}, &error);
  if (out.re == nullptr) {
    return TomlError(path, PatternErrorPosition(*pattern, rule.pattern, error.fragment),
                     what + ": invalid regex: " + error.message);
  }
  // The load's checks run on a copy compiled for them: RE2 keeps the DFA
  // states a regex builds for as long as it lives, so checks on the model's
  // own regex would keep them (and the DFAs of rules a note never reaches)
  // in every process: ~4 MB (docs/performance.md "Peak RSS of one 10 MB note").
  // None when this file's bytes passed them before (util/disk_cache.h
  // CheckedFile).
  std::unique_ptr<const Regex> probe;
  if (!checked_before) {
    probe = Regex::Compile(rule.pattern);
    if (MatchesEmpty(probe != nullptr ? *probe : *out.re))
      return TomlError(path, *pattern, what + ": pattern matches the empty string");
  }
  rule.group_names.assign(out.re->NumberOfCapturingGroups(), std::string());
  for (const auto& [gname, index] : out.re->NamedCapturingGroups())
    rule.group_names[index - 1] = gname;

  if (const toml::node* attrs = rt->get("attributes")) {
    const toml::table* at = attrs->as_table();
    if (at == nullptr) return TomlError(path, *attrs, what + ": attributes must be a table");
    for (const auto& [k, v] : *at) {
      const auto* sv = v.as_string();
      if (sv == nullptr)
        return TomlError(path, v, what + ": attribute \"" + std::string(k.str()) +
                                      "\" must be a string");
      rule.attributes[std::string(k.str())] = sv->get();
    }
  }
  std::unique_ptr<const Regex> screen;
  if (const toml::node* sp = rt->get("screen_pattern")) {
    const auto* ss = sp->as_string();
    if (ss == nullptr || ss->get().empty())
      return TomlError(path, *sp, what + ": screen_pattern must be a non-empty string");
    rule.screen_pattern = ss->get();
    RegexError serror;
    screen = Regex::Compile(rule.screen_pattern, {}, &serror);
    if (screen == nullptr)
      return TomlError(path, PatternErrorPosition(*ss, rule.screen_pattern, serror.fragment),
                       what + ": invalid screen_pattern: " + serror.message);
  }
  if (checked_before) return out;
  const Regex& checked = probe != nullptr ? *probe : *out.re;
  // The stand-in must hold wherever the rule does: at least on its examples.
  if (screen != nullptr && rt->get("examples") == nullptr)
    return TomlError(path, *rt->get("screen_pattern"),
                     what + ": a screen_pattern needs examples to check it against");
  if (Status s = CheckExamples(path, *rt, what, checked, normalizer, screen.get()); !s.ok())
    return s;
  return out;
}

}  // namespace

RulePack::~RulePack() = default;

// Every error of the file is reported (LoadErrors): the top-level keys, then
// each [[rule]]'s first error. Only a file that cannot be read as a pack at
// all (syntax, schema_version, no kinds or rules) stops early.
StatusOr<std::shared_ptr<const RulePack>> RulePack::Load(const std::string& path,
                                                         const Normalizer& normalizer,
                                                         std::vector<std::string>* seen_ids,
                                                         const RegexOptions& regex) {
  std::string bytes;
  auto parsed = ParseTomlFile(path, &bytes);
  if (!parsed.ok()) return parsed.status();
  const toml::table& root = *parsed;
  const CheckedFile checked("rule pack; " + std::string(Normalizer::Version()), bytes);
  const bool checked_before = checked.Found();

  LoadErrors errors;
  errors.Add(CheckKnownKeys(path, root, {"schema_version", "pack", "version", "kinds", "rule"},
                            "pack"));
  if (errors.Add(CheckSchemaVersion(path, root, kSchemaVersion, kSchemaVersion)))
    return errors.ToStatus();

  std::shared_ptr<RulePack> pack(new RulePack());
  const std::string stem = std::filesystem::path(path).stem().string();
  const auto* name = root.get_as<std::string>("pack");
  if (name == nullptr) {
    errors.Add(TomlError(path, toml::source_position{1, 1}, "missing pack = \"...\""));
  } else if (name->get() != stem) {
    errors.Add(TomlError(path, *name, "pack \"" + name->get() + "\" must match the file name \"" +
                                          stem + "\""));
  } else {
    pack->name_ = name->get();
  }
  pack->path_ = path;
  const auto* version = root.get_as<std::string>("version");
  if (version == nullptr)
    errors.Add(TomlError(path, toml::source_position{1, 1}, "missing version = \"...\""));
  else
    pack->version_ = version->get();

  std::set<std::string> kinds;
  const toml::node* kinds_node = root.get("kinds");
  if (kinds_node == nullptr) {
    errors.Add(TomlError(path, toml::source_position{1, 1}, "missing kinds = [...]"));
    return errors.ToStatus();
  }
  {
    std::vector<std::string> k;
    if (errors.Add(ReadStringArray(path, *kinds_node, "kinds", &k))) return errors.ToStatus();
    kinds.insert(k.begin(), k.end());
  }

  const toml::node* rules_node = root.get("rule");
  const toml::array* rules = rules_node ? rules_node->as_array() : nullptr;
  if (rules == nullptr || rules->empty()) {
    errors.Add(TomlError(path,
                         rules_node ? rules_node->source().begin : toml::source_position{1, 1},
                         "a pack needs at least one [[rule]]"));
    return errors.ToStatus();
  }

  std::vector<std::string> local_ids;
  std::vector<std::string>& ids = seen_ids ? *seen_ids : local_ids;
  pack->set_ = std::make_unique<RegexSet>(regex);

  for (const toml::node& rn : *rules) {
    auto read = ReadOneRule(path, rn, kinds, ids, normalizer, checked_before);
    if (errors.Add(read.status())) continue;
    std::string set_error;
    if (pack->set_->Add(read->rule.pattern, &set_error) < 0) {
      errors.Add(TomlError(path, *read->pattern,
                           "rule \"" + read->rule.id + "\": invalid regex: " + set_error));
      continue;
    }
    pack->rules_.push_back(std::move(read->rule));
    pack->regexes_.push_back(std::move(read->re));
  }
  if (!errors.ok()) return errors.ToStatus();
  if (!pack->set_->Compile())
    return Status(StatusCode::kResourceExhausted,
                  path + ": error: pack \"" + pack->name_ + "\" is too large to compile",
                  "rule_file");
  if (!checked_before) checked.Record();
  return std::shared_ptr<const RulePack>(std::move(pack));
}

bool RulePack::AnyMatch(std::string_view text) const {
  return set_->Match(text) != RegexSet::Result::kNoMatch;
}

bool RuleWindows::RegionalCovers(uint32_t begin, uint32_t end) const {
  // The last range that begins at or before `begin` carries the largest end
  // of all such ranges.
  const auto it = std::partition_point(scanned_.begin(), scanned_.end(),
                                       [&](const Scanned& s) { return s.begin <= begin; });
  return it != scanned_.begin() && std::prev(it)->max_end >= end;
}

namespace {

using Regions = std::vector<RuleWindows::Region>;

// A rule FindAll runs with captures, and where: its located regions, or the
// whole range (nullptr).
struct RuleRun {
  int rule;
  const Regions* regions;
};

// The rules to run, in rule index order (the order the Set pass alone
// gives). Located rules need no Set pass: their regions say where they can
// match. The Set pass over `range` runs only if some rule is not located.
std::vector<RuleRun> PlanRuleRuns(const RulePack* pack, const RegexSet& set, uint32_t begin,
                                  std::string_view range, const RuleWindows* windows,
                                  ScanReport* report, const std::vector<bool>* only) {
  std::vector<RuleRun> runs;
  const bool windowed = windows != nullptr && windows->Covers(pack);
  const auto end = static_cast<uint32_t>(begin + range.size());
  auto wanted = [&](size_t i) { return only == nullptr || (i < only->size() && (*only)[i]); };
  auto regions_of = [&](size_t i) {
    return windows->For(pack, static_cast<uint32_t>(i), begin, end);
  };
  bool need_set = !windowed;
  if (windowed) {
    for (size_t i = 0; i < pack->rules().size(); ++i) {
      if (!wanted(i)) continue;
      const Regions* regions = regions_of(i);
      if (regions == nullptr) {
        need_set = true;
      } else if (!regions->empty()) {
        runs.push_back({static_cast<int>(i), regions});
      }
    }
  }
  if (need_set) {
    std::vector<int> set_hits;
    const RegexSet::Result r = set.Match(range, &set_hits);
    if (r == RegexSet::Result::kFailed && report != nullptr) report->failed = true;
    if (r == RegexSet::Result::kMatch) {
      for (int index : set_hits) {
        if (!wanted(static_cast<size_t>(index))) continue;
        if (windowed && regions_of(static_cast<size_t>(index)) != nullptr) continue;
        runs.push_back({index, nullptr});
      }
    }
  }
  std::sort(runs.begin(), runs.end(),
            [](const RuleRun& a, const RuleRun& b) { return a.rule < b.rule; });
  return runs;
}

// One rule's matches in one FindAll call, appended to `out`: leftmost-first
// from `pos` on, at most kMaxMatchesPerRule of them.
struct RuleScan {
  std::string_view text;
  const Regex& re;
  const Rule& rule;
  uint32_t index;
  std::vector<std::string_view>& groups;  // whole match, then each capturing group
  std::vector<Mention>& out;
  ScanReport* report;
  size_t pos;
  uint32_t found = 0;

  // The mention of the match in `groups`: its span and the named groups
  // that took part.
  Mention FromGroups() const {
    Mention m;
    m.rule = index;
    m.begin = static_cast<uint32_t>(groups[0].data() - text.data());
    m.end = static_cast<uint32_t>(m.begin + groups[0].size());
    for (size_t g = 1; g < groups.size(); ++g) {
      if (groups[g].data() == nullptr || rule.group_names[g - 1].empty()) continue;
      const uint32_t gb = static_cast<uint32_t>(groups[g].data() - text.data());
      m.groups.push_back({rule.group_names[g - 1], gb,
                          static_cast<uint32_t>(gb + groups[g].size())});
    }
    return m;
  }

  // The matches from pos on that end by `stop`; false once the cap is hit.
  // Inside a region the matches are those of the whole range: a match
  // starting in a region ends in it (RuleWindows), and context (\b, ^) is
  // read from the whole text either way.
  bool RunTo(size_t stop) {
    while (pos <= stop && re.Match(text, pos, stop, Regex::Anchor::kUnanchored, groups.data(),
                                   static_cast<int>(groups.size()))) {
      if (found == kMaxMatchesPerRule) {
        if (report != nullptr) report->truncated = true;
        return false;
      }
      ++found;
      Mention m = FromGroups();
      // An empty match must still advance, or the loop would not end.
      pos = m.end > pos ? m.end : pos + 1;
      out.push_back(std::move(m));
    }
    return true;
  }

  // The matches inside the regions that meet [begin, end].
  void RunInRegions(const Regions& regions, uint32_t begin, uint32_t end) {
    // The first region that ends at or after `begin`.
    auto it = std::partition_point(regions.begin(), regions.end(),
                                   [&](const RuleWindows::Region& r) { return r.end < begin; });
    for (; it != regions.end() && it->begin <= end; ++it) {
      if (it->end < pos) continue;
      pos = std::max<size_t>(pos, it->begin);
      if (!RunTo(std::min<size_t>(it->end, end))) break;
    }
  }
};

}  // namespace

std::vector<Mention> RulePack::FindAll(std::string_view text, uint32_t begin, uint32_t end,
                                       const RuleWindows* windows, ScanReport* report,
                                       const std::vector<bool>* only) const {
  std::vector<Mention> out;
  if (begin > end || end > text.size()) return out;
  const std::vector<RuleRun> runs =
      PlanRuleRuns(this, *set_, begin, text.substr(begin, end - begin), windows, report, only);
  std::vector<std::string_view> groups;
  for (const RuleRun& run : runs) {
    const Regex& re = *regexes_[run.rule];
    groups.resize(1 + re.NumberOfCapturingGroups());
    RuleScan scan{text, re,     rules_[run.rule], static_cast<uint32_t>(run.rule),
                  groups, out,  report,           begin};
    if (run.regions == nullptr) {
      scan.RunTo(end);
    } else {
      scan.RunInRegions(*run.regions, begin, end);
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Mention& a, const Mention& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.rule < b.rule;
  });
  return out;
}

PatternSet::~PatternSet() = default;

StatusOr<std::unique_ptr<const PatternSet>> PatternSet::Build(
    const std::vector<std::shared_ptr<const RulePack>>& packs,
    const std::function<bool(const RulePack&, const Rule&)>& include) {
  std::unique_ptr<PatternSet> ps(new PatternSet());
  ps->set_ = std::make_unique<RegexSet>();
  for (const auto& pack : packs) {
    for (const Rule& rule : pack->rules()) {
      if (!include(*pack, rule)) continue;
      std::string error;
      if (ps->set_->Add(rule.pattern, &error) < 0)
        return Internal("rule \"" + rule.id + "\" failed to join the prefilter: " + error);
      ++ps->size_;
      ps->rules_.push_back(&pack->regex(static_cast<size_t>(&rule - pack->rules().data())));
    }
    ps->packs_.push_back(pack);
  }
  if (ps->size_ > 0 && !ps->set_->Compile())
    return Status(StatusCode::kResourceExhausted, "prefilter set too large to compile");
  return std::unique_ptr<const PatternSet>(std::move(ps));
}

bool PatternSet::AnyMatch(std::string_view text) const {
  if (size_ == 0) return false;
  return set_->Match(text) != RegexSet::Result::kNoMatch;
}

bool PatternSet::FindRule(std::string_view text, size_t index, size_t* begin,
                          size_t* end) const {
  if (index >= rules_.size()) return false;
  std::string_view m;
  if (!rules_[index]->Match(text, 0, text.size(), Regex::Anchor::kUnanchored, &m, 1))
    return false;
  if (m.data() == nullptr) return false;
  *begin = static_cast<size_t>(m.data() - text.data());
  *end = *begin + m.size();
  return true;
}

}  // namespace suggest::internal
