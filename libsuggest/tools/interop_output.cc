// Copyright libsuggest authors.
//
// FHIR R4 Bundles and OMOP CDM v5.4 NOTE_NLP rows (interop_output.h). The
// mapping of every field is in docs/interop.md; keep the two in step.

#include "interop_output.h"

#include <spdlog/fmt/fmt.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <vector>

#include "batch_output.h"

namespace suggest::tools {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kIcd10CmSystem = "http://hl7.org/fhir/sid/icd-10-cm";
constexpr const char* kDerivationReference =
    "http://hl7.org/fhir/StructureDefinition/derivation-reference";
// Our own extensions (docs/interop.md "FHIR extensions").
constexpr const char* kExtSuggestion =
    "https://libsuggest.invalid/fhir/StructureDefinition/suggestion";
constexpr const char* kExtSetting =
    "https://libsuggest.invalid/fhir/StructureDefinition/care-setting";
constexpr const char* kExtNotCoded =
    "https://libsuggest.invalid/fhir/StructureDefinition/not-coded";

InteropOptions& Options() {
  static InteropOptions o;
  return o;
}

uint64_t Fnv1a(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

// A UUID (RFC 9562 version 8: our own layout) for resource `n` of the note
// `id`: the same note gives the same UUIDs on every run, and the resources
// of one Bundle never share one.
std::string Uuid(std::string_view id, uint64_t n) {
  const uint64_t h = Fnv1a(id);
  return fmt::format("urn:uuid:{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", h >> 32, (h >> 16) & 0xFFFF,
                     0x8000 | (h & 0x0FFF), 0x8000 | ((n >> 48) & 0x3FFF),
                     n & 0xFFFFFFFFFFFFull);
}

std::string Base64(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const uint32_t v = uint32_t(uint8_t(in[i])) << 16 | uint32_t(uint8_t(in[i + 1])) << 8 |
                       uint8_t(in[i + 2]);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i < in.size()) {
    uint32_t v = uint32_t(uint8_t(in[i])) << 16;
    if (i + 1 < in.size()) v |= uint32_t(uint8_t(in[i + 1])) << 8;
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string Dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

// Length of the valid UTF-8 sequence at s[i], or 0.
size_t Utf8Len(std::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  if (n == 2 && c < 0xC2) return 0;
  if (n == 3) {
    const auto c1 = static_cast<unsigned char>(s[i + 1]);
    if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0)) return 0;
  }
  if (n == 4) {
    const auto c1 = static_cast<unsigned char>(s[i + 1]);
    if (c > 0xF4 || (c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 >= 0x90)) return 0;
  }
  return n;
}

// Byte offsets of one note converted to the --offsets unit with one scan
// of the text (ConvertOffset rescans the text on every call): Add() every
// offset first, then Convert().
class Offsets {
 public:
  Offsets(std::string_view text, OffsetUnit unit) : text_(text), unit_(unit) {}
  void Add(uint32_t b) { want_.push_back(b); }
  void Build() {
    if (unit_ == OffsetUnit::kBytes) return;
    std::sort(want_.begin(), want_.end());
    want_.erase(std::unique(want_.begin(), want_.end()), want_.end());
    got_.resize(want_.size());
    uint32_t units = 0;
    size_t i = 0;
    for (size_t k = 0; k < want_.size(); ++k) {
      const size_t stop = std::min<size_t>(want_[k], text_.size());
      // As the library counts: an invalid byte is one U+FFFD.
      while (i < stop) {
        const size_t n = Utf8Len(text_, i);
        units += n == 4 && unit_ == OffsetUnit::kUtf16 ? 2 : 1;
        i += n == 0 ? 1 : n;
      }
      got_[k] = units;
    }
  }
  uint32_t Convert(uint32_t b) const {
    if (unit_ == OffsetUnit::kBytes) return b;
    const auto it = std::lower_bound(want_.begin(), want_.end(), b);
    return it != want_.end() && *it == b ? got_[it - want_.begin()]
                                         : ConvertOffset(text_, b, unit_);
  }

 private:
  std::string_view text_;
  OffsetUnit unit_;
  std::vector<uint32_t> want_, got_;
};

// Reference to the patient / encounter: a logical reference by identifier
// (the caller's id need not be a FHIR resource id). No patient: the
// data-absent-reason extension keeps Condition.subject (required) valid.
Json SubjectRef(const Result& r) {
  if (!r.patient_id.empty())
    return Json{{"type", "Patient"}, {"identifier", {{"value", r.patient_id}}}};
  return Json{{"extension",
               Json::array({{{"url", "http://hl7.org/fhir/StructureDefinition/data-absent-reason"},
                             {"valueCode", "unknown"}}})}};
}

Json EncounterRef(const Result& r) {
  return Json{{"type", "Encounter"}, {"identifier", {{"value", r.encounter_id}}}};
}

// The derivation-reference extension (FHIR R5 extension pack, usable on any
// element in R4): where in the note a span is. Offsets in the --offsets unit.
Json Derivation(const std::string& doc_ref, Span span, const Offsets& offsets) {
  const uint32_t b = offsets.Convert(span.begin), e = offsets.Convert(span.end);
  Json ext = Json::array();
  ext.push_back({{"url", "reference"}, {"valueReference", {{"reference", doc_ref}}}});
  ext.push_back({{"url", "path"}, {"valueString", "DocumentReference.content[0].attachment"}});
  ext.push_back({{"url", "offset"}, {"valueInteger", b}});
  ext.push_back({{"url", "length"}, {"valueInteger", e - b}});
  return Json{{"url", kDerivationReference}, {"extension", std::move(ext)}};
}

std::string FiscalYearOf(const std::string& code_set) {
  // "ICD-10-CM FY2027" -> "2027"
  const size_t p = code_set.rfind("FY");
  return p == std::string::npos ? code_set : code_set.substr(p + 2);
}

}  // namespace

void SetRunTime(InteropOptions* o) {
  std::time_t t = std::time(nullptr);
  if (const char* env = std::getenv("SOURCE_DATE_EPOCH"); env && *env) {
    long long v = 0;
    const char* end = env + std::char_traits<char>::length(env);
    auto [p, ec] = std::from_chars(env, end, v);
    if (ec == std::errc() && p == end && v >= 0) t = static_cast<std::time_t>(v);
  }
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  o->run_instant = buf;
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  o->run_date = buf;
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  o->run_datetime = buf;
}

void SetInteropOptions(InteropOptions o) { Options() = std::move(o); }
const InteropOptions& GetInteropOptions() { return Options(); }

bool LoadOmopConcepts(const std::string& path,
                      std::unordered_map<std::string, int64_t>* concepts, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot open --omop-concepts " + path;
    return false;
  }
  std::string line;
  if (!std::getline(in, line)) {
    *error = path + ": empty (no header row)";
    return false;
  }
  const char sep = line.find('\t') != std::string::npos ? '\t' : ',';
  auto split = [sep](std::string_view s) {
    if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
    std::vector<std::string_view> f;
    size_t start = 0;
    for (size_t i = 0; i <= s.size(); ++i) {
      if (i == s.size() || s[i] == sep) {
        f.push_back(s.substr(start, i - start));
        start = i + 1;
      }
    }
    return f;
  };
  const auto header = split(line);
  auto col = [&](std::string_view name) {
    auto it = std::find(header.begin(), header.end(), name);
    return it == header.end() ? -1 : static_cast<int>(it - header.begin());
  };
  const int id_col = col("concept_id"), vocab_col = col("vocabulary_id"),
            code_col = col("concept_code");
  if (id_col < 0 || vocab_col < 0 || code_col < 0) {
    *error = path + ":1: error: the header needs concept_id, vocabulary_id and concept_code";
    return false;
  }
  const size_t need = std::max({id_col, vocab_col, code_col}) + 1;
  for (uint64_t line_no = 2; std::getline(in, line); ++line_no) {
    if (line.empty() || line == "\r") continue;
    const auto f = split(line);
    if (f.size() < need) {
      *error = fmt::format("{}:{}: error: {} fields, the header has {}", path, line_no, f.size(),
                           header.size());
      return false;
    }
    if (f[vocab_col] != "ICD10CM") continue;
    int64_t id = 0;
    const auto s = f[id_col];
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
    if (ec != std::errc() || p != s.data() + s.size()) {
      *error = fmt::format("{}:{}: error: concept_id is not an integer", path, line_no);
      return false;
    }
    (*concepts)[std::string(f[code_col])] = id;
  }
  if (in.bad()) {
    *error = "cannot read --omop-concepts " + path;
    return false;
  }
  return true;
}

// ------------------------------------------------------------------- FHIR

std::string FhirBundle(const Result& r, std::string_view text, std::string_view id,
                       const AnalyzeOptions& o) {
  const InteropOptions& io = Options();
  Offsets offsets(text, o.offset_unit);
  for (const Suggestion& s : r.suggestions)
    for (const Evidence& e : s.evidence) {
      offsets.Add(e.span.begin);
      offsets.Add(e.span.end);
    }
  for (const NotCoded& nc : r.not_coded)
    for (int f : nc.facts)
      if (f >= 0 && static_cast<size_t>(f) < r.facts.size()) {
        offsets.Add(r.facts[f].span.begin);
        offsets.Add(r.facts[f].span.end);
      }
  offsets.Build();
  uint64_t n = 0;
  const std::string doc_ref = Uuid(id, n++);
  const std::string device_ref = Uuid(id, n++);
  Json entries = Json::array();

  // The note.
  Json doc;
  doc["resourceType"] = "DocumentReference";
  Json doc_ext = Json::array();
  doc_ext.push_back(
      {{"url", kExtSetting},
       {"valueCoding",
        {{"system", "http://terminology.hl7.org/CodeSystem/v3-ActCode"},
         {"code", r.setting == Setting::kInpatient ? "IMP" : "AMB"},
         {"display", r.setting == Setting::kInpatient ? "inpatient encounter" : "ambulatory"}}}});
  for (const NotCoded& nc : r.not_coded) {
    Json ext = Json::array();
    ext.push_back({{"url", "basis"}, {"valueCode", nc.basis}});
    ext.push_back({{"url", "reason"}, {"valueString", nc.reason}});
    if (!nc.code.empty())
      ext.push_back({{"url", "code"},
                     {"valueCoding", {{"system", kIcd10CmSystem}, {"code", nc.code}}}});
    for (int f : nc.facts) {
      if (f < 0 || static_cast<size_t>(f) >= r.facts.size()) continue;
      ext.push_back(Derivation(doc_ref, r.facts[f].span, offsets));
    }
    doc_ext.push_back({{"url", kExtNotCoded}, {"extension", std::move(ext)}});
  }
  doc["extension"] = std::move(doc_ext);
  if (!id.empty()) doc["identifier"] = Json::array({{{"value", std::string(id)}}});
  doc["status"] = "current";
  if (!r.patient_id.empty()) doc["subject"] = SubjectRef(r);
  Json attachment{{"contentType", "text/plain; charset=utf-8"}, {"size", r.original_size}};
  if (io.fhir_include_text) attachment["data"] = Base64(text);
  doc["content"] = Json::array({{{"attachment", std::move(attachment)}}});
  Json context = Json::object();
  if (!r.encounter_id.empty()) context["encounter"] = Json::array({EncounterRef(r)});
  if (!r.date_of_service.empty()) context["period"] = {{"start", r.date_of_service}};
  if (!context.empty()) doc["context"] = std::move(context);
  entries.push_back({{"fullUrl", doc_ref}, {"resource", std::move(doc)}});

  // One Condition per suggestion.
  Json targets = Json::array();
  const std::string year = FiscalYearOf(r.code_set);
  for (const Suggestion& s : r.suggestions) {
    const std::string ref = Uuid(id, n++);
    Json c;
    c["resourceType"] = "Condition";
    c["extension"] = Json::array(
        {{{"url", kExtSuggestion},
          {"extension", Json::array({{{"url", "score"}, {"valueDecimal", s.score}},
                                     {{"url", "rank"}, {"valueInteger", s.rank}}})}}});
    c["verificationStatus"] = {
        {"coding",
         Json::array({{{"system", "http://terminology.hl7.org/CodeSystem/condition-ver-status"},
                       {"code", "unconfirmed"}}})}};
    c["category"] = Json::array(
        {{{"coding",
           Json::array({{{"system", "http://terminology.hl7.org/CodeSystem/condition-category"},
                         {"code", "encounter-diagnosis"}}})}}});
    c["code"] = {{"coding", Json::array({{{"system", kIcd10CmSystem},
                                          {"version", year},
                                          {"code", s.code},
                                          {"display", s.title}}})},
                 {"text", s.title}};
    c["subject"] = SubjectRef(r);
    if (!r.encounter_id.empty()) c["encounter"] = EncounterRef(r);
    Json evidence{{"detail", Json::array({{{"reference", doc_ref}}})}};
    Json spans = Json::array();
    for (const Evidence& e : s.evidence) {
      Json d = Derivation(doc_ref, e.span, offsets);
      if (io.fhir_include_text && e.span.end <= text.size())
        d["extension"].push_back(
            {{"url", "text"},
             {"valueString", std::string(text.substr(e.span.begin, e.span.size()))}});
      spans.push_back(std::move(d));
    }
    if (!spans.empty()) evidence = Json{{"extension", std::move(spans)}, {"detail", evidence["detail"]}};
    c["evidence"] = Json::array({std::move(evidence)});
    if (!s.rationale.empty()) c["note"] = Json::array({{{"text", s.rationale}}});
    targets.push_back({{"reference", ref}});
    entries.push_back({{"fullUrl", ref}, {"resource", std::move(c)}});
  }

  // The engine and the data it ran on.
  Json device;
  device["resourceType"] = "Device";
  device["deviceName"] = Json::array({{{"name", SUGGEST_ENGINE_NAME}, {"type", "model-name"}}});
  device["version"] = Json::array({
      {{"type", {{"text", "engine"}}}, {"value", SUGGEST_VERSION_STRING}},
      {{"type", {{"text", "models"}}}, {"value", r.models_version}},
      {{"type", {{"text", "result schema"}}},
       {"value", std::to_string(SUGGEST_RESULT_SCHEMA_VERSION)}},
      {{"type", {{"text", "code set"}}}, {"value", r.code_set}},
  });
  entries.push_back({{"fullUrl", device_ref}, {"resource", std::move(device)}});

  // Provenance: the Conditions (or, with none, the note's analysis) were
  // assembled by the engine from the note.
  if (targets.empty()) targets.push_back({{"reference", doc_ref}});
  Json prov;
  prov["resourceType"] = "Provenance";
  prov["target"] = std::move(targets);
  prov["recorded"] = io.run_instant;
  prov["agent"] = Json::array(
      {{{"type",
         {{"coding",
           Json::array(
               {{{"system", "http://terminology.hl7.org/CodeSystem/provenance-participant-type"},
                 {"code", "assembler"}}})}}},
        {"who", {{"reference", device_ref}, {"display", std::string(SUGGEST_ENGINE_NAME) + " " +
                                                            SUGGEST_VERSION_STRING + ", models " +
                                                            r.models_version}}}}});
  prov["entity"] = Json::array({{{"role", "source"}, {"what", {{"reference", doc_ref}}}}});
  entries.push_back({{"fullUrl", Uuid(id, n++)}, {"resource", std::move(prov)}});

  Json bundle;
  bundle["resourceType"] = "Bundle";
  bundle["type"] = "collection";
  bundle["entry"] = std::move(entries);
  return Dump(bundle);
}

// ------------------------------------------------------------------- OMOP

namespace {

// At most `max_chars` code points of s as clean UTF-8 on one line: white
// space and control characters become spaces, invalid bytes U+FFFD.
std::string CleanText(std::string_view s, size_t max_chars) {
  std::string out;
  size_t chars = 0;
  for (size_t i = 0; i < s.size() && chars < max_chars; ++chars) {
    const size_t n = Utf8Len(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else if (n == 1 && (static_cast<unsigned char>(s[i]) < 0x20 || s[i] == 0x7F)) {
      out.push_back(' ');
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

// Start of the code point holding byte i (moving left over continuation
// bytes, at most 3).
size_t CharStart(std::string_view s, size_t i) {
  for (int k = 0; k < 3 && i > 0 && i < s.size() &&
                  (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80;
       ++k)
    --i;
  return i;
}

// Up to 250 code points: the span and what surrounds it, split evenly.
std::string Snippet(std::string_view text, Span span) {
  constexpr size_t kMax = 250;
  const size_t b = std::min<size_t>(span.begin, text.size());
  const size_t e = std::min<size_t>(std::max<size_t>(span.end, b), text.size());
  const std::string_view core = text.substr(b, e - b);
  const std::string core_clean = CleanText(core, kMax);
  size_t core_chars = 0;
  for (size_t i = 0; i < core_clean.size(); ++i)
    if ((static_cast<unsigned char>(core_clean[i]) & 0xC0) != 0x80) ++core_chars;
  if (core_chars >= kMax) return core_clean;
  const size_t room = kMax - core_chars;
  // Context: about room/2 code points on each side (4 bytes each at most).
  const size_t left_bytes = std::min(b, room / 2 * 4);
  size_t ls = CharStart(text, b - left_bytes);
  std::string left = CleanText(text.substr(ls, b - ls), SIZE_MAX);
  // Keep only the last room/2 code points of the left context.
  std::vector<size_t> starts;
  for (size_t i = 0; i < left.size(); ++i)
    if ((static_cast<unsigned char>(left[i]) & 0xC0) != 0x80) starts.push_back(i);
  const size_t left_keep = std::min(starts.size(), room / 2);
  if (starts.size() > left_keep) left = left.substr(starts[starts.size() - left_keep]);
  const std::string right = CleanText(text.substr(e), room - left_keep);
  return left + core_clean + right;
}

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& x : v) s += (s.empty() ? "" : ",") + x;
  return s;
}

}  // namespace

const std::string& OmopHeader() {
  static const std::string h =
      "note_nlp_id,note_id,section_concept_id,snippet,offset,lexical_variant,"
      "note_nlp_concept_id,note_nlp_source_concept_id,nlp_system,nlp_date,nlp_datetime,"
      "term_exists,term_temporal,term_modifiers\n";
  return h;
}

Status CheckOmopNoteId(std::string_view id) {
  int64_t v = -1;
  auto [p, ec] = std::from_chars(id.data(), id.data() + id.size(), v);
  if (id.empty() || ec != std::errc() || p != id.data() + id.size() || v < 0 ||
      v > kMaxOmopNoteId || (id.size() > 1 && id[0] == '0')) {
    return InvalidArgument(
        "--output-format omop needs an integer id from 0 to " + std::to_string(kMaxOmopNoteId) +
            " (NOTE_NLP.note_id; note_nlp_id = note_id * 10000 + fact number)",
        "invalid_note_id");
  }
  return Status();
}

std::string OmopRows(const Result& r, std::string_view text, std::string_view id,
                     const AnalyzeOptions& o) {
  if (r.facts.size() > 9999)
    throw std::length_error("note has " + std::to_string(r.facts.size()) +
                            " facts, more than the 9999 of the OMOP note_nlp_id scheme");
  const InteropOptions& io = Options();
  Offsets offsets(text, o.offset_unit);
  for (const Fact& f : r.facts) offsets.Add(std::min<uint32_t>(f.span.begin, text.size()));
  offsets.Build();
  int64_t note_id = 0;
  std::from_chars(id.data(), id.data() + id.size(), note_id);
  const std::string system = fmt::format("{} {}; models {}; {}", SUGGEST_ENGINE_NAME,
                                         SUGGEST_VERSION_STRING, r.models_version, r.code_set);
  // Per fact: the best-ranked suggestion it is evidence for, and why it was
  // not coded.
  std::vector<const Suggestion*> code_of(r.facts.size(), nullptr);
  for (const Suggestion& s : r.suggestions)
    for (const Evidence& e : s.evidence)
      if (e.fact >= 0 && static_cast<size_t>(e.fact) < code_of.size() && !code_of[e.fact])
        code_of[e.fact] = &s;
  std::vector<const NotCoded*> not_coded_of(r.facts.size(), nullptr);
  for (const NotCoded& nc : r.not_coded)
    for (int f : nc.facts)
      if (f >= 0 && static_cast<size_t>(f) < not_coded_of.size()) not_coded_of[f] = &nc;

  std::string out;
  for (const Fact& f : r.facts) {
    const Suggestion* s = code_of[f.id];
    const NotCoded* nc = not_coded_of[f.id];
    const bool exists =
        f.assertion == Assertion::kPresent || f.assertion == Assertion::kHistorical;
    std::string temporal = f.when;
    if (temporal.empty() && f.assertion == Assertion::kHistorical) temporal = "historical";
    std::string mods = fmt::format("kind={};assertion={}", f.kind, AssertionName(f.assertion));
    if (!f.when.empty()) mods += ";when=" + f.when;
    if (!f.segments.empty()) mods += ";segments=" + Join(f.segments);
    if (!f.regions.empty()) mods += ";regions=" + Join(f.regions);
    if (s) mods += ";code=" + s->code;
    if (nc) {
      mods += ";not_coded=" + nc->basis;
      if (!nc->code.empty()) mods += ";not_coded_code=" + nc->code;
    }
    mods += std::string(";setting=") + SettingName(r.setting);
    if (mods.size() > 2000) mods.resize(2000);  // ASCII only: no split character
    int64_t source_concept = 0;
    if (s) {
      auto it = io.omop_concepts.find(s->code);
      if (it != io.omop_concepts.end()) source_concept = it->second;
    }
    const uint32_t b = std::min<uint32_t>(f.span.begin, text.size());
    const uint32_t e = std::min<uint32_t>(std::max(f.span.end, b), text.size());
    const std::string fields[] = {
        std::to_string(note_id * 10000 + f.id + 1),
        std::to_string(note_id),
        "0",
        Snippet(text, f.span),
        std::to_string(offsets.Convert(b)),
        CleanText(text.substr(b, e - b), 250),
        "0",
        std::to_string(source_concept),
        system,
        io.run_date,
        io.run_datetime,
        exists ? "Y" : "N",
        temporal,
        mods,
    };
    for (size_t i = 0; i < std::size(fields); ++i) {
      if (i) out.push_back(',');
      AppendRfc4180Field(&out, fields[i]);  // no spreadsheet guard: for a database loader
    }
    out.push_back('\n');
  }
  return out;
}

}  // namespace suggest::tools
