// Copyright libsuggest authors.
#include "match/rule_pack.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "../../testing/edited_models.h"

namespace suggest::internal {
namespace {

const Normalizer& TheNormalizer() {
  static const auto n = *Normalizer::Create();
  return *n;
}

TEST(RulePack, LoadsAndMatchesOnNormalizedText) {
  auto pack = RulePack::Load(std::string(SUGGEST_TESTDATA_DIR) + "/good_rules/demo.toml",
                             TheNormalizer(), nullptr);
  ASSERT_TRUE(pack.ok()) << pack.status().ToString();
  EXPECT_EQ((*pack)->name(), "demo");
  ASSERT_EQ((*pack)->rules().size(), 2u);
  EXPECT_EQ((*pack)->rules()[0].attributes.at("when"), "prior");

  const std::string text = "s/p acdf c5-c6. no other.";
  EXPECT_TRUE((*pack)->AnyMatch(text));
  EXPECT_FALSE((*pack)->AnyMatch("nothing spinal here"));
  auto ms = (*pack)->FindAll(text, 0, text.size());
  ASSERT_EQ(ms.size(), 3u);
  EXPECT_EQ(text.substr(ms[0].begin, ms[0].end - ms[0].begin), "acdf");
  EXPECT_EQ(text.substr(ms[1].begin, ms[1].end - ms[1].begin), "c5");
  ASSERT_EQ(ms[1].groups.size(), 2u);
  EXPECT_EQ(ms[1].groups[0].name, "region");
  EXPECT_EQ(text.substr(ms[1].groups[1].begin, 1), "5");
  EXPECT_EQ(text.substr(ms[2].begin, ms[2].end - ms[2].begin), "c6");

  // A sub-range sees only its own matches.
  auto sub = (*pack)->FindAll(text, 9, 14);
  ASSERT_EQ(sub.size(), 2u);
  EXPECT_EQ(sub[0].begin, 9u);
}

TEST(RulePack, DuplicateIdsAcrossPacks) {
  std::vector<std::string> ids = {"demo_acdf"};
  auto pack = RulePack::Load(std::string(SUGGEST_TESTDATA_DIR) + "/good_rules/demo.toml",
                             TheNormalizer(), &ids);
  ASSERT_FALSE(pack.ok());
  EXPECT_NE(pack.status().message().find("rule \"demo_acdf\": duplicate id"), std::string::npos)
      << pack.status().message();
}

TEST(RulePack, MissingFileIsNotFound) {
  auto pack = RulePack::Load("/nonexistent/levels.toml", TheNormalizer(), nullptr);
  ASSERT_FALSE(pack.ok());
  EXPECT_EQ(pack.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(pack.status().message(), "/nonexistent/levels.toml: error: cannot read file");
}

// Each file in tests/data/bad_rules/ starts with "# expect: <message>"; the
// load must fail with a message starting with exactly that (its file name
// read as the file's path).
TEST(RulePack, BrokenFilesGivePreciseErrors) {
  int checked = 0;
  for (const auto& [path, want] : suggest::testing::ExpectedErrors("bad_rules")) {
    auto pack = RulePack::Load(path, TheNormalizer(), nullptr);
    ASSERT_FALSE(pack.ok()) << path;
    const std::string& msg = pack.status().message();
    EXPECT_EQ(msg.find(want), 0u) << "got:  " << msg << "\nwant: " << want;
    ++checked;
  }
  EXPECT_GE(checked, 8);
}

}  // namespace
}  // namespace suggest::internal
