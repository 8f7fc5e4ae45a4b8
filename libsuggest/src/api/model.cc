// Copyright libsuggest authors.
//
// Model::Load and Model::Analyze: the pipeline text -> (match -> facts -> map)
// -> Result. Each stage lives in its own folder; this file only wires them.

#include <algorithm>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <new>
#include <optional>
#include <sstream>
#include <system_error>
#include <thread>
#include <unordered_set>
#include <utility>

#include "api/model_impl.h"
#include "api/session_hook.h"
#include "suggest/suggest.h"
#include "text/original_stash.h"
#include "text/sentence_splitter.h"
#include "text/tokenizer.h"
#include "util/disk_cache.h"
#include "util/load_errors.h"
#include "util/sha256.h"
#include "util/utf8.h"

namespace suggest {

namespace internal {

namespace {
thread_local SessionHook* tls_session_hook = nullptr;
}  // namespace

SessionHook* CurrentSessionHook() { return tls_session_hook; }

SessionHookScope::SessionHookScope(SessionHook* hook) : previous_(tls_session_hook) {
  tls_session_hook = hook;
}

SessionHookScope::~SessionHookScope() { tls_session_hook = previous_; }

}  // namespace internal

namespace {

// The fiscal years of the code tables shipped: every folder
// models/icd10cm/fy<4 digits>.
std::vector<int> ShippedYears(const std::filesystem::path& icd_dir) {
  std::vector<int> years;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(icd_dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() != 6 || name.compare(0, 2, "fy") != 0 ||
        !std::all_of(name.begin() + 2, name.end(), [](char c) { return c >= '0' && c <= '9'; }))
      continue;
    std::error_code dir_ec;
    if (!it->is_directory(dir_ec)) continue;
    years.push_back(std::stoi(name.substr(2)));
  }
  std::sort(years.begin(), years.end());
  return years;
}

// Model::models_version(): SHA-256 over (path NUL size NUL bytes) of each
// file in path order, CRLF read as LF; the first 16 hex digits.
StatusOr<std::string> ModelsVersion(const std::string& models_dir,
                                    std::vector<std::string> files) {
  std::sort(files.begin(), files.end());
  internal::Sha256 sha;
  for (const std::string& rel : files) {
    const std::string path = (std::filesystem::path(models_dir) / rel).string();
    std::ifstream in(path, std::ios::binary);
    if (!in) return NotFound(path + ": error: cannot read file");
    std::ostringstream read;
    read << in.rdbuf();  // a block at a time, not a character at a time
    if (in.bad()) return NotFound(path + ": error: cannot read file");
    std::string bytes = std::move(read).str();
    std::string lf;
    if (bytes.find('\r') == std::string::npos) {
      lf = std::move(bytes);  // the usual case: nothing to strip
    } else {
      lf.reserve(bytes.size());
      for (size_t i = 0; i < bytes.size(); ++i) {
        if (bytes[i] == '\r' && i + 1 < bytes.size() && bytes[i + 1] == '\n') continue;
        lf += bytes[i];
      }
    }
    sha.Update(rel);
    sha.Update(std::string_view("\0", 1));
    sha.Update(std::to_string(lf.size()));
    sha.Update(std::string_view("\0", 1));
    sha.Update(lf);
  }
  return sha.HexDigest().substr(0, 16);
}

// "YYYY-MM-DD", a real calendar date -> its ICD-10-CM fiscal year (October
// to September: 2026-10-01 is in FY2027); 0 if not such a date.
int FiscalYearOf(std::string_view d) {
  auto digits = [&](size_t from, size_t n) {
    int v = 0;
    for (size_t i = from; i < from + n; ++i) {
      if (d[i] < '0' || d[i] > '9') return -1;
      v = v * 10 + (d[i] - '0');
    }
    return v;
  };
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return 0;
  const int y = digits(0, 4), m = digits(5, 2), day = digits(8, 2);
  if (y < 1 || m < 1 || m > 12 || day < 1) return 0;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (day > kDays[m - 1] + (m == 2 && leap ? 1 : 0)) return 0;
  return m >= 10 ? y + 1 : y;
}

// patient_id / encounter_id: 1 to 256 bytes of UTF-8, no control characters,
// no leading or trailing space.
Status CheckIdentifier(const std::string& value, const char* field) {
  bool ok = !value.empty() && value.size() <= 256 && value.front() != ' ' &&
            value.back() != ' ' && internal::ValidateUtf8(value).ok();
  for (size_t i = 0; ok && i < value.size(); ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    ok = c >= 0x20 && c != 0x7F;
  }
  if (ok) return Status();
  return InvalidArgument(std::string(field) +
                             " must be 1 to 256 bytes of UTF-8 without control characters "
                             "or leading/trailing spaces",
                         std::string("invalid_") + field);
}

}  // namespace

const char* SettingName(Setting s) {
  return s == Setting::kInpatient ? "inpatient" : "outpatient";
}

namespace {
// Beside the models: what `suggest models compile` writes (CompileModels).
constexpr const char* kCompiledDir = "compiled";

// What the code tables are checked against: the section kinds (null if
// sections.toml failed) and the kinds' roles (null if manifest.toml failed).
struct RuleNames {
  const internal::SectionRules* kinds = nullptr;
  std::shared_ptr<const internal::Manifest> kind_roles;
};

// Work run beside the calling thread, on a thread of its own, until Join()
// (or the destructor). If no thread can be started the work runs at once on
// the calling thread: the order of a serial load. An exception of the work
// is thrown again by Join(), on the calling thread.
class Beside {
 public:
  explicit Beside(std::function<void()> work) : work_(std::move(work)) {
    try {
      thread_ = std::thread([this] { Guarded(); });
    } catch (const std::system_error&) {
      Guarded();
    }
  }
  ~Beside() {
    if (thread_.joinable()) thread_.join();
  }
  Beside(const Beside&) = delete;
  Beside& operator=(const Beside&) = delete;
  void Join() {
    if (thread_.joinable()) thread_.join();
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  }

 private:
  void Guarded() {
    try {
      work_();
    } catch (...) {
      error_ = std::current_exception();
    }
  }
  std::function<void()> work_;
  std::exception_ptr error_;
  std::thread thread_;
};

// context.toml and rules/levels.toml, which the facts stage only keeps: read
// on a second core while the packs load (a cold load was serial, one core
// idle). What a serial load would have added to the errors, in file order.
struct SideRules {
  Status context_status;
  std::shared_ptr<const internal::AssertionRules> context;
  Status levels_status;
  std::shared_ptr<const internal::LevelExtractor> levels;
  std::vector<std::string> level_ids;  // the rule ids levels.toml read
};

void LoadSideRules(const std::string& models_dir, const internal::Normalizer& normalizer,
                   const internal::SectionRules* kinds, SideRules* out) {
  namespace fs = std::filesystem;
  auto context =
      internal::AssertionRules::Load((fs::path(models_dir) / "context.toml").string(), kinds);
  out->context_status = context.status();
  if (context.ok())
    out->context = std::make_shared<const internal::AssertionRules>(std::move(*context));
  // The first file with rule ids (unique across all packs): it starts the list.
  auto levels = internal::LevelExtractor::Load(
      (fs::path(models_dir) / "rules" / "levels.toml").string(), normalizer, &out->level_ids);
  out->levels_status = levels.status();
  if (levels.ok()) out->levels = *levels;
}

// True if the two lists of rule ids share one.
bool SharesId(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  const std::unordered_set<std::string_view> in_a(a.begin(), a.end());
  return std::any_of(b.begin(), b.end(), [&](const std::string& id) { return in_a.count(id); });
}

// The rule files, each loaded even after one fails, so the Status lists the
// errors of all of them (internal::LoadErrors; docs/rules.md "Errors"), in
// file order: sections, context, levels, manifest, packs. A file that
// failed checks the others without its names (null sections: section kinds
// unchecked). context.toml and levels.toml load on a second thread
// (SideRules) while the packs load here with their own list of rule ids;
// the packs see levels.toml's ids only if one of theirs is among them (a
// duplicate id: the load fails), and are then loaded again after it, as a
// serial load reads them, so the errors are the same.
RuleNames LoadRuleFiles(const std::string& models_dir, internal::ModelImpl* impl,
                        internal::LoadErrors* errors) {
  namespace fs = std::filesystem;
  RuleNames names;
  auto sections =
      internal::SectionRules::Load((fs::path(models_dir) / "sections.toml").string());
  impl->sections = errors->Add(sections.status())
                       ? std::make_shared<const internal::SectionRules>()
                       : std::make_shared<const internal::SectionRules>(std::move(*sections));
  names.kinds = sections.ok() ? impl->sections.get() : nullptr;
  // The layout pass of the normalizer is data of sections.toml ([layout]).
  impl->normalizer = impl->normalizer->WithLayout(impl->sections->layout());

  SideRules side;
  internal::DiskCacheBranch branch;  // the cache notes in serial order
  Beside beside([&] {
    branch.Run([&] { LoadSideRules(models_dir, *impl->normalizer, names.kinds, &side); });
  });
  bool joined = false;
  auto join = [&] {
    if (joined) return;
    joined = true;
    beside.Join();
    branch.Merge();
  };

  // The manifest: the packs the facts stage reads and the roles of their
  // kinds. Without it the packs cannot be checked (nor map.toml's kinds).
  auto manifest = internal::Manifest::Load((fs::path(models_dir) / "manifest.toml").string());
  const bool manifest_ok = manifest.ok();
  std::optional<StatusOr<std::shared_ptr<const internal::FactExtractor>>> facts;
  std::vector<std::string> fact_ids;
  if (manifest_ok) {
    names.kind_roles = std::make_shared<const internal::Manifest>(std::move(*manifest));
    facts = internal::FactExtractor::Load(
        models_dir, *impl->normalizer,
        [&] {
          join();
          return internal::FactExtractor::Stages{side.levels, side.context};
        },
        &fact_ids, impl->sections, names.kind_roles);
  }
  join();
  if (!errors->Add(side.context_status)) impl->context = side.context;
  if (!errors->Add(side.levels_status)) impl->levels = side.levels;
  if (errors->Add(manifest.status())) return names;
  if (SharesId(side.level_ids, fact_ids)) {
    std::vector<std::string> rule_ids = side.level_ids;
    facts = internal::FactExtractor::Load(models_dir, *impl->normalizer, impl->levels,
                                          impl->context, &rule_ids, impl->sections,
                                          names.kind_roles);
  }
  if (!errors->Add(facts->status())) impl->facts = **facts;
  return names;
}

// A mapper for every other year shipped (for notes whose date falls in it)
// beside the default one; all of them by increasing year into `impl`.
Status LoadOtherYears(const std::filesystem::path& icd_dir, const std::string& map_path,
                      const RuleNames& names, internal::ModelImpl* impl) {
  std::vector<std::pair<int, std::shared_ptr<const internal::Mapper>>> by_year;
  by_year.emplace_back(impl->default_year, impl->mapper);
  for (int year : ShippedYears(icd_dir)) {
    if (year == impl->default_year) continue;
    auto other = internal::CodeTable::Load((icd_dir / ("fy" + std::to_string(year))).string());
    if (!other.ok()) return other.status();
    auto other_mapper = internal::Mapper::Load(map_path, *other, names.kinds, names.kind_roles);
    if (!other_mapper.ok()) return other_mapper.status();
    by_year.emplace_back((*other)->fiscal_year(), *other_mapper);
  }
  std::sort(by_year.begin(), by_year.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [year, m] : by_year) {
    impl->code_set_years.push_back(year);
    impl->mappers.push_back(std::move(m));
  }
  return Status();
}

// Code tables: the one for notes without a date of service first (its errors
// are the ones a broken default reports, with the rule files' errors before
// them), then every other year shipped.
Status LoadCodeTables(const std::string& models_dir, const LoadOptions& options,
                      const RuleNames& names, internal::ModelImpl* impl,
                      internal::LoadErrors* errors) {
  namespace fs = std::filesystem;
  const fs::path icd_dir = fs::path(models_dir) / "icd10cm";
  std::string table_dir;
  if (options.code_set_year == 0) {
    auto dir = internal::CodeTable::DefaultDir(icd_dir.string());
    if (errors->Add(dir.status())) return errors->ToStatus();
    table_dir = *dir;
  } else {
    table_dir = (icd_dir / ("fy" + std::to_string(options.code_set_year))).string();
  }
  auto table = internal::CodeTable::Load(table_dir);
  if (errors->Add(table.status())) return errors->ToStatus();
  const std::string map_path = (fs::path(models_dir) / "map.toml").string();
  auto mapper = internal::Mapper::Load(map_path, *table, names.kinds, names.kind_roles);
  if (errors->Add(mapper.status()) || !errors->ok()) return errors->ToStatus();
  impl->mapper = *mapper;
  impl->default_year = (*table)->fiscal_year();
  return LoadOtherYears(icd_dir, map_path, names, impl);
}

// Provenance: a digest of exactly the files loaded.
StatusOr<std::string> LoadedFilesVersion(const std::string& models_dir,
                                         const internal::Manifest& kind_roles,
                                         const std::vector<int>& code_set_years) {
  std::vector<std::string> files = {"sections.toml", "context.toml", "rules/levels.toml",
                                    "map.toml", "manifest.toml"};
  for (std::string& f : kind_roles.PackFiles()) files.push_back(std::move(f));
  for (int year : code_set_years) {
    for (const char* f : {"MANIFEST", "codes.tsv", "notes.tsv"})
      files.push_back("icd10cm/fy" + std::to_string(year) + "/" + f);
  }
  return ModelsVersion(models_dir, std::move(files));
}

}  // namespace

StatusOr<Model> Model::Load(const std::string& models_dir,
                            const LoadOptions& options) {
  namespace fs = std::filesystem;
  std::error_code ec;
  // "" is the installed models, as Load() (api/find_models.cc).
  if (models_dir.empty()) return Load(options);
  if (!fs::is_directory(models_dir, ec)) {
    return NotFound("models directory not found: " + models_dir);
  }
  auto impl = std::make_shared<internal::ModelImpl>();
  impl->models_dir = models_dir;
  // Compiled databases shipped beside the models are found first
  // (util/disk_cache.h; `suggest models compile` writes them), then the
  // caller's cache, if any (LoadOptions::cache_dir). The scope covers every
  // stage's load.
  internal::DiskCacheScope compiled((fs::path(models_dir) / kCompiledDir).string(),
                                    /*write=*/false, options.cache_dir);

  auto normalizer = internal::Normalizer::Create();
  if (!normalizer.ok()) return normalizer.status();
  impl->normalizer = *normalizer;

  internal::LoadErrors errors;
  const RuleNames names = LoadRuleFiles(models_dir, impl.get(), &errors);
  if (Status s = LoadCodeTables(models_dir, options, names, impl.get(), &errors); !s.ok())
    return s;

  auto version = LoadedFilesVersion(models_dir, *names.kind_roles, impl->code_set_years);
  if (!version.ok()) return version.status();
  impl->models_version = std::move(*version);

  // What the load noticed, for the caller's debug log (the library does not
  // log): in the order the steps ran.
  impl->load_notes = impl->facts->load_notes();
  impl->load_notes.insert(impl->load_notes.end(), compiled.notes().begin(),
                          compiled.notes().end());
  impl->load_notes.push_back("model loaded from " + models_dir);
  return Model(std::move(impl));
}

std::string DefaultCacheDir() { return internal::DiskCacheDir(); }

const std::string& Model::models_dir() const { return impl_->models_dir; }
const std::string& Model::models_version() const { return impl_->models_version; }
const std::vector<int>& Model::code_set_years() const { return impl_->code_set_years; }
int Model::default_code_set_year() const { return impl_->default_year; }
const std::vector<std::string>& Model::load_notes() const { return impl_->load_notes; }

StatusOr<std::vector<std::string>> CompileModels(const std::string& models_dir,
                                                 const LoadOptions& options) {
  return CompileModels(models_dir, options, nullptr);
}

StatusOr<std::vector<std::string>> CompileModels(const std::string& models_dir,
                                                 const LoadOptions& options,
                                                 std::vector<std::string>* notes) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(models_dir) / kCompiledDir;
  std::vector<std::string> names;
  {
    internal::DiskCacheScope scope(dir.string(), /*write=*/true, options.cache_dir);
    auto model = Model::Load(models_dir, options);
    if (!model.ok()) return model.status();
    if (!scope.errors().empty()) {
      return Status(StatusCode::kInternal, "cannot write " + scope.errors().front(),
                    "write_error");
    }
    names = scope.entries();
    if (notes != nullptr) {
      notes->insert(notes->end(), model->load_notes().begin(), model->load_notes().end());
      notes->insert(notes->end(), scope.notes().begin(), scope.notes().end());
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  // Entries of earlier rules, versions or CPUs are never read again: gone.
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (it->is_regular_file(ec) && !std::binary_search(names.begin(), names.end(), name)) {
      std::error_code rm;
      fs::remove(it->path(), rm);
    }
  }
  std::vector<std::string> paths;
  for (const std::string& n : names) paths.push_back((dir / n).string());
  return paths;
}

namespace {

// The mapper of the code set in force on options.date_of_service (the
// default one without a date), or the error naming the field.
StatusOr<const internal::Mapper*> MapperFor(const internal::ModelImpl& impl,
                                            const AnalyzeOptions& options) {
  if (options.date_of_service.empty()) return impl.mapper.get();
  const int year = FiscalYearOf(options.date_of_service);
  if (year == 0) {
    return InvalidArgument("date_of_service must be a date YYYY-MM-DD",
                           "invalid_date_of_service");
  }
  const internal::Mapper* mapper = nullptr;
  for (size_t i = 0; i < impl.code_set_years.size(); ++i)
    if (impl.code_set_years[i] == year) mapper = impl.mappers[i].get();
  if (mapper != nullptr) return mapper;
  std::string shipped;
  for (int y : impl.code_set_years) {
    shipped += (shipped.empty() ? "" : ", ") + std::string("FY") + std::to_string(y) + " (" +
               std::to_string(y - 1) + "-10-01 to " + std::to_string(y) + "-09-30)";
  }
  return InvalidArgument("date_of_service " + options.date_of_service + " is in ICD-10-CM FY" +
                             std::to_string(year) +
                             ", which is not shipped; the code sets shipped are " + shipped,
                         "no_code_set_for_date");
}

// The other input fields and the note's size.
Status CheckInput(std::string_view text, const AnalyzeOptions& options) {
  if (!options.patient_id.empty()) {
    if (Status s = CheckIdentifier(options.patient_id, "patient_id"); !s.ok()) return s;
  }
  if (!options.encounter_id.empty()) {
    if (Status s = CheckIdentifier(options.encounter_id, "encounter_id"); !s.ok()) return s;
  }
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
  return Status();
}

// Normalize(text), spliced from a live session's earlier normalized text
// when its hook hands one in (the same answer: text/normalize.h Splice).
StatusOr<internal::NormalizedText> NormalizeForPass(const internal::Normalizer& normalizer,
                                                    std::string_view text,
                                                    InvalidUtf8Policy policy) {
  internal::SessionHook* hook = internal::CurrentSessionHook();
  if (hook != nullptr && hook->normalized_in) {
    hook->normalized_in = false;
    if (normalizer.Splice(hook->normalized_of, text, hook->same_prefix, hook->same_suffix,
                          policy, &hook->normalized, &hook->normalized_kept))
      return std::move(hook->normalized);
  }
  return normalizer.Normalize(text, policy);
}

// FactExtractor::CannotMatch, from what the screens of a live session's
// earlier pass found when its hook hands that in (the same answer:
// facts/facts.h CannotMatchAgain).
bool CannotMatchForPass(const internal::FactExtractor& facts, std::string_view normalized,
                        internal::Prescreen::Verdict screened) {
  internal::SessionHook* hook = internal::CurrentSessionHook();
  if (hook == nullptr) return facts.CannotMatch(normalized, screened);
  return facts.CannotMatchAgain(normalized, screened, hook->screen_in,
                                hook->normalized_kept.prefix, hook->normalized_kept.suffix,
                                &hook->screen_out);
}

// Sections and sentences of the note into *result. A live session's earlier
// sections are reused around the edit, and its split section by section (the
// same answers: text/sectionizer.h, text/sentence_splitter.h). No token
// vector: the splitter does not read tokens, and the facts stage streams
// them (text/tokenizer.h TokenStream).
void FindTextLayer(const internal::SectionRules& rules, const internal::Normalizer& normalizer,
                   std::string_view text, const internal::NormalizedText& nt,
                   Result* result) {
  internal::SessionHook* hook = internal::CurrentSessionHook();
  // A note with page furniture (now or before the edit) is split whole: the
  // re-split knows no furniture (text/sentence_splitter.h).
  if (hook != nullptr && hook->earlier.sections != nullptr && nt.furniture.empty() &&
      !normalizer.LayoutMayApply(hook->earlier.text)) {
    result->sections =
        internal::FindSections(text, rules,
                               {hook->earlier.text, hook->earlier.sections,
                                hook->earlier.same_prefix, hook->earlier.same_suffix});
    result->sentences = internal::SplitSentences(text, result->sections, hook->earlier,
                                                 &hook->sections_reused);
  } else {
    result->sections = internal::FindSections(text, nt, rules);
    result->sentences = internal::SplitSentences(text, nt, {}, result->sections);
  }
  if (hook != nullptr) hook->text_layer = true;
}

// A note at least this long is released while its facts stage runs when
// the caller hands its buffer over (Model::AnalyzeInPlace); a shorter one is
// not worth the stash.
constexpr size_t kReleaseAtLeast = size_t{1} << 20;

// The facts of the note. With `owned` (the caller's buffer, which *text
// views) a long note is released while the facts stage runs, read from its
// stash meanwhile, and rebuilt in the normalized text's buffer afterwards
// (text/original_stash.h): it is held once, not twice. *text then views the
// rebuilt bytes, and *nt's text is gone.
// With `split_in_facts` the facts stage splits the sentences it reads
// itself (result.sentences is not filled: FactExtractor::ExtractSplitting).
std::vector<Fact> ExtractFacts(const internal::FactExtractor& facts, std::string_view* text,
                               internal::NormalizedText* nt, const Result& result,
                               const AnalyzeOptions& options, std::string* owned,
                               bool split_in_facts, internal::ScanReport* report) {
  // A live session's memo of the unit scans (a session never lends a note).
  internal::SessionHook* hook = internal::CurrentSessionHook();
  std::optional<internal::OriginalStash> stash;
  if (owned != nullptr && text->size() >= kReleaseAtLeast && text->data() == owned->data() &&
      hook == nullptr)
    stash = internal::OriginalStash::Make(*text, *nt);
  if (!stash && split_in_facts)
    return facts.ExtractSplitting(*text, *nt, result.sections, report, &options);
  if (!stash) {
    if (hook != nullptr && hook->facts_memo != nullptr) {
      // The locator's earlier windows (if the session says they are of the
      // text the normalization was spliced from) are kept where the splice
      // kept the bytes (both 0 when it normalized the whole text).
      internal::FactExtractor::LocatorMemo& lm = hook->facts_memo->locator();
      lm.prefix = hook->normalized_kept.prefix;
      lm.suffix = hook->normalized_kept.suffix;
    }
    return facts.Extract(*text, *nt, result.sections, result.sentences, report, &options,
                         hook != nullptr ? hook->facts_memo : nullptr);
  }
  std::string().swap(*owned);
  *text = std::string_view();
  std::vector<Fact> out;
  try {
    out = split_in_facts
              ? facts.ExtractSplitting(*text, *nt, result.sections, report, &options, &*stash)
              : facts.Extract(*text, *nt, result.sections, result.sentences, report, &options,
                              nullptr, &*stash);
  } catch (...) {
    stash->Rebuild(owned);  // the caller's bytes back before the error goes up
    throw;
  }
  stash->RebuildInPlace(&nt->text);
  *owned = std::move(nt->text);
  *text = *owned;
  return out;
}

// Model::Analyze without the exception firewall. `owned`: see ExtractFacts.
StatusOr<Result> AnalyzeUnguarded(const internal::ModelImpl& impl, std::string_view text,
                                  const AnalyzeOptions& options, std::string* owned = nullptr) {
  const internal::ModelImpl* impl_ = &impl;
  // The input fields first: a bad one names its field whatever the note.
  StatusOr<const internal::Mapper*> mapper_for = MapperFor(impl, options);
  if (!mapper_for.ok()) return mapper_for.status();
  const internal::Mapper* mapper = *mapper_for;
  if (Status s = CheckInput(text, options); !s.ok()) return s;
  Result result;
  result.original_size = static_cast<uint32_t>(text.size());
  result.setting = options.setting;  // the mapper codes uncertainty by it
  result.date_of_service = options.date_of_service;
  result.patient_id = options.patient_id;
  result.encounter_id = options.encounter_id;
  result.models_version = impl.models_version;
  // Most notes never mention a fusion concept. ASCII ones (no tab or CR)
  // that no concept rule matches are settled on their original bytes,
  // before normalization (match/prescreen.h); the result is what the full
  // path gives them: no facts, and whatever the mapper says of none.
  using Verdict = internal::Prescreen::Verdict;
  Verdict screened = options.include_text_layer ? Verdict::kCannotTell
                                                : impl_->facts->ScreenOriginal(text);
  // The screen's "no" is exact for a note whose normalized text is its
  // lowercase; the layout pass (text/layout.h: page furniture, words broken
  // at a line end) may join what the screen read apart, so such a note takes
  // the normal path (RE2::Set over the normalized text).
  if (screened == Verdict::kNoMatch && impl_->normalizer->LayoutMayApply(text))
    screened = Verdict::kMayMatch;
  if (screened == Verdict::kNoMatch) {
    mapper->Map(text, &result);
    return result;
  }
  auto nt = NormalizeForPass(*impl_->normalizer, text, options.invalid_utf8);
  if (!nt.ok()) return nt.status();

  result.replaced_bytes = nt->replaced_bytes;
  // The other notes without a fusion concept: the same screen over the
  // normalized text (unless it already passed the original bytes), then one
  // RE2::Set pass, reject them before any per-sentence work.
  const bool can_match = !CannotMatchForPass(*impl_->facts, nt->text, screened);
  if (can_match || options.include_text_layer) {
    // Without the text layer no sentence leaves the library, so outside a
    // live session (which keeps the split for its next pass) the facts stage
    // splits only the sections it reads: a long note pays the splitter where
    // it names a concept (issue 18).
    const bool split_in_facts = can_match && !options.include_text_layer &&
                                internal::CurrentSessionHook() == nullptr;
    if (split_in_facts) {
      result.sections = internal::FindSections(text, *nt, *impl_->sections);
    } else {
      FindTextLayer(*impl_->sections, *impl_->normalizer, text, *nt, &result);
    }
    if (can_match) {
      internal::ScanReport report;
      result.facts = ExtractFacts(*impl_->facts, &text, &*nt, result, options, owned,
                                  split_in_facts, &report);
      // Fail closed: a pattern set that could not answer would read as "no
      // facts" (match/regex.h); the note gets an error instead.
      if (report.failed)
        return Status(StatusCode::kResourceExhausted,
                      "pattern matching exceeded its memory budget on this note; no result "
                      "rather than an incomplete one",
                      "resource_exhausted");
      result.truncated = report.truncated;
    }
  }
  if (internal::SessionHook* hook = internal::CurrentSessionHook(); hook != nullptr) {
    hook->normalized = std::move(*nt);  // for the session's next pass
    hook->normalized_out = true;
  }
  mapper->Map(text, &result);
  if (!options.include_text_layer) {
    if (internal::SessionHook* hook = internal::CurrentSessionHook();
        hook != nullptr && hook->text_layer) {
      hook->sections = std::move(result.sections);
      hook->sentences = std::move(result.sentences);
    }
    result.sections.clear();
    result.sentences.clear();
    for (Fact& f : result.facts) f.section = f.sentence = -1;
  }
  return result;
}

}  // namespace

namespace {

// AnalyzeUnguarded inside the exception firewall: no exception leaves the
// library (suggest.h). An allocation failure on a pathological note becomes
// an error for that note, kind "resource_exhausted", and the caller goes on
// with the next one (issue 19 item 3). Whatever was allocated for the note
// is freed on the way out.
StatusOr<Result> AnalyzeGuarded(const internal::ModelImpl& impl, std::string_view text,
                                const AnalyzeOptions& options, std::string* owned) {
  const size_t size = text.size();
  try {
    return AnalyzeUnguarded(impl, text, options, owned);
  } catch (const std::bad_alloc&) {
    return Status(StatusCode::kResourceExhausted,
                  "out of memory while analysing a note of " + std::to_string(size) + " bytes",
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

}  // namespace

StatusOr<Result> Model::Analyze(std::string_view text,
                                const AnalyzeOptions& options) const {
  return AnalyzeGuarded(*impl_, text, options, nullptr);
}

StatusOr<Result> Model::AnalyzeInPlace(std::string* note, const AnalyzeOptions& options) const {
  return AnalyzeGuarded(*impl_, *note, options, note);
}

}  // namespace suggest
