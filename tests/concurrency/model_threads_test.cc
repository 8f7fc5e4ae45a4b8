// Copyright libsuggest authors.
//
// One Model shared by several threads (the documented contract: a Model is
// immutable after Load and any number of threads may call Analyze on it).
// Threads analyse the same corpus notes at once, each in its own order, and
// every JSON result must equal the single-threaded one. Labelled tsan: under
// scripts/test.sh --tsan a data race is a ThreadSanitizer report, which exits
// the test binary with an error (halt_on_error=1).

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "suggest/dev/assess.h"
#include "suggest/suggest.h"
#include "testing/corpus.h"
#include "testing/model.h"

namespace suggest {
namespace {

// A few hundred notes: every 16th of the corpus (mostly the fast path) plus
// every note that mentions fusion (facts, levels, assertion, mapping).
const std::vector<testing::CorpusNote>& Notes() {
  static const auto* notes = [] {
    auto* v = new std::vector<testing::CorpusNote>;
    const auto all = testing::LoadCorpus();
    for (size_t i = 0; i < all.size(); ++i) {
      const bool spine = all[i].text.find("fusion") != std::string::npos;
      if (i % 16 == 0 || (spine && v->size() < 400)) v->push_back(all[i]);
    }
    return v;
  }();
  return *notes;
}

std::vector<std::string> AnalyzeAll(const Model& model, const AnalyzeOptions& opts) {
  std::vector<std::string> out;
  for (const auto& n : Notes()) {
    auto r = model.Analyze(n.text, opts);
    out.push_back(r.ok() ? ResultToJson(*r, n.text, n.id, opts) : ErrorToJson(n.id, r.status()));
  }
  return out;
}

TEST(ModelThreadsTest, ConcurrentAnalyzeEqualsSingleThreaded) {
  if (Notes().empty()) GTEST_SKIP() << "no corpus at " << testing::CorpusPath();
  ASSERT_GT(Notes().size(), 300u);
  const Model& model = testing::TheModel();

  // Two option sets, so threads differ in the paths they take at once.
  AnalyzeOptions full;  // text layer, byte offsets
  AnalyzeOptions fast;
  fast.include_text_layer = false;
  fast.offset_unit = OffsetUnit::kUtf16;
  const std::vector<std::string> want_full = AnalyzeAll(model, full);
  const std::vector<std::string> want_fast = AnalyzeAll(model, fast);

  constexpr int kThreads = 4;
  const size_t n = Notes().size();
  std::vector<std::vector<std::string>> got(kThreads, std::vector<std::string>(n));
  std::atomic<int> assess_failures{0};
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Thread 0 works on a copy of the Model: copies share the loaded data.
      const Model copy = model;
      const Model& m = t == 0 ? copy : model;
      const AnalyzeOptions& opts = t % 2 ? fast : full;
      start.arrive_and_wait();
      for (size_t k = 0; k < n; ++k) {
        const size_t i = (k + t * n / kThreads) % n;  // each thread its own order
        const auto& note = Notes()[i];
        auto r = m.Analyze(note.text, opts);
        got[t][i] = r.ok() ? ResultToJson(*r, note.text, note.id, opts)
                           : ErrorToJson(note.id, r.status());
        if (k % 50 == 0) {
          auto v = dev::Assess(m, "no evidence of spinal fusion", "spinal fusion");
          if (!v.ok() || v->assertion != Assertion::kNegated) ++assess_failures;
        }
      }
    });
  }
  for (auto& th : threads) th.join();

  EXPECT_EQ(assess_failures.load(), 0);
  for (int t = 0; t < kThreads; ++t) {
    const std::vector<std::string>& want = t % 2 ? want_fast : want_full;
    int mismatches = 0;
    for (size_t i = 0; i < n; ++i) {
      if (got[t][i] != want[i] && ++mismatches <= 3) {
        ADD_FAILURE() << "thread " << t << ", note " << Notes()[i].id
                      << ": result differs from the single-threaded one";
      }
    }
    EXPECT_EQ(mismatches, 0) << "thread " << t;
  }
}

// Loading models in several threads at once (each its own Model) while
// others analyse: Load touches process-wide state (ICU data, spdlog).
TEST(ModelThreadsTest, ConcurrentLoadAndAnalyze) {
  if (Notes().empty()) GTEST_SKIP() << "no corpus at " << testing::CorpusPath();
  const Model& shared = testing::TheModel();
  const std::string& note = Notes()[0].text;
  const std::string want = ResultToJson(*shared.Analyze(note), note, "x");
  std::atomic<int> failures{0};
  std::latch start(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      if (t < 2) {
        auto m = Model::Load(SUGGEST_MODELS_DIR, suggest::testing::CachedLoadOptions());
        if (!m.ok() || ResultToJson(*m->Analyze(note), note, "x") != want) ++failures;
      } else {
        for (int k = 0; k < 20; ++k) {
          auto r = shared.Analyze(note);
          if (!r.ok() || ResultToJson(*r, note, "x") != want) ++failures;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace suggest
