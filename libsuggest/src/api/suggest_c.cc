// Copyright libsuggest authors.
//
// The C ABI (include/suggest/suggest_c.h): extern "C" shims over the C++ API.
// Every entry point catches everything: std::bad_alloc becomes
// SUGGEST_ERR_RESOURCE_EXHAUSTED, anything else SUGGEST_ERR_INTERNAL. No
// thread-local state: errors travel only through the caller's
// suggest_error** out-parameter.

#include "suggest/suggest_c.h"

#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "suggest/suggest.h"
#include "util/offset_units.h"

// The pinned C values must equal the C++ StatusCode numbers.
#define SUGGEST_PIN(c_name, cc_name)                                   \
  static_assert(static_cast<int>(c_name) ==                            \
                static_cast<int>(suggest::StatusCode::cc_name), #c_name)
SUGGEST_PIN(SUGGEST_OK, kOk);
SUGGEST_PIN(SUGGEST_ERR_CANCELLED, kCancelled);
SUGGEST_PIN(SUGGEST_ERR_UNKNOWN, kUnknown);
SUGGEST_PIN(SUGGEST_ERR_INVALID_ARGUMENT, kInvalidArgument);
SUGGEST_PIN(SUGGEST_ERR_NOT_FOUND, kNotFound);
SUGGEST_PIN(SUGGEST_ERR_RESOURCE_EXHAUSTED, kResourceExhausted);
SUGGEST_PIN(SUGGEST_ERR_FAILED_PRECONDITION, kFailedPrecondition);
SUGGEST_PIN(SUGGEST_ERR_OUT_OF_RANGE, kOutOfRange);
SUGGEST_PIN(SUGGEST_ERR_UNIMPLEMENTED, kUnimplemented);
SUGGEST_PIN(SUGGEST_ERR_INTERNAL, kInternal);
SUGGEST_PIN(SUGGEST_ERR_DATA_LOSS, kDataLoss);
#undef SUGGEST_PIN
static_assert(static_cast<int>(SUGGEST_OFFSETS_BYTES) ==
              static_cast<int>(suggest::OffsetUnit::kBytes));
static_assert(static_cast<int>(SUGGEST_OFFSETS_UTF16) ==
              static_cast<int>(suggest::OffsetUnit::kUtf16));
static_assert(static_cast<int>(SUGGEST_OFFSETS_CODEPOINTS) ==
              static_cast<int>(suggest::OffsetUnit::kCodePoints));
static_assert(static_cast<int>(SUGGEST_SETTING_OUTPATIENT) ==
              static_cast<int>(suggest::Setting::kOutpatient));
static_assert(static_cast<int>(SUGGEST_SETTING_INPATIENT) ==
              static_cast<int>(suggest::Setting::kInpatient));
static_assert(sizeof(suggest_span) == 8);

// The opaque types. Defined at global scope: they complete the C header's
// incomplete struct types.
struct suggest_options {
  suggest::AnalyzeOptions analyze;
  suggest::LoadOptions load;
};

struct suggest_model {
  explicit suggest_model(suggest::Model m) : model(std::move(m)) {}
  suggest::Model model;
};

struct suggest_error {
  suggest_status status = SUGGEST_ERR_UNKNOWN;
  std::string message;
  std::string kind;
  int64_t offset = -1;
};

struct suggest_session {
  suggest_session(const suggest::Model& m, const suggest::AnalyzeOptions& o) : session(m, o) {}
  suggest::Session session;
  std::string changes;  // suggest_session_changes_json, until the next call
};

struct suggest_result {
  suggest::Result result;
  std::string text;  // copy of the note: ResultToJson slices evidence text
  suggest::AnalyzeOptions options;
  std::string id;  // the JSON's "id" (suggest_result_set_id), "" until set
  // Evidence spans of each suggestion in options.offset_unit.
  std::vector<std::vector<suggest_span>> evidence_spans;
  // The JSON, built once on first request.
  mutable std::once_flag json_once;
  mutable std::string json;
  mutable bool json_ok = false;
  // suggest_result_provenance_json, built once on first request.
  mutable std::once_flag provenance_once;
  mutable std::string provenance;
};

namespace {

constexpr const char kOutOfMemory[] = "out of memory";
constexpr const char kUnexpected[] = "internal error: unexpected exception";

// Stores a new error in *err (when err is not NULL) and returns `status`.
// Never throws: if the error object cannot be allocated, *err stays NULL.
suggest_status SetError(suggest_error** err, suggest_status status,
                        std::string_view message, std::string_view kind = {},
                        int64_t offset = -1) noexcept {
  if (err == nullptr) return status;
  *err = nullptr;
  try {
    auto* e = new suggest_error;
    e->status = status;
    e->offset = offset;
    try {
      e->message.assign(message);
      e->kind.assign(kind);
    } catch (...) {
      delete e;
      throw;
    }
    *err = e;
  } catch (...) {
  }
  return status;
}

suggest_status FromStatus(suggest_error** err, const suggest::Status& s) {
  return SetError(err, static_cast<suggest_status>(s.code()), s.message(),
                  s.kind(), s.offset());
}

// Runs `body` (returning suggest_status) with the exception firewall.
template <class Body>
suggest_status Guarded(suggest_error** err, Body&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return SetError(err, SUGGEST_ERR_RESOURCE_EXHAUSTED, kOutOfMemory);
  } catch (...) {
    return SetError(err, SUGGEST_ERR_INTERNAL, kUnexpected);
  }
}

// Runs `body` (returning a value) with the exception firewall; `fallback`
// on any exception.
template <class T, class Body>
T GuardedValue(T fallback, Body&& body) noexcept {
  try {
    return body();
  } catch (...) {
    return fallback;
  }
}

const char* Str(const std::string& s, size_t* len) {
  if (len) *len = s.size();
  return s.c_str();
}

const char* NoStr(size_t* len) {
  if (len) *len = 0;
  return nullptr;
}

const suggest::Suggestion* SuggestionAt(const suggest_result* r, size_t i) {
  if (r == nullptr || i >= r->result.suggestions.size()) return nullptr;
  return &r->result.suggestions[i];
}

// The int a C caller passed for an enum parameter. A C enum may hold any int;
// in C++ loading a value outside the enumerators' range is undefined, so the
// bytes are read as an int and only then compared.
template <class E>
int EnumValue(const E& e) {
  static_assert(sizeof(E) == sizeof(int));
  int v;
  std::memcpy(&v, &e, sizeof v);
  return v;
}

bool IsKnownStatus(int s) {
  switch (s) {
    case SUGGEST_OK:
    case SUGGEST_ERR_CANCELLED:
    case SUGGEST_ERR_UNKNOWN:
    case SUGGEST_ERR_INVALID_ARGUMENT:
    case SUGGEST_ERR_NOT_FOUND:
    case SUGGEST_ERR_RESOURCE_EXHAUSTED:
    case SUGGEST_ERR_FAILED_PRECONDITION:
    case SUGGEST_ERR_OUT_OF_RANGE:
    case SUGGEST_ERR_UNIMPLEMENTED:
    case SUGGEST_ERR_INTERNAL:
    case SUGGEST_ERR_DATA_LOSS:
      return true;
  }
  return false;
}

// A C result over an analysed note: the note copied (evidence text is sliced
// from it), evidence spans converted to the offset unit once.
std::unique_ptr<suggest_result> NewResult(suggest::Result result, std::string_view note,
                                          const suggest::AnalyzeOptions& options) {
  auto r = std::make_unique<suggest_result>();
  r->result = std::move(result);
  r->text.assign(note);
  r->options = options;
  r->evidence_spans.resize(r->result.suggestions.size());
  std::optional<suggest::internal::OffsetConverter> conv;
  if (options.offset_unit != suggest::OffsetUnit::kBytes) conv.emplace(r->text);
  for (size_t i = 0; i < r->result.suggestions.size(); ++i) {
    const auto& evidence = r->result.suggestions[i].evidence;
    auto& spans = r->evidence_spans[i];
    spans.reserve(evidence.size());
    for (const suggest::Evidence& e : evidence) {
      suggest_span s{e.span.begin, e.span.end};
      if (conv) {
        s.begin = conv->Convert(e.span.begin, options.offset_unit);
        s.end = conv->Convert(e.span.end, options.offset_unit);
      }
      spans.push_back(s);
    }
  }
  return r;
}

}  // namespace

extern "C" {

// ---------------------------------------------------------------- version

const char* suggest_version(void) { return SUGGEST_VERSION_STRING; }

uint32_t suggest_version_number(void) { return SUGGEST_VERSION_NUMBER; }

uint32_t suggest_abi_version(void) { return SUGGEST_ABI_VERSION; }

const char* suggest_status_name(suggest_status status) {
  const int s = EnumValue(status);
  if (!IsKnownStatus(s)) return "unrecognized";
  return suggest::StatusCodeName(static_cast<suggest::StatusCode>(s));
}

// ---------------------------------------------------------------- options

suggest_options* suggest_options_new(void) {
  return GuardedValue<suggest_options*>(nullptr,
                                        [] { return new suggest_options; });
}

void suggest_options_free(suggest_options* opts) {
  try {
    delete opts;
  } catch (...) {
  }
}

suggest_status suggest_options_set_offset_units(suggest_options* opts,
                                                suggest_offset_units units) {
  const int value = EnumValue(units);
  return Guarded(nullptr, [&] {
    if (opts == nullptr) return SUGGEST_ERR_INVALID_ARGUMENT;
    switch (value) {
      case SUGGEST_OFFSETS_BYTES:
        opts->analyze.offset_unit = suggest::OffsetUnit::kBytes;
        return SUGGEST_OK;
      case SUGGEST_OFFSETS_UTF16:
        opts->analyze.offset_unit = suggest::OffsetUnit::kUtf16;
        return SUGGEST_OK;
      case SUGGEST_OFFSETS_CODEPOINTS:
        opts->analyze.offset_unit = suggest::OffsetUnit::kCodePoints;
        return SUGGEST_OK;
    }
    return SUGGEST_ERR_INVALID_ARGUMENT;
  });
}

suggest_status suggest_options_set_invalid_utf8(suggest_options* opts,
                                                suggest_invalid_utf8 policy) {
  const int value = EnumValue(policy);
  return Guarded(nullptr, [&] {
    if (opts == nullptr) return SUGGEST_ERR_INVALID_ARGUMENT;
    switch (value) {
      case SUGGEST_INVALID_UTF8_ERROR:
        opts->analyze.invalid_utf8 = suggest::InvalidUtf8Policy::kError;
        return SUGGEST_OK;
      case SUGGEST_INVALID_UTF8_REPAIR:
        opts->analyze.invalid_utf8 = suggest::InvalidUtf8Policy::kReplace;
        return SUGGEST_OK;
    }
    return SUGGEST_ERR_INVALID_ARGUMENT;
  });
}

suggest_status suggest_options_set_max_note_bytes(suggest_options* opts,
                                                  uint64_t max_bytes) {
  return Guarded(nullptr, [&] {
    if (opts == nullptr) return SUGGEST_ERR_INVALID_ARGUMENT;
    opts->analyze.max_note_bytes = max_bytes;
    return SUGGEST_OK;
  });
}

suggest_status suggest_options_set_include_text_layer(suggest_options* opts,
                                                      int include) {
  return Guarded(nullptr, [&] {
    if (opts == nullptr) return SUGGEST_ERR_INVALID_ARGUMENT;
    opts->analyze.include_text_layer = include != 0;
    return SUGGEST_OK;
  });
}

suggest_status suggest_options_set_setting(suggest_options* opts,
                                           suggest_setting setting) {
  const int value = EnumValue(setting);
  return Guarded(nullptr, [&] {
    if (opts == nullptr) return SUGGEST_ERR_INVALID_ARGUMENT;
    switch (value) {
      case SUGGEST_SETTING_OUTPATIENT:
        opts->analyze.setting = suggest::Setting::kOutpatient;
        return SUGGEST_OK;
      case SUGGEST_SETTING_INPATIENT:
        opts->analyze.setting = suggest::Setting::kInpatient;
        return SUGGEST_OK;
    }
    return SUGGEST_ERR_INVALID_ARGUMENT;
  });
}

suggest_status suggest_options_set_code_set_year(suggest_options* opts,
                                                 int year) {
  return Guarded(nullptr, [&] {
    if (opts == nullptr || year < 0) return SUGGEST_ERR_INVALID_ARGUMENT;
    opts->load.code_set_year = year;
    return SUGGEST_OK;
  });
}

suggest_status suggest_options_set_cache_dir(suggest_options* opts, const char* dir) {
  return Guarded(nullptr, [&] {
    if (opts == nullptr) return SUGGEST_ERR_INVALID_ARGUMENT;
    opts->load.cache_dir.assign(dir == nullptr ? "" : dir);
    return SUGGEST_OK;
  });
}

suggest_status suggest_options_set_default_cache_dir(suggest_options* opts) {
  return Guarded(nullptr, [&] {
    if (opts == nullptr) return SUGGEST_ERR_INVALID_ARGUMENT;
    opts->load.cache_dir = suggest::DefaultCacheDir();
    return SUGGEST_OK;
  });
}

namespace {

// Stores a C string option ("" for NULL: not given).
suggest_status SetStringOption(suggest_options* opts, std::string suggest::AnalyzeOptions::*field,
                               const char* value) {
  return Guarded(nullptr, [&] {
    if (opts == nullptr) return SUGGEST_ERR_INVALID_ARGUMENT;
    (opts->analyze.*field).assign(value == nullptr ? "" : value);
    return SUGGEST_OK;
  });
}

}  // namespace

suggest_status suggest_options_set_date_of_service(suggest_options* opts, const char* date) {
  return SetStringOption(opts, &suggest::AnalyzeOptions::date_of_service, date);
}

suggest_status suggest_options_set_patient_id(suggest_options* opts, const char* id) {
  return SetStringOption(opts, &suggest::AnalyzeOptions::patient_id, id);
}

suggest_status suggest_options_set_encounter_id(suggest_options* opts, const char* id) {
  return SetStringOption(opts, &suggest::AnalyzeOptions::encounter_id, id);
}

// ---------------------------------------------------------------- model

suggest_status suggest_model_load(const char* models_dir,
                                  const suggest_options* opts,
                                  suggest_model** out, suggest_error** err) {
  if (err) *err = nullptr;
  if (out) *out = nullptr;
  return Guarded(err, [&] {
    if (out == nullptr) {
      return SetError(err, SUGGEST_ERR_INVALID_ARGUMENT,
                      "suggest_model_load: out is NULL", "null_argument");
    }
    const suggest::LoadOptions load =
        opts != nullptr ? opts->load : suggest::LoadOptions{};
    // NULL: the installed models (suggest::FindModelsDir, shared with the
    // C++ API's Model::Load()).
    suggest::StatusOr<suggest::Model> model =
        models_dir != nullptr ? suggest::Model::Load(std::string(models_dir), load)
                              : suggest::Model::Load(load);
    if (!model.ok()) return FromStatus(err, model.status());
    *out = new suggest_model(std::move(*model));
    return SUGGEST_OK;
  });
}

void suggest_model_free(suggest_model* model) {
  try {
    delete model;
  } catch (...) {
  }
}

const char* suggest_model_dir(const suggest_model* model, size_t* len) {
  if (model == nullptr) return NoStr(len);
  return Str(model->model.models_dir(), len);
}

const char* suggest_model_models_version(const suggest_model* model, size_t* len) {
  if (model == nullptr) return NoStr(len);
  return Str(model->model.models_version(), len);
}

// ---------------------------------------------------------------- analyze

suggest_status suggest_analyze(const suggest_model* model, const char* text,
                               size_t len, const suggest_options* opts,
                               suggest_result** out, suggest_error** err) {
  if (err) *err = nullptr;
  if (out) *out = nullptr;
  return Guarded(err, [&] {
    if (model == nullptr || out == nullptr || (text == nullptr && len != 0)) {
      return SetError(err, SUGGEST_ERR_INVALID_ARGUMENT,
                      model == nullptr  ? "suggest_analyze: model is NULL"
                      : out == nullptr ? "suggest_analyze: out is NULL"
                                       : "suggest_analyze: text is NULL but len > 0",
                      "null_argument");
    }
    const suggest::AnalyzeOptions options =
        opts != nullptr ? opts->analyze : suggest::AnalyzeOptions{};
    const std::string_view note =
        len == 0 ? std::string_view() : std::string_view(text, len);
    // Refuse an oversized note before copying it.
    suggest::StatusOr<suggest::Result> analyzed = model->model.Analyze(note, options);
    if (!analyzed.ok()) return FromStatus(err, analyzed.status());

    *out = NewResult(std::move(*analyzed), note, options).release();
    return SUGGEST_OK;
  });
}

// ---------------------------------------------------------------- session

suggest_status suggest_session_new(const suggest_model* model, const suggest_options* opts,
                                   suggest_session** out, suggest_error** err) {
  if (err) *err = nullptr;
  if (out) *out = nullptr;
  return Guarded(err, [&] {
    if (model == nullptr || out == nullptr) {
      return SetError(err, SUGGEST_ERR_INVALID_ARGUMENT,
                      model == nullptr ? "suggest_session_new: model is NULL"
                                       : "suggest_session_new: out is NULL",
                      "null_argument");
    }
    const suggest::AnalyzeOptions options =
        opts != nullptr ? opts->analyze : suggest::AnalyzeOptions{};
    *out = new suggest_session(model->model, options);
    return SUGGEST_OK;
  });
}

suggest_status suggest_session_edit(suggest_session* session, size_t begin, size_t end,
                                    const char* text, size_t len, suggest_error** err) {
  if (err) *err = nullptr;
  return Guarded(err, [&] {
    if (session == nullptr || (text == nullptr && len != 0)) {
      return SetError(err, SUGGEST_ERR_INVALID_ARGUMENT,
                      session == nullptr ? "suggest_session_edit: session is NULL"
                                         : "suggest_session_edit: text is NULL but len > 0",
                      "null_argument");
    }
    const std::string_view replacement =
        len == 0 ? std::string_view() : std::string_view(text, len);
    suggest::Status s = session->session.Edit(begin, end, replacement);
    if (!s.ok()) return FromStatus(err, s);
    return SUGGEST_OK;
  });
}

suggest_status suggest_session_result(suggest_session* session, suggest_result** out,
                                      suggest_error** err) {
  if (err) *err = nullptr;
  if (out) *out = nullptr;
  return Guarded(err, [&] {
    if (session == nullptr || out == nullptr) {
      return SetError(err, SUGGEST_ERR_INVALID_ARGUMENT,
                      session == nullptr ? "suggest_session_result: session is NULL"
                                         : "suggest_session_result: out is NULL",
                      "null_argument");
    }
    suggest::StatusOr<suggest::Result> r = session->session.Result();
    if (!r.ok()) return FromStatus(err, r.status());
    *out = NewResult(std::move(*r), session->session.Text(), session->session.options())
               .release();
    return SUGGEST_OK;
  });
}

const char* suggest_session_changes_json(suggest_session* session, size_t* len) {
  if (len) *len = 0;
  if (session == nullptr) return nullptr;
  try {
    session->changes = session->session.Changes();
  } catch (...) {
    return nullptr;
  }
  if (session->changes.empty()) return nullptr;  // out of memory
  return Str(session->changes, len);
}

const char* suggest_session_text(const suggest_session* session, size_t* len) {
  if (session == nullptr) return NoStr(len);
  return Str(session->session.Text(), len);
}

void suggest_session_free(suggest_session* session) {
  try {
    delete session;
  } catch (...) {
  }
}

// ---------------------------------------------------------------- result

const char* suggest_result_json(const suggest_result* result, size_t* len) {
  if (len) *len = 0;
  if (result == nullptr) return nullptr;
  try {
    std::call_once(result->json_once, [result] {
      result->json = suggest::ResultToJson(result->result, result->text,
                                           result->id, result->options);
      result->json_ok = true;
    });
  } catch (...) {
    // call_once leaves the flag unset after an exception: a later call
    // retries.
    return nullptr;
  }
  if (!result->json_ok) return nullptr;
  return Str(result->json, len);
}

suggest_status suggest_result_set_id(suggest_result* result, const char* id,
                                     size_t len, suggest_error** err) {
  if (err) *err = nullptr;
  return Guarded(err, [&] {
    if (result == nullptr || (id == nullptr && len > 0)) {
      return SetError(err, SUGGEST_ERR_INVALID_ARGUMENT,
                      result == nullptr ? "suggest_result_set_id: result is NULL"
                                        : "suggest_result_set_id: id is NULL with len > 0",
                      "null_argument");
    }
    std::string new_id(id == nullptr ? "" : id, len);
    // The caller has the result to itself (the function is not
    // thread-safe), so a JSON already built is rebuilt here; the old id and
    // JSON stay until both new ones exist (an allocation failure changes
    // nothing).
    if (result->json_ok) {
      std::string json =
          suggest::ResultToJson(result->result, result->text, new_id, result->options);
      result->json.swap(json);
    }
    result->id.swap(new_id);
    return SUGGEST_OK;
  });
}

void suggest_result_free(suggest_result* result) {
  try {
    delete result;
  } catch (...) {
  }
}

suggest_offset_units suggest_result_offset_units(const suggest_result* result) {
  if (result == nullptr) return SUGGEST_OFFSETS_BYTES;
  return static_cast<suggest_offset_units>(result->options.offset_unit);
}

const char* suggest_result_code_set(const suggest_result* result, size_t* len) {
  if (result == nullptr) return NoStr(len);
  return Str(result->result.code_set, len);
}

const char* suggest_result_models_version(const suggest_result* result, size_t* len) {
  if (result == nullptr) return NoStr(len);
  return Str(result->result.models_version, len);
}

const char* suggest_result_provenance_json(const suggest_result* result, size_t* len) {
  if (len) *len = 0;
  if (result == nullptr) return nullptr;
  try {
    std::call_once(result->provenance_once, [result] {
      result->provenance = suggest::ProvenanceToJson(result->result);
    });
  } catch (...) {
    return nullptr;
  }
  return Str(result->provenance, len);
}

size_t suggest_result_fact_count(const suggest_result* result) {
  return result == nullptr ? 0 : result->result.facts.size();
}

size_t suggest_result_suggestion_count(const suggest_result* result) {
  return result == nullptr ? 0 : result->result.suggestions.size();
}

const char* suggest_result_suggestion_code(const suggest_result* result,
                                           size_t i, size_t* len) {
  const suggest::Suggestion* s = SuggestionAt(result, i);
  return s ? Str(s->code, len) : NoStr(len);
}

const char* suggest_result_suggestion_title(const suggest_result* result,
                                            size_t i, size_t* len) {
  const suggest::Suggestion* s = SuggestionAt(result, i);
  return s ? Str(s->title, len) : NoStr(len);
}

double suggest_result_suggestion_score(const suggest_result* result, size_t i) {
  const suggest::Suggestion* s = SuggestionAt(result, i);
  return s ? s->score : 0.0;
}

int suggest_result_suggestion_rank(const suggest_result* result, size_t i) {
  const suggest::Suggestion* s = SuggestionAt(result, i);
  return s ? s->rank : 0;
}

const char* suggest_result_suggestion_rationale(const suggest_result* result,
                                                size_t i, size_t* len) {
  const suggest::Suggestion* s = SuggestionAt(result, i);
  return s ? Str(s->rationale, len) : NoStr(len);
}

size_t suggest_result_suggestion_evidence_count(const suggest_result* result,
                                                size_t i) {
  const suggest::Suggestion* s = SuggestionAt(result, i);
  return s ? s->evidence.size() : 0;
}

suggest_span suggest_result_suggestion_evidence_span(
    const suggest_result* result, size_t i, size_t j) {
  if (SuggestionAt(result, i) == nullptr) return suggest_span{0, 0};
  const auto& spans = result->evidence_spans[i];
  return j < spans.size() ? spans[j] : suggest_span{0, 0};
}

const char* suggest_result_suggestion_evidence_rule_id(
    const suggest_result* result, size_t i, size_t j, size_t* len) {
  const suggest::Suggestion* s = SuggestionAt(result, i);
  if (s == nullptr || j >= s->evidence.size()) return NoStr(len);
  const int fact = s->evidence[j].fact;
  if (fact < 0 || static_cast<size_t>(fact) >= result->result.facts.size())
    return NoStr(len);
  return Str(result->result.facts[fact].rule_id, len);
}

// ---------------------------------------------------------------- error

suggest_status suggest_error_status(const suggest_error* err) {
  return err == nullptr ? SUGGEST_OK : err->status;
}

const char* suggest_error_message(const suggest_error* err) {
  return err == nullptr ? "" : err->message.c_str();
}

const char* suggest_error_kind(const suggest_error* err) {
  return err == nullptr ? "" : err->kind.c_str();
}

int64_t suggest_error_offset(const suggest_error* err) {
  return err == nullptr ? -1 : err->offset;
}

void suggest_error_free(suggest_error* err) {
  try {
    delete err;
  } catch (...) {
  }
}

}  // extern "C"
