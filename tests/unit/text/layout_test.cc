// Copyright libsuggest authors.
// The layout pass of the normalizer (text/layout.h): page furniture and
// words broken at a line end, with exact offsets back to the original.
#include "text/layout.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "text/normalize.h"
#include "text/sentence_splitter.h"

namespace suggest::internal {
namespace {

LayoutRules Rules() {
  LayoutRules r;
  r.join_words = {"arthrodesis", "pseudarthrosis"};
  r.page_words = {"page", "pg"};
  r.header_cues = {"dob", "mrn"};
  r.ocr_level_digits = {"l1", "o0"};
  return r;
}

class LayoutTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto n = Normalizer::Create();
    ASSERT_TRUE(n.ok());
    plain_ = new std::shared_ptr<const Normalizer>(*n);
    layout_ = new std::shared_ptr<const Normalizer>((*n)->WithLayout(Rules()));
  }
  static void TearDownTestSuite() {
    delete plain_;
    delete layout_;
  }
  static NormalizedText Norm(std::string_view s) {
    auto nt = (*layout_)->Normalize(s, InvalidUtf8Policy::kError);
    EXPECT_TRUE(nt.ok());
    auto icu = (*layout_)->NormalizeWithIcuOnly(s, InvalidUtf8Policy::kError);
    EXPECT_TRUE(icu.ok());
    if (nt.ok() && icu.ok()) {
      EXPECT_EQ(nt->text, icu->text);
      EXPECT_TRUE(nt->map == icu->map);
      EXPECT_EQ(nt->furniture, icu->furniture);
    }
    return nt.ok() ? *nt : NormalizedText();
  }
  // The original bytes of the normalized occurrence of `needle`.
  static std::string Original(std::string_view s, const NormalizedText& nt,
                              std::string_view needle) {
    const size_t at = nt.text.find(needle);
    EXPECT_NE(at, std::string::npos) << needle << " in " << nt.text;
    if (at == std::string::npos) return "";
    const Span sp = nt.map.ToOriginal(static_cast<uint32_t>(at),
                                      static_cast<uint32_t>(at + needle.size()));
    return std::string(s.substr(sp.begin, sp.size()));
  }
  static std::shared_ptr<const Normalizer>* plain_;
  static std::shared_ptr<const Normalizer>* layout_;
};
std::shared_ptr<const Normalizer>* LayoutTest::plain_ = nullptr;
std::shared_ptr<const Normalizer>* LayoutTest::layout_ = nullptr;

TEST_F(LayoutTest, ListedWordJoinsWhole) {
  const std::string s = "status post lumbar arthro-\ndesis L3-L4 (2014)";
  const NormalizedText nt = Norm(s);
  EXPECT_EQ(nt.text, "status post lumbar arthrodesis l3-l4 (2014)");
  EXPECT_EQ(Original(s, nt, "arthrodesis"), "arthro-\ndesis");
  EXPECT_EQ(Original(s, nt, "l3-l4"), "L3-L4");
  EXPECT_EQ(Original(s, nt, "lumbar"), "lumbar");
  // Blanks around the break and a CRLF, non-ASCII elsewhere in the note.
  const std::string t = "Pseudarthro- \r\n  sis at L5\xE2\x80\x93S1";
  const NormalizedText nt2 = Norm(t);
  EXPECT_EQ(nt2.text, "pseudarthrosis at l5-s1");
  EXPECT_EQ(Original(t, nt2, "pseudarthrosis"), "Pseudarthro- \r\n  sis");
  EXPECT_EQ(Original(t, nt2, "sis"), "sis");
  // Normalizing a span's bytes again gives its normalized text.
  auto again = (*layout_)->Normalize("arthro-\ndesis", InvalidUtf8Policy::kError);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->text, "arthrodesis");
}

TEST_F(LayoutTest, UnlistedCompoundsKeepTheirHyphen) {
  EXPECT_EQ(Norm("radiographic non-\nunion").text, "radiographic non-union");
  EXPECT_EQ(Norm("self-\nreported pain").text, "self-reported pain");
  EXPECT_EQ(Norm("fusion at L4-\n5 in 2019").text, "fusion at l4-5 in 2019");
  EXPECT_EQ(Norm("L4-\nL5 fusion").text, "l4-l5 fusion");
}

TEST_F(LayoutTest, DashesThatAreNotBrokenWords) {
  // A punctuation dash after a blank, a list item or a list dash next line.
  EXPECT_EQ(Norm("back pain -\nworse at night").text, "back pain -\nworse at night");
  EXPECT_EQ(Norm("1. fusion at L4-\n2. pain").text, "1. fusion at l4-\n2. pain");
  EXPECT_EQ(Norm("Plan-\n- PT").text, "plan-\n- pt");
  EXPECT_EQ(Norm("arthro-\n\ndesis").text, "arthro-\n\ndesis");  // a blank line
  // Without layout rules nothing is joined.
  auto plain = (*plain_)->Normalize("arthro-\ndesis", InvalidUtf8Policy::kError);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->text, "arthro-\ndesis");
}

const char kPaged[] =
    "Pt is s/p C5-C6 anterior cervical\n"
    "------------------------------------------------------------\n"
    "Mercy Orthopedics            Patient: SMITH, ROBERT   MRN 0048812\n"
    "Page 2 of 3\n"
    "------------------------------------------------------------\n"
    "discectomy and fusion (2017); hardware intact.";

TEST_F(LayoutTest, PageFurnitureIsDeleted) {
  const std::string s = kPaged;
  const NormalizedText nt = Norm(s);
  EXPECT_EQ(nt.text,
            "pt is s/p c5-c6 anterior cervical\ndiscectomy and fusion (2017); hardware intact.");
  const size_t block = s.find("-----");
  const size_t after = s.find("discectomy");
  ASSERT_EQ(nt.furniture.size(), 1u);
  EXPECT_EQ(nt.furniture[0].begin, block);
  EXPECT_EQ(nt.furniture[0].end, after);
  // A span across the deleted block covers it in the original.
  EXPECT_EQ(Original(s, nt, "cervical\ndiscectomy"),
            s.substr(s.find("cervical"), after + 10 - s.find("cervical")));
  EXPECT_EQ(Original(s, nt, "discectomy"), "discectomy");
  // The sentence goes on across the block.
  std::vector<Section> sections{Section{}};
  sections[0].body = Span{0, static_cast<uint32_t>(s.size())};
  const std::vector<Sentence> sent = SplitSentences(s, nt, {}, sections);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].span.begin, 0u);
  // The same from a section's bytes alone (SplitSection).
  std::vector<Sentence> own;
  SplitSection(s, 0, 0, &own, &nt.furniture);
  ASSERT_EQ(own.size(), 1u);
  EXPECT_EQ(own[0].span, sent[0].span);
}

TEST_F(LayoutTest, FurnitureNeedsAPageLine) {
  // A rule line and a header line alone are the writer's: kept.
  const std::string s = "Impression: fusion\n----------------\nPlan: MRN 12 follow up";
  EXPECT_EQ(Norm(s).text, "impression: fusion\n----------------\nplan: mrn 12 follow up");
  EXPECT_TRUE(Norm(s).furniture.empty());
  // A content line beside a page line stops the block there.
  const std::string t = "Fusion L4-5 recommended.\nPage 1 of 2\nHPI: pain";
  EXPECT_EQ(Norm(t).text, "fusion l4-5 recommended.\nhpi: pain");
  // A page line alone on its line is furniture; "page" in running text is not.
  EXPECT_EQ(Norm("see page 2 of the report\nfor details").text,
            "see page 2 of the report\nfor details");
}

TEST_F(LayoutTest, WordBrokenAcrossAPageBreakJoins) {
  const std::string s = "lumbar arthro-\nPage 2 of 3\ndesis at L4-5";
  const NormalizedText nt = Norm(s);
  EXPECT_EQ(nt.text, "lumbar arthrodesis at l4-5");
  EXPECT_EQ(Original(s, nt, "arthrodesis"), "arthro-\nPage 2 of 3\ndesis");
}

TEST_F(LayoutTest, MayApply) {
  const LayoutRules r = Rules();
  EXPECT_TRUE(LayoutMayApply(r, "a-\nb"));
  EXPECT_TRUE(LayoutMayApply(r, "a- \r\nb"));
  EXPECT_TRUE(LayoutMayApply(r, "text\n  PAGE 2"));
  EXPECT_FALSE(LayoutMayApply(r, "a - b\nc"));
  EXPECT_FALSE(LayoutMayApply(r, "no page here\nat all"));
  EXPECT_TRUE(LayoutMayApply(r, "text\nCLINIC   Page 2 of 3\nmore"));
  EXPECT_TRUE(LayoutMayApply(r, "text\nCLINIC   Page 2 of 3"));
  EXPECT_FALSE(LayoutMayApply(r, "see page 2 of 3\nmore"));
  EXPECT_FALSE(LayoutMayApply(LayoutRules{{}, {}, {}}, "a-\nb"));
}

TEST_F(LayoutTest, RunningHeaderWithPageTotalIsFurniture) {
  // A header line closing with its page total, set off by blanks.
  const std::string s = "s/p occiput to C2 posterior\nNORTHGATE CLINIC     Page 2 of 3\nfusion in 2018";
  const NormalizedText nt = Norm(s);
  EXPECT_EQ(nt.text, "s/p occiput to c2 posterior\nfusion in 2018");
  ASSERT_EQ(nt.furniture.size(), 1u);
  EXPECT_EQ(nt.furniture[0].begin, s.find("NORTHGATE"));
  EXPECT_EQ(nt.furniture[0].end, s.find("fusion"));
  EXPECT_EQ(Original(s, nt, "fusion"), "fusion");
  // Opening it.
  EXPECT_EQ(Norm("no history of spinal\nPage 3 of 4    CITY SPINE    MRN X\nfusion").text,
            "no history of spinal\nfusion");
  // One blank before it: the writer's sentence, kept.
  const std::string t = "C5-6 ACDF 2016, op note scanned as page 2 of 3\nAppendectomy";
  EXPECT_EQ(Norm(t).text, "c5-6 acdf 2016, op note scanned as page 2 of 3\nappendectomy");
  // The writer's sentence and the footer run together: kept whole.
  const std::string v = "s/p L4-5 fusion 2019.     Page 1 of 2\nHPI: pain";
  EXPECT_EQ(Norm(v).text, "s/p l4-5 fusion 2019.     page 1 of 2\nhpi: pain");
  // No total: not a page phrase inside a line.
  const std::string u = "CITY SPINE     Page 2\nfusion";
  EXPECT_EQ(Norm(u).text, "city spine     page 2\nfusion");
}

TEST_F(LayoutTest, OcrLettersInLevelForms) {
  const std::string s = "L4-Sl PLIF; C7-Tl; Tl2-Ll; Cl-C2; T1O-L2; L4-5";
  const NormalizedText nt = Norm(s);
  EXPECT_EQ(nt.text, "l4-s1 plif; c7-t1; t12-l1; c1-c2; t10-l2; l4-5");
  EXPECT_TRUE(nt.map.IsIdentity());
  EXPECT_EQ(Original(s, nt, "t12-l1"), "Tl2-Ll");
  // Not levels: the coccyx, no real digit, words, impossible vertebrae.
  for (const char* keep : {"s5-co1", "tl-sl", "all-l5", "to-do", "c5-cl2", "l4-sll", "cl-9"})
    EXPECT_EQ(Norm(keep).text, keep);
  EXPECT_TRUE(LayoutMayApply(Rules(), "fusion C7-Tl"));
  EXPECT_FALSE(LayoutMayApply(Rules(), "fusion C7-T1, S5-Co1, Tl-Sl"));
}

TEST_F(LayoutTest, SpliceFallsBackOnLayout) {
  const std::string before = "lumbar arthro-\ndesis L4-5";
  const std::string after = "lumbar arthro-\ndesis L4-6";
  auto nt = (*layout_)->Normalize(before, InvalidUtf8Policy::kError);
  ASSERT_TRUE(nt.ok());
  SpliceKept kept;
  EXPECT_FALSE((*layout_)->Splice(before, after, before.size() - 1, 0,
                                  InvalidUtf8Policy::kError, &*nt, &kept));
}

}  // namespace
}  // namespace suggest::internal
