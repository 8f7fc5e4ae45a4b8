// Copyright libsuggest authors.
//
// Fuzzes Model::Analyze + ResultToJson end to end on arbitrary bytes. The
// model (the source tree's models/) is loaded once. The last input byte picks
// the options, so the fuzzer can flip them by mutating one byte:
//   bit 0      text layer off;
//   bits 1-2   offset unit (0 bytes, 1 UTF-16, 2 code points, 3 bytes);
//   bits 3-4   == 3: invalid UTF-8 is an error, else it is repaired.
// Invariants (docs/offsets.md, types.h, docs/result.schema.json): every span
// of every section, sentence, fact, cue, level and evidence is in bounds,
// begin <= end, on code-point boundaries of the input; indices between lists
// are in range; every suggested code is in the loaded code table, billable,
// with its title; scores in [0, 1], ranks 1..n by score; the JSON parses and
// says the same thing in the chosen unit; the prescreen never rejects a note
// the RE2 prefilter matches.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "fuzz_util.h"
#include "facts/facts.h"
#include "map/code_table.h"
#include "suggest/suggest.h"

using suggest::AnalyzeOptions;
using suggest::OffsetUnit;
using suggest::Result;
using suggest::Span;

namespace {

struct Env {
  std::optional<suggest::Model> model;
  std::shared_ptr<const suggest::internal::CodeTable> table;
  // The screens of the fast path, checked against each other.
  std::shared_ptr<const suggest::internal::Normalizer> normalizer;
  std::shared_ptr<const suggest::internal::FactExtractor> facts;
};

const Env& GetEnv() {
  static const Env* env = [] {
    auto* e = new Env;
    auto m = suggest::Model::Load(SUGGEST_MODELS_DIR);
    FUZZ_CHECK(m.ok(), "%s", m.status().ToString().c_str());
    e->model.emplace(*std::move(m));
    // The table the model maps with (models/icd10cm/default).
    auto dir =
        suggest::internal::CodeTable::DefaultDir(std::string(SUGGEST_MODELS_DIR) + "/icd10cm");
    FUZZ_CHECK(dir.ok(), "%s", dir.status().ToString().c_str());
    auto t = suggest::internal::CodeTable::Load(*dir);
    FUZZ_CHECK(t.ok(), "%s", t.status().ToString().c_str());
    e->table = *t;
    e->normalizer = *suggest::internal::Normalizer::Create();
    std::vector<std::string> seen;
    const std::string models = SUGGEST_MODELS_DIR;
    auto context = suggest::internal::AssertionRules::Load(models + "/context.toml");
    auto levels =
        suggest::internal::LevelExtractor::Load(models + "/rules/levels.toml", *e->normalizer, &seen);
    FUZZ_CHECK(context.ok() && levels.ok(), "cannot load levels/context");
    auto facts = suggest::internal::FactExtractor::Load(
        models, *e->normalizer, *levels,
        std::make_shared<const suggest::internal::AssertionRules>(std::move(*context)), &seen);
    FUZZ_CHECK(facts.ok(), "%s", facts.status().ToString().c_str());
    e->facts = *facts;
    return e;
  }();
  return *env;
}

struct Checker {
  std::string_view in;
  const fuzz::RefUtf8& ref;
  OffsetUnit unit;

  void CheckSpan(const Span& s, const char* what, size_t i) const {
    FUZZ_CHECK(s.begin <= s.end && s.end <= in.size(), "%s %zu: [%u,%u) of %zu bytes", what, i,
               s.begin, s.end, in.size());
    FUZZ_CHECK(ref.boundary[s.begin] && ref.boundary[s.end], "%s %zu: [%u,%u) cuts a character",
               what, i, s.begin, s.end);
  }
  uint32_t Conv(uint32_t b) const {
    switch (unit) {
      case OffsetUnit::kUtf16:
        return ref.u16_at[b];
      case OffsetUnit::kCodePoints:
        return ref.cp_at[b];
      case OffsetUnit::kBytes:
        break;
    }
    return b;
  }
  // A JSON span object: begin/end in the output unit, text = the bytes.
  void CheckJsonSpan(const nlohmann::json& j, const Span& s, const char* what, size_t i) const {
    FUZZ_CHECK(j.at("begin").get<uint32_t>() == Conv(s.begin) &&
                   j.at("end").get<uint32_t>() == Conv(s.end),
               "%s %zu: JSON [%u,%u) for bytes [%u,%u)", what, i, j.at("begin").get<uint32_t>(),
               j.at("end").get<uint32_t>(), s.begin, s.end);
    // Invalid bytes are replaced by the JSON writer; compare valid input only.
    if (ref.valid())
      FUZZ_CHECK(j.at("text").get<std::string>() == in.substr(s.begin, s.size()),
                 "%s %zu: JSON text differs from the input bytes", what, i);
  }
};

void CheckResult(const Result& r, const Checker& c, const AnalyzeOptions& opt) {
  const Env& env = GetEnv();
  FUZZ_CHECK(r.original_size == c.in.size(), "original_size %u", r.original_size);
  FUZZ_CHECK(r.replaced_bytes == c.ref.bad_bytes, "replaced_bytes %u, want %u", r.replaced_bytes,
             c.ref.bad_bytes);
  FUZZ_CHECK(r.code_set == env.table->code_set(), "code_set \"%s\"", r.code_set.c_str());
  const int nsec = static_cast<int>(r.sections.size());
  const int nsent = static_cast<int>(r.sentences.size());
  const int nfact = static_cast<int>(r.facts.size());
  if (!opt.include_text_layer) FUZZ_CHECK(nsec == 0 && nsent == 0, "text layer not cleared");

  for (size_t i = 0; i < r.sections.size(); ++i) {
    const auto& s = r.sections[i];
    c.CheckSpan(s.header, "section header", i);
    c.CheckSpan(s.body, "section body", i);
    FUZZ_CHECK(s.header.end <= s.body.begin || s.body.empty(), "section %zu: body before header",
               i);
    FUZZ_CHECK(!s.kind.empty(), "section %zu without kind", i);
    if (i > 0) {
      const auto& p = r.sections[i - 1];
      const uint32_t prev_end = std::max(p.header.end, p.body.end);
      FUZZ_CHECK(prev_end <= s.header.begin || (s.header.empty() && prev_end <= s.body.begin),
                 "section %zu overlaps the previous one", i);
    }
  }
  for (size_t i = 0; i < r.sentences.size(); ++i) {
    const auto& s = r.sentences[i];
    c.CheckSpan(s.span, "sentence", i);
    FUZZ_CHECK(s.section >= -1 && s.section < nsec, "sentence %zu: section %d", i, s.section);
    if (i > 0) FUZZ_CHECK(r.sentences[i - 1].span.end <= s.span.begin, "sentence %zu overlaps", i);
  }
  for (size_t i = 0; i < r.facts.size(); ++i) {
    const auto& f = r.facts[i];
    FUZZ_CHECK(f.id == static_cast<int>(i), "fact %zu has id %d", i, f.id);
    c.CheckSpan(f.span, "fact", i);
    if (f.has_cue) c.CheckSpan(f.cue.span, "fact cue", i);
    for (const Span& s : f.level_spans) c.CheckSpan(s, "fact level", i);
    FUZZ_CHECK(static_cast<int>(f.assertion) >= 0 && static_cast<int>(f.assertion) <= 5,
               "fact %zu: assertion %d", i, static_cast<int>(f.assertion));
    FUZZ_CHECK(f.section >= -1 && f.section < nsec && f.sentence >= -1 && f.sentence < nsent,
               "fact %zu: section %d sentence %d", i, f.section, f.sentence);
    if (!opt.include_text_layer)
      FUZZ_CHECK(f.section == -1 && f.sentence == -1, "fact %zu keeps text-layer indices", i);
  }
  std::set<std::string> suggested;
  for (size_t i = 0; i < r.suggestions.size(); ++i) {
    const auto& s = r.suggestions[i];
    const auto* entry = env.table->Find(s.code);
    FUZZ_CHECK(entry != nullptr, "suggested %s is not in the code table", s.code.c_str());
    FUZZ_CHECK(entry->billable, "suggested %s is not billable", s.code.c_str());
    FUZZ_CHECK(s.title == entry->title, "%s: title \"%s\"", s.code.c_str(), s.title.c_str());
    FUZZ_CHECK(suggested.insert(s.code).second, "%s suggested twice", s.code.c_str());
    FUZZ_CHECK(std::isfinite(s.score) && s.score >= 0 && s.score <= 1, "%s: score %g",
               s.code.c_str(), s.score);
    FUZZ_CHECK(s.rank == static_cast<int>(i) + 1, "%s: rank %d at index %zu", s.code.c_str(),
               s.rank, i);
    if (i > 0)
      FUZZ_CHECK(r.suggestions[i - 1].score >= s.score, "%s outranks a higher score",
                 s.code.c_str());
    FUZZ_CHECK(!s.evidence.empty() && !s.rationale.empty(), "%s without evidence/rationale",
               s.code.c_str());
    for (const auto& e : s.evidence) {
      c.CheckSpan(e.span, "evidence", i);
      FUZZ_CHECK(e.fact >= 0 && e.fact < nfact, "%s: evidence fact %d", s.code.c_str(), e.fact);
    }
  }
  for (const auto& s : r.suppressed) {
    FUZZ_CHECK(env.table->Find(s.code) != nullptr, "suppressed %s unknown", s.code.c_str());
    for (int f : s.facts)
      FUZZ_CHECK(f >= 0 && f < nfact, "suppressed %s: fact %d", s.code.c_str(), f);
  }
  for (const auto& g : r.gaps)
    for (int f : g.facts) FUZZ_CHECK(f >= 0 && f < nfact, "gap %s: fact %d", g.kind.c_str(), f);
}

void CheckJson(const Result& r, const Checker& c, const AnalyzeOptions& opt) {
  const std::string text = suggest::ResultToJson(r, c.in, "fuzz", opt);
  FUZZ_CHECK(fuzz::IsValidUtf8(text), "JSON is not valid UTF-8");
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(!j.is_discarded() && j.is_object(), "JSON does not parse");
  FUZZ_CHECK(j.at("id") == "fuzz" && j.at("status") == "ok", "id/status");
  FUZZ_CHECK(j.contains("offset_unit") == (opt.offset_unit != OffsetUnit::kBytes),
             "offset_unit presence");
  FUZZ_CHECK(j.value("replaced_bytes", 0u) == r.replaced_bytes, "replaced_bytes");
  FUZZ_CHECK(j.at("code_set") == r.code_set, "code_set");

  const auto& sug = j.at("suggestions");
  FUZZ_CHECK(sug.size() == r.suggestions.size(), "suggestion count");
  for (size_t i = 0; i < sug.size(); ++i) {
    const auto& s = r.suggestions[i];
    FUZZ_CHECK(sug[i].at("code") == s.code && sug[i].at("rank") == s.rank &&
                   sug[i].at("score").get<double>() == s.score,
               "suggestion %zu differs in the JSON", i);
    const auto& ev = sug[i].at("evidence");
    FUZZ_CHECK(ev.size() == s.evidence.size(), "evidence count of %zu", i);
    for (size_t k = 0; k < ev.size(); ++k) {
      c.CheckJsonSpan(ev[k], s.evidence[k].span, "evidence", i);
      FUZZ_CHECK(ev[k].at("fact") == s.evidence[k].fact, "evidence fact");
    }
  }
  const auto& facts = j.at("facts");
  FUZZ_CHECK(facts.size() == r.facts.size(), "fact count");
  for (size_t i = 0; i < facts.size(); ++i) {
    const auto& f = r.facts[i];
    c.CheckJsonSpan(facts[i], f.span, "fact", i);
    FUZZ_CHECK(facts[i].at("kind") == f.kind && facts[i].at("rule") == f.rule_id,
               "fact %zu kind/rule", i);
    FUZZ_CHECK(facts[i].at("cue").is_null() == !f.has_cue, "fact %zu cue", i);
    if (f.has_cue) c.CheckJsonSpan(facts[i].at("cue"), f.cue.span, "fact cue", i);
    const auto& lv = facts[i].at("level_spans");
    FUZZ_CHECK(lv.size() == f.level_spans.size(), "fact %zu level count", i);
    for (size_t k = 0; k < lv.size(); ++k) c.CheckJsonSpan(lv[k], f.level_spans[k], "level", i);
  }
  FUZZ_CHECK(j.at("suppressed").size() == r.suppressed.size(), "suppressed count");
  FUZZ_CHECK(j.at("gaps").size() == r.gaps.size(), "gap count");

  FUZZ_CHECK(j.contains("sections") == opt.include_text_layer &&
                 j.contains("sentences") == opt.include_text_layer,
             "text layer presence");
  if (!opt.include_text_layer) return;
  const auto& secs = j.at("sections");
  FUZZ_CHECK(secs.size() == r.sections.size(), "section count");
  for (size_t i = 0; i < secs.size(); ++i) {
    c.CheckJsonSpan(secs[i].at("header"), r.sections[i].header, "section header", i);
    c.CheckJsonSpan(secs[i], r.sections[i].body, "section body", i);
  }
  const auto& sents = j.at("sentences");
  FUZZ_CHECK(sents.size() == r.sentences.size(), "sentence count");
  for (size_t i = 0; i < sents.size(); ++i) {
    c.CheckJsonSpan(sents[i], r.sentences[i].span, "sentence", i);
    FUZZ_CHECK(sents[i].at("section") == r.sentences[i].section, "sentence section");
  }
}

}  // namespace

// The Vectorscan prescreen may say "cannot match" (on the original bytes or
// on the normalized text) only where the RE2 prefilter says so too.
void CheckPrescreen(const Env& env, std::string_view in) {
  auto nt = env.normalizer->Normalize(in, suggest::InvalidUtf8Policy::kReplace);
  FUZZ_CHECK(nt.ok(), "%s", nt.status().ToString().c_str());
  if (env.facts->prefilter().AnyMatch(nt->text)) {
    FUZZ_CHECK(!env.facts->prescreen().Rejects(in), "prescreen rejected a matching note");
    FUZZ_CHECK(!env.facts->prescreen().RejectsNormalized(nt->text),
               "prescreen rejected a matching normalized text");
  }
}

// The model loads before the first input: compiling the prescreen without a
// cache takes seconds under ASan, which must not count against -timeout.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  GetEnv();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Env& env = GetEnv();
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const uint8_t flags = size ? data[size - 1] : 0;
  AnalyzeOptions opt;
  opt.include_text_layer = (flags & 1) == 0;
  const int unit = (flags >> 1) & 3;
  opt.offset_unit = unit == 1   ? OffsetUnit::kUtf16
                    : unit == 2 ? OffsetUnit::kCodePoints
                                : OffsetUnit::kBytes;
  opt.invalid_utf8 = ((flags >> 3) & 3) == 3 ? suggest::InvalidUtf8Policy::kError
                                             : suggest::InvalidUtf8Policy::kReplace;

  const fuzz::RefUtf8 ref = fuzz::DecodeRef(in);
  CheckPrescreen(env, in);
  auto r = env.model->Analyze(in, opt);
  if (size == 0) {
    FUZZ_CHECK(!r.ok() && r.status().kind() == "empty_note", "empty note: %s",
               r.status().ToString().c_str());
    return 0;
  }
  if (!ref.valid() && opt.invalid_utf8 == suggest::InvalidUtf8Policy::kError) {
    FUZZ_CHECK(!r.ok() && r.status().kind() == "invalid_utf8" &&
                   r.status().offset() == static_cast<int64_t>(ref.first_bad),
               "invalid UTF-8 at %zu: %s", ref.first_bad, r.status().ToString().c_str());
    const std::string e = suggest::ErrorToJson("fuzz", r.status());
    const auto j = nlohmann::json::parse(e, nullptr, false);
    FUZZ_CHECK(!j.is_discarded() && j.at("error").at("kind") == "invalid_utf8" &&
                   j.at("error").at("offset") == ref.first_bad,
               "error JSON: %s", e.c_str());
    return 0;
  }
  FUZZ_CHECK(r.ok(), "%s", r.status().ToString().c_str());
  const Checker c{in, ref, opt.offset_unit};
  CheckResult(*r, c, opt);
  CheckJson(*r, c, opt);
  return 0;
}
