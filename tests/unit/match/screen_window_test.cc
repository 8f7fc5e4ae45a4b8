// Copyright libsuggest authors.
//
// ScreenWindow's bounds (match/screen_window.h) on hand-made reaches; the
// corpus test (tests/corpus/screen_window_test.cc) checks the screen built
// on them against whole scans.

#include "match/screen_window.h"

#include <gtest/gtest.h>

#include <string>

namespace suggest::internal {
namespace {

RuleLocator::Reach Width(uint32_t w) { return {w, {}, 0}; }
RuleLocator::Reach Count(uint32_t k) { return {0, {}, k}; }
RuleLocator::Reach Stops(const std::string& bytes) {
  RuleLocator::Reach r;
  r.stop.assign(256, false);
  for (char c : bytes) r.stop[static_cast<unsigned char>(c)] = true;
  return r;
}

TEST(ScreenWindowTest, OffWithoutABound) {
  EXPECT_FALSE(ScreenWindow({Width(5), RuleLocator::Reach()}).on());
  EXPECT_FALSE(ScreenWindow({Stops("ab")}).on());       // letters are never used
  EXPECT_FALSE(ScreenWindow({Stops("."), Stops(";")}).on());  // no common byte
  EXPECT_FALSE(ScreenWindow({Width(ScreenWindow::kMaxReach + 1)}).on());
  size_t b = 0, e = 0;
  EXPECT_FALSE(ScreenWindow().Find("abc", 1, 1, &b, &e));
}

TEST(ScreenWindowTest, WidthReachesPastTheZone) {
  const std::string text(200, 'x');
  size_t b = 0, e = 0;
  ASSERT_TRUE(ScreenWindow({Width(10)}).Find(text, 100, 90, &b, &e));
  // zone [96, 114): at least 10 + 4 bytes beyond it each way
  EXPECT_LE(b, 96u - 10 - 4);
  EXPECT_GE(e, 114u + 10 + 2);
  EXPECT_LT(e - b, 60u);
}

TEST(ScreenWindowTest, StopsAndCountsBoundTheWalk) {
  //                       0123456789012345678901234567890123456789
  const std::string text = "aaa. bb cc dd ee ff gg. hh ii jj kk. ll mm";
  size_t b = 0, e = 0;
  ASSERT_TRUE(ScreenWindow({Stops(".;")}).Find(text, 16, 20, &b, &e));  // edit at [16, 22)
  EXPECT_EQ(b, 3u);   // the '.' before the zone [12, 26)
  EXPECT_EQ(e, 37u);  // two past the '.' after it
  // Five bytes outside blanks: back to the sixth such byte before the zone
  // (the '.' at 3), up to the sixth at or after its end (34), plus two.
  ASSERT_TRUE(ScreenWindow({Count(5)}).Find(text, 16, 20, &b, &e));
  EXPECT_EQ(b, 3u);
  EXPECT_EQ(e, 36u);
  // Blanks do not count: a long run is crossed.
  const std::string spaced = "harrington" + std::string(3000, ' ') + "rods";
  ASSERT_TRUE(ScreenWindow({Count(25)}).Find(spaced, spaced.size() - 4, 0, &b, &e));
  EXPECT_EQ(b, 0u);
}

TEST(ScreenWindowTest, WindowEndsOnCharacterBoundaries) {
  const std::string text = "\xC3\xA9\xC3\xA9\xC3\xA9" "abc" "\xC3\xA9\xC3\xA9\xC3\xA9";
  size_t b = 0, e = 0;
  ASSERT_TRUE(ScreenWindow({Count(1)}).Find(text, 7, 6, &b, &e));
  EXPECT_EQ((static_cast<unsigned char>(text[b]) & 0xC0) != 0x80, true);
  EXPECT_TRUE(e == text.size() || (static_cast<unsigned char>(text[e]) & 0xC0) != 0x80);
}

}  // namespace
}  // namespace suggest::internal
