// Copyright libsuggest authors.
//
// The errors of one load of models/, all of them (up to a cap), and the
// "did you mean" of an unknown key or value. No TOML here: the loaders of
// every stage use it (docs/rules.md "Errors").

#ifndef LIBSUGGEST_SRC_UTIL_LOAD_ERRORS_H_
#define LIBSUGGEST_SRC_UTIL_LOAD_ERRORS_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "suggest/status.h"

namespace suggest::internal {

// At most this many errors are listed for one load; the rest are counted.
inline constexpr size_t kMaxLoadErrors = 50;

// The errors of one load (docs/rules.md "Errors"): a loader that can go on
// after an error (the next rule, the next file) adds it here and reports
// them all at the end. ToStatus() is OK when nothing was added, else one
// Status with the code and kind of the first error and a message of one
// error per line ("PATH:LINE:COLUMN: error: ..."), at most kMaxLoadErrors
// of them, then a last line "... and N more errors".
class LoadErrors {
 public:
  // Adds the errors of `s` (each line of its message; a Status from another
  // LoadErrors keeps its count of the errors not listed). Returns !s.ok().
  bool Add(const Status& s);
  bool ok() const { return total_ == 0; }
  size_t count() const { return total_; }
  Status ToStatus() const;

 private:
  std::vector<std::string> lines_;
  size_t total_ = 0;
  Status first_;
};

// How many errors a Status holds (as LoadErrors wrote it): 0 when OK.
size_t ErrorCount(const Status& s);

// The name of `allowed` closest to `value` when it is a likely misspelling
// (case aside, an edit distance of at most about a third of the longer
// name: "patern" -> "pattern", not "x" -> "a"), else "".
std::string NearestName(std::string_view value, const std::vector<std::string>& allowed);

// "; did you mean 'b'?" when NearestName finds one, else "".
std::string DidYouMean(std::string_view value, const std::vector<std::string>& allowed);

// " (allowed: a, b, c)" + DidYouMean: the tail of an "unknown key" or
// "unknown value" error.
std::string AllowedList(std::string_view value, const std::vector<std::string>& allowed);

}  // namespace suggest::internal

#endif  // LIBSUGGEST_SRC_UTIL_LOAD_ERRORS_H_
