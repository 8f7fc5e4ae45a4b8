// Copyright libsuggest authors.
//
// IntervalIndex answers what the facts and levels stages used to find with a
// scan of every interval: each query is checked against that scan over random
// interval sets (nested, overlapping, empty, touching).

#include "util/interval_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace suggest::internal {
namespace {

struct Iv {
  uint32_t b, e;
};

std::vector<Iv> RandomIntervals(std::mt19937* rng, int n, uint32_t span, uint32_t max_len) {
  std::uniform_int_distribution<uint32_t> pos(0, span), len(0, max_len);
  std::vector<Iv> v;
  for (int i = 0; i < n; ++i) {
    const uint32_t b = pos(*rng);
    v.push_back({b, b + len(*rng)});
  }
  // Begin order, ties in any order (stable on insertion).
  std::stable_sort(v.begin(), v.end(), [](const Iv& x, const Iv& y) { return x.b < y.b; });
  return v;
}

TEST(IntervalIndexTest, MatchesLinearScans) {
  std::mt19937 rng(7);
  for (int round = 0; round < 300; ++round) {
    const int n = round % 40;
    const uint32_t span = 10 + round % 90;
    const auto ivs = RandomIntervals(&rng, n, span, round % 3 == 0 ? 60 : 6);
    IntervalIndex idx;
    for (const Iv& iv : ivs) idx.Add(iv.b, iv.e);
    ASSERT_EQ(idx.size(), ivs.size());
    std::uniform_int_distribution<uint32_t> pos(0, span + 10), len(0, 8);
    for (int q = 0; q < 50; ++q) {
      const uint32_t b = pos(rng), e = b + len(rng);
      bool overlaps = false, contains = false;
      size_t nearest = IntervalIndex::npos;
      uint32_t best = UINT32_MAX;
      for (size_t i = 0; i < ivs.size(); ++i) {
        overlaps = overlaps || (ivs[i].b < e && b < ivs[i].e);
        contains = contains || (ivs[i].b <= b && e <= ivs[i].e);
        const uint32_t g = IntervalIndex::Gap(b, e, ivs[i].b, ivs[i].e);
        if (g < best) {
          best = g;
          nearest = i;
        }
      }
      EXPECT_EQ(idx.Overlaps(b, e), overlaps) << round << " " << b << "-" << e;
      EXPECT_EQ(idx.Contains(b, e), contains) << round << " " << b << "-" << e;
      EXPECT_EQ(idx.Nearest(b, e), nearest) << round << " " << b << "-" << e;
      // Near(lo, hi) holds every interval with end >= lo and begin <= hi.
      const uint32_t lo = pos(rng), hi = lo + len(rng);
      const auto [first, last] = idx.Near(lo, hi);
      for (size_t i = 0; i < ivs.size(); ++i) {
        if (ivs[i].e >= lo && ivs[i].b <= hi) {
          EXPECT_TRUE(i >= first && i < last) << round << " " << i;
        }
      }
    }
  }
}

TEST(IntervalIndexTest, EmptyIndex) {
  IntervalIndex idx;
  EXPECT_FALSE(idx.Overlaps(0, 10));
  EXPECT_FALSE(idx.Contains(0, 0));
  EXPECT_EQ(idx.Nearest(3, 4), IntervalIndex::npos);
  const auto [first, last] = idx.Near(0, 100);
  EXPECT_EQ(first, last);
}

TEST(IntervalIndexTest, NearestTiesGoToTheFirst) {
  IntervalIndex idx;
  idx.Add(0, 2);    // gap 3 to [5, 6)
  idx.Add(8, 9);    // gap 2
  idx.Add(8, 12);   // gap 2 as well: the first one wins
  EXPECT_EQ(idx.Nearest(5, 6), 1u);
}

}  // namespace
}  // namespace suggest::internal
