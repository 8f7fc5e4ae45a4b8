// Copyright libsuggest authors.
//
// The RE2 adapter (match/regex.h): the answers callers rely on, and the
// fail-closed contract of a pattern set that cannot answer.
#include "match/regex.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "match/rule_pack.h"

namespace suggest::internal {
namespace {

TEST(RegexTest, MatchFillsGroupsAndReportsErrors) {
  RegexError error;
  EXPECT_EQ(Regex::Compile("(unclosed", {}, &error), nullptr);
  EXPECT_FALSE(error.message.empty());

  auto re = Regex::Compile("(?P<region>[cl])(\\d)(x)?");
  ASSERT_NE(re, nullptr);
  EXPECT_EQ(re->NumberOfCapturingGroups(), 3);
  EXPECT_EQ(re->NamedCapturingGroups().at("region"), 1);
  const std::string text = "s/p c5 fusion";
  std::string_view g[4];
  ASSERT_TRUE(re->Match(text, 0, text.size(), Regex::Anchor::kUnanchored, g, 4));
  EXPECT_EQ(g[0], "c5");
  EXPECT_EQ(g[1], "c");
  EXPECT_EQ(g[2], "5");
  EXPECT_EQ(g[3].data(), nullptr);  // did not take part
  EXPECT_FALSE(re->Match(text, 0, text.size(), Regex::Anchor::kAnchorStart, g, 1));
  EXPECT_TRUE(re->PartialMatch("l4"));
  EXPECT_EQ(Regex::QuoteMeta("a.b"), "a\\.b");
}

TEST(RegexTest, LongestMatchOption) {
  RegexOptions longest;
  longest.longest_match = true;
  auto first = Regex::Compile("no|no change");
  auto all = Regex::Compile("no|no change", longest);
  std::string_view m;
  const std::string text = "no change";
  ASSERT_TRUE(first->Match(text, 0, text.size(), Regex::Anchor::kUnanchored, &m, 1));
  EXPECT_EQ(m, "no");
  ASSERT_TRUE(all->Match(text, 0, text.size(), Regex::Anchor::kUnanchored, &m, 1));
  EXPECT_EQ(m, "no change");
}

TEST(RegexSetTest, AnswersMatchNoMatch) {
  RegexSet set;
  std::string error;
  EXPECT_EQ(set.Add("fusion", &error), 0);
  EXPECT_EQ(set.Add("arthrodes[ie]s", &error), 1);
  EXPECT_LT(set.Add("(bad", &error), 0);
  EXPECT_FALSE(error.empty());
  ASSERT_TRUE(set.Compile());
  std::vector<int> hits;
  EXPECT_EQ(set.Match("prior arthrodesis", &hits), RegexSet::Result::kMatch);
  EXPECT_EQ(hits, std::vector<int>{1});
  EXPECT_EQ(set.Match("nothing here"), RegexSet::Result::kNoMatch);
}

// A set that cannot answer says so: kFailed, never kNoMatch (a caller
// would read "no facts"). With a tiny memory budget RE2 refuses to compile
// the set at all (it checks at compile time that its DFA has working room,
// and a many-match DFA never gives up for slowness later), so the budget
// failure surfaces at load: Compile() is false and Match() is kFailed.
TEST(RegexSetTest, TinyMemoryBudgetFailsClosed) {
  RegexOptions tiny;
  tiny.max_mem = 2000;
  RegexSet set(tiny);
  std::string error;
  ASSERT_GE(set.Add("a.{0,200}z", &error), 0) << error;
  ASSERT_GE(set.Add("(?:fusion|arthrodesis)\\s+(?:at\\s+)?[ctl]\\d{1,2}", &error), 0) << error;
  EXPECT_FALSE(set.Compile());
  EXPECT_EQ(set.Match("fusion at l4"), RegexSet::Result::kFailed);
  EXPECT_EQ(set.Match("nothing"), RegexSet::Result::kFailed);
}

TEST(RegexSetTest, RulePackThatDoesNotFitItsBudgetFailsToLoad) {
  static const auto normalizer = *Normalizer::Create();
  RegexOptions tiny;
  tiny.max_mem = 2000;
  const std::string path = std::string(SUGGEST_MODELS_DIR) + "/rules/fusion.toml";
  auto pack = RulePack::Load(path, *normalizer, nullptr, tiny);
  ASSERT_FALSE(pack.ok());
  EXPECT_EQ(pack.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(pack.status().message().find("too large"), std::string::npos)
      << pack.status().message();
  // The default budget loads it.
  EXPECT_TRUE(RulePack::Load(path, *normalizer, nullptr).ok());
}

}  // namespace
}  // namespace suggest::internal
