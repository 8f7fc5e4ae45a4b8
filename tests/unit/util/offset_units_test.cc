// Copyright libsuggest authors.
#include "util/offset_units.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "util/utf8.h"

namespace suggest::internal {
namespace {

TEST(OffsetUnitsTest, Empty) {
  OffsetConverter c("");
  EXPECT_EQ(c.Convert(0, OffsetUnit::kUtf16), 0u);
  EXPECT_EQ(c.Convert(0, OffsetUnit::kCodePoints), 0u);
}

TEST(OffsetUnitsTest, AsciiIsIdentity) {
  const std::string s(1000, 'x');
  OffsetConverter c(s);
  for (uint32_t k = 0; k <= s.size(); k += 37) {
    EXPECT_EQ(c.Convert(k, OffsetUnit::kBytes), k);
    EXPECT_EQ(c.Convert(k, OffsetUnit::kUtf16), k);
    EXPECT_EQ(c.Convert(k, OffsetUnit::kCodePoints), k);
  }
}

TEST(OffsetUnitsTest, MultiByteAndEmoji) {
  // a(1) e-acute(2) en-dash(3) grinning face(4, two UTF-16 units) b(1)
  const std::string s = "a\xC3\xA9\xE2\x80\x93\xF0\x9F\x98\x80" "b";
  OffsetConverter c(s);
  const uint32_t bytes[] = {0, 1, 3, 6, 10, 11};
  const uint32_t u16[] = {0, 1, 2, 3, 5, 6};
  const uint32_t cps[] = {0, 1, 2, 3, 4, 5};
  for (size_t k = 0; k < std::size(bytes); ++k) {
    EXPECT_EQ(c.Convert(bytes[k], OffsetUnit::kUtf16), u16[k]) << bytes[k];
    EXPECT_EQ(c.Convert(bytes[k], OffsetUnit::kCodePoints), cps[k]) << bytes[k];
    EXPECT_EQ(c.Convert(bytes[k], OffsetUnit::kBytes), bytes[k]);
  }
}

TEST(OffsetUnitsTest, InvalidBytesCountOneEach) {
  // a, C0, AF, b, E2 82 (truncated at end: two bad bytes)
  const std::string s = "a\xC0\xAF" "b\xE2\x82";
  OffsetConverter c(s);
  for (uint32_t k = 0; k <= s.size(); ++k) {
    EXPECT_EQ(c.Convert(k, OffsetUnit::kUtf16), k);
    EXPECT_EQ(c.Convert(k, OffsetUnit::kCodePoints), k);
  }
}

// Brute force across many 64-byte block edges, with sequences straddling
// them and bad bytes mixed in.
TEST(OffsetUnitsTest, RandomTextMatchesLinearCount) {
  std::mt19937 rng(7);
  const std::string pieces[] = {"a", "bc", "\xC3\xA9", "\xE2\x80\x93",
                                "\xF0\x9F\x98\x80", "\xFF", "\x80",
                                "\xE2\x82", "\xED\xA0\x80"};
  for (int iter = 0; iter < 200; ++iter) {
    std::string s;
    const int len = rng() % 400;
    for (int k = 0; k < len; ++k) s += pieces[rng() % std::size(pieces)];
    OffsetConverter c(s);
    uint32_t cp = 0, u16 = 0;
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    for (size_t i = 0; i <= s.size();) {
      ASSERT_EQ(c.Convert(i, OffsetUnit::kCodePoints), cp) << iter << " @" << i;
      ASSERT_EQ(c.Convert(i, OffsetUnit::kUtf16), u16) << iter << " @" << i;
      if (i == s.size()) break;
      const size_t l = Utf8SequenceLength(p + i, s.size() - i);
      i += l == 0 ? 1 : l;
      cp += 1;
      u16 += l == 4 ? 2 : 1;
    }
  }
}

TEST(OffsetUnitsTest, LargeText) {
  std::string s;
  while (s.size() < (8u << 20)) s += "pain \xC2\xBD better \xF0\x9F\x98\x80\n";
  OffsetConverter c(s);
  // Each 20-byte line: 16 code points, 17 UTF-16 units.
  const uint32_t lines = static_cast<uint32_t>(s.size() / 20);
  EXPECT_EQ(c.Convert(lines * 20, OffsetUnit::kCodePoints), lines * 16);
  EXPECT_EQ(c.Convert(lines * 20, OffsetUnit::kUtf16), lines * 17);
  EXPECT_EQ(c.Convert(lines * 20 - 1, OffsetUnit::kUtf16), lines * 17 - 1);
}

}  // namespace
}  // namespace suggest::internal
