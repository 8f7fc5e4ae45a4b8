// Copyright libsuggest authors.
//
// Test helper for the random-edit tests (tests/corpus/session_test.cc,
// sentence_reuse_test.cc): positions in a UTF-8 text that an edit may start
// or end at, so an edit never splits a code point.

#ifndef LIBSUGGEST_TESTS_TESTING_EDITS_H_
#define LIBSUGGEST_TESTS_TESTING_EDITS_H_

#include <random>
#include <string>

namespace suggest::testing {

// True if byte i of s starts a code point (or is the end of s).
inline bool OnBoundary(const std::string& s, size_t i) {
  return i >= s.size() || (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
}

// A random code-point boundary in [lo, hi] of s.
inline size_t Boundary(std::mt19937& rng, const std::string& s, size_t lo, size_t hi) {
  size_t i = std::uniform_int_distribution<size_t>(lo, hi)(rng);
  while (i > lo && !OnBoundary(s, i)) --i;
  return i;
}

}  // namespace suggest::testing

#endif  // LIBSUGGEST_TESTS_TESTING_EDITS_H_
