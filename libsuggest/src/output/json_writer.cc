// Copyright libsuggest authors.
//
// The only file that knows the JSON shape of a result (design.md section 5).
// Key order is fixed so outputs diff cleanly. nlohmann::ordered_json keeps
// insertion order; dump() replaces invalid UTF-8 (possible in evidence text
// under the repair policy) instead of throwing.

#include <nlohmann/json.hpp>

#include "suggest/suggest.h"
#include "text/offset_units.h"

namespace suggest {
namespace {

using Json = nlohmann::ordered_json;

const char* OffsetUnitName(OffsetUnit u) {
  switch (u) {
    case OffsetUnit::kBytes: return "bytes";
    case OffsetUnit::kUtf16: return "utf16";
    case OffsetUnit::kCodePoints: return "codepoints";
  }
  return "bytes";
}

class SpanWriter {
 public:
  SpanWriter(std::string_view text, OffsetUnit unit)
      : text_(text), unit_(unit), conv_(text) {}

  // Adds "begin", "end" (in the output unit) and "text" (original bytes).
  void Put(Json& obj, const Span& s) const {
    obj["begin"] = Convert(s.begin);
    obj["end"] = Convert(s.end);
    obj["text"] = std::string(text_.substr(s.begin, s.size()));
  }

 private:
  uint32_t Convert(uint32_t b) const {
    return unit_ == OffsetUnit::kBytes ? b : conv_.Convert(b, unit_);
  }
  std::string_view text_;
  OffsetUnit unit_;
  internal::OffsetConverter conv_;
};

std::string Dump(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace

std::string ResultToJson(const Result& result, std::string_view text,
                         std::string_view id, const AnalyzeOptions& options) {
  const SpanWriter spans(text, options.offset_unit);
  Json j;
  j["id"] = std::string(id);
  j["status"] = "ok";
  if (options.offset_unit != OffsetUnit::kBytes)
    j["offset_unit"] = OffsetUnitName(options.offset_unit);
  if (!result.code_set.empty()) j["code_set"] = result.code_set;
  Json suggestions = Json::array();
  for (const Suggestion& s : result.suggestions) {
    Json o;
    o["code"] = s.code;
    o["title"] = s.title;
    o["score"] = s.score;
    o["rank"] = s.rank;
    o["rationale"] = s.rationale;
    Json ev = Json::array();
    for (const Evidence& e : s.evidence) {
      Json x;
      spans.Put(x, e.span);
      x["fact"] = e.fact;
      ev.push_back(std::move(x));
    }
    o["evidence"] = std::move(ev);
    suggestions.push_back(std::move(o));
  }
  j["suggestions"] = std::move(suggestions);
  Json facts = Json::array();
  for (const Fact& f : result.facts) {
    Json o;
    o["id"] = f.id;
    o["kind"] = f.kind;
    if (!f.when.empty()) o["when"] = f.when;
    o["assertion"] = AssertionName(f.assertion);
    if (f.has_cue) {
      Json cue;
      spans.Put(cue, f.cue.span);
      cue["rule"] = f.cue.rule_id;
      o["cue"] = std::move(cue);
    } else {
      o["cue"] = nullptr;
    }
    o["segments"] = f.segments;
    o["regions"] = f.regions;
    if (!f.vertebrae.empty()) o["vertebrae"] = f.vertebrae;
    if (!f.modality.empty()) o["modality"] = f.modality;
    if (!f.finding.empty()) o["finding"] = f.finding;
    if (!f.detail.empty()) o["detail"] = f.detail;
    spans.Put(o, f.span);
    Json levels = Json::array();
    for (const Span& s : f.level_spans) {
      Json l;
      spans.Put(l, s);
      levels.push_back(std::move(l));
    }
    o["level_spans"] = std::move(levels);
    o["rule"] = f.rule_id;
    if (f.weak) o["weak"] = true;
    o["section"] = f.section;
    o["section_kind"] = f.section_kind;
    o["sentence"] = f.sentence;
    facts.push_back(std::move(o));
  }
  j["facts"] = std::move(facts);
  Json suppressed = Json::array();
  for (const Suppressed& s : result.suppressed)
    suppressed.push_back({{"code", s.code}, {"reason", s.reason}, {"facts", s.facts}});
  j["suppressed"] = std::move(suppressed);
  Json gaps = Json::array();
  for (const Gap& g : result.gaps)
    gaps.push_back({{"kind", g.kind}, {"message", g.message}, {"facts", g.facts}});
  j["gaps"] = std::move(gaps);

  if (result.replaced_bytes > 0) j["replaced_bytes"] = result.replaced_bytes;
  if (!options.include_text_layer) return Dump(j);
  Json sections = Json::array();
  for (const Section& s : result.sections) {
    Json o;
    o["kind"] = s.kind;
    Json header;
    spans.Put(header, s.header);
    o["header"] = std::move(header);
    spans.Put(o, s.body);
    sections.push_back(std::move(o));
  }
  j["sections"] = std::move(sections);

  Json sentences = Json::array();
  for (const Sentence& s : result.sentences) {
    Json o;
    spans.Put(o, s.span);
    o["section"] = s.section;
    sentences.push_back(std::move(o));
  }
  j["sentences"] = std::move(sentences);
  return Dump(j);
}

std::string ErrorToJson(std::string_view id, const Status& status) {
  Json j;
  j["id"] = std::string(id);
  j["status"] = "error";
  Json e;
  e["kind"] = status.kind().empty() ? StatusCodeName(status.code()) : status.kind();
  e["message"] = status.message();
  if (status.offset() >= 0) e["offset"] = status.offset();
  j["error"] = std::move(e);
  return Dump(j);
}

uint32_t ConvertOffset(std::string_view text, uint32_t byte_offset,
                       OffsetUnit unit) {
  if (unit == OffsetUnit::kBytes) return byte_offset;
  return internal::OffsetConverter(text).Convert(byte_offset, unit);
}

}  // namespace suggest
