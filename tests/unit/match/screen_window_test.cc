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

RuleLocator::Reach Lasts(const std::string& bytes) {
  RuleLocator::Reach r;
  r.last.assign(256, false);
  for (char c : bytes) r.last[static_cast<unsigned char>(c)] = true;
  return r;
}

TEST(ScreenWindowTest, OffWithoutABound) {
  EXPECT_FALSE(ScreenWindow({Width(5), RuleLocator::Reach()}).on());
  EXPECT_FALSE(ScreenWindow({Stops("ab")}).on());       // letters are never used
  EXPECT_FALSE(ScreenWindow({Stops(",:")}).on());       // only '.' and ';' are used
  EXPECT_TRUE(ScreenWindow({Stops("."), Stops(";")}).on());  // each its own
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

// A byte a match holds only as its last: before the zone it bounds as a
// stop byte does; after it, the match may end just past it, so the window
// holds that byte, the character after it and one byte more ($). A bound
// read as a plain stop would end the window one byte short.
TEST(ScreenWindowTest, LastByteStopsReachOnePast) {
  //                       0123456789012345678901234567890123456789
  const std::string text = "aaa. bb cc dd ee ff gg. hh ii jj kk. ll mm";
  size_t b = 0, e = 0;
  ASSERT_TRUE(ScreenWindow({Lasts(".")}).Find(text, 16, 20, &b, &e));  // zone [12, 26)
  EXPECT_EQ(b, 3u);   // the '.' before the zone, as for a stop
  EXPECT_EQ(e, 38u);  // the '.' at 35 may end a match [.., 36): 36 and 37 read
  ASSERT_TRUE(ScreenWindow({Stops(".")}).Find(text, 16, 20, &b, &e));
  EXPECT_EQ(e, 37u);
  // A '.' inside the zone does not bound: the searches start at its ends.
  ASSERT_TRUE(ScreenWindow({Lasts(".")}).Find(text, 24, 12, &b, &e));  // zone [20, 33)
  EXPECT_EQ(b, 3u);
  EXPECT_EQ(e, 38u);
}

// Each pattern is bounded by the nearest of its own ways, and the window by
// the farthest of those over the patterns: a pattern that stops only at '.'
// is not bounded by a ';' nearer the edit, even when another pattern is.
TEST(ScreenWindowTest, NearestWayPerPatternFarthestOverPatterns) {
  //                       0         1         2         3         4
  //                       0123456789012345678901234567890123456789012345
  const std::string text = "aaa. bb; cc dd ee ff gg hh; ii jj kk. ll mm nn";
  size_t b = 0, e = 0;
  ASSERT_TRUE(ScreenWindow({Stops(".;")}).Find(text, 18, 24, &b, &e));  // zone [14, 26)
  EXPECT_EQ(b, 7u);   // the ';' at 7
  EXPECT_EQ(e, 28u);  // the ';' at 26, plus two
  ASSERT_TRUE(ScreenWindow({Stops(".;"), Stops(".")}).Find(text, 18, 24, &b, &e));
  EXPECT_EQ(b, 3u);   // the '.' at 3
  EXPECT_EQ(e, 38u);  // the '.' at 36, plus two
  ASSERT_TRUE(ScreenWindow({Stops(";"), Lasts(".")}).Find(text, 18, 24, &b, &e));
  EXPECT_EQ(b, 3u);
  EXPECT_EQ(e, 39u);
  // A width nearer than the stops bounds its own pattern only.
  RuleLocator::Reach narrow = Stops(".");
  narrow.width = 2;
  ASSERT_TRUE(ScreenWindow({narrow}).Find(text, 18, 24, &b, &e));
  EXPECT_EQ(b, 4u);   // 14 - 8 - 2
  EXPECT_EQ(e, 36u);  // 26 + 8 + 2
  ASSERT_TRUE(ScreenWindow({narrow, Stops(".;")}).Find(text, 18, 24, &b, &e));
  EXPECT_EQ(b, 4u);
  EXPECT_EQ(e, 36u);
  // A non-space count nearer than the stops, and one farther.
  RuleLocator::Reach counted = Stops(".");
  counted.nonspace = 1;
  ASSERT_TRUE(ScreenWindow({counted}).Find(text, 18, 24, &b, &e));
  EXPECT_EQ(b, 12u);  // the second non-blank byte before 14 ("dd" at 12, 13)
  EXPECT_EQ(e, 30u);  // the second at or after 26 (';' at 26, 'i' at 28), plus two
  counted.nonspace = 40;  // the stop is nearer
  ASSERT_TRUE(ScreenWindow({counted}).Find(text, 18, 24, &b, &e));
  EXPECT_EQ(b, 3u);
  EXPECT_EQ(e, 38u);
}

// The bytes a pattern holds only as its last, read from it: the last atom
// must match at most one character, once, after the rest of one sequence.
TEST(ScreenWindowTest, StopBytesButLastReadFromThePattern) {
  if (StopBytesButLast("x[.]").empty()) GTEST_SKIP() << "no Vectorscan";
  auto last = [](const std::string& p, char c) {
    const std::vector<bool> t = StopBytesButLast(p);
    return !t.empty() && t[static_cast<unsigned char>(c)];
  };
  const std::string cause =
      "\\b(?:fusion|fused)\\b[^.;,]{0,60},\\s*(?:which\\s+is\\s+)?degenerative\\s*"
      "(?:[.;,)]|\\n|$)";
  EXPECT_TRUE(last(cause, '.'));
  EXPECT_TRUE(last(cause, ';'));
  EXPECT_FALSE(last(cause, ','));  // in the middle too
  EXPECT_TRUE(last("(?i)fusion\\s+[.;]?", '.'));
  EXPECT_TRUE(last("fusion\\s+\\.", '.'));
  // Traps: a '.' that can be followed by more of the match.
  EXPECT_FALSE(last("fusion[.]+", '.'));            // repeated
  EXPECT_FALSE(last("fusion[.]{1,2}", '.'));
  EXPECT_FALSE(last("fusion[.]*", '.'));
  EXPECT_FALSE(last("fusion\\.x", '.'));           // not last
  EXPECT_FALSE(last("fusion(?:\\.|\\.x)", '.'));  // a two-character alternative
  EXPECT_FALSE(last("fusion(?:[.]\\s*)", '.'));
  EXPECT_FALSE(last("fusion\\.|x\\.y", '.'));    // an alternation at the top
  EXPECT_FALSE(last("fusion[.]\\b", '.'));         // an anchor last: not read
  EXPECT_FALSE(last("fusion vs\\.? (?:[.;])", '.'));  // '.' in the rest
  EXPECT_FALSE(last("fusion(?:[.])(?:x)?", '.'));   // an optional atom after it
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
