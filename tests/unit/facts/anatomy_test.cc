// Copyright libsuggest authors.
//
// Vertebral anatomy (facts/anatomy.h): names, adjacency, regions, order.

#include "facts/anatomy.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace suggest::internal {
namespace {

TEST(AnatomyTest, EveryVertebraNamesAndParsesBack) {
  const std::vector<std::string> names = {
      "O",  "C1",  "C2",  "C3", "C4", "C5", "C6", "C7", "T1", "T2", "T3",
      "T4", "T5",  "T6",  "T7", "T8", "T9", "T10", "T11", "T12", "L1", "L2",
      "L3", "L4",  "L5",  "L6", "S1", "S2", "S3", "S4", "S5", "Co"};
  ASSERT_EQ(names.size(), static_cast<size_t>(Vertebra::kCoccyx + 1));
  for (int rank = 0; rank <= Vertebra::kCoccyx; ++rank) {
    const Vertebra v = Vertebra::AtRank(rank);
    EXPECT_EQ(v.Name(), names[rank]);
    EXPECT_EQ(Vertebra::Parse(names[rank]), v) << names[rank];
  }
  for (const char* bad : {"C8", "C0x", "T13", "L7", "S6", "X1", "", "C"})
    EXPECT_FALSE(Vertebra::Parse(bad).valid()) << bad;
  EXPECT_EQ(Vertebra::Of("C", 0), Vertebra());
  EXPECT_EQ(Vertebra::Of("O", 0).Name(), "O");
}

TEST(AnatomyTest, NextWalksL6OnlyWhenAsked) {
  const Vertebra l5 = Vertebra::Parse("L5");
  EXPECT_EQ(l5.Next(false).Name(), "S1");
  EXPECT_EQ(l5.Next(true).Name(), "L6");
  EXPECT_EQ(Vertebra::Parse("L6").Next(false).Name(), "S1");
  EXPECT_EQ(Vertebra::Parse("C7").Next(false).Name(), "T1");
  EXPECT_FALSE(Vertebra::Parse("Co").Next(false).valid());
  EXPECT_FALSE(Vertebra().Next(false).valid());
}

TEST(AnatomyTest, SegmentsAndRegions) {
  Segment s;
  ASSERT_TRUE(Segment::Parse("L5-S1", &s));
  EXPECT_EQ(s.Name(), "L5-S1");
  EXPECT_EQ(RegionName(s.region()), "lumbosacral");
  EXPECT_FALSE(Segment::Parse("C5-C7", &s));  // not adjacent
  EXPECT_FALSE(Segment::Parse("C5", &s));
  EXPECT_EQ(RegionOfSegment("L5-L6"), "lumbar");
  EXPECT_EQ(RegionOfSegment("L6-S1"), "lumbosacral");
  EXPECT_EQ(RegionOfVertebra("C2"), "occipito_atlanto_axial");
  EXPECT_EQ(RegionOfVertebra("C3"), "cervical");
  EXPECT_EQ(RegionOfVertebra("C8"), "");
  Region r;
  EXPECT_TRUE(ParseRegion("multiple_sites", &r));
  EXPECT_EQ(r, Region::kMultipleSites);
  EXPECT_FALSE(ParseRegion("neck", &r));
}

TEST(AnatomyTest, SortSegmentsCranialFirst) {
  std::vector<std::string> segs = {"L5-S1", "C5-C6", "T12-L1", "O-C1", "L5-L6", "S5-Co", "L4-L5"};
  SortSegments(&segs);
  EXPECT_EQ(segs, (std::vector<std::string>{"O-C1", "C5-C6", "T12-L1", "L4-L5", "L5-S1", "L5-L6",
                                            "S5-Co"}));
}

}  // namespace
}  // namespace suggest::internal
