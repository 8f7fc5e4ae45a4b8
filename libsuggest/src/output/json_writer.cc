// Copyright libsuggest authors.
//
// The only file that knows the JSON shape of a result (design.md section 5).
// Key order is fixed so outputs diff cleanly.
//
// ResultToJson writes the text directly into one string: building an
// nlohmann::ordered_json tree first cost one allocation per key and value and
// was a third of `suggest batch --text-layer` (docs/performance.md). The
// bytes are exactly what ordered_json::dump(-1, ' ', false, replace) printed
// before (tests/unit/output/json_writer_test.cc keeps that tree as the
// reference): compact separators, the same string escapes, and nlohmann's own
// number formatting for doubles. A string that is not valid UTF-8 (evidence
// text under the repair policy) is still escaped by nlohmann, whose
// replacement rule for bad bytes is its own.

#include <algorithm>
#include <charconv>
#include <cstring>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>

#include "suggest/suggest.h"
#include "util/byte_scan.h"
#include "util/offset_units.h"
#include "util/utf8.h"

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

std::string Dump(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// Appends JSON text to one buffer. Callers put the ',' and ':' separators
// through Key() and the comma logic of Open/Close, so the output is compact
// like dump(-1). Every write makes room once and then stores through a
// pointer: a result has tens of thousands of small pieces, and a capacity
// check per character was most of the writer's time.
class Writer {
 public:
  explicit Writer(size_t reserve) { buf_.resize(reserve); }
  // Streaming: what is written goes to `sink` in pieces of about `piece`
  // bytes, cut only between values (Open, Key), so the buffer never holds
  // the whole document (the text layer of a long note is 3 x its size).
  Writer(size_t reserve, size_t piece, const std::function<void(std::string_view)>* sink)
      : sink_(sink), piece_(piece) {
    buf_.resize(std::min(reserve, piece + piece / 8));
  }

  // '{' or '['.
  void Open(char c) {
    MaybeFlush();
    char* p = Room(2);
    if (!first_) *p++ = ',';
    *p++ = c;
    End(p);
    first_ = true;
  }
  void Close(char c) {
    *Room(1) = c;
    ++size_;
    first_ = false;
  }
  // "key": (keys are ASCII literals without characters to escape)
  void Key(std::string_view k) {
    MaybeFlush();
    char* p = Room(k.size() + 4);
    if (!first_) *p++ = ',';
    *p++ = '"';
    std::memcpy(p, k.data(), k.size());
    p += k.size();
    *p++ = '"';
    *p++ = ':';
    End(p);
    first_ = true;  // the value that follows takes no comma
  }
  void String(std::string_view s) {
    Sep();
    Escaped(s);
  }
  void Int(int64_t v) {
    char* p = Room(24);
    if (!first_) *p++ = ',';
    first_ = false;
    End(std::to_chars(p, p + 21, v).ptr);
  }
  void Double(double v) {
    Raw(Json(v).dump());  // nlohmann's float format ("0.9", "1.0")
  }
  void Bool(bool v) { Raw(v ? "true" : "false"); }
  void Null() { Raw("null"); }
  void Strings(const std::vector<std::string>& v) {
    Open('[');
    for (const std::string& s : v) String(s);
    Close(']');
  }
  void Ints(const std::vector<int>& v) {
    Open('[');
    for (int i : v) Int(i);
    Close(']');
  }
  std::string Take() {
    buf_.resize(size_);
    return std::move(buf_);
  }
  // Streaming: hands over what is left.
  void Flush() {
    if (size_ > 0) (*sink_)(std::string_view(buf_.data(), size_));
    size_ = 0;
  }

 private:
  // Room for n more bytes; returns where they go. End(p) then marks the
  // bytes up to p as written.
  char* Room(size_t n) {
    if (size_ + n > buf_.size()) buf_.resize(std::max(2 * buf_.size(), size_ + n));
    return buf_.data() + size_;
  }
  void End(const char* p) { size_ = p - buf_.data(); }
  void MaybeFlush() {
    if (sink_ != nullptr && size_ >= piece_) Flush();
  }
  void Sep() {
    if (!first_) {
      *Room(1) = ',';
      ++size_;
    }
    first_ = false;
  }
  void Append(std::string_view s) {
    std::memcpy(Room(s.size()), s.data(), s.size());
    size_ += s.size();
  }
  void Raw(std::string_view s) {
    Sep();
    Append(s);
  }
  // As nlohmann's dump_escaped with ensure_ascii = false: '"', '\\' and
  // control characters escaped (\b \t \n \f \r, else \u00xx), everything
  // else, DEL and non-ASCII included, copied. Invalid UTF-8 is left to
  // nlohmann (its replacement of bad bytes is its own), so the first
  // non-ASCII byte triggers one validation of the whole string.
  void Escaped(std::string_view s) {
    const size_t mark = size_;
    const char* const in = s.data();
    const size_t n = s.size();
    char* p = Room(n + 2);  // the common case: nothing to escape
    *p++ = '"';
    uint64_t high = internal::scan::kHigh;  // 0 once validated as UTF-8
    size_t i = 0;
    while (i < n) {
      // j: the next byte to escape, or n.
      size_t j = i;
      for (;;) {
        // Eight bytes at a time while none needs a look (the usual case).
        while (j + 8 <= n) {
          const uint64_t w = internal::scan::Load8(in + j);
          if ((internal::scan::HasLess(w, 0x20) | internal::scan::HasByte(w, '"') |
               internal::scan::HasByte(w, '\\') | (w & high)) != 0) {
            break;
          }
          j += 8;
        }
        if (j >= n) break;
        const auto c = static_cast<unsigned char>(in[j]);
        if (c < 0x20 || c == '"' || c == '\\') break;
        if (c >= 0x80 && high != 0) {
          if (internal::FindInvalidUtf8(s) != internal::kNoError) {
            size_ = mark;  // the comma before it stays
            Append(Dump(Json(std::string(s))));
            return;
          }
          high = 0;
        }
        ++j;
      }
      std::memcpy(p, in + i, j - i);  // fits: room for n + 2 was made
      p += j - i;
      if (j == n) break;
      // One character to escape: up to 6 bytes instead of 1.
      End(p);
      p = Room(n - j + 6 + 1);
      const auto c = static_cast<unsigned char>(in[j]);
      switch (c) {
        case '"': *p++ = '\\'; *p++ = '"'; break;
        case '\\': *p++ = '\\'; *p++ = '\\'; break;
        case '\b': *p++ = '\\'; *p++ = 'b'; break;
        case '\t': *p++ = '\\'; *p++ = 't'; break;
        case '\n': *p++ = '\\'; *p++ = 'n'; break;
        case '\f': *p++ = '\\'; *p++ = 'f'; break;
        case '\r': *p++ = '\\'; *p++ = 'r'; break;
        default: {
          static constexpr char kHex[] = "0123456789abcdef";
          const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
          std::memcpy(p, esc, 6);
          p += 6;
        }
      }
      i = j + 1;
    }
    *p++ = '"';
    End(p);
  }

  std::string buf_;  // bytes [0, size_) are written
  size_t size_ = 0;
  bool first_ = true;
  const std::function<void(std::string_view)>* sink_ = nullptr;  // streaming
  size_t piece_ = 0;
};

class SpanWriter {
 public:
  SpanWriter(std::string_view text, OffsetUnit unit) : text_(text), unit_(unit) {
    // The conversion table costs a pass over the note: only when asked for.
    if (unit != OffsetUnit::kBytes) conv_.emplace(text);
  }

  // Adds "begin", "end" (in the output unit) and "text" (original bytes).
  void Put(Writer& w, const Span& s) const {
    w.Key("begin");
    w.Int(Convert(s.begin));
    w.Key("end");
    w.Int(Convert(s.end));
    w.Key("text");
    w.String(text_.substr(s.begin, s.size()));
  }

 private:
  uint32_t Convert(uint32_t b) const { return conv_ ? conv_->Convert(b, unit_) : b; }
  std::string_view text_;
  OffsetUnit unit_;
  std::optional<internal::OffsetConverter> conv_;
};

// Room for the whole document up front, so the buffer rarely grows: with
// the text layer the note's text appears twice (section bodies, then
// sentences), plus about 64 bytes of keys and offsets per item.
size_t ReserveFor(const Result& r, std::string_view text, bool text_layer) {
  size_t n = 256 + 640 * r.facts.size() + 512 * r.suggestions.size() +
             192 * r.not_coded.size();
  if (text_layer) n += 2 * text.size() + 64 * (r.sections.size() + r.sentences.size());
  return n;
}

// Provenance (docs/interop.md): the result shape, the engine, the data.
void WriteProvenance(Writer& w, const Result& result) {
  w.Key("schema_version");
  w.Int(SUGGEST_RESULT_SCHEMA_VERSION);
  w.Key("engine");
  w.Open('{');
  w.Key("name");
  w.String(SUGGEST_ENGINE_NAME);
  w.Key("version");
  w.String(SUGGEST_VERSION_STRING);
  w.Close('}');
  w.Key("models_version");
  w.String(result.models_version);
}

// "id", "status", provenance, offset unit, code set, setting and the
// caller's input fields (echoed when given).
void WriteHead(Writer& w, const Result& result, std::string_view id,
               const AnalyzeOptions& options) {
  w.Key("id");
  w.String(id);
  w.Key("status");
  w.String("ok");
  WriteProvenance(w, result);
  if (options.offset_unit != OffsetUnit::kBytes) {
    w.Key("offset_unit");
    w.String(OffsetUnitName(options.offset_unit));
  }
  if (!result.code_set.empty()) {
    w.Key("code_set");
    w.String(result.code_set);
  }
  w.Key("setting");
  w.String(SettingName(result.setting));
  if (!result.date_of_service.empty()) {
    w.Key("date_of_service");
    w.String(result.date_of_service);
  }
  if (!result.patient_id.empty()) {
    w.Key("patient_id");
    w.String(result.patient_id);
  }
  if (!result.encounter_id.empty()) {
    w.Key("encounter_id");
    w.String(result.encounter_id);
  }
}

void WriteSuggestions(Writer& w, const SpanWriter& spans, const std::vector<Suggestion>& all) {
  w.Key("suggestions");
  w.Open('[');
  for (const Suggestion& s : all) {
    w.Open('{');
    w.Key("code");
    w.String(s.code);
    w.Key("title");
    w.String(s.title);
    w.Key("score");
    w.Double(s.score);
    w.Key("rank");
    w.Int(s.rank);
    w.Key("rationale");
    w.String(s.rationale);
    w.Key("evidence");
    w.Open('[');
    for (const Evidence& e : s.evidence) {
      w.Open('{');
      spans.Put(w, e.span);
      w.Key("fact");
      w.Int(e.fact);
      w.Close('}');
    }
    w.Close(']');
    w.Close('}');
  }
  w.Close(']');
}

// A fact's id, kind, timing, assertion and cue, and its sites.
void WriteFactFinding(Writer& w, const SpanWriter& spans, const Fact& f) {
  w.Key("id");
  w.Int(f.id);
  w.Key("kind");
  w.String(f.kind);
  if (!f.when.empty()) {
    w.Key("when");
    w.String(f.when);
  }
  w.Key("assertion");
  w.String(AssertionName(f.assertion));
  w.Key("cue");
  if (f.has_cue) {
    w.Open('{');
    spans.Put(w, f.cue.span);
    w.Key("rule");
    w.String(f.cue.rule_id);
    w.Close('}');
  } else {
    w.Null();
  }
  w.Key("segments");
  w.Strings(f.segments);
  w.Key("regions");
  w.Strings(f.regions);
  if (!f.vertebrae.empty()) {
    w.Key("vertebrae");
    w.Strings(f.vertebrae);
  }
}

// The optional details of a fact, then where it was found.
void WriteFactSource(Writer& w, const SpanWriter& spans, const Fact& f) {
  if (!f.modality.empty()) {
    w.Key("modality");
    w.String(f.modality);
  }
  if (!f.finding.empty()) {
    w.Key("finding");
    w.String(f.finding);
  }
  if (!f.detail.empty()) {
    w.Key("detail");
    w.String(f.detail);
  }
  if (f.at_discharge) {  // only when true: among the diagnoses at discharge
    w.Key("at_discharge");
    w.Bool(true);
  }
  spans.Put(w, f.span);
  w.Key("level_spans");
  w.Open('[');
  for (const Span& s : f.level_spans) {
    w.Open('{');
    spans.Put(w, s);
    w.Close('}');
  }
  w.Close(']');
  w.Key("rule");
  w.String(f.rule_id);
  if (f.weak) {
    w.Key("weak");
    w.Bool(true);
  }
  w.Key("section");
  w.Int(f.section);
  w.Key("section_kind");
  w.String(f.section_kind);
  w.Key("sentence");
  w.Int(f.sentence);
}

void WriteFacts(Writer& w, const SpanWriter& spans, const std::vector<Fact>& facts) {
  w.Key("facts");
  w.Open('[');
  for (const Fact& f : facts) {
    w.Open('{');
    WriteFactFinding(w, spans, f);
    WriteFactSource(w, spans, f);
    w.Close('}');
  }
  w.Close(']');
}

// "suppressed", "gaps" and "not_coded" (fact ids only: no offsets to
// convert).
void WriteNotSuggested(Writer& w, const Result& result) {
  w.Key("suppressed");
  w.Open('[');
  for (const Suppressed& s : result.suppressed) {
    w.Open('{');
    w.Key("code");
    w.String(s.code);
    w.Key("reason");
    w.String(s.reason);
    w.Key("facts");
    w.Ints(s.facts);
    w.Close('}');
  }
  w.Close(']');
  w.Key("gaps");
  w.Open('[');
  for (const Gap& g : result.gaps) {
    w.Open('{');
    w.Key("kind");
    w.String(g.kind);
    w.Key("message");
    w.String(g.message);
    w.Key("facts");
    w.Ints(g.facts);
    w.Close('}');
  }
  w.Close(']');
  w.Key("not_coded");
  w.Open('[');
  for (const NotCoded& n : result.not_coded) {
    w.Open('{');
    w.Key("facts");
    w.Ints(n.facts);
    w.Key("basis");
    w.String(n.basis);
    w.Key("reason");
    w.String(n.reason);
    if (!n.code.empty()) {
      w.Key("code");
      w.String(n.code);
    }
    w.Close('}');
  }
  w.Close(']');
}

// "sections" and "sentences" (include_text_layer).
void WriteTextLayer(Writer& w, const SpanWriter& spans, const Result& result) {
  w.Key("sections");
  w.Open('[');
  for (const Section& s : result.sections) {
    w.Open('{');
    w.Key("kind");
    w.String(s.kind);
    w.Key("header");
    w.Open('{');
    spans.Put(w, s.header);
    w.Close('}');
    spans.Put(w, s.body);
    w.Close('}');
  }
  w.Close(']');
  w.Key("sentences");
  w.Open('[');
  for (const Sentence& s : result.sentences) {
    w.Open('{');
    spans.Put(w, s.span);
    w.Key("section");
    w.Int(s.section);
    w.Close('}');
  }
  w.Close(']');
}

// The document into `w`, whole or streamed.
void WriteResult(Writer& w, const Result& result, std::string_view text,
                 std::string_view id, const AnalyzeOptions& options) {
  const SpanWriter spans(text, options.offset_unit);
  w.Open('{');
  WriteHead(w, result, id, options);
  WriteSuggestions(w, spans, result.suggestions);
  WriteFacts(w, spans, result.facts);
  WriteNotSuggested(w, result);
  if (result.replaced_bytes > 0) {
    w.Key("replaced_bytes");
    w.Int(result.replaced_bytes);
  }
  // Only when it happened, so ordinary results keep their exact bytes.
  if (result.truncated) {
    w.Key("truncated");
    w.Bool(true);
  }
  if (options.include_text_layer) WriteTextLayer(w, spans, result);
  w.Close('}');
}

}  // namespace

std::string ResultToJson(const Result& result, std::string_view text,
                         std::string_view id, const AnalyzeOptions& options) {
  Writer w(ReserveFor(result, text, options.include_text_layer));
  WriteResult(w, result, text, id, options);
  return w.Take();
}

void ResultToJson(const Result& result, std::string_view text, std::string_view id,
                  const AnalyzeOptions& options,
                  const std::function<void(std::string_view)>& sink) {
  constexpr size_t kPiece = 1 << 20;
  Writer w(ReserveFor(result, text, options.include_text_layer), kPiece, &sink);
  WriteResult(w, result, text, id, options);
  w.Flush();
}

std::string ProvenanceToJson(const Result& result) {
  Writer w(256);
  w.Open('{');
  WriteProvenance(w, result);
  w.Key("code_set");
  w.String(result.code_set);
  w.Close('}');
  return w.Take();
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
