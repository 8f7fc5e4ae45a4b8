// Copyright libsuggest authors.
//
// The one adapter to RE2: every pattern of the models (rule packs, level
// rules, assertion cues) is compiled and run through these two classes, and
// no other file includes <re2/...>. It fixes the options all patterns share
// (UTF-8, errors returned and never logged) and turns RE2::Set's silent
// failure into a value: a Set whose DFA runs out of memory answers
// kFailed, never "no match", so a caller can fail closed (an error record)
// instead of reading "no facts" (issue 14).

#ifndef LIBSUGGEST_SRC_MATCH_REGEX_H_
#define LIBSUGGEST_SRC_MATCH_REGEX_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace re2 {
class RE2;
}

namespace suggest::internal {

struct RegexOptions {
  // RE2's memory budget in bytes for the compiled program and its DFA
  // caches; 0 keeps RE2's default (8 MiB). Tests make it tiny to reach the
  // out-of-memory path.
  int64_t max_mem = 0;
  // Leftmost-longest instead of leftmost-first (the assertion cues: the
  // longest trigger at a position wins).
  bool longest_match = false;
};

// Why a pattern did not compile: RE2's message and the fragment it names
// (empty if none), so a loader can point at the column.
struct RegexError {
  std::string message;
  std::string fragment;
};

class Regex {
 public:
  enum class Anchor { kUnanchored, kAnchorStart };

  // Compiles `pattern`; nullptr and *error (if given) when it is invalid.
  static std::unique_ptr<const Regex> Compile(std::string_view pattern,
                                              const RegexOptions& options = {},
                                              RegexError* error = nullptr);
  ~Regex();
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;

  // Matches in text[begin, end), reading context (\b, ^) from the whole
  // text. On a match fills groups[0..n) (groups[0] is the whole match; a
  // group that did not take part has data() == nullptr) and returns true.
  bool Match(std::string_view text, size_t begin, size_t end, Anchor anchor,
             std::string_view* groups, int n) const;
  // True if the pattern matches anywhere in `text`.
  bool PartialMatch(std::string_view text) const;

  int NumberOfCapturingGroups() const;
  // Group name -> 1-based index.
  const std::map<std::string, int>& NamedCapturingGroups() const;

  // `literal` escaped so that it matches itself.
  static std::string QuoteMeta(std::string_view literal);

 private:
  explicit Regex(std::unique_ptr<re2::RE2> re);
  std::unique_ptr<re2::RE2> re_;
};

// Many patterns, one unanchored pass that tells which of them match.
class RegexSet {
 public:
  enum class Result { kNoMatch, kMatch, kFailed };

  explicit RegexSet(const RegexOptions& options = {});
  ~RegexSet();
  RegexSet(const RegexSet&) = delete;
  RegexSet& operator=(const RegexSet&) = delete;

  // Adds a pattern before Compile; returns its index, or -1 and *error.
  int Add(std::string_view pattern, std::string* error);
  // False if the set does not fit its memory budget.
  bool Compile();
  size_t size() const { return size_; }

  // Which patterns match somewhere in `text` (their indexes in *hits, if
  // given, in no particular order). kFailed: RE2 could not answer (its DFA ran out of memory, or
  // the set is not compiled): "maybe", never "no".
  Result Match(std::string_view text, std::vector<int>* hits = nullptr) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  size_t size_ = 0;
};

}  // namespace suggest::internal

#endif  // LIBSUGGEST_SRC_MATCH_REGEX_H_
