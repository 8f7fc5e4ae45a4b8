// Copyright libsuggest authors.
//
// Mapper: facts -> ranked, billable ICD-10-CM suggestions with evidence,
// suppressed codes with reasons, and documentation gaps (design.md
// section 4). The rules are data (models/map.toml); Excludes1/Excludes2 come
// from the code table (models/icd10cm/fy<year>/notes.tsv).
//
// Scoring (docs/icd-mapping.md): per supporting fact, a base by assertion
// plus a section weight (diagnosis/impression/imaging sections above history,
// history above review of systems); the best fact sets the score, then
// +0.03 per further supporting fact (at most +0.09), +0.05 when an imaging
// finding confirms a fusion, -0.10 when every supporting fact came from a
// generic word (fusion/arthrodesis with only spine context), -0.15 for an
// unspecified-site code. Clamped to [0.05, 0.99] and rounded to 2 decimals.
// Rank: score desc, then the more specific (longer) code, then code asc.

#ifndef LIBSUGGEST_SRC_MAP_MAPPER_H_
#define LIBSUGGEST_SRC_MAP_MAPPER_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "map/code_table.h"
#include "suggest/status.h"
#include "suggest/types.h"

namespace suggest::internal {

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
  std::string replaces_reason;
  std::string rationale;
};

class Mapper {
 public:
  // Loads map.toml and checks every code it can emit against `table`:
  // missing or non-billable codes refuse the load, naming file:line:column.
  static StatusOr<std::shared_ptr<const Mapper>> Load(const std::string& path,
                                                      std::shared_ptr<const CodeTable> table);

  // Fills result->suggestions, suppressed, gaps and code_set from
  // result->facts and result->sections.
  void Map(std::string_view text, Result* result) const;

  const CodeTable& table() const { return *table_; }
  const std::vector<MapRule>& rules() const { return rules_; }

 private:
  Mapper() = default;
  std::vector<MapRule> rules_;
  std::shared_ptr<const CodeTable> table_;
};

}  // namespace suggest::internal

#endif  // LIBSUGGEST_SRC_MAP_MAPPER_H_
