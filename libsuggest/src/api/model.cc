// Copyright libsuggest authors.
//
// Model::Load and Model::Analyze: the pipeline text -> (match -> facts -> map)
// -> Result. Each stage lives in its own folder; this file only wires them.

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>
#include <filesystem>
#include <new>

#include "api/model_impl.h"
#include "suggest/suggest.h"
#include "text/sentence_splitter.h"
#include "text/tokenizer.h"

namespace suggest {

const char* SettingName(Setting s) {
  return s == Setting::kInpatient ? "inpatient" : "outpatient";
}

StatusOr<Model> Model::Load(const std::string& models_dir,
                            const LoadOptions& options) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(models_dir, ec)) {
    return NotFound("models directory not found: " + models_dir);
  }
  auto impl = std::make_shared<internal::ModelImpl>();
  impl->models_dir = models_dir;

  auto normalizer = internal::Normalizer::Create();
  if (!normalizer.ok()) return normalizer.status();
  impl->normalizer = *normalizer;

  auto sections =
      internal::SectionRules::Load((fs::path(models_dir) / "sections.toml").string());
  if (!sections.ok()) return sections.status();
  impl->sections = std::move(*sections);

  auto context =
      internal::AssertionRules::Load((fs::path(models_dir) / "context.toml").string());
  if (!context.ok()) return context.status();
  impl->context = std::make_shared<const internal::AssertionRules>(std::move(*context));

  // Rule ids are unique across all packs.
  std::vector<std::string> rule_ids;
  auto levels = internal::LevelExtractor::Load(
      (fs::path(models_dir) / "rules" / "levels.toml").string(), *impl->normalizer, &rule_ids);
  if (!levels.ok()) return levels.status();
  impl->levels = *levels;

  auto facts = internal::FactExtractor::Load(models_dir, *impl->normalizer, impl->levels,
                                             impl->context, &rule_ids);
  if (!facts.ok()) return facts.status();
  impl->facts = *facts;

  const fs::path icd_dir = fs::path(models_dir) / "icd10cm";
  std::string table_dir;
  if (options.code_set_year == 0) {
    auto dir = internal::CodeTable::DefaultDir(icd_dir.string());
    if (!dir.ok()) return dir.status();
    table_dir = *dir;
  } else {
    table_dir = (icd_dir / ("fy" + std::to_string(options.code_set_year))).string();
  }
  auto table = internal::CodeTable::Load(table_dir);
  if (!table.ok()) return table.status();
  auto mapper = internal::Mapper::Load((fs::path(models_dir) / "map.toml").string(), *table);
  if (!mapper.ok()) return mapper.status();
  impl->mapper = *mapper;

  spdlog::debug("model loaded from {}", models_dir);
  return Model(std::move(impl));
}

const std::string& Model::models_dir() const { return impl_->models_dir; }

namespace {

// Model::Analyze without the exception firewall.
StatusOr<Result> AnalyzeUnguarded(const internal::ModelImpl& impl, std::string_view text,
                                  const AnalyzeOptions& options) {
  const internal::ModelImpl* impl_ = &impl;
  if (text.empty()) {
    return InvalidArgument("empty note (0 bytes)", "empty_note");
  }
  const uint64_t limit = std::min<uint64_t>(options.max_note_bytes, 0xFFFFFFFEull);
  if (text.size() > limit) {
    return InvalidArgument("note of " + std::to_string(text.size()) +
                               " bytes exceeds the limit of " +
                               std::to_string(limit) + " bytes",
                           "note_too_large");
  }
  Result result;
  result.original_size = static_cast<uint32_t>(text.size());
  result.setting = options.setting;  // the mapper codes uncertainty by it
  // Most notes never mention a fusion concept. ASCII ones (no tab or CR)
  // that no concept rule matches are settled on their original bytes,
  // before normalization (match/prescreen.h); the result is what the full
  // path gives them: no facts, and whatever the mapper says of none.
  using Verdict = internal::Prescreen::Verdict;
  const Verdict screened = options.include_text_layer ? Verdict::kCannotTell
                                                      : impl_->facts->ScreenOriginal(text);
  if (screened == Verdict::kNoMatch) {
    impl_->mapper->Map(text, &result);
    return result;
  }
  auto nt = impl_->normalizer->Normalize(text, options.invalid_utf8);
  if (!nt.ok()) return nt.status();

  result.replaced_bytes = nt->replaced_bytes;
  // The other notes without a fusion concept: the same screen over the
  // normalized text (unless it already passed the original bytes), then one
  // RE2::Set pass, reject them before any per-sentence work.
  const bool can_match = !impl_->facts->CannotMatch(nt->text, screened);
  if (can_match || options.include_text_layer) {
    result.sections = internal::FindSections(text, *nt, impl_->sections);
    // No token vector: the splitter does not read tokens, and the facts
    // stage streams them (text/tokenizer.h TokenStream).
    result.sentences = internal::SplitSentences(text, *nt, {}, result.sections);
    if (can_match)
      result.facts = impl_->facts->Extract(text, *nt, result.sections, result.sentences,
                                           &result.truncated);
  }
  impl_->mapper->Map(text, &result);
  if (!options.include_text_layer) {
    result.sections.clear();
    result.sentences.clear();
    for (Fact& f : result.facts) f.section = f.sentence = -1;
  }
  return result;
}

}  // namespace

StatusOr<Result> Model::Analyze(std::string_view text,
                                const AnalyzeOptions& options) const {
  // No exception leaves the library (suggest.h): an allocation failure on a
  // pathological note becomes an error for that note, kind
  // "resource_exhausted", and the caller goes on with the next one (issue 19
  // item 3). Whatever was allocated for the note is freed on the way out.
  try {
    return AnalyzeUnguarded(*impl_, text, options);
  } catch (const std::bad_alloc&) {
    return Status(StatusCode::kResourceExhausted,
                  "out of memory while analysing a note of " + std::to_string(text.size()) +
                      " bytes",
                  "resource_exhausted");
  } catch (const std::exception& e) {
    return Status(StatusCode::kInternal,
                  std::string("unexpected error while analysing the note: ") + e.what(),
                  "internal");
  } catch (...) {
    return Status(StatusCode::kInternal, "unexpected error while analysing the note",
                  "internal");
  }
}

}  // namespace suggest
