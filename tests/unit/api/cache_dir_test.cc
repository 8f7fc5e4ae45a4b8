// Copyright libsuggest authors.
//
// LoadOptions::cache_dir (issue 14 item 4): a load with the default options
// writes nothing outside the models directory, whatever HOME,
// XDG_CACHE_HOME and SUGGEST_CACHE_DIR say; with cache_dir set it keeps the
// compiled databases there; suggest::DefaultCacheDir() is the per-user place
// the CLI and the Python binding pass.

#include <stdlib.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "match/prescreen.h"
#include "suggest/suggest.h"
#include "../../testing/edited_models.h"
#include "../../testing/env.h"

namespace suggest {
namespace {

namespace fs = std::filesystem;

// Files under `dir` (0 if it does not exist).
size_t CountFiles(const fs::path& dir) {
  size_t n = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file()) ++n;
  return n;
}

// HOME, XDG_CACHE_HOME and SUGGEST_CACHE_DIR point into a fresh directory
// for one test (restored afterwards); the models are a private copy without
// a compiled/ folder.
class LoadCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(::testing::TempDir()) /
            ("suggest-load-cache-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "home");
    fs::create_directories(root_ / "xdg");
    ::setenv("HOME", (root_ / "home").c_str(), 1);
    ::setenv("XDG_CACHE_HOME", (root_ / "xdg").c_str(), 1);
    ::setenv("SUGGEST_CACHE_DIR", (root_ / "env").c_str(), 1);
    fs::remove_all(models_.dir() / "compiled");
  }
  void TearDown() override { fs::remove_all(root_); }
  static bool HaveVectorscan() { return internal::Prescreen::Build({"fusion"})->active(); }

  testing::SavedEnv env_{"SUGGEST_CACHE_DIR", "XDG_CACHE_HOME", "HOME"};  // first: restored last
  testing::EditedModels models_;
  fs::path root_;
};

TEST_F(LoadCacheTest, DefaultOptionsWriteNothing) {
  auto model = Model::Load(models_.dir().string());
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_EQ(CountFiles(root_), 0u);
  EXPECT_FALSE(fs::exists(root_ / "env"));
  EXPECT_FALSE(fs::exists(models_.dir() / "compiled"));
  // The same through the C++ default of every overload.
  auto again = Model::Load(models_.dir().string(), LoadOptions{});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(CountFiles(root_), 0u);
}

TEST_F(LoadCacheTest, CacheDirIsWhereTheLoadKeepsItsDatabases) {
  LoadOptions options;
  options.cache_dir = (root_ / "mine").string();
  auto model = Model::Load(models_.dir().string(), options);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  if (!HaveVectorscan()) GTEST_SKIP() << "built without Vectorscan: nothing to cache";
  const size_t kept = CountFiles(root_ / "mine");
  EXPECT_GT(kept, 0u);
  EXPECT_EQ(CountFiles(root_), kept);  // nothing under HOME, XDG, SUGGEST_CACHE_DIR
  EXPECT_FALSE(fs::exists(models_.dir() / "compiled"));
  // A second load reads them and adds nothing.
  auto again = Model::Load(models_.dir().string(), options);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(CountFiles(root_ / "mine"), kept);
  EXPECT_EQ(again->models_version(), model->models_version());
}

TEST_F(LoadCacheTest, DefaultCacheDirIsThePerUserPlace) {
  EXPECT_EQ(DefaultCacheDir(), (root_ / "env").string());
  ::setenv("SUGGEST_CACHE_DIR", "off", 1);
  EXPECT_EQ(DefaultCacheDir(), "");
  ::unsetenv("SUGGEST_CACHE_DIR");
  EXPECT_EQ(DefaultCacheDir(), (root_ / "xdg" / "libsuggest").string());
  ::unsetenv("XDG_CACHE_HOME");
  EXPECT_EQ(DefaultCacheDir(), (root_ / "home" / ".cache" / "libsuggest").string());
}

}  // namespace
}  // namespace suggest
