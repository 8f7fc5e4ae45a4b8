// Copyright libsuggest authors.
//
// scan::Positions (util/byte_scan.h) against a byte loop: every start, text
// lengths around its 64-byte blocks, NUL and high bytes in the text.

#include "util/byte_scan.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace suggest::internal {
namespace {

std::vector<size_t> ByLoop(const std::string& s, size_t from) {
  std::vector<size_t> out;
  for (size_t i = from; i < s.size(); ++i)
    if (s[i] == '\n' || s[i] == ',' || s[i] == '.') out.push_back(i);
  return out;
}

std::vector<size_t> ByPositions(const std::string& s, size_t from) {
  std::vector<size_t> out;
  scan::Positions<'\n', ',', '.'> p(s.data(), from, s.size());
  for (size_t i; (i = p.Next()) < s.size();) out.push_back(i);
  EXPECT_EQ(p.Next(), s.size());  // stays at the end
  return out;
}

TEST(ByteScanTest, PositionsEqualsAByteLoop) {
  std::mt19937 rng(64);
  const char kBytes[] = {'a', ' ', '\n', ',', '.', '\0', '\x80', '\xff', '-', ':'};
  std::uniform_int_distribution<int> pick(0, sizeof(kBytes) - 1);
  for (size_t n : {0, 1, 7, 8, 63, 64, 65, 127, 128, 129, 200, 1000}) {
    for (int rep = 0; rep < 20; ++rep) {
      std::string s(n, 'x');
      for (char& c : s) c = kBytes[pick(rng)];
      for (size_t from = 0; from <= n; ++from)
        ASSERT_EQ(ByPositions(s, from), ByLoop(s, from)) << "n " << n << " from " << from;
    }
  }
}

}  // namespace
}  // namespace suggest::internal
