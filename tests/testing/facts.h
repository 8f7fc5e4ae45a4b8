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
#include "text/normalize.h"

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

}  // namespace suggest::testing

#endif  // LIBSUGGEST_TESTS_TESTING_FACTS_H_
