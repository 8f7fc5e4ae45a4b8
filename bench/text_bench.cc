// Copyright libsuggest authors.
//
// Text-layer throughput over the whole MTSamples corpus, beside a plain
// memchr newline scan of the same bytes in the same run. Every benchmark
// reports bytes_per_second over the corpus bytes (sum of note texts).
//
//   build/bench/text_bench --benchmark_min_time=2

#include <benchmark/benchmark.h>

#include <cstring>
#include <string>
#include <vector>

#include "suggest/suggest.h"
#include "testing/corpus.h"
#include "text/normalize.h"
#include "text/sectionizer.h"
#include "text/sentence_splitter.h"
#include "text/tokenizer.h"
#include "text/utf8.h"

namespace {

using suggest::testing::CorpusNote;

const std::vector<CorpusNote>& Corpus() {
  static const auto* notes = new std::vector<CorpusNote>(suggest::testing::LoadCorpus());
  return *notes;
}

int64_t CorpusBytes() {
  int64_t n = 0;
  for (const auto& note : Corpus()) n += note.text.size();
  return n;
}

void BM_MemchrNewlines(benchmark::State& state) {
  for (auto _ : state) {
    size_t lines = 0;
    for (const auto& note : Corpus()) {
      const char* p = note.text.data();
      const char* end = p + note.text.size();
      while ((p = static_cast<const char*>(std::memchr(p, '\n', end - p))) != nullptr) {
        ++lines;
        ++p;
      }
    }
    benchmark::DoNotOptimize(lines);
  }
  state.SetBytesProcessed(state.iterations() * CorpusBytes());
}
BENCHMARK(BM_MemchrNewlines)->Unit(benchmark::kMillisecond);

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

// The whole text layer as Model::Analyze runs it: validate, normalize,
// sections, tokens, sentences.
void BM_TextLayerAnalyze(benchmark::State& state) {
  auto model = suggest::Model::Load(SUGGEST_MODELS_DIR);
  if (!model.ok()) {
    state.SkipWithError(model.status().ToString().c_str());
    return;
  }
  for (auto _ : state) {
    for (const auto& note : Corpus()) {
      auto r = model->Analyze(note.text);
      benchmark::DoNotOptimize(r.ok());
    }
  }
  state.SetBytesProcessed(state.iterations() * CorpusBytes());
}
BENCHMARK(BM_TextLayerAnalyze)->Unit(benchmark::kMillisecond);

// Analyze plus JSON serialization, as the CLI does per note.
void BM_TextLayerAnalyzeJson(benchmark::State& state) {
  auto model = suggest::Model::Load(SUGGEST_MODELS_DIR);
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
BENCHMARK(BM_TextLayerAnalyzeJson)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
