// Copyright libsuggest authors.
#include "text/tokenizer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "text_test_util.h"

namespace suggest::internal {
namespace {

using testing::Norm;

struct Tok {
  std::string norm;
  std::string orig;
  TokenKind kind;
};

std::vector<Tok> Toks(std::string_view original) {
  NormalizedText nt = Norm(original);
  std::vector<Tok> out;
  for (const Token& t : Tokenize(nt)) {
    out.push_back({nt.text.substr(t.norm_begin, t.norm_end - t.norm_begin),
                   std::string(original.substr(t.span.begin, t.span.size())),
                   t.kind});
  }
  return out;
}

std::vector<std::string> NormTexts(std::string_view original) {
  std::vector<std::string> out;
  for (const Tok& t : Toks(original)) out.push_back(t.norm);
  return out;
}

using V = std::vector<std::string>;

TEST(TokenizerTest, EmptyAndBlank) {
  EXPECT_TRUE(Toks("").empty());
  EXPECT_TRUE(Toks("  \n\t ").empty());
}

TEST(TokenizerTest, WordsLevelsAndPunct) {
  EXPECT_EQ(NormTexts("Fusion at L5-S1, C5/6."),
            (V{"fusion", "at", "l5", "-", "s1", ",", "c5", "/", "6", "."}));
  auto t = Toks("C5-C6");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].kind, TokenKind::kWord);
  EXPECT_EQ(t[0].orig, "C5");
  EXPECT_EQ(t[1].kind, TokenKind::kPunct);
  EXPECT_EQ(t[2].orig, "C6");
}

TEST(TokenizerTest, SlashAbbreviation) {
  EXPECT_EQ(NormTexts("s/p ACDF"), (V{"s", "/", "p", "acdf"}));
}

TEST(TokenizerTest, Numbers) {
  auto t = Toks("2.5 mg, 10 cc. 1.2.3 5mg 2.");
  ASSERT_EQ(t.size(), 13u);
  EXPECT_EQ(t[0].norm, "2.5");
  EXPECT_EQ(t[0].kind, TokenKind::kNumber);
  EXPECT_EQ(t[1].norm, "mg");
  EXPECT_EQ(t[3].norm, "10");
  EXPECT_EQ(t[5].norm, ".");
  EXPECT_EQ(t[6].norm, "1.2");  // one inner point only
  EXPECT_EQ(t[7].norm, ".");
  EXPECT_EQ(t[8].norm, "3");
  EXPECT_EQ(t[9].norm, "5");  // a digit run then a word
  EXPECT_EQ(t[9].kind, TokenKind::kNumber);
  EXPECT_EQ(t[10].norm, "mg");
  EXPECT_EQ(t[11].norm, "2");  // trailing '.' is punctuation
  EXPECT_EQ(t[12].kind, TokenKind::kPunct);
}

TEST(TokenizerTest, DashesAreUnified) {
  // En dash U+2013 normalizes to '-': a punct token spanning 3 bytes.
  auto t = Toks("C5\xE2\x80\x93" "C6");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[1].norm, "-");
  EXPECT_EQ(t[1].orig, "\xE2\x80\x93");
  EXPECT_EQ(t[2].orig, "C6");
}

TEST(TokenizerTest, ChangeChunkIsOneToken) {
  // U+00BD VULGAR FRACTION ONE HALF -> "1\u20442": three pieces, one chunk.
  auto t = Toks("\xC2\xBD tablet");
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].orig, "\xC2\xBD");
  EXPECT_EQ(t[0].norm, "1\xE2\x81\x84" "2");
  EXPECT_EQ(t[0].kind, TokenKind::kNumber);
  EXPECT_EQ(t[1].norm, "tablet");
}

TEST(TokenizerTest, UnicodeLetters) {
  // U+FB01 LATIN SMALL LIGATURE FI, German sharp s (casefolds to "ss"),
  // accented letters: all inside words.
  auto t = Toks("\xEF\xAC\x81" "brosis Stra\xC3\x9F" "e B\xC3\xA9" "chterew");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].norm, "fibrosis");
  EXPECT_EQ(t[0].orig, "\xEF\xAC\x81" "brosis");
  EXPECT_EQ(t[1].norm, "strasse");
  EXPECT_EQ(t[1].orig, "Stra\xC3\x9F" "e");
  EXPECT_EQ(t[2].orig, "B\xC3\xA9" "chterew");
  EXPECT_EQ(t[2].kind, TokenKind::kWord);
}

TEST(TokenizerTest, IdentityMapWithoutNormalizer) {
  NormalizedText nt;
  nt.text = "fusion at c5.";
  nt.map = OffsetMap::Identity(static_cast<uint32_t>(nt.text.size()));
  auto toks = Tokenize(nt);
  ASSERT_EQ(toks.size(), 4u);
  EXPECT_EQ(toks[2].span, (Span{10, 12}));
  EXPECT_EQ(toks[3].kind, TokenKind::kPunct);
}

// The contract: tokens are ordered, disjoint, start and end on map
// boundaries, and re-normalizing a token's original span gives back exactly
// its normalized text.
void CheckInvariants(std::string_view original) {
  NormalizedText nt = Norm(original);
  uint32_t prev_end = 0;
  for (const Token& t : Tokenize(nt)) {
    ASSERT_LT(t.norm_begin, t.norm_end);
    ASSERT_GE(t.norm_begin, prev_end);
    ASSERT_TRUE(nt.map.IsBoundary(t.norm_begin));
    ASSERT_TRUE(nt.map.IsBoundary(t.norm_end));
    prev_end = t.norm_end;
    NormalizedText again = Norm(original.substr(t.span.begin, t.span.size()));
    ASSERT_EQ(again.text, nt.text.substr(t.norm_begin, t.norm_end - t.norm_begin))
        << "token at " << t.span.begin;
  }
}

TEST(TokenizerTest, InvariantsOnOddText) {
  CheckInvariants("\xC2\xBD\xC2\xBC x\xC2\xB2 \xEF\xAC\x81\xEF\xAC\x82 "
                  "T12\xE2\x80\x93L1 \xE2\x80\x9Cquoted\xE2\x80\x9D "
                  "10\xC2\xA0mg \xE2\x85\xA2 \xE2\x91\xA0 e\xCC\x81t\xC3\xA9 "
                  "\xCE\xA3\xCE\xAF\xCF\x83\xCF\x85\xCF\x86\xCE\xBF\xCF\x82 "
                  "\xE2\x84\xAB line\r\nbreak");
}

TEST(TokenizerTest, InvariantsOnCorpusSample) {
  std::ifstream in(std::string(SUGGEST_SHARED_DIR) + "/corpus/mtsamples.jsonl");
  if (!in) GTEST_SKIP() << "corpus not available";
  std::string line;
  // Every 25th note, plus every note with non-ASCII text.
  for (int i = 0; std::getline(in, line); ++i) {
    const std::string text = nlohmann::json::parse(line).at("text");
    const bool ascii = std::all_of(text.begin(), text.end(), [](char c) {
      return static_cast<unsigned char>(c) < 0x80;
    });
    if (i % 25 != 0 && ascii) continue;
    CheckInvariants(text);
  }
}

}  // namespace
}  // namespace suggest::internal
