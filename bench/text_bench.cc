// Copyright libsuggest authors.
//
// Throughput over the MTSamples corpus, beside a plain memchr newline scan of
// the same bytes in the same run. Every benchmark reports bytes_per_second
// over the note bytes it processed (sum of note texts).
//
//   build/bench/text_bench --benchmark_min_time=2

#include <benchmark/benchmark.h>

#include <cstring>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "suggest/suggest.h"
#include "testing/corpus.h"
#include "text/normalize.h"
#include "text/sectionizer.h"
#include "text/sentence_splitter.h"
#include "text/tokenizer.h"
#include "util/utf8.h"

namespace {

using suggest::testing::CorpusNote;

const std::vector<CorpusNote>& Corpus() {
  static const auto* notes = new std::vector<CorpusNote>(suggest::testing::LoadCorpus());
  return *notes;
}

// Subsets: 0 = every note, 1 = the spine notes (../shared/corpus/spine_ids.txt),
// 2 = every other note (no spine vocabulary: the fast path).
const std::vector<CorpusNote>& Subset(int which) {
  static const auto* subsets = [] {
    auto* v = new std::vector<std::vector<CorpusNote>>(3);
    std::set<std::string> spine;
    std::ifstream in(std::string(SUGGEST_SHARED_DIR) + "/corpus/spine_ids.txt");
    for (std::string id; std::getline(in, id);) spine.insert(id);
    for (const auto& n : Corpus()) {
      (*v)[0].push_back(n);
      (*v)[spine.count(n.id) ? 1 : 2].push_back(n);
    }
    return v;
  }();
  return (*subsets)[which];
}

int64_t Bytes(const std::vector<CorpusNote>& notes) {
  int64_t n = 0;
  for (const auto& note : notes) n += note.text.size();
  return n;
}

int64_t CorpusBytes() { return Bytes(Corpus()); }

const char* SubsetName(int which) {
  return which == 0 ? "all" : which == 1 ? "spine" : "non_spine";
}

void BM_MemchrNewlines(benchmark::State& state) {
  const auto& notes = Subset(state.range(0));
  state.SetLabel(SubsetName(state.range(0)));
  for (auto _ : state) {
    size_t lines = 0;
    for (const auto& note : notes) {
      const char* p = note.text.data();
      const char* end = p + note.text.size();
      while ((p = static_cast<const char*>(std::memchr(p, '\n', end - p))) != nullptr) {
        ++lines;
        ++p;
      }
    }
    benchmark::DoNotOptimize(lines);
  }
  state.SetBytesProcessed(state.iterations() * Bytes(notes));
}
BENCHMARK(BM_MemchrNewlines)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

void BM_ValidateUtf8(benchmark::State& state) {
  for (auto _ : state) {
    for (const auto& note : Corpus()) {
      benchmark::DoNotOptimize(suggest::internal::FindInvalidUtf8(note.text));
    }
  }
  state.SetBytesProcessed(state.iterations() * CorpusBytes());
}
BENCHMARK(BM_ValidateUtf8)->Unit(benchmark::kMillisecond);

void BM_Normalize(benchmark::State& state) {
  auto normalizer = *suggest::internal::Normalizer::Create();
  for (auto _ : state) {
    for (const auto& note : Corpus()) {
      auto nt = normalizer->Normalize(note.text, suggest::InvalidUtf8Policy::kError);
      benchmark::DoNotOptimize(nt.ok());
    }
  }
  state.SetBytesProcessed(state.iterations() * CorpusBytes());
}
BENCHMARK(BM_Normalize)->Unit(benchmark::kMillisecond);

void BM_NormalizeTokenize(benchmark::State& state) {
  auto normalizer = *suggest::internal::Normalizer::Create();
  for (auto _ : state) {
    for (const auto& note : Corpus()) {
      auto nt = normalizer->Normalize(note.text, suggest::InvalidUtf8Policy::kError);
      benchmark::DoNotOptimize(suggest::internal::Tokenize(*nt).size());
    }
  }
  state.SetBytesProcessed(state.iterations() * CorpusBytes());
}
BENCHMARK(BM_NormalizeTokenize)->Unit(benchmark::kMillisecond);

// The text layer alone: validate + normalize, sections, tokens, sentences.
void BM_TextLayer(benchmark::State& state) {
  auto normalizer = *suggest::internal::Normalizer::Create();
  auto rules = suggest::internal::SectionRules::Load(std::string(SUGGEST_MODELS_DIR) +
                                                     "/sections.toml");
  if (!rules.ok()) {
    state.SkipWithError(rules.status().ToString().c_str());
    return;
  }
  for (auto _ : state) {
    for (const auto& note : Corpus()) {
      auto nt = normalizer->Normalize(note.text, suggest::InvalidUtf8Policy::kError);
      auto sections = suggest::internal::FindSections(note.text, *nt, *rules);
      auto tokens = suggest::internal::Tokenize(*nt);
      auto sentences = suggest::internal::SplitSentences(note.text, *nt, tokens, sections);
      benchmark::DoNotOptimize(sentences.size());
    }
  }
  state.SetBytesProcessed(state.iterations() * CorpusBytes());
}
BENCHMARK(BM_TextLayer)->Unit(benchmark::kMillisecond);



// The whole pipeline as Model::Analyze runs it (text layer, concept
// prefilter, facts, mapping) by subset: 0 every note, 1 spine notes, 2 the
// rest (the rejection path). Arg 3 is every note without the text layer in
// the result, the batch default (fast path).
void BM_AnalyzeSubset(benchmark::State& state) {
  auto model = suggest::Model::Load(SUGGEST_MODELS_DIR, suggest::LoadOptions{0, suggest::DefaultCacheDir()});
  if (!model.ok()) {
    state.SkipWithError(model.status().ToString().c_str());
    return;
  }
  const int which = state.range(0) == 3 ? 0 : state.range(0);
  const auto& notes = Subset(which);
  suggest::AnalyzeOptions opts;
  opts.include_text_layer = state.range(0) != 3;
  state.SetLabel(state.range(0) == 3 ? "all_fast_path" : SubsetName(which));
  for (auto _ : state) {
    for (const auto& note : notes) {
      auto r = model->Analyze(note.text, opts);
      benchmark::DoNotOptimize(r.ok());
    }
  }
  state.SetBytesProcessed(state.iterations() * Bytes(notes));
}
BENCHMARK(BM_AnalyzeSubset)->Arg(0)->Arg(1)->Arg(2)->Arg(3)->Unit(benchmark::kMillisecond);

void BM_ModelLoad(benchmark::State& state) {
  for (auto _ : state) {
    auto model = suggest::Model::Load(SUGGEST_MODELS_DIR, suggest::LoadOptions{0, suggest::DefaultCacheDir()});
    benchmark::DoNotOptimize(model.ok());
  }
}
BENCHMARK(BM_ModelLoad)->Unit(benchmark::kMillisecond);

// Analyze plus JSON serialization, as the CLI does per note.
void BM_AnalyzeJson(benchmark::State& state) {
  auto model = suggest::Model::Load(SUGGEST_MODELS_DIR, suggest::LoadOptions{0, suggest::DefaultCacheDir()});
  if (!model.ok()) {
    state.SkipWithError(model.status().ToString().c_str());
    return;
  }
  for (auto _ : state) {
    for (const auto& note : Corpus()) {
      auto r = model->Analyze(note.text);
      benchmark::DoNotOptimize(suggest::ResultToJson(*r, note.text, note.id).size());
    }
  }
  state.SetBytesProcessed(state.iterations() * CorpusBytes());
}
BENCHMARK(BM_AnalyzeJson)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
