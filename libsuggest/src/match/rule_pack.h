// Copyright libsuggest authors.
//
// Rule packs: the declarative pattern files in models/rules/*.toml (one pack
// per concern: levels, fusion, ankylosis, ...). Format (docs/rules.md):
//
//   schema_version = 1
//   pack = "fusion"                 # must equal the file's stem
//   version = "2026.11.1"
//   kinds = ["fusion_procedure"]    # the `kind` values rules of this pack may use
//
//   [[rule]]
//   id = "acdf"                     # unique across all packs, snake_case
//   kind = "fusion_procedure"       # one of the pack's kinds
//   pattern = '\bacdf\b'            # RE2, over the normalized view (lowercase)
//   attributes = { when = "performed_this_encounter" }   # optional, strings
//   examples = ["s/p ACDF"]         # optional: must match (checked at load)
//   counterexamples = ["no"]        # optional: must not match
//   screen_pattern = '\bacdf\b'     # optional: what every match also matches
//                                   # (the prescreen's stand-in; the examples
//                                   # must match it too)
//
// A pack loads whole or not at all: any error (missing file, TOML syntax,
// unknown key, bad regex, duplicate id, unknown kind, an example that does not
// match) fails the load with "PATH:LINE:COLUMN: error: rule \"id\": ...".
//
// All patterns of a pack compile into one RE2::Set, so one unanchored pass
// over a text tells which rules can fire; only those run with captures.

#ifndef LIBSUGGEST_SRC_MATCH_RULE_PACK_H_
#define LIBSUGGEST_SRC_MATCH_RULE_PACK_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "match/regex.h"
#include "suggest/status.h"
#include "text/normalize.h"

namespace suggest::internal {


// What a scan could not do, for the result. `truncated`: a rule had more
// than kMaxMatchesPerRule matches and the rest were dropped (the result
// says "truncated": true). `failed`: a pattern set could not answer (RE2's
// DFA ran out of memory): the note must get an error, never "no facts".
struct ScanReport {
  bool truncated = false;
  bool failed = false;
};

struct Rule {
  std::string id;
  std::string kind;
  std::string pattern;
  // "" or a pattern every match of `pattern` also matches, cheaper to scan:
  // the prescreen's first stage reads the rule by it (facts.cc; docs/rules.md
  // "The price of a rule in the prescreen"). Its author's promise; at load it
  // must compile and match every example.
  std::string screen_pattern;
  std::map<std::string, std::string> attributes;
  std::vector<std::string> group_names;  // named groups of pattern, by index-1
  // Where the rule's table starts in the pack file (1-based), so checks made
  // after loading (levels.cc) still report PATH:LINE:COLUMN.
  uint32_t line = 0;
  uint32_t column = 0;
  // Where its `kind` value is (the manifest's check of the kind, facts/manifest.h).
  uint32_t kind_line = 0;
  uint32_t kind_column = 0;
};

// A match of one rule: normalized byte ranges.
struct Mention {
  uint32_t rule = 0;  // index into RulePack::rules()
  uint32_t begin = 0;
  uint32_t end = 0;
  // Named groups that participated: (name, begin, end), normalized offsets.
  struct Group {
    std::string_view name;  // points into the rule's group_names
    uint32_t begin;
    uint32_t end;
  };
  std::vector<Group> groups;
};

class RulePack;

// Most matches a rule may yield in one FindAll call (one note-wide scan, or
// one sentence): beyond it the rule's further matches are dropped and the
// call reports truncation, so a pathological note ("L4-" twenty million
// times) holds bounded per-match state (issue 19): at most ~25 MB per rule.
// High enough for a sentence listing 10^5 levels (the pathological-input
// tests); no note of the corpus comes near it. The result says
// `"truncated": true` when it bites.
inline constexpr uint32_t kMaxMatchesPerRule = 200000;

// Where the rules of some packs can match in one text (match/rule_locator.h
// builds it from one Vectorscan scan). For a located rule, sorted disjoint
// closed byte regions [begin, end] such that every match of the rule lies
// inside one region and every region is closed under the matches that start
// in it; FindAll then runs RE2 only inside them. A rule that is not located
// (Vectorscan could not give match starts for it, or it matched in too many
// places) is scanned over the whole range as before.
class RuleWindows {
 public:
  struct Region {
    uint32_t begin;
    uint32_t end;
  };
  // The regions of rule `rule` of `pack`, or nullptr if not located. An
  // empty vector means the rule matches nowhere in the text.
  const std::vector<Region>* For(const RulePack* pack, uint32_t rule) const {
    for (const auto& [p, base] : packs_)
      if (p == pack) return located_[base + rule] ? &regions_[base + rule] : nullptr;
    return nullptr;
  }
  // As above for FindAll over text[begin, end): a regional rule (one the
  // whole-note scan leaves out: RuleLocator::LocateRegional) has regions only
  // for a range one regional scan covered, else nullptr (scanned as not
  // located: the same matches, found by RE2 alone).
  const std::vector<Region>* For(const RulePack* pack, uint32_t rule, uint32_t begin,
                                 uint32_t end) const {
    for (const auto& [p, base] : packs_) {
      if (p != pack) continue;
      const size_t g = base + rule;
      if (!located_[g]) return nullptr;
      if (g < regional_.size() && regional_[g] && !RegionalCovers(begin, end)) return nullptr;
      return &regions_[g];
    }
    return nullptr;
  }
  bool Covers(const RulePack* pack) const {
    for (const auto& [p, base] : packs_)
      if (p == pack) return true;
    return false;
  }
  // True if one regional scan covered all of [begin, end).
  bool RegionalCovers(uint32_t begin, uint32_t end) const;

 private:
  friend class RuleLocator;
  std::vector<std::pair<const RulePack*, size_t>> packs_;  // pack, index of its rule 0
  std::vector<std::vector<Region>> regions_;               // by global rule index
  std::vector<bool> located_;
  std::vector<bool> regional_;  // by global rule index: in the regional database
  // The ranges the regional scans covered, sorted by begin, each with the
  // largest end of it and the ranges before it (a range is covered if one
  // scanned range holds it, not a union of them: a match may straddle two).
  struct Scanned {
    uint32_t begin;
    uint32_t end;
    uint32_t max_end;
  };
  std::vector<Scanned> scanned_;
};

class RulePack {
 public:
  // Loads and validates one pack file (see above). `seen_ids` (may be null)
  // collects ids across packs so duplicates between packs are caught too.
  // Examples are normalized with `normalizer` before matching (patterns see
  // the normalized view).
  // `regex` sets the memory budget of the pack's pattern set (tests make it
  // tiny): a pack that does not fit fails to load (ResourceExhausted).
  static StatusOr<std::shared_ptr<const RulePack>> Load(const std::string& path,
                                                        const Normalizer& normalizer,
                                                        std::vector<std::string>* seen_ids,
                                                        const RegexOptions& regex = {});

  ~RulePack();
  RulePack(const RulePack&) = delete;
  RulePack& operator=(const RulePack&) = delete;

  const std::string& name() const { return name_; }
  const std::string& version() const { return version_; }
  const std::string& path() const { return path_; }  // the file it was loaded from
  const std::vector<Rule>& rules() const { return rules_; }
  // The compiled pattern of rules()[i].
  const Regex& regex(size_t i) const { return *regexes_[i]; }

  // True if any rule of the pack may match somewhere in `text` (one Set
  // pass; true also when the Set cannot answer).
  bool AnyMatch(std::string_view text) const;

  // All non-overlapping matches of every rule in text[begin, end), ordered by
  // begin then rule index. Offsets are into `text`. Only rules the Set pass
  // flags are run with captures; with `windows` (made for this `text` and
  // covering this pack), only inside the regions where each rule can match,
  // with the same result. At most kMaxMatchesPerRule matches per rule: if a
  // rule has more, report->truncated (if given) is set; if the Set pass
  // cannot answer, report->failed is set (and the result is incomplete).
  // `only` (by rule index, if given): the rules to run; the others yield
  // nothing (for a caller that reads some kinds only).
  std::vector<Mention> FindAll(std::string_view text, uint32_t begin, uint32_t end,
                               const RuleWindows* windows = nullptr,
                               ScanReport* report = nullptr,
                               const std::vector<bool>* only = nullptr) const;

 private:
  RulePack() = default;
  std::string name_, version_, path_;
  std::vector<Rule> rules_;
  std::vector<std::unique_ptr<const Regex>> regexes_;
  std::unique_ptr<RegexSet> set_;
};

// One RE2::Set over chosen rules of several packs: a single pass that says
// whether any of them can match a text. The facts stage uses it to reject
// the many notes that name no fusion concept at all.
class PatternSet {
 public:
  // Rules for which `include` is true, from every pack. An empty selection
  // yields a set that never matches.
  static StatusOr<std::unique_ptr<const PatternSet>> Build(
      const std::vector<std::shared_ptr<const RulePack>>& packs,
      const std::function<bool(const RulePack&, const Rule&)>& include);
  ~PatternSet();

  // True if a rule may match somewhere in `text` (also when the Set cannot
  // answer: a failure never rejects a note).
  bool AnyMatch(std::string_view text) const;
  size_t size() const { return size_; }

  // The leftmost match in `text` of rule `index` (0 <= index < size(), in
  // the order Build took them), if it matches: a witness that AnyMatch(text)
  // is true (the same pattern and options as in the Set). For a live
  // session's screens (facts/facts.h CannotMatch).
  bool FindRule(std::string_view text, size_t index, size_t* begin, size_t* end) const;

 private:
  PatternSet() = default;
  std::unique_ptr<RegexSet> set_;
  size_t size_ = 0;
  std::vector<std::shared_ptr<const RulePack>> packs_;  // keep rules_ alive
  std::vector<const Regex*> rules_;                     // by set index
};

}  // namespace suggest::internal

#endif  // LIBSUGGEST_SRC_MATCH_RULE_PACK_H_
