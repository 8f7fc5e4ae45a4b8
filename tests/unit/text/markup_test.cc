// Copyright libsuggest authors.
// The markup pass of the normalizer (text/markup.h): character references,
// formatting tags, RTF escapes, mojibake and footnote superscripts read as
// the characters they stand for, with exact offsets back to the original.
#include "text/markup.h"

#include <gtest/gtest.h>

#include <string>

#include "text/normalize.h"

namespace suggest::internal {
namespace {

LayoutRules Rules() {
  LayoutRules r;
  r.join_words = {"arthrodesis"};
  r.page_words = {"page"};
  return r;
}

class MarkupTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto n = Normalizer::Create();
    ASSERT_TRUE(n.ok());
    normalizer_ = new std::shared_ptr<const Normalizer>((*n)->WithLayout(Rules()));
  }
  static void TearDownTestSuite() { delete normalizer_; }
  static NormalizedText Norm(std::string_view s) {
    auto nt = (*normalizer_)->Normalize(s, InvalidUtf8Policy::kError);
    EXPECT_TRUE(nt.ok());
    return nt.ok() ? std::move(*nt) : NormalizedText();
  }
  // The original bytes behind normalized [b, e).
  static std::string Back(std::string_view original, const NormalizedText& nt, size_t b,
                          size_t e) {
    const Span s = nt.map.ToOriginal(static_cast<uint32_t>(b), static_cast<uint32_t>(e));
    return std::string(original.substr(s.begin, s.size()));
  }
  static std::shared_ptr<const Normalizer>* normalizer_;
};
std::shared_ptr<const Normalizer>* MarkupTest::normalizer_ = nullptr;

TEST_F(MarkupTest, NamedAndNumericReferences) {
  const std::string note = "L4&ndash;L5 fusion&nbsp;2019, C5&#8211;C6 and T10&#x2013;L2, O&#39;Neil";
  const NormalizedText nt = Norm(note);
  EXPECT_EQ(nt.text, "l4-l5 fusion 2019, c5-c6 and t10-l2, o'neil");
  // The dash maps back to the whole reference.
  EXPECT_EQ(Back(note, nt, 2, 3), "&ndash;");
  EXPECT_EQ(Back(note, nt, 0, 5), "L4&ndash;L5");
  const size_t c5 = nt.text.find("c5-c6");
  EXPECT_EQ(Back(note, nt, c5, c5 + 5), "C5&#8211;C6");
}

TEST_F(MarkupTest, DoubleEscapedReferenceAndSoftHyphen) {
  const std::string note = "C5&amp;ndash;C6 ACDF; fu&shy;sion";
  const NormalizedText nt = Norm(note);
  EXPECT_EQ(nt.text, "c5-c6 acdf; fusion");
  EXPECT_EQ(Back(note, nt, 2, 3), "&amp;ndash;");
}

TEST_F(MarkupTest, TextThatIsNoMarkupStays) {
  for (const std::string note : {"H&P: s/p L4-5 fusion", "stenosis <5 mm at L3-4", "R&D; a&b;",
                                 "&unknownname; <notatag> x\\y"}) {
    const NormalizedText nt = Norm(note);
    std::string lower = note;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_EQ(nt.text, lower) << note;
    EXPECT_FALSE(MarkupMayApply(note)) << note;
  }
}

TEST_F(MarkupTest, FormattingTags) {
  const std::string note = "<p><b>OPERATIVE NOTE</b></p><br/>Procedure: C5-C6 ACDF<sup>1</sup>"
                           "<table><tr><td>L4-5</td><td>fusion</td></tr></table>";
  const NormalizedText nt = Norm(note);
  EXPECT_EQ(nt.text, "\noperative note\n\nprocedure: c5-c6 acdf\n\n l4-5  fusion \n\n");
  const size_t op = nt.text.find("operative");
  EXPECT_EQ(Back(note, nt, op, op + 14), "OPERATIVE NOTE");
}

TEST_F(MarkupTest, RtfDocumentAndUnicodeEscapes) {
  const std::string note = "{\\rtf1\\ansi {\\b OPERATIVE NOTE}\\par Procedure: C5\\u8211?C6 ACDF\\par "
                           "Dx: C5\\'96C6 HNP}";
  const NormalizedText nt = Norm(note);
  EXPECT_EQ(nt.text, "operative note\nprocedure: c5-c6 acdf\ndx: c5-c6 hnp");
  const size_t dash = nt.text.find("c5-c6") + 2;
  EXPECT_EQ(Back(note, nt, dash, dash + 1), "\\u8211?");
  // Outside an RTF document only the Unicode escape with its fallback is read.
  EXPECT_EQ(Norm("L4\\u8211?L5 \\b bold").text, "l4-l5 \\b bold");
}

TEST_F(MarkupTest, Mojibake) {
  const std::string note = "s/p L4\xc3\xa2\xe2\x82\xac\xe2\x80\x9cL5 TLIF, pt\xc3\xa2\xe2\x82\xac\xe2\x84\xa2s";
  const NormalizedText nt = Norm(note);
  EXPECT_EQ(nt.text, "s/p l4-l5 tlif, pt's");
  EXPECT_EQ(Back(note, nt, 6, 7), "\xc3\xa2\xe2\x82\xac\xe2\x80\x9c");
}

TEST_F(MarkupTest, FootnoteSuperscriptAfterAWord) {
  const std::string note = "Prior L4-L5 fusion\xc2\xb9 in 2019; area 5 m\xc2\xb2";
  const NormalizedText nt = Norm(note);
  EXPECT_EQ(nt.text, "prior l4-l5 fusion in 2019; area 5 m");
  // A superscript that is a number, not after a word, stays a digit.
  EXPECT_EQ(Norm("x \xc2\xb2").text, "x 2");
}

TEST_F(MarkupTest, DashBeforeALineBreakJoinsTheLevel) {
  EXPECT_EQ(Norm("fusion T12\xe2\x80\x93\nL2 in 2005.").text, "fusion t12-l2 in 2005.");
  EXPECT_EQ(Norm("fusion T12&ndash;<br>L2 in 2005.").text, "fusion t12-l2 in 2005.");
}

// The splitter's question, answered from the pass's own tables.
TEST(MarkupEndsWithDash, UnicodeDashesAndDashReferences) {
  for (const char* text : {"fusion T12\xe2\x80\x93", "T12\xe2\x88\x92", "T12&ndash;", "T12&NDASH;",
                           "T12&#8211;", "T12&#x2013;", "T12&amp;ndash;", "T12&minus;"})
    EXPECT_TRUE(EndsWithDash(text)) << text;
  for (const char* text : {"T12-", "T12", "H&P", "T12&amp;", "T12&ndash;L2", "&nbsp;", "caf\xc3\xa9"})
    EXPECT_FALSE(EndsWithDash(text)) << text;
}

}  // namespace
}  // namespace suggest::internal
