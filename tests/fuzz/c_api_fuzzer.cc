// Copyright libsuggest authors.
//
// Fuzzes the C ABI (suggest_c.h) the way an FFI caller uses it: analyze the
// bytes, read suggest_result_json, and check that the typed accessors say
// exactly what the JSON says (counts, codes, titles, scores, ranks,
// evidence spans in the chosen unit, rule ids, code set), that out-of-range
// indices give NULL/0/{0,0}, and that every error path returns non-OK with
// no result and an error carrying status, kind, message and offset. The
// model is loaded once. The last input byte picks the options:
//   bit 0      text layer off;
//   bits 1-2   offset unit (0 bytes, 1 UTF-16, 2 code points, 3 bytes);
//   bits 3-4   == 3: invalid UTF-8 is an error, else it is repaired;
//   0xF0-0xFF  max note size is one byte short (note_too_large); a rare
//              last byte, so most inputs are analysed.

#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "fuzz_util.h"
#include "suggest/suggest_c.h"

namespace {

suggest_model* GetModel() {
  static suggest_model* model = [] {
    suggest_model* m = nullptr;
    suggest_error* err = nullptr;
    const suggest_status st = suggest_model_load(SUGGEST_MODELS_DIR, nullptr, &m, &err);
    FUZZ_CHECK(st == SUGGEST_OK && m != nullptr && err == nullptr, "load: %s",
               suggest_error_message(err));
    return m;
  }();
  return model;
}

std::string_view View(const char* p, size_t len) {
  FUZZ_CHECK(p != nullptr, "NULL string for an index in range");
  FUZZ_CHECK(std::strlen(p) == len, "length %zu but strlen %zu", len, std::strlen(p));
  return std::string_view(p, len);
}

// A failed call: non-OK, no result, an error object that agrees.
void CheckError(suggest_status st, const suggest_result* res, const suggest_error* err,
                const char* kind, int64_t offset) {
  FUZZ_CHECK(st == SUGGEST_ERR_INVALID_ARGUMENT, "%s: status %s", kind, suggest_status_name(st));
  FUZZ_CHECK(res == nullptr, "%s: result set on failure", kind);
  FUZZ_CHECK(err != nullptr, "%s: no error object", kind);
  FUZZ_CHECK(suggest_error_status(err) == st, "%s: error status differs", kind);
  FUZZ_CHECK(std::strcmp(suggest_error_kind(err), kind) == 0, "kind \"%s\", want \"%s\" (%s)",
             suggest_error_kind(err), kind, suggest_error_message(err));
  FUZZ_CHECK(suggest_error_message(err)[0] != '\0', "%s: empty message", kind);
  FUZZ_CHECK(suggest_error_offset(err) == offset, "%s: offset %lld, want %lld", kind,
             static_cast<long long>(suggest_error_offset(err)), static_cast<long long>(offset));
}

void CheckAccessors(const suggest_result* res, int unit, bool text_layer) {
  size_t len = 1;
  const char* json = suggest_result_json(res, &len);
  const std::string_view text = View(json, len);
  FUZZ_CHECK(suggest_result_json(res, nullptr) == json, "JSON not cached");
  FUZZ_CHECK(fuzz::IsValidUtf8(text), "JSON is not valid UTF-8");
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(!j.is_discarded() && j.is_object(), "JSON does not parse");
  FUZZ_CHECK(j.at("id") == "" && j.at("status") == "ok", "id/status");
  FUZZ_CHECK(j.contains("sections") == text_layer, "text layer presence");

  FUZZ_CHECK(static_cast<int>(suggest_result_offset_units(res)) == unit, "offset units");
  static const char* const kUnitNames[] = {"bytes", "utf16", "codepoints"};
  FUZZ_CHECK(j.value("offset_unit", "bytes") == kUnitNames[unit], "JSON offset_unit");
  FUZZ_CHECK(View(suggest_result_code_set(res, &len), len) == j.value("code_set", ""), "code set");
  const auto& facts = j.at("facts");
  FUZZ_CHECK(suggest_result_fact_count(res) == facts.size(), "fact count");

  const auto& sug = j.at("suggestions");
  const size_t n = suggest_result_suggestion_count(res);
  FUZZ_CHECK(n == sug.size(), "suggestion count %zu vs JSON %zu", n, sug.size());
  for (size_t i = 0; i < n; ++i) {
    const auto& s = sug[i];
    FUZZ_CHECK(View(suggest_result_suggestion_code(res, i, &len), len) == s.at("code"), "code %zu",
               i);
    FUZZ_CHECK(View(suggest_result_suggestion_title(res, i, &len), len) == s.at("title"),
               "title %zu", i);
    FUZZ_CHECK(View(suggest_result_suggestion_rationale(res, i, &len), len) == s.at("rationale"),
               "rationale %zu", i);
    FUZZ_CHECK(suggest_result_suggestion_score(res, i) == s.at("score").get<double>(), "score %zu",
               i);
    FUZZ_CHECK(suggest_result_suggestion_rank(res, i) == s.at("rank").get<int>() &&
                   s.at("rank").get<int>() == static_cast<int>(i) + 1,
               "rank %zu", i);
    const auto& ev = s.at("evidence");
    const size_t ne = suggest_result_suggestion_evidence_count(res, i);
    FUZZ_CHECK(ne == ev.size() && ne > 0, "evidence count %zu of %zu", ne, i);
    for (size_t k = 0; k < ne; ++k) {
      const suggest_span sp = suggest_result_suggestion_evidence_span(res, i, k);
      FUZZ_CHECK(sp.begin == ev[k].at("begin").get<uint32_t>() &&
                     sp.end == ev[k].at("end").get<uint32_t>() && sp.begin <= sp.end,
                 "evidence %zu.%zu: [%u,%u) vs JSON", i, k, sp.begin, sp.end);
      const int fact = ev[k].at("fact").get<int>();
      FUZZ_CHECK(fact >= 0 && static_cast<size_t>(fact) < facts.size(), "evidence fact %d", fact);
      FUZZ_CHECK(View(suggest_result_suggestion_evidence_rule_id(res, i, k, &len), len) ==
                     facts[fact].at("rule"),
                 "rule id %zu.%zu", i, k);
    }
    // One past the end of the evidence list.
    const suggest_span none = suggest_result_suggestion_evidence_span(res, i, ne);
    FUZZ_CHECK(none.begin == 0 && none.end == 0, "evidence past the end");
    len = 1;
    FUZZ_CHECK(suggest_result_suggestion_evidence_rule_id(res, i, ne, &len) == nullptr && len == 0,
               "rule id past the end");
  }
  // One past the end of the suggestions.
  len = 1;
  FUZZ_CHECK(suggest_result_suggestion_code(res, n, &len) == nullptr && len == 0,
             "code past the end");
  FUZZ_CHECK(suggest_result_suggestion_title(res, n, nullptr) == nullptr &&
                 suggest_result_suggestion_rationale(res, n, nullptr) == nullptr &&
                 suggest_result_suggestion_score(res, n) == 0.0 &&
                 suggest_result_suggestion_rank(res, n) == 0 &&
                 suggest_result_suggestion_evidence_count(res, n) == 0,
             "accessors past the end");
  const suggest_span none = suggest_result_suggestion_evidence_span(res, n, 0);
  FUZZ_CHECK(none.begin == 0 && none.end == 0, "span past the end");
}

}  // namespace

// The model loads before the first input: compiling the prescreen without a
// cache takes seconds under ASan, which must not count against -timeout.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  GetModel();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  suggest_model* model = GetModel();
  const char* text = reinterpret_cast<const char*>(data);
  const uint8_t flags = size ? data[size - 1] : 0;
  const bool text_layer = (flags & 1) == 0;
  const int unit = ((flags >> 1) & 3) == 3 ? 0 : (flags >> 1) & 3;
  const bool strict = ((flags >> 3) & 3) == 3;
  const bool too_large = size > 0 && (flags >> 4) == 0xF;

  suggest_options* opts = suggest_options_new();
  FUZZ_CHECK(opts != nullptr, "options");
  FUZZ_CHECK(suggest_options_set_include_text_layer(opts, text_layer) == SUGGEST_OK &&
                 suggest_options_set_offset_units(opts, static_cast<suggest_offset_units>(unit)) ==
                     SUGGEST_OK &&
                 suggest_options_set_invalid_utf8(
                     opts, strict ? SUGGEST_INVALID_UTF8_ERROR : SUGGEST_INVALID_UTF8_REPAIR) ==
                     SUGGEST_OK,
             "setters");
  if (too_large)
    FUZZ_CHECK(suggest_options_set_max_note_bytes(opts, size - 1) == SUGGEST_OK, "max bytes");

  const fuzz::RefUtf8 ref = fuzz::DecodeRef(std::string_view(text, size));
  suggest_result* res = reinterpret_cast<suggest_result*>(&res);  // must be reset on entry
  suggest_error* err = reinterpret_cast<suggest_error*>(&err);
  const suggest_status st = suggest_analyze(model, size ? text : nullptr, size, opts, &res, &err);
  if (size == 0) {
    CheckError(st, res, err, "empty_note", -1);
  } else if (too_large) {
    CheckError(st, res, err, "note_too_large", -1);
  } else if (strict && !ref.valid()) {
    CheckError(st, res, err, "invalid_utf8", static_cast<int64_t>(ref.first_bad));
  } else {
    FUZZ_CHECK(st == SUGGEST_OK && res != nullptr && err == nullptr, "analyze: %s %s",
               suggest_status_name(st), suggest_error_message(err));
    CheckAccessors(res, unit, text_layer);
  }
  suggest_result_free(res);
  suggest_error_free(err);

  // NULL text with a length is refused, whatever the bytes.
  res = nullptr;
  err = nullptr;
  const suggest_status null_st = suggest_analyze(model, nullptr, size + 1, opts, &res, &err);
  CheckError(null_st, res, err, "null_argument", -1);
  suggest_error_free(err);
  suggest_options_free(opts);
  return 0;
}
