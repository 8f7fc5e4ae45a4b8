// Copyright libsuggest authors.
#include "text/sectionizer.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "text_test_util.h"
#include "../../testing/edited_models.h"

namespace suggest::internal {
namespace {

using testing::DefaultRules;
using testing::Norm;
using testing::Text;

struct Sec {
  std::string kind;
  std::string header;
  std::string body;
  friend bool operator==(const Sec&, const Sec&) = default;
  friend std::ostream& operator<<(std::ostream& os, const Sec& s) {
    return os << "{" << s.kind << " | " << s.header << " | " << s.body << "}";
  }
};

std::vector<Sec> Sections(std::string_view text) {
  NormalizedText nt = Norm(text);
  std::vector<Sec> out;
  uint32_t prev_end = 0;
  for (const Section& s : FindSections(text, nt, DefaultRules())) {
    // Partition properties: ordered, disjoint, header before body.
    EXPECT_GE(s.header.begin, prev_end);
    EXPECT_LE(s.header.end, s.body.begin);
    EXPECT_LE(s.body.begin, s.body.end);
    EXPECT_LE(s.body.end, text.size());
    prev_end = s.body.end;
    out.push_back({s.kind, Text(text, s.header), Text(text, s.body)});
  }
  return out;
}

std::string BadPath(const std::string& name) {
  return std::string(SUGGEST_TESTDATA_DIR) + "/bad_sections/" + name;
}

TEST(SectionRulesTest, LoadsShippedRules) {
  auto r = SectionRules::Load(std::string(SUGGEST_MODELS_DIR) + "/sections.toml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->KindFor("past surgical history"), "past_surgical_history");
  EXPECT_EQ(r->KindFor("psh"), "past_surgical_history");
  EXPECT_EQ(r->KindFor("assessment and plan"), "impression");
  EXPECT_EQ(r->KindFor("x-rays"), "imaging");
  EXPECT_EQ(r->KindFor("description of procedure"), "procedure");
  EXPECT_EQ(r->KindFor("no such header"), "other");
  EXPECT_TRUE(r->Inherits("heent"));
  EXPECT_FALSE(r->Inherits("impression"));
}

TEST(SectionRulesTest, LookupFallbacks) {
  const SectionRules& r = DefaultRules();
  EXPECT_EQ(r.KindFor("preoperative diagnosis (es)"), "preoperative_diagnosis");
  EXPECT_EQ(r.KindFor("postop diagnosis(es)"), "postoperative_diagnosis");
  EXPECT_EQ(r.KindFor("station/gait/coord"), "physical_exam");
  EXPECT_TRUE(r.Inherits("station/gait/coord"));
  EXPECT_EQ(r.KindFor("pathological findings"), "findings");
  EXPECT_EQ(r.KindFor("principal procedure"), "procedure");
  // Dropping words must not turn any "... history" into the HPI.
  EXPECT_EQ(r.KindFor("occupational history"), "other");
  EXPECT_EQ(r.KindFor("foo/plan"), "other");
  // Nor a note's title ending in "follow-up" into a plan (whole_only), while
  // the headers alone keep their kind and other tails still drop words.
  EXPECT_EQ(r.KindFor("rheumatology follow-up"), "other");
  EXPECT_EQ(r.KindFor("spine clinic follow up"), "other");
  EXPECT_EQ(r.KindFor("follow-up"), "plan");
  EXPECT_EQ(r.KindFor("history"), "history_of_present_illness");
  EXPECT_EQ(r.KindFor("surgical plan"), "plan");
}

// whole_only is read from the file: without it, a longer header ending in
// the header takes its kind.
TEST(SectionRulesTest, WholeOnlyFromFile) {
  auto write = [](const std::string& name, const char* flag) {
    const std::string path = ::testing::TempDir() + "/" + name;
    std::ofstream(path) << "schema_version = 2\n[kinds]\nplan = []\nother = []\n"
                           "[[section]]\nkind = \"plan\"\nheaders = [\"follow-up\"]\n"
                        << flag;
    return path;
  };
  auto plain = SectionRules::Load(write("plain.toml", ""));
  auto whole = SectionRules::Load(write("whole.toml", "whole_only = true\n"));
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  ASSERT_TRUE(whole.ok()) << whole.status().ToString();
  EXPECT_EQ(plain->KindFor("clinic follow-up"), "plan");
  EXPECT_EQ(whole->KindFor("clinic follow-up"), "other");
  EXPECT_EQ(whole->KindFor("follow-up"), "plan");
  auto bad = SectionRules::Load(write("bad.toml", "whole_only = \"yes\"\n"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("'whole_only' must be a boolean"), std::string::npos)
      << bad.status().ToString();
}

// colon_only (the shipped "Pt:" / "Patient:"): the patient's label ends a
// family history before its colon, on the line or the next, while "PT, OT"
// (physical therapy, joined by a comma) opens nothing.
TEST(SectionizerTest, ColonOnlyHeaderNeedsItsColon) {
  EXPECT_EQ(Sections("FH: brother with AS. Pt: s/p L5-S1 fusion 2015."),
            (std::vector<Sec>{{"family_history", "FH", "brother with AS."},
                              {"other", "Pt", "s/p L5-S1 fusion 2015."}}));
  EXPECT_EQ(Sections("PLAN: Home today. PT, OT, etc."),
            (std::vector<Sec>{{"plan", "PLAN", "Home today. PT, OT, etc."}}));
  EXPECT_TRUE(DefaultRules().Describe("pt").colon_only);
  EXPECT_FALSE(DefaultRules().Describe("plan").colon_only);
}

TEST(SectionRulesTest, NormalizeHeader) {
  EXPECT_EQ(NormalizeHeader("Past  Surgical\tHistory :, "), "past surgical history");
  EXPECT_EQ(NormalizeHeader("IMPRESSION"), "impression");
  EXPECT_EQ(NormalizeHeader("\xC3\x89VALUATION"), "\xC3\xA9valuation");
}

TEST(SectionRulesTest, MissingFile) {
  auto r = SectionRules::Load(BadPath("does_not_exist.toml"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(r.status().message(),
            BadPath("does_not_exist.toml") + ": error: cannot read file");
}

// Each file in tests/data/bad_sections/ starts with "# expect: <message>",
// the exact error (its file name read as the file's path).
TEST(SectionRulesTest, BadFilesNameFileLineColumn) {
  int checked = 0;
  for (const auto& [path, want] : suggest::testing::ExpectedErrors("bad_sections")) {
    SCOPED_TRACE(path);
    auto r = SectionRules::Load(path);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().kind(), "rule_file");
    EXPECT_EQ(r.status().message(), want);
    ++checked;
  }
  EXPECT_EQ(checked, 18);
}

using S = std::vector<Sec>;

TEST(FindSectionsTest, CorpusCommaJoins) {
  EXPECT_EQ(Sections("HISTORY:,  The patient has neck pain.,PAST SURGICAL "
                     "HISTORY:, ACDF C5-6 in 2010.  ,PLAN:,  Follow up."),
            (S{{"history_of_present_illness", "HISTORY", "The patient has neck pain."},
               {"past_surgical_history", "PAST SURGICAL HISTORY", "ACDF C5-6 in 2010."},
               {"plan", "PLAN", "Follow up."}}));
}

TEST(FindSectionsTest, AllCapsHeaderAloneOnLine) {
  EXPECT_EQ(Sections("PAST MEDICAL HISTORY\nHypertension.\n\nIMPRESSION\n"
                     "Solid fusion at C5-6.\nSOME NEW HEADER\nText.\n"),
            (S{{"past_medical_history", "PAST MEDICAL HISTORY", "Hypertension."},
               {"impression", "IMPRESSION", "Solid fusion at C5-6."},
               {"other", "SOME NEW HEADER", "Text."}}));
  // Not alone on its line, or too long: not a header.
  EXPECT_EQ(Sections("IMPRESSION is fine\nTHE PATIENT IS A VERY PLEASANT OLD MAN\n"),
            (S{{"other", "", "IMPRESSION is fine\nTHE PATIENT IS A VERY PLEASANT OLD MAN"}}));
}

TEST(FindSectionsTest, AllCapsHeaderWithoutColonInCorpusJoin) {
  EXPECT_EQ(Sections("He is afebrile.,PHYSICAL EXAMINATION,VITAL SIGNS:  BP 120/80."
                     ",REVIEW OF SYSTEMS,CONSTITUTIONAL:  No fever."),
            (S{{"other", "", "He is afebrile."},
               {"physical_exam", "PHYSICAL EXAMINATION", ""},
               {"physical_exam", "VITAL SIGNS", "BP 120/80."},
               {"review_of_systems", "REVIEW OF SYSTEMS", ""},
               {"review_of_systems", "CONSTITUTIONAL", "No fever."}}));
  // Unknown ALL-CAPS words between commas are text ("CBC, BMP").
  EXPECT_EQ(Sections("LABS:, Normal.,CBC, BMP were normal."),
            (S{{"laboratory", "LABS", "Normal.,CBC, BMP were normal."}}));
}

TEST(FindSectionsTest, MixedCaseOnlyWhenKnown) {
  EXPECT_EQ(Sections("Past Surgical History: L4-5 fusion.\nPlan: return in 2 weeks.\n"
                     "Reason: unknown mixed case is text."),
            (S{{"past_surgical_history", "Past Surgical History", "L4-5 fusion."},
               {"plan", "Plan", "return in 2 weeks.\nReason: unknown mixed case is text."}}));
}

TEST(FindSectionsTest, SubHeadersInheritEnclosingKind) {
  EXPECT_EQ(Sections("OBJECTIVE:,Vitals:  Weight 130 pounds.,HEENT:  Normal.,"
                     "REVIEW OF SYSTEMS:,HEENT:  Negative.,ASSESSMENT:,  Rhinitis."),
            (S{{"physical_exam", "OBJECTIVE", ""},
               {"physical_exam", "Vitals", "Weight 130 pounds."},
               {"physical_exam", "HEENT", "Normal."},
               {"review_of_systems", "REVIEW OF SYSTEMS", ""},
               {"review_of_systems", "HEENT", "Negative."},
               {"impression", "ASSESSMENT", "Rhinitis."}}));
  // Without an enclosing section a sub-header keeps its own kind.
  EXPECT_EQ(Sections("NECK:  Supple."), (S{{"physical_exam", "NECK", "Supple."}}));
}

TEST(FindSectionsTest, NoFalseHeaders) {
  // Times, ratios, "Dr. XYZ:", vitals values, level labels.
  const std::string t =
      "Seen at 10:30 by Dr. XYZ: she is well. Ratio 1:1. Dear Dr. XYZ: thanks."
      " Vitals HR: 80, BP: 120/80.,L4-5:  Mild disc bulge.";
  EXPECT_EQ(Sections(t), (S{{"other", "", t}}));
}

TEST(FindSectionsTest, PreambleAndOddJoins) {
  EXPECT_EQ(Sections("CAUDAL EPIDURAL STEROID INJECTION,PROCEDURE:,:,1.  Caudal "
                     "injection.,PROCEDURE DETAILS:,"),
            (S{{"other", "", "CAUDAL EPIDURAL STEROID INJECTION"},
               {"procedure", "PROCEDURE", "1.  Caudal injection."},
               {"procedure", "PROCEDURE DETAILS", ""}}));
  // Punctuation-only preamble is dropped.
  EXPECT_EQ(Sections(" ,  PLAN:  Rest."), (S{{"plan", "PLAN", "Rest."}}));
  EXPECT_TRUE(Sections("").empty());
  EXPECT_TRUE(Sections("  \n ").empty());
}

TEST(FindSectionsTest, HeaderVariants) {
  EXPECT_EQ(Sections("PREOPERATIVE DIAGNOSIS (ES):,  Stenosis.,EARS, NOSE, MOUTH AND "
                     "THROAT:  Normal.,HX , (from chart): Pain.,LEFT HEART PRESSURES:  "
                     "Normal.,MRI C-spine, 12/1/92:  Small canal."),
            (S{{"preoperative_diagnosis", "PREOPERATIVE DIAGNOSIS (ES)", "Stenosis."},
               {"physical_exam", "EARS, NOSE, MOUTH AND THROAT", "Normal."},
               {"history_of_present_illness", "HX", "(from chart): Pain."},
               {"other", "LEFT HEART PRESSURES", "Normal."},
               {"imaging", "MRI C-spine, 12/1/92", "Small canal."}}));
}

TEST(FindSectionsTest, InlineHeaderAfterSentence) {
  EXPECT_EQ(Sections("FINDINGS:,Scans were done. COMPARISON: MRI 2004.,There is no mass."),
            (S{{"findings", "FINDINGS", "Scans were done."},
               {"imaging", "COMPARISON", "MRI 2004.,There is no mass."}}));
}

TEST(FindSectionsTest, CrlfAndNonAscii) {
  EXPECT_EQ(Sections("IMPRESSION:\r\nSolid fusion C5\xE2\x80\x93" "C6.\r\n\r\nPLAN\r\nRest."),
            (S{{"impression", "IMPRESSION", "Solid fusion C5\xE2\x80\x93" "C6."},
               {"plan", "PLAN", "Rest."}}));
}

// Issue 19 item 5: a BOM, any Unicode space separator (Zs) or format
// character (Cf) before a header at the start of a line must not hide it.
// The header span starts right after the invisible characters: exact byte
// offsets of the original.
struct Invisible {
  const char* name;
  std::string bytes;
};
const std::vector<Invisible>& InvisibleKinds() {
  static const std::vector<Invisible> k = {
      {"BOM U+FEFF", "\xEF\xBB\xBF"},
      {"NBSP U+00A0 (Zs)", "\xC2\xA0"},
      {"EN QUAD U+2000 (Zs)", "\xE2\x80\x80"},
      {"EM SPACE U+2003 (Zs)", "\xE2\x80\x83"},
      {"NARROW NBSP U+202F (Zs)", "\xE2\x80\xAF"},
      {"IDEOGRAPHIC SPACE U+3000 (Zs)", "\xE3\x80\x80"},
      {"ZWSP U+200B (Cf)", "\xE2\x80\x8B"},
      {"ZWNJ U+200C (Cf)", "\xE2\x80\x8C"},
      {"ZWJ U+200D (Cf)", "\xE2\x80\x8D"},
      {"WORD JOINER U+2060 (Cf)", "\xE2\x81\xA0"},
      {"SOFT HYPHEN U+00AD (Cf)", "\xC2\xAD"},
      {"LRM U+200E (Cf)", "\xE2\x80\x8E"},
      {"BOM + NBSP + ZWSP + tab", "\xEF\xBB\xBF\xC2\xA0\xE2\x80\x8B\t"},
  };
  return k;
}

TEST(FindSectionsTest, HeaderBehindInvisibleCharacterAtTextStart) {
  for (const Invisible& inv : InvisibleKinds()) {
    SCOPED_TRACE(inv.name);
    const std::string text = inv.bytes + "PLAN: Schedule L4-5 TLIF.";
    NormalizedText nt = Norm(text);
    const auto secs = FindSections(text, nt, DefaultRules());
    ASSERT_EQ(secs.size(), 1u);
    EXPECT_EQ(secs[0].kind, "plan");
    EXPECT_EQ(secs[0].header.begin, inv.bytes.size());
    EXPECT_EQ(secs[0].header.end, inv.bytes.size() + 4);
    EXPECT_EQ(Text(text, secs[0].body), "Schedule L4-5 TLIF.");
  }
}

TEST(FindSectionsTest, HeaderBehindInvisibleCharacterAtLineStart) {
  for (const Invisible& inv : InvisibleKinds()) {
    SCOPED_TRACE(inv.name);
    const std::string first = "PSH: L4-L5 fusion 2018.\n";
    const std::string text = first + inv.bytes + "FAMILY HISTORY: Mother had a cervical fusion.";
    // (The invisible characters end the PSH body: body trimming is unchanged.)
    const std::vector<Sec> got = Sections(text);
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].kind, "past_surgical_history");
    EXPECT_EQ(got[1], (Sec{"family_history", "FAMILY HISTORY", "Mother had a cervical fusion."}));
    NormalizedText nt = Norm(text);
    const auto secs = FindSections(text, nt, DefaultRules());
    ASSERT_EQ(secs.size(), 2u);
    EXPECT_EQ(secs[1].header.begin, first.size() + inv.bytes.size());
    // Own-line header (rule b) behind the character as well.
    const std::vector<Sec> own = Sections("Intro text.\n" + inv.bytes + "PLAN\nFusion L4-L5 next week.");
    ASSERT_EQ(own.size(), 2u);
    EXPECT_EQ(own[0].kind, "other");
    EXPECT_EQ(own[1], (Sec{"plan", "PLAN", "Fusion L4-L5 next week."}));
  }
}

TEST(FindSectionsTest, InvalidBytesBeforeHeaderStillStopTheSkip) {
  // Not white space: a stray continuation byte (only under --repair-utf8)
  // is text, so no header starts behind it.
  const std::string text = std::string("\x80") + "PLAN: Rest.";
  NormalizedText nt;  // the sectionizer reads only the original bytes
  for (const Section& s : FindSections(text, nt, DefaultRules())) {
    EXPECT_NE(s.kind, "plan");
  }
}

}  // namespace
}  // namespace suggest::internal
