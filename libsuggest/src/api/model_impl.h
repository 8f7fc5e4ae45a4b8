// Copyright libsuggest authors.
//
// What a loaded Model holds. Immutable after Load; shared by all copies of a
// Model and by all threads.

#ifndef LIBSUGGEST_SRC_API_MODEL_IMPL_H_
#define LIBSUGGEST_SRC_API_MODEL_IMPL_H_

#include <memory>
#include <string>
#include <vector>

#include "context/assertion.h"
#include "facts/facts.h"
#include "facts/levels.h"
#include "map/code_table.h"
#include "map/mapper.h"
#include "text/normalize.h"
#include "text/sectionizer.h"

namespace suggest::internal {

struct ModelImpl {
  std::string models_dir;
  std::shared_ptr<const Normalizer> normalizer;
  std::shared_ptr<const SectionRules> sections;
  std::shared_ptr<const AssertionRules> context;  // models/context.toml
  std::shared_ptr<const LevelExtractor> levels;    // models/rules/levels.toml
  std::shared_ptr<const FactExtractor> facts;      // models/rules/<concept>.toml
  std::shared_ptr<const Mapper> mapper;            // models/map.toml + icd10cm/
                                                   // (the default code set)
  // One mapper per code table shipped (models/icd10cm/fy<YEAR>), by
  // increasing year; `mapper` is one of them.
  std::vector<int> code_set_years;
  std::vector<std::shared_ptr<const Mapper>> mappers;
  int default_year = 0;
  std::string models_version;  // Model::models_version()
  std::vector<std::string> load_notes;  // Model::load_notes()
};

}  // namespace suggest::internal

#endif  // LIBSUGGEST_SRC_API_MODEL_IMPL_H_
