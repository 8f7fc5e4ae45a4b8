// Copyright libsuggest authors.
//
// The test helper for bad data (convention: tests/README.md "Bad data").
// Broken data is text beside its exact expected error message:
//   - a whole models folder: EditedModels, a private copy of the source
//     tree's models/ in the test's temporary directory, broken by a text
//     edit and loaded through the public Model::Load; removed on
//     destruction;
//   - one loader's file: a file in tests/data/bad_<loader>/ whose first line
//     is "# expect: <the whole message>"; ExpectedErrors() lists them.

#ifndef LIBSUGGEST_TESTS_TESTING_EDITED_MODELS_H_
#define LIBSUGGEST_TESTS_TESTING_EDITED_MODELS_H_

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "suggest/suggest.h"
#include "model.h"

namespace suggest::testing {

class EditedModels {
 public:
  // Copies models/ to a folder named after the running test. A second
  // EditedModels in the same test must be made after the first is gone
  // (one per scope, e.g. per loop iteration).
  EditedModels() {
    namespace fs = std::filesystem;
    const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(::testing::TempDir()) /
           (std::string("models_") + info->test_suite_name() + "_" + info->name() + "_" +
            std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::copy(SUGGEST_MODELS_DIR, dir_, fs::copy_options::recursive);
  }
  ~EditedModels() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  EditedModels(const EditedModels&) = delete;
  EditedModels& operator=(const EditedModels&) = delete;

  const std::filesystem::path& dir() const { return dir_; }
  // `file` (relative to the folder) as the load names it in its messages.
  std::string path(const std::string& file) const { return (dir_ / file).string(); }

  // Loads the folder as a caller would (with the per-user cache, as
  // TheModel(), so the test does not compile the prescreen again).
  StatusOr<Model> Load(LoadOptions options = {}) const {
    return Model::Load(dir_.string(), CachedLoadOptions(std::move(options)));
  }

  // Replaces the first `from` in `file` by `to`; returns "LINE:COL" (1-based)
  // of the replacement's first byte. A `from` that is not there fails the
  // test and returns "".
  std::string Edit(const std::string& file, const std::string& from, const std::string& to) {
    std::string text = Read(file);
    const size_t p = text.find(from);
    EXPECT_NE(p, std::string::npos) << file << ": " << from;
    if (p == std::string::npos) return "";
    text.replace(p, from.size(), to);
    Write(file, text);
    const size_t line = 1 + std::count(text.begin(), text.begin() + p, '\n');
    const size_t bol = text.rfind('\n', p);
    const size_t col = p - (bol == std::string::npos ? 0 : bol + 1) + 1;
    return std::to_string(line) + ":" + std::to_string(col);
  }

  // Replaces the whole first line of `file` that starts with `prefix` by
  // `line`. A file without such a line fails the test.
  void ReplaceLine(const std::string& file, const std::string& prefix, const std::string& line) {
    std::string s = Read(file);
    const size_t nl = s.find("\n" + prefix);
    const size_t at = s.compare(0, prefix.size(), prefix) == 0 ? 0
                      : nl == std::string::npos            ? s.size()
                                                           : nl + 1;
    if (s.compare(at, prefix.size(), prefix) != 0) {
      ADD_FAILURE() << file << " has no line " << prefix;
      return;
    }
    const size_t end = s.find('\n', at);
    s.replace(at, end - at, line);
    Write(file, s);
  }

  // Replaces the whole of `file` by `text`.
  void Write(const std::string& file, const std::string& text) {
    std::ofstream out(dir_ / file, std::ios::binary | std::ios::trunc);
    out << text;
  }

  std::string Read(const std::string& file) const {
    std::ifstream in(dir_ / file, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

 private:
  std::filesystem::path dir_;
};

// A self-describing bad file and the whole message its loader must give:
// the first line "# expect: NAME:LINE:COL: error: ..." with NAME read as the
// file's own path.
struct ExpectedError {
  std::string path;
  std::string message;
};

// Every file of tests/data/<subdir>/, sorted by name. A file whose first
// line is not "# expect: ..." fails the test (and is left out).
inline std::vector<ExpectedError> ExpectedErrors(const std::string& subdir) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(SUGGEST_TESTDATA_DIR) / subdir;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.is_regular_file()) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  std::vector<ExpectedError> out;
  const std::string prefix = "# expect: ";
  for (const fs::path& file : files) {
    std::ifstream in(file);
    std::string first;
    std::getline(in, first);
    if (first.rfind(prefix, 0) != 0) {
      ADD_FAILURE() << file << ": first line is not \"" << prefix << "...\"";
      continue;
    }
    out.push_back({file.string(), (dir / first.substr(prefix.size())).string()});
  }
  return out;
}

}  // namespace suggest::testing

#endif  // LIBSUGGEST_TESTS_TESTING_EDITED_MODELS_H_
