// Copyright libsuggest authors.
//
// Model::Load returns the status codes and kinds its header documents
// (suggest.h, suggest_c.h suggest_model_load): each case breaks one file of
// a copy of the source tree's models/ (testing::EditedModels, the bad-data
// convention of tests/README.md).

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "suggest/suggest.h"
#include "suggest/version.h"
#include "../../testing/edited_models.h"
#include "../../testing/model.h"

namespace suggest {
namespace {

namespace fs = std::filesystem;

using suggest::testing::EditedModels;

TEST(ModelLoadErrorsTest, TheCopyLoads) {
  EditedModels models;
  EXPECT_TRUE(models.Load().ok());
}

// An unsupported schema_version is broken rule data like any other:
// InvalidArgument, kind "rule_file", "file:line:column: error: ..." (not
// FailedPrecondition, which the C header used to promise).
TEST(ModelLoadErrorsTest, UnsupportedSchemaVersionIsInvalidArgumentRuleFile) {
  for (const char* file : {"sections.toml", "rules/levels.toml", "map.toml"}) {
    EditedModels models;
    models.ReplaceLine(file, "schema_version", "schema_version = 99");
    auto m = models.Load();
    ASSERT_FALSE(m.ok()) << file;
    EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument) << file;
    EXPECT_EQ(m.status().kind(), "rule_file") << file;
    EXPECT_NE(m.status().message().find(std::string(file) + ":"), std::string::npos)
        << m.status().message();
    EXPECT_NE(m.status().message().find(": error: schema_version 99 not supported ("),
              std::string::npos)
        << m.status().message();
  }
}

// A missing models directory is NotFound.
TEST(ModelLoadErrorsTest, MissingDirectoryIsNotFound) {
  EditedModels models;
  auto m = Model::Load((models.dir() / "nothing-here").string());
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kNotFound);
}

// A code set year the models do not ship is NotFound.
TEST(ModelLoadErrorsTest, CodeSetYearNotShippedIsNotFound) {
  EditedModels models;
  LoadOptions options;
  options.code_set_year = 1999;
  auto m = models.Load(options);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kNotFound) << m.status().ToString();
}

// A broken code table is InvalidArgument kind "code_table".
TEST(ModelLoadErrorsTest, BrokenCodeTableIsInvalidArgumentCodeTable) {
  EditedModels models;
  std::istringstream in(models.Read("icd10cm/default"));
  std::string year;
  in >> year;
  ASSERT_FALSE(year.empty());
  models.Write("icd10cm/" + year + "/codes.tsv", "not a header\n");
  auto m = models.Load();
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument) << m.status().ToString();
  EXPECT_EQ(m.status().kind(), "code_table") << m.status().ToString();
}

// A load reports the errors of every broken file, one per line, in the
// order the files load (docs/rules.md "Errors"), not only the first.
TEST(ModelLoadErrorsTest, EveryBrokenFileIsReported) {
  EditedModels models;
  const char* files[] = {"sections.toml", "context.toml", "rules/dish.toml", "map.toml"};
  for (const char* file : files) models.ReplaceLine(file, "schema_version", "schema_version = 99");
  auto m = models.Load();
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(m.status().kind(), "rule_file");
  std::istringstream lines(m.status().message());
  std::string line;
  size_t n = 0;
  while (std::getline(lines, line)) {
    ASSERT_LT(n, std::size(files)) << m.status().message();
    EXPECT_EQ(line.find(models.path(files[n]) + ":"), 0u) << line;
    EXPECT_NE(line.find(": error: schema_version 99 not supported"), std::string::npos) << line;
    ++n;
  }
  EXPECT_EQ(n, std::size(files)) << m.status().message();
}

// Rule ids are unique across levels.toml and the packs, which load on two
// threads (api/model.cc LoadRuleFiles): a pack's id that levels.toml used
// is still reported at the pack's line and column, after the errors of the
// files read before it, exactly as a serial load lists them.
TEST(ModelLoadErrorsTest, IdOfLevelsReusedInAPackIsADuplicateInFileOrder) {
  EditedModels models;
  models.ReplaceLine("context.toml", "schema_version", "schema_version = 99");
  const std::string at = models.Edit("rules/dish.toml", "id = \"dish_acronym\"",
                                     "id = \"level_range\"");
  ASSERT_FALSE(at.empty());
  const std::string line = at.substr(0, at.find(':'));
  auto m = models.Load();
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().kind(), "rule_file");
  std::istringstream lines(m.status().message());
  std::string first, second, third;
  std::getline(lines, first);
  std::getline(lines, second);
  EXPECT_EQ(first.find(models.path("context.toml") + ":"), 0u) << m.status().message();
  EXPECT_EQ(second, models.path("rules/dish.toml") + ":" + line +
                        ":6: error: rule \"level_range\": duplicate id")
      << m.status().message();
  EXPECT_FALSE(std::getline(lines, third)) << m.status().message();
}

// version.h's SUGGEST_RULES_SCHEMA_* are the schema_version of every shipped
// file, and the only one its loader accepts.
TEST(ModelLoadErrorsTest, SchemaVersionsAreThoseOfVersionH) {
  static_assert(SUGGEST_RULES_SCHEMA_VERSION >= 1, "a folder format version");
  std::vector<std::pair<std::string, int>> files = {
      {"sections.toml", SUGGEST_RULES_SCHEMA_SECTIONS},
      {"context.toml", SUGGEST_RULES_SCHEMA_CONTEXT},
      {"map.toml", SUGGEST_RULES_SCHEMA_MAP}};
  for (const auto& entry : fs::directory_iterator(fs::path(SUGGEST_MODELS_DIR) / "rules"))
    if (entry.path().extension() == ".toml")
      files.emplace_back("rules/" + entry.path().filename().string(), SUGGEST_RULES_SCHEMA_PACK);
  ASSERT_GE(files.size(), 10u);
  for (const auto& [file, version] : files) {
    std::ifstream in(fs::path(SUGGEST_MODELS_DIR) / file);
    std::string line;
    int shipped = -1;
    while (std::getline(in, line))
      if (line.rfind("schema_version = ", 0) == 0) shipped = std::stoi(line.substr(17));
    EXPECT_EQ(shipped, version) << file;
    for (int other : {version - 1, version + 1}) {
      EditedModels models;
      models.ReplaceLine(file, "schema_version", "schema_version = " + std::to_string(other));
      auto m = models.Load();
      ASSERT_FALSE(m.ok()) << file << " " << other;
      const std::string v = std::to_string(version);
      EXPECT_NE(m.status().message().find(": error: schema_version " + std::to_string(other) +
                                          " not supported (" + v + ".." + v + ")"),
                std::string::npos)
          << m.status().message();
    }
  }
}

}  // namespace
}  // namespace suggest
