// Copyright libsuggest authors.
//
// suggest::Session (issue 16): edits in each offset unit, the errors that
// leave a session unchanged, exactness against Model::Analyze, Changes().

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "../../testing/model.h"
#include "suggest/suggest.h"

namespace suggest {
namespace {

using testing::TheModel;

constexpr const char* kFusion =
    "PAST SURGICAL HISTORY: L4-L5 posterior spinal fusion in 2015.\n"
    "ASSESSMENT: Status post lumbar fusion. Ankylosing spondylitis.\n";

// Session's JSON must equal Analyze's JSON of the same text, or both fail
// with the same status.
void ExpectExact(Session& s) {
  auto got = s.Result();
  auto want = TheModel().Analyze(s.Text(), s.options());
  ASSERT_EQ(got.ok(), want.ok()) << got.status().ToString() << " vs "
                                 << want.status().ToString();
  if (!want.ok()) {
    EXPECT_EQ(ErrorToJson("x", got.status()), ErrorToJson("x", want.status()));
    return;
  }
  EXPECT_EQ(ResultToJson(*got, s.Text(), "x", s.options()),
            ResultToJson(*want, s.Text(), "x", s.options()));
}

TEST(SessionTest, EmptySessionIsAnEmptyNote) {
  Session s(TheModel());
  EXPECT_EQ(s.Text(), "");
  auto r = s.Result();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().kind(), "empty_note");
}

TEST(SessionTest, InsertReplaceDeleteInBytes) {
  Session s(TheModel());
  ASSERT_TRUE(s.Edit(0, 0, "Status post fusion.").ok());
  ASSERT_TRUE(s.Edit(12, 12, "L4-L5 ").ok());
  EXPECT_EQ(s.Text(), "Status post L4-L5 fusion.");
  ASSERT_TRUE(s.Edit(12, 17, "L5-S1").ok());
  EXPECT_EQ(s.Text(), "Status post L5-S1 fusion.");
  ASSERT_TRUE(s.Edit(0, 12, "").ok());
  EXPECT_EQ(s.Text(), "L5-S1 fusion.");
  ExpectExact(s);
}

TEST(SessionTest, ResultEqualsAnalyzeAsTheNoteIsTyped) {
  for (bool layer : {true, false}) {
    AnalyzeOptions o;
    o.include_text_layer = layer;
    Session s(TheModel(), o);
    const std::string note = kFusion;
    for (size_t i = 0; i < note.size(); i += 7) {
      ASSERT_TRUE(s.Edit(s.Text().size(), s.Text().size(), note.substr(i, 7)).ok());
      ExpectExact(s);
    }
    EXPECT_EQ(s.Text(), note);
    auto r = s.Result();
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(r->suggestions.empty());
  }
}

TEST(SessionTest, ErrorsLeaveTheSessionUnchanged) {
  AnalyzeOptions o;
  o.max_note_bytes = 40;
  Session s(TheModel(), o);
  const std::string start = "Fusion at L4-L5 \xC3\xA9t\xC3\xA9.";  // "été": 2-byte é
  ASSERT_TRUE(s.Edit(0, 0, start).ok());
  ASSERT_TRUE(s.Result().ok());
  const std::string json = ResultToJson(*s.Result(), s.Text(), "x", o);
  const size_t e_acute = start.find('\xC3');

  struct Bad {
    uint64_t begin, end;
    std::string text;
    const char* kind;
  };
  const std::vector<Bad> bad = {
      {5, 4, "x", "edit_out_of_range"},
      {0, start.size() + 1, "x", "edit_out_of_range"},
      {start.size() + 1, start.size() + 1, "x", "edit_out_of_range"},
      {e_acute + 1, e_acute + 1, "x", "edit_splits_character"},
      {0, e_acute + 1, "x", "edit_splits_character"},
      {0, 0, "\xC3", "invalid_utf8"},
      {0, 0, "ok \xFF", "invalid_utf8"},
      {0, 0, std::string(41 - start.size(), 'a'), "note_too_large"},
  };
  for (const Bad& b : bad) {
    SCOPED_TRACE(b.kind);
    Status st = s.Edit(b.begin, b.end, b.text);
    EXPECT_FALSE(st.ok());
    EXPECT_EQ(st.kind(), b.kind) << st.ToString();
    EXPECT_EQ(s.Text(), start);
    auto r = s.Result();
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(ResultToJson(*r, s.Text(), "x", o), json);
  }
  // The limit itself is fine.
  EXPECT_TRUE(s.Edit(0, 0, std::string(40 - start.size(), 'a')).ok());
}

TEST(SessionTest, Utf16AndCodePointOffsets) {
  // "𝐀" (U+1D400) is 4 bytes, 2 UTF-16 units, 1 code point; "é" 2/1/1.
  const std::string text = "a\xF0\x9D\x90\x80" "b\xC3\xA9" "c";
  {
    AnalyzeOptions o;
    o.offset_unit = OffsetUnit::kUtf16;
    Session s(TheModel(), o);
    ASSERT_TRUE(s.Edit(0, 0, text).ok());
    EXPECT_EQ(s.Edit(2, 2, "x").kind(), "edit_splits_character");  // inside the pair
    ASSERT_TRUE(s.Edit(3, 3, "X").ok());                            // after the pair
    EXPECT_EQ(s.Text(), "a\xF0\x9D\x90\x80" "Xb\xC3\xA9" "c");
    ASSERT_TRUE(s.Edit(5, 6, "e").ok());  // é -> e
    EXPECT_EQ(s.Text(), "a\xF0\x9D\x90\x80" "Xbec");
    EXPECT_EQ(s.Edit(7, 8, "").kind(), "edit_out_of_range");
    ASSERT_TRUE(s.Edit(6, 7, "").ok());
    EXPECT_EQ(s.Text(), "a\xF0\x9D\x90\x80" "Xbe");
    ExpectExact(s);
  }
  {
    AnalyzeOptions o;
    o.offset_unit = OffsetUnit::kCodePoints;
    Session s(TheModel(), o);
    ASSERT_TRUE(s.Edit(0, 0, text).ok());
    ASSERT_TRUE(s.Edit(1, 2, "Z").ok());  // the astral character is one unit
    EXPECT_EQ(s.Text(), "aZb\xC3\xA9" "c");
    ASSERT_TRUE(s.Edit(3, 4, "E").ok());
    EXPECT_EQ(s.Text(), "aZbEc");
    EXPECT_EQ(s.Edit(6, 6, "").kind(), "edit_out_of_range");
    ExpectExact(s);
  }
}

TEST(SessionTest, RepairPolicyAcceptsBadBytesAsUnits) {
  AnalyzeOptions o;
  o.invalid_utf8 = InvalidUtf8Policy::kReplace;
  o.offset_unit = OffsetUnit::kCodePoints;
  Session s(TheModel(), o);
  ASSERT_TRUE(s.Edit(0, 0, "a\xFF" "b fusion L4-5").ok());
  ASSERT_TRUE(s.Edit(2, 3, "B").ok());  // \xFF is one unit
  EXPECT_EQ(s.Text(), "a\xFF" "B fusion L4-5");
  ExpectExact(s);
}

TEST(SessionTest, ChangesReportsWhatAppearedAndWent) {
  Session s(TheModel());
  ASSERT_TRUE(s.Edit(0, 0, "Seen today.").ok());
  ASSERT_TRUE(s.Result().ok());
  auto c = nlohmann::json::parse(s.Changes());
  for (const char* list : {"suggestions", "gaps", "not_coded", "facts"}) {
    ASSERT_TRUE(c.contains(list)) << list;
    EXPECT_TRUE(c[list]["added"].empty());
    EXPECT_TRUE(c[list]["removed"].empty());
  }
  ASSERT_TRUE(s.Edit(s.Text().size(), s.Text().size(), " Status post L4-L5 fusion.").ok());
  ASSERT_TRUE(s.Result().ok());
  c = nlohmann::json::parse(s.Changes());
  ASSERT_EQ(c["suggestions"]["added"].size(), 1u) << c.dump();
  EXPECT_EQ(c["suggestions"]["added"][0]["code"], "Z98.1");
  EXPECT_FALSE(c["facts"]["added"].empty());
  EXPECT_TRUE(c["suggestions"]["removed"].empty());

  // Text typed before the evidence moves it: not a change.
  ASSERT_TRUE(s.Edit(0, 0, "Follow-up. ").ok());
  ASSERT_TRUE(s.Result().ok());
  c = nlohmann::json::parse(s.Changes());
  EXPECT_TRUE(c["suggestions"]["added"].empty()) << c.dump();
  EXPECT_TRUE(c["suggestions"]["removed"].empty()) << c.dump();
  EXPECT_TRUE(c["facts"]["added"].empty()) << c.dump();

  // A second Result() without an edit: nothing changed.
  ASSERT_TRUE(s.Result().ok());
  c = nlohmann::json::parse(s.Changes());
  EXPECT_TRUE(c["facts"]["added"].empty() && c["facts"]["removed"].empty());

  // Deleting everything: the result fails (empty note) and counts as empty.
  ASSERT_TRUE(s.Edit(0, s.Text().size(), "").ok());
  EXPECT_FALSE(s.Result().ok());
  c = nlohmann::json::parse(s.Changes());
  ASSERT_EQ(c["suggestions"]["removed"].size(), 1u) << c.dump();
  EXPECT_EQ(c["suggestions"]["removed"][0]["code"], "Z98.1");
  EXPECT_TRUE(c["suggestions"]["added"].empty());
}

TEST(SessionTest, ChangesKeepsTheResultKeyOrder) {
  Session s(TheModel());
  ASSERT_TRUE(s.Edit(0, 0, "Status post L4-L5 fusion.").ok());
  auto r = s.Result();
  ASSERT_TRUE(r.ok());
  const std::string changes = s.Changes();
  const std::string json = ResultToJson(*r, s.Text(), "", s.options());
  // The suggestion object is written as in the result (same key order).
  const size_t b = json.find("{\"code\":");
  const size_t e = json.find(",\"rationale\"", b);
  ASSERT_NE(b, std::string::npos);
  ASSERT_NE(e, std::string::npos);
  EXPECT_NE(changes.find(json.substr(b, e - b)), std::string::npos)
      << changes;
}

TEST(SessionTest, OptionErrorsComeFromResult) {
  AnalyzeOptions o;
  o.date_of_service = "2026-13-01";
  Session s(TheModel(), o);
  ASSERT_TRUE(s.Edit(0, 0, "fusion").ok());
  auto r = s.Result();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().kind(), "invalid_date_of_service");
}

TEST(SessionTest, OutlivesTheModelObject) {
  std::optional<Session> s;
  {
    auto m = Model::Load(SUGGEST_MODELS_DIR, suggest::testing::CachedLoadOptions());
    ASSERT_TRUE(m.ok());
    s.emplace(*m);
  }
  ASSERT_TRUE(s->Edit(0, 0, kFusion).ok());
  ExpectExact(*s);
  Session moved = std::move(*s);
  EXPECT_EQ(moved.Text(), kFusion);
}

}  // namespace
}  // namespace suggest
