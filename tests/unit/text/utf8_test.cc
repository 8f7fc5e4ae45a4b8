// Copyright libsuggest authors.
#include "text/utf8_repair.h"
#include "util/utf8.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>

namespace suggest::internal {
namespace {

// Slow reference: decode one sequence the textbook way and check the
// decoded value against the RFC 3629 ranges.
size_t RefSequenceLength(const std::string& s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned c0 = b(i);
  size_t len;
  uint32_t cp;
  if (c0 < 0x80) return 1;
  if ((c0 & 0xE0) == 0xC0) {
    len = 2, cp = c0 & 0x1F;
  } else if ((c0 & 0xF0) == 0xE0) {
    len = 3, cp = c0 & 0x0F;
  } else if ((c0 & 0xF8) == 0xF0) {
    len = 4, cp = c0 & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  static const uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return 0;
  }
  return len;
}

size_t RefFindInvalid(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    const size_t len = RefSequenceLength(s, i);
    if (len == 0) return i;
    i += len;
  }
  return kNoError;
}

TEST(Utf8Test, AcceptsValidBoundaries) {
  const std::string valid[] = {
      "",
      "plain ASCII text, long enough to use the eight-byte path",
      "\x7F",
      "\xC2\x80",
      "\xDF\xBF",
      "\xE0\xA0\x80",
      "\xED\x9F\xBF",      // U+D7FF, just below the surrogates
      "\xEE\x80\x80",      // U+E000, just above
      "\xEF\xBF\xBF",
      "\xF0\x90\x80\x80",  // U+10000
      "\xF4\x8F\xBF\xBF",  // U+10FFFF
      std::string("nul \0 inside", 12),
      "C5\xE2\x80\x93" "C6 \xF0\x9F\x98\x80",
  };
  for (const std::string& s : valid) {
    EXPECT_EQ(FindInvalidUtf8(s), kNoError) << testing::PrintToString(s);
    EXPECT_TRUE(ValidateUtf8(s).ok());
  }
}

struct BadCase {
  std::string text;
  size_t offset;
  const char* reason;
};

TEST(Utf8Test, ReportsFirstBadByteAndReason) {
  const std::string pad(1000, 'a');  // puts the error behind the fast path
  const BadCase cases[] = {
      {"abc\xE2\x82", 3, "truncated sequence"},          // cut at the end
      {"ab\xF0\x9F\x98", 2, "truncated sequence"},
      {"\xE2\x28\xA1", 0, "truncated sequence"},         // ASCII inside
      {"ab\xC0\xAF", 2, "overlong encoding"},
      {"\xC0\x80", 0, "overlong encoding"},
      {"\xC1\xBF", 0, "overlong encoding"},
      {"\xE0\x80\x80", 0, "overlong encoding"},
      {"\xE0\x9F\xBF", 0, "overlong encoding"},
      {"\xF0\x8F\xBF\xBF", 0, "overlong encoding"},
      {"x\xED\xA0\x80", 1, "surrogate code point"},
      {"\xED\xBF\xBF", 0, "surrogate code point"},
      {"\xF4\x90\x80\x80", 0, "code point above U+10FFFF"},
      {"abc\x80", 3, "unexpected continuation byte"},
      {"\xC3\xA9\xBF", 2, "unexpected continuation byte"},
      {"\xF5\x80\x80\x80", 0, "invalid lead byte"},
      {"ok \xFF", 3, "invalid lead byte"},
      {pad + "\x80", 1000, "unexpected continuation byte"},
      {pad + "\xC3\xA9" + pad + "\xF5", 2002, "invalid lead byte"},
  };
  for (const BadCase& c : cases) {
    std::string reason;
    EXPECT_EQ(FindInvalidUtf8(c.text, &reason), c.offset)
        << testing::PrintToString(c.text);
    EXPECT_EQ(reason, c.reason) << testing::PrintToString(c.text);
  }
}

TEST(Utf8Test, ValidateReturnsInvalidArgumentWithoutQuotingText) {
  Status st = ValidateUtf8("secret diagnosis \xC0\xAF here");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st.kind(), "invalid_utf8");
  EXPECT_EQ(st.offset(), 17);
  EXPECT_EQ(st.message(), "invalid UTF-8 at byte 17: overlong encoding");
  EXPECT_EQ(st.message().find("secret"), std::string::npos);
}

TEST(Utf8Test, RepairReplacesEachBadByteWithOneFffd) {
  std::string out;
  OffsetMap map;
  EXPECT_EQ(RepairUtf8("a\xC0\xAF" "b", &out, &map), 2u);
  EXPECT_EQ(out, "a\xEF\xBF\xBD\xEF\xBF\xBD" "b");
  EXPECT_EQ(map.original_size(), 4u);
  EXPECT_EQ(map.normalized_size(), 8u);
  EXPECT_EQ(map.ToOriginal(0, 1), (Span{0, 1}));
  EXPECT_EQ(map.ToOriginal(1, 4), (Span{1, 2}));
  EXPECT_EQ(map.ToOriginal(4, 7), (Span{2, 3}));
  EXPECT_EQ(map.ToOriginal(7, 8), (Span{3, 4}));
  EXPECT_EQ(map.ToOriginal(2, 3), (Span{1, 2}));  // inside: whole bad byte
  EXPECT_FALSE(map.IsBoundary(2));
  EXPECT_TRUE(map.IsBoundary(4));

  // Truncated sequence at the end: both bytes are bad on their own.
  EXPECT_EQ(RepairUtf8("ab\xE2\x82", &out, &map), 2u);
  EXPECT_EQ(out, "ab\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(map.ToOriginal(5, 8), (Span{3, 4}));

  // Surrogate: three bad bytes.
  EXPECT_EQ(RepairUtf8("\xED\xA0\x80", &out, &map), 3u);
  EXPECT_EQ(out, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");

  EXPECT_EQ(RepairUtf8("valid \xC3\xA9", &out, &map), 0u);
  EXPECT_EQ(out, "valid \xC3\xA9");
  EXPECT_TRUE(map.IsIdentity());
  EXPECT_EQ(map.original_size(), 8u);
}

TEST(Utf8Test, MatchesReferenceOnRandomBytes) {
  std::mt19937 rng(20240611);
  const std::string pieces[] = {"a", "Z", " ", "\xC3\xA9", "\xE2\x80\x93",
                                "\xF0\x9F\x98\x80", "abcdefghij"};
  for (int iter = 0; iter < 20000; ++iter) {
    std::string s;
    const int len = rng() % 24;
    for (int k = 0; k < len; ++k) {
      if (rng() % 3 == 0) {
        s.push_back(static_cast<char>(rng() % 256));
      } else {
        s += pieces[rng() % std::size(pieces)];
      }
    }
    ASSERT_EQ(FindInvalidUtf8(s), RefFindInvalid(s)) << testing::PrintToString(s);

    // Repair: valid output, one U+FFFD per byte the reference rejects.
    size_t bad = 0;
    for (size_t i = 0; i < s.size();) {
      const size_t l = RefSequenceLength(s, i);
      bad += l == 0;
      i += l == 0 ? 1 : l;
    }
    std::string out;
    OffsetMap map;
    ASSERT_EQ(RepairUtf8(s, &out, &map), bad);
    ASSERT_EQ(FindInvalidUtf8(out), kNoError);
    ASSERT_EQ(out.size(), s.size() + 2 * bad);
    ASSERT_EQ(map.original_size(), s.size());
    ASSERT_EQ(map.normalized_size(), out.size());
  }
}

}  // namespace
}  // namespace suggest::internal
