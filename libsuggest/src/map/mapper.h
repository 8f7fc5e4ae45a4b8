// Copyright libsuggest authors.
//
// Mapper: facts -> ranked, billable ICD-10-CM suggestions with evidence,
// suppressed codes with reasons, and documentation gaps (design.md
// section 4). The rules are data (models/map.toml); Excludes1/Excludes2 come
// from the code table (models/icd10cm/fy<year>/notes.tsv).
//
// Scoring (docs/icd-mapping.md; the numbers are map.toml's [score]): per
// supporting fact, a base plus its section's weight (diagnosis/impression/
// imaging sections above history, history above review of systems), less
// established_uncertain for an uncertain diagnosis coded at discharge
// (inpatient); the best fact sets the score, then per_extra_mention per
// further supporting fact (at most max_extra_mentions), imaging_confirms when
// an imaging finding confirms a fusion, all_weak when every supporting fact
// came from a generic word, unspecified_site for an unspecified-site code,
// junction_first for a junction region. Clamped to [min, max], rounded to 2
// decimals.
// Rank: score desc, then the more specific (longer) code, then code asc.

#ifndef LIBSUGGEST_SRC_MAP_MAPPER_H_
#define LIBSUGGEST_SRC_MAP_MAPPER_H_

#include <map>
#include <string_view>
#include <memory>
#include <string>
#include <vector>

#include "map/code_table.h"
#include "suggest/status.h"
#include "suggest/types.h"

namespace suggest::internal {

class SectionRules;
class Manifest;

struct MapRule {
  std::string id;
  std::string fact;
  std::vector<Assertion> assertions;
  std::vector<std::string> when;
  bool has_detail = false;
  std::string detail;
  std::string code;
  std::map<std::string, std::string> by_region;
  std::string multiple;
  std::string unspecified;
  std::string requires_kind;
  std::vector<std::string> replaces;
  std::string replaces_scope;  // "note" (default) or "same_segments"
  std::string replaces_basis;  // not_coded basis of replaced facts: "replaced" or "excludes1"
  std::string replaces_reason;
  // Codes of a diagnosis this one revises (the note's later, current
  // diagnosis: ankylosing spondylitis supersedes non-radiographic axial
  // spondyloarthritis): dropped over the whole note, basis "replaced".
  std::vector<std::string> supersedes;
  std::string supersedes_reason;
  std::string rationale;
};

// Texts and settings of map.toml beside the [[map]] rules: reasons of
// not_coded entries by basis, gap messages, and the sections where an
// uncertain diagnosis is established in the inpatient setting.
struct MapPolicy {
  std::map<std::string, std::string> not_coded;  // basis -> reason template
  std::map<std::string, std::string> gap;        // gap kind -> message template
  std::map<std::string, std::string> note;       // rationale additions
};

// [score] of map.toml: the numbers of the scoring, by name, and the weight
// of each section kind (0 for a kind not listed).
struct MapScore {
  std::map<std::string, double> values;
  std::map<std::string, double, std::less<>> section_weight;
  double Get(const std::string& key) const { return values.at(key); }
  double Section(std::string_view kind) const {
    auto it = section_weight.find(kind);
    return it == section_weight.end() ? 0.0 : it->second;
  }
};

struct MapInput;  // one Map call's facts, as the coding rules see them
struct MapDrop;   // why a candidate code was dropped

class Mapper {
 public:
  // Loads map.toml and checks every code it can emit against `table`:
  // missing or non-billable codes refuse the load, naming file:line:column.
  // With `sections`, the section kinds of [score.section_weight] must be
  // declared in sections.toml's [kinds]. With `manifest`, the fact kinds of
  // the rules (`fact`, `requires`) must be declared in manifest.toml, and
  // the mapper asks it what each kind does (imaging finding, cause of a
  // fusion, conflicts ...); without, no kind has a role.
  static StatusOr<std::shared_ptr<const Mapper>> Load(
      const std::string& path, std::shared_ptr<const CodeTable> table,
      const SectionRules* sections = nullptr, std::shared_ptr<const Manifest> manifest = nullptr);

  // Fills result->suggestions, suppressed, gaps, not_coded and code_set from
  // result->facts, result->sections and result->setting.
  void Map(std::string_view text, Result* result) const;

  const CodeTable& table() const { return *table_; }
  const std::vector<MapRule>& rules() const { return rules_; }

 private:
  // A code the rules reach, with the facts behind it.
  struct Cand {
    std::string code;
    const MapRule* rule = nullptr;
    std::vector<int> facts;
    std::vector<std::string> regions;
    bool unspecified = false;
    double score = 0;
  };
  Mapper() = default;
  // Two candidates whose facts document sites in no common region: unrelated
  // conditions, to which an Excludes1 note does not apply (I.A.12.a).
  static bool Unrelated(const std::vector<Fact>& facts, const Cand& a, const Cand& b);
  // The steps of Map, in order.
  std::vector<Cand> Candidates(const MapInput& in, Result* result) const;
  void Score(const MapInput& in, std::vector<Cand>* cands) const;
  // May split a candidate whose facts are only partly replaced.
  std::vector<MapDrop> Exclude(const std::vector<Fact>& facts, std::vector<Cand>* cands,
                               Result* result) const;
  void Suggest(const MapInput& in, const std::vector<Cand>& cands,
               const std::vector<MapDrop>& drops, Result* result) const;
  // The gaps of imaging findings: no levels, no cause, hardware without a
  // fusion (Gaps calls it first).
  void ImagingGaps(const MapInput& in, Result* result) const;
  void Gaps(const MapInput& in, Result* result) const;
  void NotCodedFacts(const MapInput& in, const std::vector<Cand>& cands,
                     const std::vector<MapDrop>& drops, Result* result) const;
  // A text of map.toml's [gap], [not_coded] or [note] table ("" if absent;
  // the loader requires every key the mapper uses).
  const std::string& Policy(const char* table, const std::string& key) const;
  std::vector<MapRule> rules_;
  MapPolicy policy_;
  MapScore score_;
  std::shared_ptr<const CodeTable> table_;
  std::shared_ptr<const Manifest> kinds_;  // roles of the fact kinds (never null)
};

}  // namespace suggest::internal

#endif  // LIBSUGGEST_SRC_MAP_MAPPER_H_
