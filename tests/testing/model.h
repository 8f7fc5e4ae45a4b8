// Copyright libsuggest authors.
//
// Test helper: the Model of the source tree's models/, loaded once per test
// binary. A load failure aborts the binary with the load error, since no
// test of it could mean anything. It loads with the per-user cache
// (DefaultCacheDir(), as the CLI), so the many test processes do not each
// compile the prescreen (~1 s); tests/unit/api/cache_dir_test.cc checks the
// library's own default, no cache.

#ifndef LIBSUGGEST_TESTS_TESTING_MODEL_H_
#define LIBSUGGEST_TESTS_TESTING_MODEL_H_

#include <cstdio>
#include <cstdlib>

#include "suggest/suggest.h"

namespace suggest::testing {

inline const Model& TheModel() {
  static const Model* model = [] {
    LoadOptions options;
    options.cache_dir = DefaultCacheDir();
    auto m = Model::Load(SUGGEST_MODELS_DIR, options);
    if (!m.ok()) {
      std::fprintf(stderr, "cannot load models: %s\n", m.status().ToString().c_str());
      std::abort();
    }
    return new Model(std::move(*m));
  }();
  return *model;
}

// Load options for a test that loads models of its own (an edited copy, a
// model per thread): the per-user cache, as TheModel(), so the test does not
// compile the prescreen again (~1 s, ~40 s under ASan). Tests of the cache
// itself (cache_dir_test.cc) load with LoadOptions{}.
inline LoadOptions CachedLoadOptions(LoadOptions options = {}) {
  if (options.cache_dir.empty()) options.cache_dir = DefaultCacheDir();
  return options;
}

}  // namespace suggest::testing

#endif  // LIBSUGGEST_TESTS_TESTING_MODEL_H_
