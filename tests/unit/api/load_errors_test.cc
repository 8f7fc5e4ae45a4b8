// Copyright libsuggest authors.
//
// Model::Load returns the status codes and kinds its header documents
// (suggest.h, suggest_c.h suggest_model_load): each case breaks one file of
// a copy of the source tree's models/.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <unistd.h>

#include "suggest/suggest.h"
#include "suggest/version.h"
#include "../../testing/model.h"

namespace suggest {
namespace {

namespace fs = std::filesystem;

// A fresh copy of models/ in a temporary directory, removed at the end.
class ModelLoadErrorsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("suggest-load-errors-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    fs::copy(SUGGEST_MODELS_DIR, dir_ / "models", fs::copy_options::recursive);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string models() const { return (dir_ / "models").string(); }
  // Replaces the first line starting with `prefix` in models/<file>.
  void ReplaceLine(const std::string& file, const std::string& prefix, const std::string& line) {
    const fs::path path = dir_ / "models" / file;
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    std::string s = text.str();
    const size_t nl = s.find("\n" + prefix);
    const size_t at = s.compare(0, prefix.size(), prefix) == 0 ? 0
                      : nl == std::string::npos            ? s.size()
                                                           : nl + 1;
    ASSERT_EQ(s.compare(at, prefix.size(), prefix), 0) << file << " has no line " << prefix;
    const size_t end = s.find('\n', at);
    s.replace(at, end - at, line);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << s;
  }
  fs::path dir_;
};

TEST_F(ModelLoadErrorsTest, TheCopyLoads) {
  EXPECT_TRUE(Model::Load(models(), suggest::testing::CachedLoadOptions()).ok());
}

// An unsupported schema_version is broken rule data like any other:
// InvalidArgument, kind "rule_file", "file:line:column: error: ..." (not
// FailedPrecondition, which the C header used to promise).
TEST_F(ModelLoadErrorsTest, UnsupportedSchemaVersionIsInvalidArgumentRuleFile) {
  for (const char* file : {"sections.toml", "rules/levels.toml", "map.toml"}) {
    SetUp();
    ReplaceLine(file, "schema_version", "schema_version = 99");
    auto m = Model::Load(models(), suggest::testing::CachedLoadOptions());
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
TEST_F(ModelLoadErrorsTest, MissingDirectoryIsNotFound) {
  auto m = Model::Load((dir_ / "nothing-here").string());
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kNotFound);
}

// A code set year the models do not ship is NotFound.
TEST_F(ModelLoadErrorsTest, CodeSetYearNotShippedIsNotFound) {
  LoadOptions options;
  options.code_set_year = 1999;
  auto m = Model::Load(models(), suggest::testing::CachedLoadOptions(options));
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kNotFound) << m.status().ToString();
}

// A broken code table is InvalidArgument kind "code_table".
TEST_F(ModelLoadErrorsTest, BrokenCodeTableIsInvalidArgumentCodeTable) {
  std::ifstream in(dir_ / "models" / "icd10cm" / "default");
  std::string year;
  in >> year;
  ASSERT_FALSE(year.empty());
  {
    std::ofstream out(dir_ / "models" / "icd10cm" / year / "codes.tsv",
                      std::ios::binary | std::ios::trunc);
    out << "not a header\n";
  }
  auto m = Model::Load(models(), suggest::testing::CachedLoadOptions());
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument) << m.status().ToString();
  EXPECT_EQ(m.status().kind(), "code_table") << m.status().ToString();
}

// A load reports the errors of every broken file, one per line, in the
// order the files load (docs/rules.md "Errors"), not only the first.
TEST_F(ModelLoadErrorsTest, EveryBrokenFileIsReported) {
  const char* files[] = {"sections.toml", "context.toml", "rules/dish.toml", "map.toml"};
  for (const char* file : files) ReplaceLine(file, "schema_version", "schema_version = 99");
  auto m = Model::Load(models(), suggest::testing::CachedLoadOptions());
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(m.status().kind(), "rule_file");
  std::istringstream lines(m.status().message());
  std::string line;
  size_t n = 0;
  while (std::getline(lines, line)) {
    ASSERT_LT(n, std::size(files)) << m.status().message();
    EXPECT_EQ(line.find((dir_ / "models" / files[n]).string() + ":"), 0u) << line;
    EXPECT_NE(line.find(": error: schema_version 99 not supported"), std::string::npos) << line;
    ++n;
  }
  EXPECT_EQ(n, std::size(files)) << m.status().message();
}

// version.h's SUGGEST_RULES_SCHEMA_* are the schema_version of every shipped
// file, and the only one its loader accepts.
TEST_F(ModelLoadErrorsTest, SchemaVersionsAreThoseOfVersionH) {
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
      SetUp();
      ReplaceLine(file, "schema_version", "schema_version = " + std::to_string(other));
      auto m = Model::Load(models(), suggest::testing::CachedLoadOptions());
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
