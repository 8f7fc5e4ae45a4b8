// Copyright libsuggest authors.
//
// Pathological inputs at sizes n, 10n and 100n bytes: the whole pipeline
// (Model::Analyze with the text layer, then ResultToJson, i.e. what `suggest
// analyze` does) must stay linear, so the ns_per_byte column must stay flat
// along each family. Results: docs/performance.md, "Pathological inputs".
//
//   build/bench/limits_bench --benchmark_min_time=0.2
//
// The families that are not in issue 7's list (many facts / cues / headers in
// one sentence or line, levels beside anchors, bare numbers) each once hit a
// quadratic loop in facts/, levels or assertion and guard the fix.

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "suggest/suggest.h"
#include "testing/corpus.h"

namespace {

const suggest::Model& TheModel() {
  static const suggest::Model* model = [] {
    auto m = suggest::Model::Load(SUGGEST_MODELS_DIR, suggest::LoadOptions{0, suggest::DefaultCacheDir()});
    if (!m.ok()) {
      std::fprintf(stderr, "cannot load models: %s\n", m.status().ToString().c_str());
      std::abort();
    }
    return new suggest::Model(std::move(*m));
  }();
  return *model;
}

// `unit` repeated, between `head` and `tail`, to about n bytes in all.
std::string Repeat(const std::string& head, const std::string& unit, size_t n,
                   const std::string& tail = "") {
  std::string s = head;
  while (s.size() + unit.size() + tail.size() <= n) s += unit;
  return s + tail;
}

// Corpus prose with every line break turned into a space, to n bytes: one
// line of ordinary clinical text (cut at a character boundary).
std::string NoNewline(size_t n) {
  static const std::string* prose = [] {
    auto* p = new std::string;
    for (const auto& note : suggest::testing::LoadCorpus()) {
      *p += note.text;
      *p += ' ';
      if (p->size() > (1u << 20)) break;
    }
    for (char& c : *p) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    return p;
  }();
  std::string s;
  while (s.size() < n) s += *prose;
  s.resize(n);
  while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) s.pop_back();
  if (!s.empty() && static_cast<unsigned char>(s.back()) >= 0xC0) s.pop_back();
  return s;
}

std::string Make(int family, size_t n) {
  switch (family) {
    case 0: return std::string(n, '-');                                 // dashes
    case 1: return std::string(n, '7');                                 // digits
    case 2: return Repeat("Fusion of ", "C1-C2, ", n, "C1-C2.");        // levels, one sentence
    case 3: return NoNewline(n);                                        // no newline
    case 4: return std::string(n, '\n');                                // newlines
    case 5: return Repeat("", "HISTORY:\n", n);                         // empty sections
    case 6: return Repeat("", "PAST SURGICAL HISTORY: L4-L5 fusion.\n", n);  // sections + facts
    case 7: return Repeat("", "lumbar fusion, ", n, "fusion.");         // facts, one sentence
    case 8: return Repeat("", "no lumbar fusion, ", n, "fusion.");      // cues, one sentence
    case 9: return Repeat("", "FUSION:,", n);                           // headers, one line
    case 10: return Repeat("Fusion ", "C5-C6, L3-L4 laminectomy, ", n, "done.");  // levels+anchors
    case 11: return Repeat("Lumbar fusion ", "lumbar 4-5, ", n, "done.");  // bare numbers
    case 12: return Repeat("IMPRESSION:\nCT lumbar spine. ", "Pedicle screws. ", n);  // imaging
  }
  return {};
}

const char* FamilyName(int family) {
  static const char* kNames[] = {"dashes",         "digits",          "levels_one_sentence",
                                 "no_newline",     "newlines",        "headers_empty",
                                 "headers_fusion", "facts_one_sentence", "cues_one_sentence",
                                 "headers_one_line", "levels_anchors", "bare_numbers",
                                 "imaging_findings"};
  return kNames[family];
}

void BM_Pathological(benchmark::State& state) {
  const int family = static_cast<int>(state.range(0));
  const std::string note = Make(family, static_cast<size_t>(state.range(1)));
  suggest::AnalyzeOptions opts;
  opts.max_note_bytes = 1ull << 30;
  const suggest::Model& model = TheModel();  // loaded outside the timing
  size_t facts = 0, levels = 0, json_bytes = 0;
  for (auto _ : state) {
    auto r = model.Analyze(note, opts);
    if (!r.ok()) {
      state.SkipWithError(r.status().ToString().c_str());
      return;
    }
    const std::string json = suggest::ResultToJson(*r, note, "x", opts);
    benchmark::DoNotOptimize(json.data());
    facts = r->facts.size();
    levels = 0;
    for (const auto& f : r->facts) levels += f.level_spans.size();
    json_bytes = json.size();
  }
  state.SetLabel(FamilyName(family));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * note.size()));
  // CPU time per input byte (CPU, not wall: the machine may be shared): flat along n, 10n, 100n when linear.
  state.counters["ns_per_byte"] = benchmark::Counter(
      static_cast<double>(note.size()) * 1e-9,
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.counters["facts"] = static_cast<double>(facts);
  state.counters["levels"] = static_cast<double>(levels);
  state.counters["json_MB"] = static_cast<double>(json_bytes) / 1e6;
}

void Sizes(benchmark::internal::Benchmark* b) {
  for (int family = 0; family <= 12; ++family) {
    // The no-newline note goes to 10 MB (issue 7); the rest to 1 MB.
    const int64_t base = family == 3 ? 100000 : 10000;
    for (int64_t n = base; n <= base * 100; n *= 10) b->Args({family, n});
  }
}

BENCHMARK(BM_Pathological)->Apply(Sizes)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
