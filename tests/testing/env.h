// Copyright libsuggest authors.
//
// Test helper: environment variables a test may change, put back as they
// were (set to the old value, or unset) when the holder goes out of scope.
// A fixture holds one as a member, so the variables are restored after its
// TearDown.

#ifndef LIBSUGGEST_TESTS_TESTING_ENV_H_
#define LIBSUGGEST_TESTS_TESTING_ENV_H_

#include <stdlib.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace suggest::testing {

class SavedEnv {
 public:
  explicit SavedEnv(std::initializer_list<const char*> names) {
    for (const char* name : names) {
      const char* old = ::getenv(name);
      saved_.emplace_back(name, old ? std::optional<std::string>(old) : std::nullopt);
    }
  }
  ~SavedEnv() {
    for (const auto& [name, value] : saved_) {
      if (value) ::setenv(name.c_str(), value->c_str(), 1);
      else ::unsetenv(name.c_str());
    }
  }
  SavedEnv(const SavedEnv&) = delete;
  SavedEnv& operator=(const SavedEnv&) = delete;

 private:
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

}  // namespace suggest::testing

#endif  // LIBSUGGEST_TESTS_TESTING_ENV_H_
