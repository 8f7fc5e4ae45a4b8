// Copyright libsuggest authors.
//
// Test helper: a private copy of the source tree's models/ in the test's
// temporary directory, with text edits, for tests that check how a broken
// models folder is refused (file:line:column). Removed on destruction.

#ifndef LIBSUGGEST_TESTS_TESTING_EDITED_MODELS_H_
#define LIBSUGGEST_TESTS_TESTING_EDITED_MODELS_H_

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

namespace suggest::testing {

class EditedModels {
 public:
  // Copies models/ to a folder named after the running test.
  EditedModels() {
    namespace fs = std::filesystem;
    const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(::testing::TempDir()) /
           (std::string("models_") + info->test_suite_name() + "_" + info->name() + "_" +
            std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::copy(SUGGEST_MODELS_DIR, dir_, fs::copy_options::recursive);
  }
  ~EditedModels() { std::filesystem::remove_all(dir_); }
  EditedModels(const EditedModels&) = delete;
  EditedModels& operator=(const EditedModels&) = delete;

  const std::filesystem::path& dir() const { return dir_; }

  // Replaces the first `from` in `file` (relative to the folder) by `to`;
  // returns "LINE:COL" (1-based) of the replacement's first byte. A `from`
  // that is not there fails the test.
  std::string Edit(const std::string& file, const std::string& from, const std::string& to) {
    const std::filesystem::path path = dir_ / file;
    std::string text;
    {
      std::ifstream in(path, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      text = ss.str();
    }
    const size_t p = text.find(from);
    EXPECT_NE(p, std::string::npos) << file << ": " << from;
    if (p == std::string::npos) return "";
    text.replace(p, from.size(), to);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    const size_t line = 1 + std::count(text.begin(), text.begin() + p, '\n');
    const size_t bol = text.rfind('\n', p);
    const size_t col = p - (bol == std::string::npos ? 0 : bol + 1) + 1;
    return std::to_string(line) + ":" + std::to_string(col);
  }

 private:
  std::filesystem::path dir_;
};

}  // namespace suggest::testing

#endif  // LIBSUGGEST_TESTS_TESTING_EDITED_MODELS_H_
