// Copyright libsuggest authors.
//
// Pathological repetition (issue 19): notes built from a unit of spine words,
// level pieces, cues and punctuation repeated up to 64 KB, the shape of the
// poison record ("s/p fusion " + "L4-" x N). The input is a small program:
//   byte 0        repeat count: 1 + byte0^2 (up to 65,026)
//   bytes 1..k    the unit, one vocabulary token per byte (k <= 24)
//   the rest      a tail of tokens written once after the repetitions
// The note is capped at 64 KB. Under scripts/fuzz.sh's -rss_limit_mb and
// -timeout, a blow-up in memory or time per byte is a failure; besides:
// Analyze returns a result or a resource_exhausted error (never another
// error, never an abort); every span is inside the note with begin <= end;
// no code is suggested twice; the JSON parses.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "fuzz_util.h"
#include "suggest/suggest.h"

namespace {

constexpr const char* kVocab[] = {
    "L4", "-", "L5", "S1", "C5-C6", "T12 to L2", "L4-5", "C2", "through", "to",
    " and ", ", ", " ", "fusion", "arthrodesis", "fused", "s/p ", "status post ",
    "ankylosing spondylitis", "DISH", "pseudarthrosis", "spinal", "cervical", "lumbar",
    "no ", "denies ", "history of ", "possible ", "planned ", "family history ", "mother ",
    "without ", " or ", ". ", "; ", "\n", ": ", "PLAN:", "IMPRESSION:", "pedicle screws",
    " at ", "L", "4", "levels", "ankylosis", "bridging osteophytes", "congenital",
    "block vertebra", "yesterday", "POD 2", "in 2015", "(", ")", "/", "x", "MRI"};
constexpr size_t kVocabSize = sizeof(kVocab) / sizeof(kVocab[0]);
constexpr size_t kMaxNote = 64 << 10;

std::optional<suggest::Model>& GetModel() {
  static std::optional<suggest::Model> model = [] {
    auto m = suggest::Model::Load(SUGGEST_MODELS_DIR);
    FUZZ_CHECK(m.ok(), "%s", m.status().ToString().c_str());
    return std::optional<suggest::Model>(*std::move(m));
  }();
  return model;
}

FUZZ_NO_COVERAGE void CheckSpan(const suggest::Span& s, size_t n, const char* what) {
  FUZZ_CHECK(s.begin <= s.end && s.end <= n, "%s [%u,%u) of %zu bytes", what, s.begin, s.end, n);
}

}  // namespace

// The model loads before the first input: compiling the prescreen without a
// cache takes seconds under ASan, which must not count against -timeout.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  GetModel();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const size_t repeat = 1 + static_cast<size_t>(data[0]) * data[0];
  const size_t unit_len = std::min<size_t>(size - 1, 24);
  std::string unit;
  for (size_t i = 1; i <= unit_len; ++i) unit += kVocab[data[i] % kVocabSize];
  std::string note;
  if (!unit.empty()) {
    const size_t times = std::min(repeat, kMaxNote / unit.size());
    note.reserve(times * unit.size() + 256);
    for (size_t i = 0; i < times; ++i) note += unit;
  }
  for (size_t i = 1 + unit_len; i < size && note.size() < kMaxNote; ++i)
    note += kVocab[data[i] % kVocabSize];
  if (note.empty()) return 0;

  auto r = GetModel()->Analyze(note);
  if (!r.ok()) {
    FUZZ_CHECK(r.status().kind() == "resource_exhausted", "%s", r.status().ToString().c_str());
    return 0;
  }
  const size_t n = note.size();
  for (const auto& f : r->facts) {
    CheckSpan(f.span, n, "fact");
    if (f.has_cue) CheckSpan(f.cue.span, n, "cue");
    for (const auto& s : f.level_spans) CheckSpan(s, n, "level");
  }
  std::set<std::string> codes;
  for (const auto& s : r->suggestions) {
    FUZZ_CHECK(codes.insert(s.code).second, "%s suggested twice", s.code.c_str());
    for (const auto& e : s.evidence) CheckSpan(e.span, n, "evidence");
  }
  const std::string json = suggest::ResultToJson(*r, note, "fuzz", suggest::AnalyzeOptions());
  FUZZ_CHECK(!nlohmann::json::parse(json, nullptr, false).is_discarded(), "JSON does not parse");
  return 0;
}
