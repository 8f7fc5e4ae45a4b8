// Copyright libsuggest authors.
//
// Test helper: the facts stage of the shipped models (models/), loaded on
// its own, for tests that drive FactExtractor directly (screens, splices)
// without a whole Model. Null if a model file fails to load (the test then
// fails on it).

#ifndef LIBSUGGEST_TESTS_TESTING_FACTS_H_
#define LIBSUGGEST_TESTS_TESTING_FACTS_H_

#include <memory>
#include <string>
#include <vector>

#include "context/assertion.h"
#include "facts/facts.h"
#include "facts/levels.h"
#include "suggest/suggest.h"
#include "text/normalize.h"
#include "text/sectionizer.h"
#include "util/disk_cache.h"

namespace suggest::testing {

inline std::shared_ptr<const internal::FactExtractor> LoadShippedFacts(
    const internal::Normalizer& n) {
  std::vector<std::string> seen;
  const std::string models = SUGGEST_MODELS_DIR;
  auto context = internal::AssertionRules::Load(models + "/context.toml");
  auto levels = internal::LevelExtractor::Load(models + "/rules/levels.toml", n, &seen);
  if (!context.ok() || !levels.ok()) return nullptr;
  auto facts = internal::FactExtractor::Load(
      models, n, *levels, std::make_shared<const internal::AssertionRules>(std::move(*context)),
      &seen);
  return facts.ok() ? *facts : nullptr;
}

// The normalizer, section rules and facts stage of the shipped models, made
// once per test program, for tests that run the stages one by one (a
// session's memo, the facts stage's own split). The Vectorscan databases
// come from the cache the model tests fill; nothing is written. A member is
// empty or null if its file fails to load (the test then fails on it).
struct ShippedStage {
  std::shared_ptr<const internal::Normalizer> normalizer;
  internal::SectionRules sections;
  std::shared_ptr<const internal::FactExtractor> facts;
};

inline const ShippedStage& TheShippedStage() {
  static const ShippedStage* stage = [] {
    auto* s = new ShippedStage;
    auto n = internal::Normalizer::Create();
    if (n.ok()) s->normalizer = std::move(*n);
    auto rules = internal::SectionRules::Load(std::string(SUGGEST_MODELS_DIR) + "/sections.toml");
    if (rules.ok()) s->sections = std::move(*rules);
    if (s->normalizer != nullptr) {
      internal::DiskCacheScope cache("", /*write=*/false, DefaultCacheDir());
      s->facts = LoadShippedFacts(*s->normalizer);
    }
    return s;
  }();
  return *stage;
}

}  // namespace suggest::testing

#endif  // LIBSUGGEST_TESTS_TESTING_FACTS_H_
