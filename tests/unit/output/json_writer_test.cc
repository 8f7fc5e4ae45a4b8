// Copyright libsuggest authors.
//
// ResultToJson writes JSON text directly; it must print exactly the bytes of
// the nlohmann::ordered_json tree it replaced. That tree-building writer is
// kept here as the reference (changed only to add the keys added since:
// "setting", "not_coded"), and both run over corpus results
// (every offset unit, with and without the text layer) and over hand-made
// results with every string escape, invalid UTF-8 and awkward doubles.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

#include "../../testing/corpus.h"  // unit_tests has no tests/ include dir
#include "../../testing/model.h"
#include "suggest/suggest.h"
#include "util/offset_units.h"

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

// ---- the writer as it was (git f565911), the reference ----
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
  suggest::internal::OffsetConverter conv_;
};

std::string ReferenceJson(const Result& result, std::string_view text,
                          std::string_view id, const AnalyzeOptions& options) {
  const SpanWriter spans(text, options.offset_unit);
  Json j;
  j["id"] = std::string(id);
  j["status"] = "ok";
  j["schema_version"] = SUGGEST_RESULT_SCHEMA_VERSION;
  j["engine"] = {{"name", SUGGEST_ENGINE_NAME}, {"version", SUGGEST_VERSION_STRING}};
  j["models_version"] = result.models_version;
  if (options.offset_unit != OffsetUnit::kBytes)
    j["offset_unit"] = OffsetUnitName(options.offset_unit);
  if (!result.code_set.empty()) j["code_set"] = result.code_set;
  j["setting"] = SettingName(result.setting);
  if (!result.date_of_service.empty()) j["date_of_service"] = result.date_of_service;
  if (!result.patient_id.empty()) j["patient_id"] = result.patient_id;
  if (!result.encounter_id.empty()) j["encounter_id"] = result.encounter_id;
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
  Json not_coded = Json::array();
  for (const NotCoded& n : result.not_coded) {
    Json o;
    o["facts"] = n.facts;
    o["basis"] = n.basis;
    o["reason"] = n.reason;
    if (!n.code.empty()) o["code"] = n.code;
    not_coded.push_back(std::move(o));
  }
  j["not_coded"] = std::move(not_coded);

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

// ---- end of the reference ----

AnalyzeOptions Opts(OffsetUnit unit, bool text_layer) {
  AnalyzeOptions o;
  o.offset_unit = unit;
  o.include_text_layer = text_layer;
  return o;
}

constexpr OffsetUnit kUnits[] = {OffsetUnit::kBytes, OffsetUnit::kUtf16,
                                 OffsetUnit::kCodePoints};

TEST(JsonWriter, SameBytesAsTheTreeWriterOnCorpusResults) {
  const auto notes = testing::LoadCorpus();
  if (notes.empty()) GTEST_SKIP() << "no corpus at " << testing::CorpusPath();
  const Model& model = testing::TheModel();
  size_t compared = 0;
  // Every 7th note keeps the test quick; spine notes come in by chance and
  // by the hand-made cases below.
  for (size_t i = 0; i < notes.size(); i += 7) {
    for (bool text_layer : {false, true}) {
      for (OffsetUnit unit : kUnits) {
        const AnalyzeOptions o = Opts(unit, text_layer);
        auto r = model.Analyze(notes[i].text, o);
        ASSERT_TRUE(r.ok()) << notes[i].id;
        ASSERT_EQ(ResultToJson(*r, notes[i].text, notes[i].id, o),
                  ReferenceJson(*r, notes[i].text, notes[i].id, o))
            << "note " << notes[i].id;
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, 4000u);
}

TEST(JsonWriter, SameBytesAsTheTreeWriterOnFusionNotes) {
  const Model& model = testing::TheModel();
  const std::string notes[] = {
      "HISTORY:  s/p C5\u2013C6 ACDF.\r\nIMPRESSION:  Solid fusion L4-5, no hardware failure.",
      "Ankylosing spondylitis with bony ankylosis of the lumbar spine.  Klippel-Feil.",
      "PLAN:  L4-S1 posterolateral fusion planned.\tPseudarthrosis at L5-S1 on CT.",
  };
  for (const std::string& t : notes) {
    for (bool text_layer : {false, true}) {
      for (OffsetUnit unit : kUnits) {
        const AnalyzeOptions o = Opts(unit, text_layer);
        auto r = model.Analyze(t, o);
        ASSERT_TRUE(r.ok());
        EXPECT_FALSE(r->facts.empty()) << t;
        EXPECT_EQ(ResultToJson(*r, t, "x", o), ReferenceJson(*r, t, "x", o)) << t;
      }
    }
  }
}

// The streamed writer (ResultToJson with a sink, what `suggest analyze`
// prints) gives the same bytes in pieces: a note of ~3 MB with its text
// layer is a document of ~9 MB, handed over in several pieces of about 1 MiB.
TEST(JsonWriter, StreamedPiecesAreTheSameBytes) {
  const auto notes = testing::LoadCorpus();
  if (notes.empty()) GTEST_SKIP() << "no corpus at " << testing::CorpusPath();
  std::string text;
  for (size_t i = 0; text.size() < 3000000; i = (i + 1) % notes.size())
    text += notes[i].text + "\n\n";
  for (OffsetUnit unit : {OffsetUnit::kBytes, OffsetUnit::kUtf16}) {
    const AnalyzeOptions o = Opts(unit, true);
    auto r = testing::TheModel().Analyze(text, o);
    ASSERT_TRUE(r.ok());
    std::string streamed;
    size_t pieces = 0, largest = 0;
    ResultToJson(*r, text, "long", o, [&](std::string_view piece) {
      streamed += piece;
      ++pieces;
      largest = std::max(largest, piece.size());
    });
    EXPECT_EQ(streamed, ResultToJson(*r, text, "long", o));
    EXPECT_GT(pieces, 4u);
    EXPECT_LT(largest, 2u << 20);
  }
}

// Every control character, quote, backslash, DEL, non-ASCII text, bad
// UTF-8 (stray continuation, truncated sequence, overlong, surrogate, at the
// end), and doubles that exercise nlohmann's number format.
TEST(JsonWriter, SameBytesAsTheTreeWriterOnHandMadeResults) {
  std::string text = "ok \"q\" back\\slash \x7f caf\xc3\xa9 \xe2\x80\x93 \xf0\x9f\x98\x80 ";
  for (int c = 0; c < 0x20; ++c) text.push_back(static_cast<char>(c));
  const uint32_t clean_end = static_cast<uint32_t>(text.size());
  text += " bad:\x80|\xc3|\xe2\x80|\xc0\xaf|\xed\xa0\x80|\xf4\x90\x80\x80|end\xe2\x82";
  const uint32_t n = static_cast<uint32_t>(text.size());

  Result r;
  r.code_set = "ICD-10-CM FY2027";
  r.replaced_bytes = 9;
  const double scores[] = {0, 1, 0.9, 0.85, 0.1 + 0.2, 1e-7, 123456.0, -0.5, 2.5e20, 1.0 / 3};
  int rank = 1;
  for (double sc : scores) {
    Suggestion s;
    s.code = "M43.26";
    s.title = "Fusion of spine, lumbar region \"t\"\n";
    s.score = sc;
    s.rank = rank++;
    s.rationale = std::string("r\xff\x01") + "\u00e9";
    s.evidence = {{Span{0, 2}, 0}, {Span{4, clean_end}, -1}, {Span{clean_end, n}, 1}};
    r.suggestions.push_back(s);
  }
  for (int k = 0; k < 3; ++k) {
    Fact f;
    f.id = k;
    f.kind = "fusion_procedure";
    f.when = k == 0 ? "" : "prior";
    f.assertion = static_cast<Assertion>(k);
    f.has_cue = k != 1;
    f.cue = Cue{Span{1, 3}, "ctx\trule"};
    f.segments = k == 2 ? std::vector<std::string>{} : std::vector<std::string>{"L4-L5", "L5-S1"};
    f.regions = {"lumbar", "bad\xc3"};
    f.vertebrae = k == 0 ? std::vector<std::string>{"C5"} : std::vector<std::string>{};
    f.span = Span{0, n};
    f.level_spans = {Span{2, 4}, Span{n - 3, n}};
    f.rule_id = "rule";
    f.weak = k == 1;
    f.section = k - 1;
    f.sentence = -1;
    f.section_kind = k == 0 ? "" : "impression";
    f.modality = k == 2 ? "ct" : "";
    f.finding = k == 2 ? "solid_fusion" : "";
    f.detail = k == 0 ? "klippel_feil" : "";
    r.facts.push_back(f);
  }
  r.suppressed = {{"M43.2", "Excludes1 \"x\"", {0, 2}}, {"Q76.4", "", {}}};
  r.gaps = {{"region_unspecified", "msg\x80", {1}}};
  r.setting = Setting::kInpatient;
  r.not_coded = {{"excludes1", "Excludes1 \"x\"\n", "M45.6", {0, 2}},
                 {"uncertain", "r\xff\x01", "", {}},
                 {"negated", "", "", {1}}};
  r.sections = {{"other", Span{0, 0}, Span{0, clean_end}}, {"plan", Span{2, 5}, Span{6, n}}};
  r.sentences = {{Span{0, 3}, 0}, {Span{clean_end, n}, 1}, {Span{n, n}, -1}};

  for (bool text_layer : {false, true}) {
    for (OffsetUnit unit : kUnits) {
      const AnalyzeOptions o = Opts(unit, text_layer);
      for (std::string id : {std::string("plain"), std::string("i\"d\x01\xfe")}) {
        EXPECT_EQ(ResultToJson(r, text, id, o), ReferenceJson(r, text, id, o))
            << "unit " << static_cast<int>(unit) << " text layer " << text_layer;
      }
    }
  }
  // An empty result.
  Result empty;
  for (bool text_layer : {false, true}) {
    const AnalyzeOptions o = Opts(OffsetUnit::kBytes, text_layer);
    EXPECT_EQ(ResultToJson(empty, "", "", o), ReferenceJson(empty, "", "", o));
  }
}

// Issue 13 keys: "setting" right after "code_set", "not_coded" right after
// "gaps" (always present), "code" of an entry only when set.
TEST(JsonWriter, SettingAndNotCodedPlacement) {
  Result r;
  r.code_set = "ICD-10-CM FY2027";
  r.gaps = {{"region_unspecified", "m", {0}}};
  AnalyzeOptions o = Opts(OffsetUnit::kBytes, /*text_layer=*/false);
  EXPECT_EQ(ResultToJson(r, "", "a", o),
            R"({"id":"a","status":"ok","schema_version":1,"engine":{"name":"libsuggest","version":")"
            SUGGEST_VERSION_STRING R"("},"models_version":"","code_set":"ICD-10-CM FY2027","setting":"outpatient",)"
            R"("suggestions":[],"facts":[],"suppressed":[],)"
            R"("gaps":[{"kind":"region_unspecified","message":"m","facts":[0]}],"not_coded":[]})");
  r.setting = Setting::kInpatient;
  r.not_coded = {{"excludes1", "M48.1 wins.", "M48.12", {0, 1}},
                 {"negated", "No fusion.", "", {2}}};
  EXPECT_EQ(ResultToJson(r, "", "a", o),
            R"({"id":"a","status":"ok","schema_version":1,"engine":{"name":"libsuggest","version":")"
            SUGGEST_VERSION_STRING R"("},"models_version":"","code_set":"ICD-10-CM FY2027","setting":"inpatient",)"
            R"("suggestions":[],"facts":[],"suppressed":[],)"
            R"("gaps":[{"kind":"region_unspecified","message":"m","facts":[0]}],)"
            R"("not_coded":[{"facts":[0,1],"basis":"excludes1","reason":"M48.1 wins.",)"
            R"("code":"M48.12"},{"facts":[2],"basis":"negated","reason":"No fusion."}]})");
  // The text layer still follows.
  o.include_text_layer = true;
  const std::string with_layer = ResultToJson(r, "", "a", o);
  EXPECT_NE(with_layer.find(R"("code":"M48.12"},{"facts":[2],"basis":"negated","reason":"No fusion."}],"sections":[],"sentences":[]})"),
            std::string::npos)
      << with_layer;
}

// Issue 15: the input fields, echoed after "setting" when given; the
// provenance after "status"; ProvenanceToJson the same values.
TEST(JsonWriter, InputFieldsAndProvenance) {
  const Model& model = testing::TheModel();
  AnalyzeOptions o = Opts(OffsetUnit::kBytes, /*text_layer=*/false);
  o.date_of_service = "2026-09-30";
  o.patient_id = "P\"1";
  o.encounter_id = "E1";
  auto r = model.Analyze("s/p L4-L5 fusion.", o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->code_set, "ICD-10-CM FY2026");
  EXPECT_EQ(r->models_version, model.models_version());
  EXPECT_EQ(model.models_version().size(), 16u);
  const std::string json = ResultToJson(*r, "s/p L4-L5 fusion.", "x", o);
  EXPECT_NE(json.find(R"("setting":"outpatient","date_of_service":"2026-09-30","patient_id":"P\"1","encounter_id":"E1","suggestions")"),
            std::string::npos)
      << json;
  EXPECT_EQ(json.rfind(R"({"id":"x","status":"ok","schema_version":1,"engine":{"name":"libsuggest",)", 0), 0u)
      << json;
  EXPECT_EQ(ProvenanceToJson(*r),
            R"({"schema_version":1,"engine":{"name":"libsuggest","version":")" SUGGEST_VERSION_STRING
            R"("},"models_version":")" + model.models_version() +
                R"(","code_set":"ICD-10-CM FY2026"})");
  EXPECT_EQ(model.code_set_years(), (std::vector<int>{2026, 2027}));
  EXPECT_EQ(model.default_code_set_year(), 2027);
  // Bad values: errors naming the field, whatever the note.
  for (const auto& [date, kind] : std::vector<std::pair<std::string, std::string>>{
           {"2026-02-29", "invalid_date_of_service"}, {"2026-1-01", "invalid_date_of_service"},
           {"2025-09-30", "no_code_set_for_date"}, {"2027-10-01", "no_code_set_for_date"}}) {
    AnalyzeOptions bad = o;
    bad.date_of_service = date;
    auto e = model.Analyze("", bad);
    ASSERT_FALSE(e.ok()) << date;
    EXPECT_EQ(e.status().kind(), kind) << date;
  }
  AnalyzeOptions leap = o;
  leap.date_of_service = "2028-02-29";  // a real date, in FY2028: not shipped
  EXPECT_EQ(model.Analyze("x", leap).status().kind(), "no_code_set_for_date");
  leap.date_of_service = "2027-02-29";
  EXPECT_EQ(model.Analyze("x", leap).status().kind(), "invalid_date_of_service");
  for (const std::string& id : {std::string(), std::string(257, 'a'), std::string("a\nb"),
                                std::string("\xff"), std::string(" a")}) {
    AnalyzeOptions bad = o;
    bad.patient_id = id.empty() ? "" : id;
    bad.encounter_id = id;
    auto e = model.Analyze("x", bad);
    if (id.empty()) {
      EXPECT_TRUE(e.ok());
    } else {
      ASSERT_FALSE(e.ok());
      EXPECT_EQ(e.status().kind(), "invalid_patient_id");
    }
  }
}

// Model::Analyze echoes AnalyzeOptions::setting.
TEST(JsonWriter, AnalyzeEchoesTheSetting) {
  const Model& model = testing::TheModel();
  const std::string note = "Status post L4-L5 posterior spinal fusion in 2015.";
  for (Setting s : {Setting::kOutpatient, Setting::kInpatient}) {
    AnalyzeOptions o;
    o.setting = s;
    auto r = model.Analyze(note, o);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->setting, s);
    const std::string json = ResultToJson(*r, note, "x", o);
    EXPECT_NE(json.find(std::string("\"setting\":\"") + SettingName(s) + "\""), std::string::npos)
        << json;
    EXPECT_NE(json.find("\"not_coded\":["), std::string::npos) << json;
  }
  // A note the prescreen settles without normalization echoes it too.
  AnalyzeOptions o;
  o.setting = Setting::kInpatient;
  o.include_text_layer = false;
  auto r = model.Analyze("Patient seen for a sore throat.", o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->setting, Setting::kInpatient);
}

}  // namespace
}  // namespace suggest
