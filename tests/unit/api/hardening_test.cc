// Copyright libsuggest authors.
//
// Issue 19 (hardening) at the C++ API: invisible characters before a section
// header (item 5) and the exception firewall of Model::Analyze (item 3).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../../testing/model.h"
#include "suggest/suggest.h"

namespace suggest {
namespace {

using testing::TheModel;

struct Invisible {
  const char* name;
  std::string bytes;
};

// One of each kind the sectionizer must look through at a line start.
const std::vector<Invisible>& Kinds() {
  static const std::vector<Invisible> k = {
      {"none", ""},
      {"BOM U+FEFF", "\xEF\xBB\xBF"},
      {"NBSP U+00A0", "\xC2\xA0"},
      {"EM SPACE U+2003", "\xE2\x80\x83"},
      {"IDEOGRAPHIC SPACE U+3000", "\xE3\x80\x80"},
      {"ZWSP U+200B", "\xE2\x80\x8B"},
      {"ZWNJ U+200C", "\xE2\x80\x8C"},
      {"ZWJ U+200D", "\xE2\x80\x8D"},
      {"WORD JOINER U+2060", "\xE2\x81\xA0"},
      {"BOM + NBSP + ZWSP", "\xEF\xBB\xBF\xC2\xA0\xE2\x80\x8B"},
  };
  return k;
}

bool HasCode(const Result& r, std::string_view prefix) {
  for (const Suggestion& s : r.suggestions)
    if (s.code.rfind(prefix, 0) == 0) return true;
  return false;
}

bool HasBasis(const Result& r, std::string_view basis) {
  for (const NotCoded& n : r.not_coded)
    if (n.basis == basis) return true;
  return false;
}

TEST(HardeningTest, PlanHeaderBehindInvisibleCharacterIsPlanned) {
  for (const Invisible& inv : Kinds()) {
    SCOPED_TRACE(inv.name);
    for (const std::string& before : {std::string(), std::string("Seen today.\n")}) {
      const std::string note = before + inv.bytes + "PLAN: Schedule L4-5 TLIF next month.";
      auto r = TheModel().Analyze(note);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      EXPECT_FALSE(HasCode(*r, "Z98.1")) << note;
      EXPECT_TRUE(HasBasis(*r, "planned")) << note;
      bool plan = false;
      for (const Section& s : r->sections) {
        if (s.kind != "plan") continue;
        plan = true;
        // Exact byte range of the original: the header starts after them.
        EXPECT_EQ(s.header.begin, before.size() + inv.bytes.size());
        EXPECT_EQ(note.substr(s.header.begin, s.header.size()), "PLAN");
      }
      EXPECT_TRUE(plan);
    }
  }
}

TEST(HardeningTest, FamilyHistoryHeaderBehindInvisibleCharacterIsFamily) {
  for (const Invisible& inv : Kinds()) {
    SCOPED_TRACE(inv.name);
    const std::string note = inv.bytes + "FAMILY HISTORY: Mother had a cervical fusion.";
    auto r = TheModel().Analyze(note);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_FALSE(HasCode(*r, "Z98.1"));
    EXPECT_TRUE(HasBasis(*r, "family"));
    // And after a line of its own.
    const std::string two = "PSH: L4-L5 fusion 2018.\n" + inv.bytes +
                            "FAMILY HISTORY: Mother had a cervical fusion.";
    auto r2 = TheModel().Analyze(two);
    ASSERT_TRUE(r2.ok()) << r2.status().ToString();
    EXPECT_TRUE(HasCode(*r2, "Z98.1"));  // the patient's own
    EXPECT_TRUE(HasBasis(*r2, "family"));
    for (const Fact& f : r2->facts) {
      EXPECT_LE(f.span.end, two.size());
      if (f.span.begin > two.find("Mother")) {
        EXPECT_EQ(f.section_kind, "family_history");
      }
    }
  }
}

// Without a header the same sentence is a history of fusion: proof that the
// cases above test the header.
TEST(HardeningTest, WithoutTheHeaderTheFusionIsStatus) {
  auto r = TheModel().Analyze("Mother had a cervical fusion.\nPSH: L4-L5 fusion 2018.");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(HasCode(*r, "Z98.1"));
}

}  // namespace
}  // namespace suggest
