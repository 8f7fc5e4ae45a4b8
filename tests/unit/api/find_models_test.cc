// Copyright libsuggest authors.
//
// suggest::FindModelsDir / Model::Load() (issue 17 item 1): $SUGGEST_MODELS
// first; else relative to the file holding the library, which in the build
// tree finds the suggest-models link beside the test program. The installed,
// moved and static cases: tests/install/install_examples.sh.

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "suggest/suggest.h"
#include "../../testing/model.h"

namespace suggest {
namespace {

class FindModelsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const char* v = std::getenv("SUGGEST_MODELS")) saved_ = v, had_ = true;
  }
  void TearDown() override {
    if (had_) setenv("SUGGEST_MODELS", saved_.c_str(), 1);
    else unsetenv("SUGGEST_MODELS");
  }
  std::string saved_;
  bool had_ = false;
};

TEST_F(FindModelsTest, EnvironmentComesFirstAndIsUsedAsGiven) {
  setenv("SUGGEST_MODELS", "/nonexistent/suggest-models-env", 1);
  auto dir = FindModelsDir();
  ASSERT_TRUE(dir.ok()) << dir.status().ToString();
  EXPECT_EQ(*dir, "/nonexistent/suggest-models-env");
  auto model = Model::Load();
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), StatusCode::kNotFound);
  EXPECT_NE(model.status().message().find("/nonexistent/suggest-models-env"), std::string::npos);
}

TEST_F(FindModelsTest, BuildTreeFindsTheLinkBesideTheProgram) {
  unsetenv("SUGGEST_MODELS");
  auto dir = FindModelsDir();
  ASSERT_TRUE(dir.ok()) << dir.status().ToString();
  EXPECT_NE(dir->find("suggest-models"), std::string::npos) << *dir;
  // Load(LoadOptions) and Load("", LoadOptions) are the same models as the
  // source tree's directory (with the per-user cache, so that each load does
  // not compile the prescreen again; Load() is Load(LoadOptions{})).
  const LoadOptions cached = suggest::testing::CachedLoadOptions();
  auto explicit_dir = Model::Load(SUGGEST_MODELS_DIR, cached);
  ASSERT_TRUE(explicit_dir.ok()) << explicit_dir.status().ToString();
  for (auto model : {Model::Load(cached), Model::Load(std::string(), cached)}) {
    ASSERT_TRUE(model.ok()) << model.status().ToString();
    EXPECT_EQ(model->models_dir(), *dir);
    EXPECT_EQ(model->models_version(), explicit_dir->models_version());
  }
}

// The library logs nothing: what a load noticed comes back as values, the
// last one naming the directory (the CLI logs them at debug).
TEST_F(FindModelsTest, LoadNotesAreValuesEndingWithTheDirectory) {
  auto model = Model::Load(SUGGEST_MODELS_DIR, suggest::testing::CachedLoadOptions());
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  ASSERT_FALSE(model->load_notes().empty());
  EXPECT_EQ(model->load_notes().back(), std::string("model loaded from ") + SUGGEST_MODELS_DIR);
}

}  // namespace
}  // namespace suggest
